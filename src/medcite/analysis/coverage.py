"""Whether the library covers what a question names: known words that are names of things the library lacks.

The question analysis reports a word no library name, index word or English word is near as missing
(``Vocabulary.unlisted``). What that cannot see is a thing named with words the library does hold: "the Inspire
implant" (an English word), "a polygenic risk score", "mouth taping" (words a few unrelated chunks use). After
retrieval, :func:`absent_names` checks two kinds of candidates against the passages retrieved:

- **name-shaped**: a capitalised word inside a sentence ("the Inspire implant"), in a sentence that is not written in
  title case or capitals, in a run of capitalised words that follows a lower-case word (not punctuation or a dash:
  a subject line, "ClinicalTrials.gov - General Complaint"), that is no word of a library name;
- **in the focus position**: the words right after a question's opening ("What is a ...", "Is ...", "Does the
  ..."), up to the first function word, that are not inside a library name and include a word the English list
  lacks ("polygenic", "taping"); a person ("Is my son ...") is no focus.

A candidate is confirmed absent when no retrieved passage is a close match for the question (best cosine under
``CLOSE_MATCH``) and the library is rare on it without retrieval finding any of it: a single word in at most
``RARE_DOCS`` documents, none retrieved; a run of words that no retrieved document holds as typed, in at most
``RARE_DOCS`` documents, with a word of it (not an English word) in at most ``RARE_WORD_DOCS`` documents, none
retrieved. Words are matched as typed (whole words, plural allowed), not by the index's stems: "taping" must not
match "tape measure"; a word no chunk writes as typed that is no English word ("metformine") is a variant of one the
index holds, never a name.

Measured reason (issue 13, dev splits; docs/evals.md): on unanswerable.jsonl these catch "Inspire implant"
(best cosine 0.66), "polygenic risk score" (0.61) and "mouth taping" (0.55); on the answerable dev sets the
same words-only rules flag research wording ("elucidate", "adversely", "genotype", "Thai women") whose questions
all have a passage at cosine 0.74 or more, which ``CLOSE_MATCH`` (0.70) leaves answered. Without similarities
(lexical retrieval) nothing is confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from medcite.analysis.question import QuestionAnalysis
from medcite.analysis.vocabulary import Token, Vocabulary, tokens

CLOSE_MATCH = 0.70  # a passage this close to the question is about what it asks
RARE_DOCS = 3  # a word (or phrase) in at most this many documents is rare
RARE_WORD_DOCS = 30  # a word of a focus phrase in at most this many documents, none retrieved
MAX_FOCUS_WORDS = 3

_OPENING = re.compile(
    r"^\s*(?:(?:and|so|but|also|or)\s+)?(?:(?:what|which|why|when|where|how(?:\s+(?:often|long|much|many|soon|well|"
    r"fast|safe))?)\s+)?(?:is|are|was|were|does|do|did|can|could|should|would|will|may|might|has|have)\s+"
    r"(?:(?:a|an|the|my|your|this|these|those|our|his|her|their|any|some)\s+)?", re.IGNORECASE)
_PERSON_TEXT = (
    "i you he she we they it there that this someone anyone people person patient patients kid kids child children "
    "baby son daughter husband wife mother father mom dad parent parents doctor doctors")
_ADVERB_TEXT = "still really always usually ever even actually already also generally often sometimes never just only"
_FUNCTION_TEXT = (
    "a about after again against all am an and any are as at be because been before being below between both but by "
    "can could did do does doing down during each few for from had has have having he her here hers him his how i if "
    "in into is it its just me more most my no nor not now of off on once only or other our out over own same she "
    "should so some such than that the their them then there these they this those through to too under until up "
    "very was we were what when where which while who whom why will with would you your")
_PERSON = frozenset(_PERSON_TEXT.split())
_ADVERB = frozenset(_ADVERB_TEXT.split())
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())

Lookup = Callable[[str], "frozenset[str] | None"]


def candidates(analysis: QuestionAnalysis, vocabulary: Vocabulary) -> list[tuple[str, tuple[str, ...]]]:
    """(phrase as typed, its rare-word candidates) for each name-shaped word and focus-position phrase of the
    message's questions that the analysis has not already linked or reported missing."""
    out: list[tuple[str, tuple[str, ...]]] = []
    if not vocabulary.english:  # without an English word list every everyday word would look like a name
        return out
    missing = {m.lower() for m in analysis.missing}
    for sub in analysis.sub_questions:
        words = tokens(sub.text)
        linked = [(m.start, m.end) for m in vocabulary.link(words) if not m.term.generic]

        def free(t: Token, linked: list[tuple[int, int]] = linked) -> bool:
            return (len(t.key) >= 4 and t.key.isalpha() and t.text.lower() not in _FUNCTION_WORDS
                    and t.text.lower() not in missing and not _linked(t, linked) and vocabulary.known(t.key))

        out += [(t.text, (t.text,)) for t in _name_shaped(sub.text, words, vocabulary) if free(t)]
        block: list[Token] = []
        for t in [*_focus_phrase(sub.text, words), None]:
            if t is not None and not _linked(t, linked) and t.text.lower() not in missing:
                block.append(t)
                continue
            rare = tuple(w.text for w in block if free(w) and w.key not in vocabulary.english
                         and w.text.lower() not in vocabulary.english)
            if rare:
                out.append((" ".join(w.text for w in block), rare))
            block = []
    return list(dict.fromkeys(out))


def absent_names(analysis: QuestionAnalysis, vocabulary: Vocabulary, retrieved: Sequence[tuple[str, float | None]],
                 lookup: Lookup) -> tuple[str, ...]:
    """The candidates (:func:`candidates`) that the library does not cover, as typed. ``retrieved`` holds
    (document id, cosine or None) of the passages retrieved; ``lookup(words)`` gives the documents holding the
    words as typed, or None when they are common (``Ledger.documents_with``)."""
    cosines = [s for _, s in retrieved if s is not None]
    if not cosines or max(cosines) >= CLOSE_MATCH:
        return ()
    docs = {d for d, _ in retrieved}
    found: list[str] = []
    for phrase, rare in candidates(analysis, vocabulary):
        if _uncovered(phrase, rare, docs, lookup, vocabulary.english):
            found.append(phrase)
    return tuple(dict.fromkeys(found))


def _uncovered(phrase: str, rare: Iterable[str], docs: set[str], lookup: Lookup, english: frozenset[str]) -> bool:
    def scarce(word: str, most: int) -> bool:
        where = lookup(word)
        # a word the index knows only through its stemmer ("metformine": no chunk writes it, "metformin" is held)
        # is a variant of a word the library has, not a name
        return (where is not None and len(where) <= most and not where & docs
                and (bool(where) or word.lower() in english))

    if len(phrase.split()) == 1:
        return scarce(phrase, RARE_DOCS)
    held = lookup(phrase)
    if held is None or len(held) > RARE_DOCS or held & docs:
        return False
    return any(scarce(word, RARE_WORD_DOCS) for word in rare)


def _linked(word: Token, linked: list[tuple[int, int]]) -> bool:
    return any(a <= word.start < b for a, b in linked)


def _name_shaped(text: str, words: list[Token], vocabulary: Vocabulary) -> list[Token]:
    """Capitalised known words inside a sentence of ordinary case that are no word of a library name."""
    long_words = [w for w in words if len(w.key) >= 4]
    capitals = [w for w in long_words if w.text[:1].isupper()]
    if not long_words or 2 * len(capitals) > len(long_words):  # title case or capitals: case says nothing
        return []
    out = []
    for i, word in enumerate(words):
        acronym = re.sub(r"(?:'s|s)$", "", word.text).isupper()  # "PMIDs", "GFRUP's": acronyms, not names
        if i == 0 or not word.text[:1].isupper() or acronym:
            continue
        first = i  # the start of a run of capitalised words ("General Complaint") must follow a lower-case word
        def joined(j: int) -> bool:  # words j-1 and j stand apart only by spaces
            return not text[words[j - 1].end:words[j].start].strip()

        while first > 0 and words[first - 1].text[:1].isupper() and joined(first):
            first -= 1
        if first == 0 or not joined(first):
            continue
        if vocabulary.known(word.key) and word.key not in vocabulary.word_df:
            out.append(word)
    return out


def _focus_phrase(text: str, words: list[Token]) -> list[Token]:
    """The words right after the question's opening, up to a function word or punctuation (at most three)."""
    opening = _OPENING.match(text)
    if not opening:
        return []
    phrase: list[Token] = []
    for word in words:
        if word.start < opening.end():
            continue
        low = word.text.lower()
        if low in _FUNCTION_WORDS or low in _ADVERB or len(phrase) >= MAX_FOCUS_WORDS:
            break
        if phrase and text[phrase[-1].end:word.start].strip() not in ("", "-"):
            break
        phrase.append(word)
    return [] if not phrase or phrase[0].text.lower() in _PERSON else phrase


__all__ = ["CLOSE_MATCH", "RARE_DOCS", "RARE_WORD_DOCS", "absent_names", "candidates"]
