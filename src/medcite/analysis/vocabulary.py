"""Links a question's words to the library's own names (``medcite.corpus.terms``), misspellings included.

A question word is *known* when the embedding model's English vocabulary, the library's names or the lexical index
holds it; a known word is never corrected. An unknown word is corrected to the nearest word of the library's names
(one edit up to 7 letters, two from 8; ties to the word more documents use). An unknown word that is no name and no
English word within reach ("tirzepatide", "mounjaro") is *unlisted*: a thing the library has no source on.

Two readings keep a typo from being reported missing and a brand from being read as a typo (issue 13, measured on
the dev splits of noisy.jsonl and unanswerable.jsonl):

- a word one edit from a word the lexical index holds in two or more chunks (two edits from 8 letters, to a word in
  five or more) is a misspelling of something the library has, not a missing name, though no *name* is within reach
  ("ropivaccaine", "Fasiola"); the plural-folded key and the word as typed are both tried ("Nocardiosos");
- a word typed with a lower-case start and a capital inside ("iLet", "eGFR") is spelt on purpose: it is never
  corrected ("iLet" was read as "islet") and never taken for a typo of an English word; it is unlisted unless the
  library or the English list holds it exactly.

Names are matched longest first over whole words, so "MS" never matches inside "MSA", and an acronym is only
linked when the user wrote it in capitals or it is no English word ("ALL" the leukaemia, not "all").
Names that tag many documents ("Humans", "Female", the HPO boilerplate of GARD pages) are ``generic`` and never
decide a question's focus: more than ``GENERIC_SHARE`` of the documents, or ``GENERIC_MIN`` documents.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from medcite.corpus.terms import normalise_term, singular
from medcite.spelling import DeletionIndex, distance

# Short words that are never a typo of a name's word: "if I" was read as IGF-I ("If I quit smoking at 50, will my
# heart recover?", "an MRI if I need one": rounds 7 and 8 of the blind read got acromegaly text).
FUNCTION_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "he", "her", "his", "i", "if", "in", "is", "it",
    "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "the", "to", "up", "us", "we", "who", "why",
    "you",
))
# Chat shorthand the embedding model's word list lacks: known words, never a typo of a name ("please answer asap" was
# read as APAP, the paracetamol acronym: noisy.jsonl dev, session 10) and never a thing the library lacks.
CHAT_WORDS = frozenset((
    "asap", "lol", "lmao", "omg", "btw", "fyi", "imo", "imho", "tbh", "idk", "thx", "tks", "pls", "plz", "ty", "ur",
    "cuz", "coz", "rn", "ngl", "smh", "jk", "tho", "thru", "gonna", "wanna", "gotta", "kinda", "sorta", "dunno",
    "lemme", "yall", "bf", "gf", "hubby", "lmk", "irl", "ok", "okay", "hrs", "mins", "yrs", "wks", "mths", "appt",
    "meds", "doc", "docs", "bday", "pic", "pics", "xoxo", "tysm", "nvm", "pfft", "ugh", "hmm", "yikes",
))
GENERIC_SHARE = 0.01
GENERIC_MIN = 40
STRONG_KINDS = frozenset({"title", "focus", "synonym", "acronym", "expansion"})
MAX_NAME_WORDS = 8
MAX_HEAD_TERMS = 3  # a name's first word alone links to it when at most this many names start with it
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_DELIBERATE = re.compile(r"^[a-z]+[A-Z]")  # "iLet", "eGFR", "mRNA": a brand or a unit, spelt as meant
INDEX_MIN_DOCS = 2  # an index word a typo may reach: in at least this many chunks (one edit) ...
INDEX_MIN_DOCS_FAR = 5  # ... or this many for two edits (8 letters or more)


def deliberate(text: str) -> bool:
    """A word typed with a lower-case start and a capital inside ("iLet", "eGFR"): spelt on purpose."""
    return bool(_DELIBERATE.match(text))


def folded(text: str) -> str:
    """A typed word with accents and case folded and any "'s" dropped, but no plural folding."""
    word = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return word.split("'")[0] if word.endswith("'s") else word.replace("'", "")


@dataclass(frozen=True)
class Token:
    """One word of the question: as typed, its matching key, and where it stands."""

    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Term:
    """One name of the library and the documents that carry it."""

    key: str
    display: str
    kinds: frozenset[str]
    doc_ids: frozenset[str]
    generic: bool = False

    @property
    def strong(self) -> bool:
        return bool(self.kinds & STRONG_KINDS) and not self.generic


@dataclass(frozen=True)
class Match:
    """A name found in the question: the words as typed, the term, and any correction made to reach it."""

    text: str
    term: Term
    start: int
    end: int
    corrected: tuple[tuple[str, str], ...] = ()


def _commonest(counts: dict[str, int]) -> str:
    return next(iter(counts)) if len(counts) == 1 else max(counts, key=counts.__getitem__)


def tokens(text: str) -> list[Token]:
    """The question's words with their matching keys (accents and case folded, plural "s" dropped)."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        key = folded(word)
        if key:
            out.append(Token(word, singular(key), m.start(), m.end()))
    return out


VOCABULARY_CACHE_VERSION = 5  # raise when Term, from_rows or the file's layout changes what a cached vocabulary holds
# (5: the near-name phrase index is kept in the file: built on a first question it cost a cold ``ask`` about 170 ms)
TermRow = tuple[str, tuple[str, ...], tuple[str, ...], bool]  # a cached Term: display, kinds, doc_ids, generic


class TermTable(Mapping[str, Term]):
    """A cached vocabulary's terms: each row becomes its :class:`Term` when first looked up (a question looks up
    a few dozen of the 21,666)."""

    def __init__(self, rows: dict[str, TermRow]) -> None:
        self._rows = rows
        self._made: dict[str, Term] = {}

    def __getitem__(self, key: str) -> Term:
        term = self._made.get(key)
        if term is None:
            display, kinds, doc_ids, generic = self._rows[key]
            term = self._made[key] = Term(key, display, frozenset(kinds), frozenset(doc_ids), generic)
        return term

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class HeadTable(Mapping[str, list[Term]]):
    """A cached vocabulary's name heads (``Vocabulary.heads``), their terms read from a :class:`TermTable`."""

    def __init__(self, keys: dict[str, list[str]], terms: TermTable) -> None:
        self._keys = keys
        self._terms = terms

    def __getitem__(self, word: str) -> list[Term]:
        return [self._terms[key] for key in self._keys[word]]

    def __contains__(self, word: object) -> bool:
        return word in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass
class Vocabulary:
    """The library's names, indexed for linking and spelling. Build with :meth:`from_rows`."""

    terms: Mapping[str, Term]
    english: frozenset[str]
    has_word: Callable[[str], bool] = lambda _w: False
    word_df: Counter = field(default_factory=Counter)
    index_df: dict[str, int] | None = None  # the lexical index's stems in INDEX_MIN_DOCS chunks or more, and how many
    stem: Callable[[str], str] | None = None  # the lexical index's own stemmer
    heads: Mapping[str, list[Term]] = field(default_factory=dict)
    _names_index: DeletionIndex | None = None
    _english_index: DeletionIndex | None = None
    _stems_index: DeletionIndex | None = None
    _seen: dict[str, bool] = field(default_factory=dict)  # lexical-index lookups of words, cached
    _phrases: dict[tuple, list[tuple[str, str]]] | None = None  # see :meth:`near_name`

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str]], *, english: frozenset[str] = frozenset(),
                  has_word: Callable[[str], bool] | None = None, documents: int = 0) -> Vocabulary:
        """From ``(doc_id, key, display, kind)`` rows (``Ledger.terms()``)."""
        docs: dict[str, set[str]] = {}
        kinds: dict[str, set[str]] = {}
        display: dict[str, dict[str, int]] = {}
        for doc_id, key, shown, kind in _with_title_parts(rows):
            docs.setdefault(key, set()).add(doc_id)
            kinds.setdefault(key, set()).add(kind)
            counts = display.setdefault(key, {})
            counts[shown] = counts.get(shown, 0) + 1
        limit = max(GENERIC_MIN, GENERIC_SHARE * (documents or len({d for ds in docs.values() for d in ds})))
        terms = {key: Term(key, _commonest(display[key]), frozenset(kinds[key]),
                           frozenset(ids), generic=len(ids) > limit) for key, ids in docs.items()}
        word_df: Counter = Counter()
        heads: dict[str, list[Term]] = {}
        for term in terms.values():
            for word in set(term.key.split()):
                word_df[word] += len(term.doc_ids)
            words = term.key.split()
            if len(words) > 1 and term.strong and len(words[0]) >= 5 and words[0] not in english:
                heads.setdefault(words[0], []).append(term)
        # "menieres" or "marfan" alone: the distinctive first word of a name, when few names start with it
        heads = {w: ts for w, ts in heads.items() if len(ts) <= MAX_HEAD_TERMS}
        return cls(terms=terms, english=english, has_word=has_word or (lambda _w: False), word_df=word_df,
                   heads=heads)

    @classmethod
    def from_ledger(cls, ledger, english: frozenset[str] = frozenset(), cache_dir: Path | None = None) -> Vocabulary:
        """The library's vocabulary; with ``cache_dir``, kept there as a pickle for the ledger's current terms
        (:meth:`~medcite.corpus.ledger_terms.VocabularyRows.terms_signature`): building it from 50k rows is about
        0.5 s of a cold ``medcite ask``. The file holds each term as a row (display, kinds, documents, generic),
        made into a :class:`Term` when a question first looks it up (:class:`TermTable`): unpickling 21,666 Terms
        took 90 ms, their rows take 20 ms. A cache that cannot be read is rebuilt. Files of other cache versions are
        left alone: two versions side by side (a benchmark against the previous commit) would otherwise rebuild
        each other's file on every run."""
        if cache_dir is None:
            return cls._built(ledger, english)
        import hashlib
        import pickle

        key = hashlib.sha256(repr((str(ledger.path), *ledger.terms_signature(),
                                   len(english))).encode()).hexdigest()[:16]
        prefix = f"vocabulary-v{VOCABULARY_CACHE_VERSION}-"
        path = Path(cache_dir) / f"{prefix}{key}.pickle"
        try:
            with path.open("rb") as fh:
                rows, word_df, head_keys, index_df, phrases = pickle.load(fh)  # noqa: S301 - MedCite's own file
            terms = TermTable(rows)
            return cls(terms=terms, english=english, has_word=ledger.has_word, word_df=word_df,
                       heads=HeadTable(head_keys, terms), index_df=index_df, stem=getattr(ledger, "stem", None),
                       _phrases=phrases)
        except Exception:  # noqa: BLE001 - missing, stale or damaged: rebuild
            pass
        vocabulary = cls._built(ledger, english)
        rows = {k: (t.display, tuple(t.kinds), tuple(t.doc_ids), t.generic) for k, t in vocabulary.terms.items()}
        head_keys = {w: [t.key for t in ts] for w, ts in vocabulary.heads.items()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob(f"{prefix}*.pickle"):
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                pickle.dump((rows, vocabulary.word_df, head_keys, vocabulary.index_df, vocabulary._phrase_index()),
                            fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:  # a read-only models folder: answer without the cache
            pass
        return vocabulary

    @classmethod
    def _built(cls, ledger, english: frozenset[str]) -> Vocabulary:
        vocabulary = cls.from_rows(ledger.terms(), english=english, has_word=ledger.has_word,
                                   documents=ledger.counts()["documents"])
        vocabulary.index_df = _index_df(ledger)
        vocabulary.stem = getattr(ledger, "stem", None)
        return vocabulary

    # ----------------------------------------------------------------------------------------- words
    def known(self, key: str) -> bool:
        return (key in self.word_df or key in self.english or not key.isalpha() or self._in_index(key)
                or (key.endswith("in") and key + "g" in self.english))  # "gettin", "nothin": a dropped g

    def _in_index(self, key: str) -> bool:
        if key not in self._seen:
            if len(self._seen) > 20_000:
                self._seen.clear()
            self._seen[key] = bool(self.has_word(key))
        return self._seen[key]

    def correct_typed(self, word: Token) -> str | None:
        """:meth:`correct` for a word as typed: never a deliberate spelling ("iLet"); the plural-folded key first,
        then the word without plural folding ("nocardiosos" reaches "nocardiosis", "nocardioso" does not)."""
        if deliberate(word.text) or (len(word.text) >= 2 and word.text.isupper() and word.text.isalpha()):
            return None  # an acronym typed in capitals is meant ("SNHL" was read as NHL: round 12's blind read)
        fixed = self.correct(word.key)
        whole = folded(word.text)
        if fixed and whole != word.key and self.known(whole) and distance(whole, fixed) > 1:
            fixed = None  # "inhalers", a word the index holds, is no typo of "inhaled" through its folded "inhaler"
        other = self.correct(whole) if whole != word.key and not self.known(word.key) else None
        if fixed and other and distance(whole, other) < distance(whole, fixed):
            return other  # "Breats": its folded key "breat" is one edit from "treat", the word one from "breast"
        return fixed or other

    def correct(self, key: str) -> str | None:
        """The library name word nearest an unknown word, or None (known words are never corrected).

        The lexical index stems ("syndrom" finds "syndrome"), so a word it knows is still corrected when the
        correction only adds an ending to it, or the index stems both alike ("metformine", "metformin"): the hit
        was the correction's own stem.
        """
        if len(key) < 4 or key in self.word_df or key in self.english or not key.isalpha() \
                or (key.endswith("in") and key + "g" in self.english):
            return None
        if self._names_index is None:
            self._names_index = DeletionIndex(self.word_df, weight=self.word_df.get)
        fixed = self._names_index.nearest(key)
        if fixed and fixed in self.english and distance(key, fixed) > 1:
            return None  # two edits to an everyday word ("jardiance" - "variance") is another word, not a typo
        if self._in_index(key) and not (fixed and (fixed.startswith(key) or self._same_stem(key, fixed))):
            return None
        return fixed

    def _same_stem(self, key: str, fixed: str) -> bool:
        """The index stems both to one word ("metformine", "metformin"): its hit was the name itself."""
        return self.stem is not None and self.stem(key) == self.stem(fixed)

    def strong_names(self, max_docs: int) -> list[tuple[str, str]]:
        """(key, display) of the strong, specific names (at most ``max_docs`` documents), one per display name, by
        key: what ``medcite.analysis.names`` embeds. Read from a cached table's rows without making its Terms."""
        rows = self.terms._rows if isinstance(self.terms, TermTable) else {
            k: (t.display, tuple(t.kinds), tuple(t.doc_ids), t.generic) for k, t in self.terms.items()}
        by_display: dict[str, str] = {}
        for key, (display, kinds, doc_ids, generic) in sorted(rows.items()):
            if generic or not set(kinds) & STRONG_KINDS or len(doc_ids) > max_docs:
                continue
            by_display.setdefault(display, key)
        return sorted((key, display) for display, key in by_display.items())

    def warm(self) -> None:
        """Build the spelling indexes (library names, English words, lexical-index words) now, about a second at
        34k chunks, rather than on a first typo."""
        # no ledger access here: this may run in a background thread while the ledger is used (or closed)
        if self._names_index is None:
            self._names_index = DeletionIndex(self.word_df, weight=self.word_df.get)
        if self._english_index is None:
            self._english_index = DeletionIndex(self.english)
        if self._stems_index is None and self.index_df is not None:
            self._stems_index = DeletionIndex(self.index_df, weight=self.index_df.get)
        self._phrase_index()

    def unlisted(self, key: str, typed: str = "") -> bool:
        """A word the library never uses, no library name is within reach of, and that is no English word or a
        near misspelling of one: most often the name of something the library holds nothing on. ``typed`` is the
        word as the user wrote it (a deliberate spelling such as "iLet" is taken as written)."""
        if not self.english:  # without an English word list every everyday word would look like a name
            return False
        if len(key) < 4 or not key.isalpha() or self.known(key) or self._compound(key):
            return False
        whole = folded(typed) if typed else key
        if typed and deliberate(typed):
            return not self.known(whole)
        if self.correct(key) or (whole != key and (self.known(whole) or self.correct(whole))):
            return False
        if self.near_index_word(key) or (whole != key and self.near_index_word(whole)):
            return False
        if self._english_index is None:
            self._english_index = DeletionIndex(self.english)
        near = self._english_index.nearest(key)
        # a typo of an English word is one edit away; two ("jardiance" - "radiance") is another word, a name
        return near is None or distance(key, near) > 1

    def near_index_word(self, key: str) -> bool:
        """Whether ``key`` is a misspelling of a word the lexical index holds (compared as the index's stems): one
        edit from a stem in ``INDEX_MIN_DOCS`` chunks, or two (8 letters or more) from one in
        ``INDEX_MIN_DOCS_FAR``. Without index access (a vocabulary built from rows), never."""
        if self.index_df is None or self.stem is None or not 4 <= len(key) <= DeletionIndex.MAX_LEN:
            return False
        if self._stems_index is None:
            self._stems_index = DeletionIndex(self.index_df, weight=self.index_df.get)
        stem = self.stem(key)
        near = self._stems_index.nearest(stem)
        if near is None:
            return False
        return distance(stem, near) == 1 or self.index_df.get(near, 0) >= INDEX_MIN_DOCS_FAR

    def _compound(self, key: str) -> bool:
        """A word built on a known word of six letters or more that is at least half of it ("antirotation",
        "interfractional", "insulinostatic"): research prose writes these joined where the index has them apart."""
        for cut in range(3, len(key) - 2):
            head, tail = key[:cut], key[cut:]
            for part in (head, tail):
                if len(part) >= 6 and 2 * len(part) >= len(key) and (part in self.english or part in self.word_df
                                                                       or self._in_index(part)):
                    return True
        return False

    # ----------------------------------------------------------------------------------------- names
    def link(self, words: list[Token]) -> list[Match]:
        """Names of the library in ``words``, longest first, never overlapping; misspellings corrected."""
        keys = [w.key for w in words]
        fixes: dict[int, str] = {}
        for i, word in enumerate(words):
            fixed = self.correct_typed(word)
            if fixed:
                fixes[i] = fixed
        keys = [fixes.get(i, k) for i, k in enumerate(keys)]
        matches: list[Match] = []
        taken = [False] * len(words)
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                if any(taken[i:i + size]):
                    continue
                term = self.terms.get(" ".join(keys[i:i + size]))
                if term is None or not self._linkable(term, words[i:i + size]):
                    continue
                for j in range(i, i + size):
                    taken[j] = True
                corrected = tuple((words[j].text, fixes[j]) for j in range(i, i + size) if j in fixes)
                matches.append(Match(" ".join(w.text for w in words[i:i + size]), term, words[i].start,
                                     words[i + size - 1].end, corrected))
        for size in (3, 2):  # a name one edit away in a short or everyday word: "Era infections", "ea infections"
            for i in range(len(words) - size + 1):
                near = None if any(taken[i:i + size]) else self.near_name(keys[i:i + size],
                                                                          [w.text for w in words[i:i + size]])
                if near is None:
                    continue
                j, word_fixed, term = near
                for k in range(i, i + size):
                    taken[k] = True
                matches.append(Match(" ".join(w.text for w in words[i:i + size]), term, words[i].start,
                                     words[i + size - 1].end, ((words[i + j].text, word_fixed),)))
        for i, word in enumerate(words):  # a name's distinctive first word alone: "marfan" for "Marfan syndrome"
            if not taken[i] and keys[i] in self.heads:
                ts = self.heads[keys[i]]
                merged = Term(ts[0].key, ts[0].display, frozenset().union(*(t.kinds for t in ts)),
                              frozenset().union(*(t.doc_ids for t in ts)))
                corrected = ((word.text, fixes[i]),) if i in fixes else ()
                matches.append(Match(word.text, merged, word.start, word.end, corrected))
        return sorted(matches, key=lambda m: m.start)

    def near_name(self, keys: list[str], typed: list[str] | None = None) -> tuple[int, str, Term] | None:
        """The one strong name of two or three words that ``keys`` spell with one word an edit off, as (that word's
        place, the name's word, the name); None when there is none, or more than one. Only a word that no library
        name uses, and that is unknown or of three letters or fewer, is read as a typo: :meth:`correct` never
        touches an everyday word ("era") or a short one ("ea"), so "Era infections" would find no name. MEDIQA dev's
        typo variants ("What causes Era Infections?") were refused; a typed word a name uses ("hip pain" where the
        library has "lip pain") is never changed. A short everyday word is read as a typo only typed with a capital,
        as a name is ("Era Infections"): "I've had one infection after another" was read as "Bone Infections" (round
        12's blind read). ``typed``: the words as written, beside their ``keys``."""
        phrases = self._phrase_index()
        found = []
        for j, key in enumerate(keys):
            if not key.isalpha() or key in self.word_df or (len(key) > 3 and self.known(key)) \
                    or key in FUNCTION_WORDS:
                continue
            if typed is not None and self.known(key) and not typed[j][:1].isupper():
                continue
            for word, name in phrases.get((len(keys), j, *keys[:j], *keys[j + 1:]), ()):
                if distance(key, word) == 1:
                    found.append((j, word, self.terms[name]))
        return found[0] if len(found) == 1 else None

    def _phrase_index(self) -> dict[tuple, list[tuple[str, str]]]:
        """The strong names of two or three words, each word of three letters or more by (size, place, the other
        words), for :meth:`near_name`; built on first use."""
        if self._phrases is None:
            phrases: dict[tuple, list[tuple[str, str]]] = {}
            for key in self.terms:
                words = key.split()
                if 2 <= len(words) <= 3 and all(w.isalpha() for w in words) and self.terms[key].strong:
                    for j, w in enumerate(words):
                        if len(w) >= 3:
                            phrases.setdefault((len(words), j, *words[:j], *words[j + 1:]), []).append((w, key))
            self._phrases = phrases
        return self._phrases

    def _linkable(self, term: Term, words: list[Token]) -> bool:
        if len(words) > 1:
            return True
        word = words[0]
        if term.kinds <= {"acronym", "mesh"} or len(word.key) <= 3:
            # a short form: only as the user wrote it in capitals, or when it is no English word at all
            return word.text.isupper() and len(word.text) >= 2 or (word.key not in self.english and len(word.key) > 3)
        return len(word.key) >= 3


_TITLE_SITE = re.compile(r"^[^»]{1,40}»\s*")  # "IMH » Anxiety Disorders": a site's section before the name
_TITLE_GLOSS = re.compile(r"^([^()]{3,80}?)\s*\(([^()]{2,60})\)$")  # "High blood pressure (hypertension)"


def _with_title_parts(rows: Iterable[tuple[str, str, str, str]]) -> Iterator[tuple[str, str, str, str]]:
    """The rows, and for a title written "Site » Name" or "Name (other name)" the name and the other name as titles
    too: MEDIQA's library titles its pages "IMH » Depression" and "High blood pressure (hypertension)", so no
    question named them (dev: 2 of its 4 false refusals; the shared library has no such title)."""
    for row in rows:
        yield row
        doc_id, key, shown, kind = row
        if kind != "title":
            continue
        name = _TITLE_SITE.sub("", shown)
        parts = [name] if name != shown else []
        gloss = _TITLE_GLOSS.match(name)
        if gloss:
            parts += [gloss.group(1), gloss.group(2)]
        for part in parts:
            part_key = normalise_term(part)
            if part_key and part_key != key and len(part_key) >= 3:
                yield doc_id, part_key, part.strip(), kind


def _index_df(ledger) -> dict[str, int] | None:
    """The lexical index's words (stems) in ``INDEX_MIN_DOCS`` chunks or more, with their counts (about 0.2 s to read
    at 34k chunks; kept in the vocabulary cache)."""
    words = getattr(ledger, "index_words", None)
    if words is None:
        return None
    return {w: n for w, n in words().items() if n >= INDEX_MIN_DOCS and w.isalpha()}
