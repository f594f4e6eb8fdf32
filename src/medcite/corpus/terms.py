"""The library's own vocabulary: the names each document is about, written with the document.

Question analysis (``medcite.analysis``) links a question's focus to these names, so "been on a statin and my legs
ache" reaches the pages about statins, and "goutt" is read as "gout" because the library holds a page called
"Gout", not because a list of diseases says so. Each document contributes the names it carries itself:

- ``title``: a guideline page's title, minus a trailing "(Causes)"-style section label and question words
  ("What are the treatments for ovarian cancer?" -> "ovarian cancer"); research titles are not names (PubMedQA's
  are cut first sentences) and are left out;
- ``focus`` and ``synonym``: MedQuAD's <Focus> and <Synonym> elements;
- ``mesh``: PubMed MeSH headings (subheadings and stars stripped);
- ``acronym`` and ``expansion``: short forms the document defines itself, "chronic obstructive pulmonary disease
  (COPD)" -> "copd" and its long form.

Terms are rows of the ledger (``terms`` table), written and deleted in the same SQLite transaction as the document's
chunks, so the vocabulary is always in step with the library, crash or not; :func:`document_terms` is pure and
deterministic, so a library built before the table existed is backfilled exactly (``Ledger.backfill_terms``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

TERM_KINDS = ("title", "focus", "synonym", "mesh", "acronym", "expansion")
MAX_TERM_WORDS = 8  # longer "names" are sentences (a question title that was not reduced)
MAX_TERM_CHARS = 120

_NON_WORD = re.compile(r"[^a-z0-9]+")
_TRAILING_LABEL = re.compile(r"\s*\(([^()]{1,60})\)\s*$")
_QUESTION_LEAD = re.compile(
    r"^(?:what|how|who|which|where|when|why|is|are|can|do|does|should)\b.*?\b(?:of|for|about|with|to|is|are|causes?)"
    r"\s+(?=\S)", re.IGNORECASE,
)
_QUESTION_WORDS_TEXT = (
    "what how who which where when why is are can do does should i the a an of for about with to "
    "causes cause symptoms symptom treatments treatment treat treated diagnose diagnosed outlook "
    "prevent prevention risk information many people affected by get tested need inherited genetic "
    "changes related research")
_QUESTION_WORDS = frozenset(_QUESTION_WORDS_TEXT.split())
_ACRONYM_PAREN = re.compile(r"\(([A-Z][A-Za-z0-9-]{1,9}?)s?\)")
_WORDS_BEFORE = re.compile(r"[A-Za-z0-9][\w'-]*")
_MESH_CLEAN = re.compile(r"[*]|/.*$")
_FUNCTION_TEXT = "a an and as at by for from in of on or the to with"
_FUNCTION = frozenset(_FUNCTION_TEXT.split())


def normalise_term(text: str) -> str:
    """The matching key of a name: accents and case folded, punctuation to spaces, a plural "s" dropped per word.

    >>> normalise_term("Crohn's Disease")
    'crohn disease'
    >>> normalise_term("Gallstones")
    'gallstone'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("'s ", " ").replace("'s", "")
    return " ".join(singular(w) for w in _NON_WORD.sub(" ", text).split())


def singular(word: str) -> str:
    """One key for a word's singular and plural ("stones" and "stone" -> "stone", "allergies" -> "allergy").

    Keys need only agree between the library and the question, both normalised here, so "diabetes" becoming
    "diabete" on both sides is harmless; words in -ss, -us and -is are kept.
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes", "uses")):
        return word[:-2]
    return word[:-1]


def title_name(title: str) -> str:
    """The name a guideline title gives: "Heart attack (Causes)" -> "Heart attack"; question titles reduced."""
    title = " ".join(title.split())
    label = _TRAILING_LABEL.search(title)
    if label and len(title[: label.start()].split()) >= 1:
        title = title[: label.start()]
    title = title.rstrip("?.!: ")
    if title.split()[:1] and title.split()[0].lower() in ("what", "how", "who", "which", "is", "are", "can", "do",
                                                           "does", "should", "where", "when", "why"):
        title = _QUESTION_LEAD.sub("", title)
        words = title.split()
        while words and words[0].lower() in _QUESTION_WORDS:
            words = words[1:]
        while words and words[-1].lower() in _QUESTION_WORDS:
            words = words[:-1]
        title = " ".join(words)
    return title


def defined_acronyms(text: str) -> Iterator[tuple[str, str]]:
    """(acronym, long form) pairs the text defines as "long form (ACR)"; the long form is the shortest run of
    words before the parenthesis that starts with the acronym's first letter and holds its letters in order."""
    for m in _ACRONYM_PAREN.finditer(text):
        acronym = m.group(1)
        letters = [c for c in acronym.lower() if c.isalpha()]
        if sum(c.isupper() for c in acronym) < 2 or len(letters) < 2:
            continue
        words = _WORDS_BEFORE.findall(text[max(0, m.start() - 160): m.start()])[-(len(letters) + 3):]
        for size in range(1, len(words) + 1):
            tail = words[-size:]
            first = tail[0].lower()
            if first in _FUNCTION or first[0] != letters[0]:
                continue
            if _subsequence(letters, " ".join(tail).lower()):
                if size >= 2 or len(letters) <= 3:
                    yield acronym, " ".join(tail)
                break


def _subsequence(letters: list[str], text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in letters)


def _keep(term: str) -> bool:
    words = term.split()
    return 0 < len(words) <= MAX_TERM_WORDS and len(term) <= MAX_TERM_CHARS and any(len(w) >= 2 for w in words)


def document_terms(kind: str, title: str, metadata: dict, texts: Iterable[str]) -> list[tuple[str, str, str]]:
    """(key, display name, term kind) rows for one document, deduplicated by (key, kind), in a stable order."""
    found: list[tuple[str, str, str]] = []

    def add(display: str, term_kind: str) -> None:
        display = " ".join(str(display).split())
        key = normalise_term(display)
        if _keep(key) and all((key, term_kind) != (k, t) for k, _, t in found):
            found.append((key, display, term_kind))

    if kind == "guideline" and title:
        add(title_name(title), "title")
    if metadata.get("focus"):
        add(title_name(str(metadata["focus"])), "focus")
    for synonym in metadata.get("synonyms") or ():
        add(str(synonym), "synonym")
    for heading in metadata.get("mesh") or ():
        add(_MESH_CLEAN.sub("", str(heading)), "mesh")
    for text in texts:
        for acronym, long_form in defined_acronyms(text):
            add(acronym, "acronym")
            add(long_form, "expansion")
    return found
