"""Display-time tidying of a shown sentence: defects the source text itself carries, put right where the stand-alone
repairs run (:func:`medcite.qa.standalone.repair` calls :func:`tidy` first; a continuation sentence is tidied in
``plan._continuation``). The library's chunk text and ids never change; the verbatim sentence keeps its span.

Measured on the full library (34,405 chunks, 113,238 distinct quotable sentences; every rule's hits in quotable
sentences read, or 50 at random where there were more): hits in chunk text / in quotable sentences, precision.

- **contraction** (621 / 354; 50 of 50 sampled, and every "cant"/"wont" hit read): a closed list of contractions
  whose apostrophe-less form is no English word (:data:`CONTRACTIONS`: "dont" 137, "doesnt" 127, "youre" 101, "isnt"
  34, "arent" 32, "youll" 23, "thats" 22, "theyre" 14, "youve" 13, ... in chunk text, beside 583 "don't" etc.).
  "cant" (75) and "wont" (13) are words too: repaired only in lower case before a lower-case word that is no function
  word and not after a determiner ("as is his wont"); capitalised "Cant" is Cantu syndrome or an author ("Cant AJ")
  and is left. "Ive"/"Im" only capitalised before a lower-case word ("IM group", "type Im)" stay). "its" (1,599),
  "lets", "were", "well", "ill", "id", "shed", "shell" are words and never touched.
- **sentence space** (134 / 116; 116 of 116): "drugs.In" -> "drugs. In" only between a lower-case word (the whole
  token from the last space, so never a URL, e-mail, number, dotted abbreviation or "p.Arg") and a capitalised word,
  or an acronym before a lower-case word ("balance.CP affects"); "et al.", "vs." and the other never-final
  abbreviations stay.
- **camel** (2 / 2; 2 of 2): "hemophiliaYou" -> "hemophilia You" only when the right part is a common sentence-initial
  word (:data:`SENTENCE_STARTS`) and the left a lower-case word from the last space; "mmHg" (53 in quotable
  sentences), "deltaCi", "McDonald", "iPhone", "pH", "mRNA", "HbA1c", "LaTeX", "eGFR" never match.
- **spacing** (1,153 / 60; 60 of 60 after two guards): no space inside brackets or before , ; : . ("(T3 )",
  "recessive ,", "the gene ."); a spaced ellipsis ". . .", a web address before its full stop, a digit ratio "1 : 2"
  and a bracket glued to a full stop keep theirs. (Most chunk-text hits are "Term : definition" items that
  ``sentence_problem`` never lets be quoted.)
- **spaced hyphen** (63 / 30; 30 of 30): "blood -forming" -> "blood-forming" for a closed list of compound ends
  (:data:`COMPOUND_ENDS`); a spaced hyphen before anything else is left, since it often marks a lost Greek letter
  ("called -aminoadipic", "-dystroglycan") or a list item ("-being over 50").
- **glued lead** (99 / 67; 67 of 67): "activefor example," / "germssuch as" -> "active\u2014for example," /
  "germs\u2014such as" (the em dash the NIH page had); the closing dash, lost too in 58 of these ("fungican
  cause"), needs a vocabulary to find and is left.

In all, 590 of the 113,238 quotable sentences change. On 104 dev questions (medquad_patient 60, handwritten 44) 4 of
373 shown sentences change ("doesnt" twice, "youve", "activefor example"); on 200 more (pubmedqa_dev 100,
medquad_sample 100) 1 of 747 ("youve").
"""

from __future__ import annotations

import re
from functools import lru_cache

from medcite.qa.sentences import NEVER_FINAL_ABBREVIATIONS

# Contractions whose apostrophe-less form is no English word: always repaired.
CONTRACTIONS: dict[str, str] = {w.replace("'", ""): w for w in (
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "shouldn't",
    "wouldn't", "couldn't", "mustn't", "needn't", "you're", "you've", "you'll", "you'd", "they're", "they've",
    "they'll", "they'd", "we've", "that's", "what's", "there's", "here's", "where's", "who's", "he's", "she's", "it'll",
    "that'll", "should've", "would've", "could've",
)}
# Contractions that are also words ("cant", "wont"): repaired only in lower case, before a lower-case word that is no
# function word and not after a determiner ("lymph nodes cant be reached", not "as is his wont", "Cant syndrome").
GATED: dict[str, str] = {"cant": "can't", "wont": "won't"}
# "Ive" and "Im" capitalised, before a lower-case word ("Ive been", "Im older"); "Im" and "Ive" are also surnames.
FIRST_PERSON: dict[str, str] = {"Ive": "I've", "Im": "I'm"}

_CONTRACTION = re.compile(r"(?<![\w'’-])([A-Za-z]+)(?![\w'’-])")
_NOT_VERB = frozenset(("to", "of", "the", "a", "an", "and", "or", "in", "on", "at", "for", "with", "by", "from", "as",
                       "is"))
_NEXT_WORD = re.compile(r"\s+([a-z][a-z'’]*)(?:\s+([A-Za-z'’]+))?")
# A capitalised form counts only where a sentence starts ("Cant syndrome", "Cant AJ" are names).
_STARTS = re.compile(r"(?:^|[.!?:]|\s-)[\"'“‘(\[]*\s*[\"'“‘(\[]*$")
_DETERMINERS = frozenset(("the", "a", "an", "his", "her", "their", "its", "our", "your", "my", "as", "is"))  # his wont


def _case_like(word: str, repl: str) -> str:
    return repl[:1].upper() + repl[1:] if word[:1].isupper() else repl


def _verb_follows(text: str, end: int) -> bool:
    """After "cant"/"wont" at ``end``: a lower-case word that is no function word ("cant be reached"), or "or"/"and"
    and another contraction that one follows ("If they wont or cant eat")."""
    m = _NEXT_WORD.match(text, end)
    if not m:
        return False
    if m.group(1) in ("or", "and"):
        other = (m.group(2) or "").lower().replace("’", "'").replace("'", "")
        return other in GATED.keys() | CONTRACTIONS.keys() and _verb_follows(text, m.end(2))
    return m.group(1) not in _NOT_VERB


def contractions(text: str) -> str:
    """Apostrophes put back into contractions that lost them.

    >>> contractions("Once youve stopped, they dont come back; lymph nodes cant be reached.")
    "Once you've stopped, they don't come back; lymph nodes can't be reached."
    >>> contractions("Its cant and its wont to heal; Cant AJ. Lets see. Cant syndrome is rare.")
    'Its cant and its wont to heal; Cant AJ. Lets see. Cant syndrome is rare.'
    """
    out: list[str] = []
    last = 0
    for m in _CONTRACTION.finditer(text):
        word = m.group(1)
        low = word.lower()
        repl = None
        cased = word.islower() or word.istitle() and _STARTS.search(text, 0, m.start()) is not None
        if low in CONTRACTIONS and cased:
            repl = _case_like(word, CONTRACTIONS[low])
        elif low in GATED and word.islower():  # "Cant syndrome" (Cantu syndrome) opens sentences
            before = text[:m.start()].split()
            prev = before[-1].lower() if before else ""
            if prev not in _DETERMINERS and _verb_follows(text, m.end()):
                repl = _case_like(word, GATED[low])
        elif word in FIRST_PERSON and re.match(r"\s+[a-z]", text[m.end():]):
            repl = FIRST_PERSON[word]
        if repl is not None:
            out.append(text[last:m.start()] + repl)
            last = m.end()
    out.append(text[last:])
    return "".join(out)


# A lower-case word glued by "." / "?" / "!" to a capitalised one: the left token from the last space is letters
# (and inner hyphens) only, the right a capitalised word followed by a space, punctuation or the end.
_GLUED_STOP = re.compile(
    r"(?<![^\s(\"'“‘])([a-z]{2,}(?:-[a-z]+)*)([.?!])([A-Z][a-z]+(?=[\s,;:)\"'”’]|$)|(?:A|[A-Z]{2,})(?=\s[a-z]|-[a-z]))")
_NEVER_LEFT = NEVER_FINAL_ABBREVIATIONS | {"www", "http", "https", "mailto"}


def sentence_space(text: str) -> str:
    """A space after a sentence's final stop glued to the next sentence.

    >>> sentence_space("It is treated with drugs.In some cases, surgery helps. See www.Smokefree.gov or e.g.In")
    'It is treated with drugs. In some cases, surgery helps. See www.Smokefree.gov or e.g.In'
    >>> sentence_space("It affects balance.CP is not hereditary; 7.6 pmol.L-1, p.Arg412Gln, the United.States.")
    'It affects balance. CP is not hereditary; 7.6 pmol.L-1, p.Arg412Gln, the United.States.'
    """
    def fix(m: re.Match[str]) -> str:
        if m.group(1) in _NEVER_LEFT:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)} {m.group(3)}"
    return _GLUED_STOP.sub(fix, text)


SENTENCE_STARTS: tuple[str, ...] = (
    "The", "This", "These", "Those", "That", "There", "They", "It", "In", "If", "When", "You", "Your", "Some",
    "Most", "Many", "An", "For", "Other", "People", "Each", "Also", "However", "Treatment", "Symptoms", "Signs",
)
_CAMEL = re.compile(r"(?<![^\s(\"'“‘])([a-z]{2,})(" + "|".join(SENTENCE_STARTS) + r")(?=\s)")


def camel_space(text: str) -> str:
    """A space between a lower-case word and a sentence-initial word glued to it ("hemophiliaYou may").

    >>> camel_space("Moderate hemophiliaYou may need it. mRNA, pH, eGFR, iPhone, McDonald, LaTeX, HbA1c stay.")
    'Moderate hemophilia You may need it. mRNA, pH, eGFR, iPhone, McDonald, LaTeX, HbA1c stay.'
    """
    return _CAMEL.sub(r"\1 \2", text)


_OPEN_SPACE = re.compile(r"(?<![^\s(\[])([(\[])[ \t]+(?=[^\s)\]])")
_CLOSE_SPACE = re.compile(r"(?<=[^\s(\[])[ \t]+([)\]])")
_MARK_SPACE = re.compile(r"(?<=[\w)\]%\"'”’])[ \t]+([,;:])(?=\s|$)")
_STOP_SPACE = re.compile(r"(?<=[A-Za-z0-9)\]%])[ \t]+\.(?=\s|$)(?!\s*\.)")  # not a spaced ellipsis ". . ."
_URLISH = re.compile(r"(?:/|@|\bwww\.)\S*$")


def spacing(text: str) -> str:
    """No space inside brackets or before , ; : . (a ratio "1 : 2" and a URL before its full stop keep theirs).

    >>> spacing("Changes ( mutations ) in BRCA1 , BRCA2 ; or the gene . Ratio 1 : 2 . Go to http://x.gov .")
    'Changes (mutations) in BRCA1, BRCA2; or the gene. Ratio 1 : 2. Go to http://x.gov .'
    >>> spacing("This takes time . . . usually; encouraged.[ Radiation")
    'This takes time . . . usually; encouraged.[ Radiation'
    """
    text = _OPEN_SPACE.sub(r"\1", text)
    text = _CLOSE_SPACE.sub(r"\1", text)

    def mark(m: re.Match[str]) -> str:
        before, after = text[:m.start()], text[m.end():]
        if m.group(1) == ":" and before[-1:].isdigit() and after.lstrip()[:1].isdigit():
            return m.group(0)
        return m.group(1)
    text = _MARK_SPACE.sub(mark, text)

    def stop(m: re.Match[str]) -> str:
        return m.group(0) if _URLISH.search(text[:m.start()]) else "."
    return _STOP_SPACE.sub(stop, text)


# Second parts of compounds that a stray space cut off ("blood -forming cells", "HPV -positive"): a closed list, since a
# spaced hyphen also stands where a Greek letter was lost ("called -aminoadipic", "-dystroglycan") or opens a list item.
COMPOUND_ENDS: tuple[str, ...] = (
    "forming", "filled", "related", "producing", "only", "fighting", "making", "like", "causing", "containing",
    "positive", "negative", "predominant", "based", "induced", "dependent", "free", "associated", "specific",
    "mediated", "derived", "linked",
)
_SPACED_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])[ \t]+-(?=(?:" + "|".join(COMPOUND_ENDS) + r")\b)")


def spaced_hyphen(text: str) -> str:
    """A compound's hyphen joined back to its first part.

    >>> spaced_hyphen("replacing blood -forming cells; an enzyme called -aminoadipic; Risk factors: -being over 50")
    'replacing blood-forming cells; an enzyme called -aminoadipic; Risk factors: -being over 50'
    """
    return _SPACED_HYPHEN.sub("-", text)


_GLUED_LEAD = re.compile(r"(?<![^\s(\"'“‘])([a-z]{3,})(for example|for instance|such as)\b")
_WORDS_ENDING_IN_LEAD = frozenset({"therefor", "wherefor", "heretofor"})  # words a lead's first word may close


def glued_lead(text: str) -> str:
    """A dash put back before "for example" / "for instance" / "such as" glued to the word before it.

    >>> glued_lead("when they're not activefor example, while reading. Many germssuch as bacteria.")
    "when they're not active\u2014for example, while reading. Many germs\u2014such as bacteria."
    """
    def fix(m: re.Match[str]) -> str:
        first = m.group(2).split()[0]
        if (m.group(1) + first).lower() in _WORDS_ENDING_IN_LEAD:
            return m.group(0)
        return f"{m.group(1)}\u2014{m.group(2)}"
    return _GLUED_LEAD.sub(fix, text)


RULES = (("contraction", contractions), ("sentence space", sentence_space), ("camel", camel_space),
         ("spacing", spacing), ("spaced hyphen", spaced_hyphen), ("glued lead", glued_lead))


@lru_cache(maxsize=65536)
def tidy(text: str) -> str:
    """``text`` with every rule applied (a sentence no rule touches comes back unchanged); cached, since the same
    chunks' sentences come back for many questions (40 us a sentence uncached).

    >>> tidy("They dont know.In fact ( rarely ) , it is the gene .")
    "They don't know. In fact (rarely), it is the gene."
    """
    for _, rule in RULES:
        text = rule(text)
    return text
