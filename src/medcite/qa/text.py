"""Text helpers of the offline engine: normalising, tokenising, stems and term sets, acronyms, follow-up questions
(sentences: :mod:`medcite.qa.sentences`).

Everything here is pure, deterministic and dependency-free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

# --------------------------------------------------------------------------------------------------
# Normalising and tokenising
# --------------------------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a word-list constant."""
    return text.split()


STOPWORDS: frozenset[str] = frozenset(
    _words(
        """
    a about above after again against all also although am among an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each either else even ever every few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd
    i'll i'm i've if in into is isn't it it's its itself just least less let's like may me might more most
    much must mustn't my myself neither no nor not now of off often on once one only or other ought our ours
    ourselves out over own per rather same shan't she she'd she'll she's should shouldn't since so some such
    than that that's the their theirs them themselves then there there's these they they'd they'll they're
    they've this those though through thus to too under until up upon us very via was wasn't we we'd we'll
    we're we've were weren't what what's whatever when when's where where's whether which while who who's
    whom whose why why's will with within without won't would wouldn't yes yet you you'd you'll you're
    you've your yours yourself yourselves
    tell explain please know want wondering anyone someone something anything thing things really actually
        """
    )
)

# Words that carry little topical meaning in a medical question: they still count for ranking, at a lower
# weight, but a sentence must match at least one *other* question term (a key term) to be evidence.
GENERIC_WORDS: str = (
    "help helps helped helping work works worked working use used uses using good bad best better worse "
    "effect effects effective affect affects treat treats treated treating treatment treatments therapy "
    "therapies disease diseases disorder disorders condition conditions syndrome problem problems "
    "patient patients people person persons adult adults health healthy medical medicine medicines "
    "doctor doctors symptom symptoms sign signs cause causes caused risk risks side type types kind "
    "kinds way ways need needs take takes taking get gets make makes mean means happen happens many "
    "common normal new old long year years day days possible option options available usually "
    "there different specific certain main study studies give gives given giving go goes going "
    "done doing like likely way know known find found say said show shows much many lot lots thing"
)

# Common medical abbreviations and the long forms they stand for (matching treats them as one term).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ivig": (
        "intravenous immunoglobulin",
        "intravenous immunoglobulins",
        "intravenous immune globulin",
        "intravenous gammaglobulin",
        "high-dose immunoglobulin",
        "immunoglobulin therapy",
        "igiv",
    ),
    "scig": ("subcutaneous immunoglobulin", "subcutaneous immune globulin"),
    "gbs": ("guillain-barre syndrome", "guillain-barr syndrome", "guillain barre syndrome"),
    "cidp": ("chronic inflammatory demyelinating polyneuropathy",),
    "itp": (
        "immune thrombocytopenia",
        "immune thrombocytopenic purpura",
        "idiopathic thrombocytopenic purpura",
    ),
    "mmn": ("multifocal motor neuropathy",),
    "als": ("amyotrophic lateral sclerosis",),
    "ms": ("multiple sclerosis",),
    "sle": ("systemic lupus erythematosus",),
    "ra": ("rheumatoid arthritis",),
    "copd": ("chronic obstructive pulmonary disease",),
    "mi": ("myocardial infarction",),
    "ckd": ("chronic kidney disease",),
    "hiv": ("human immunodeficiency virus",),
    "uti": ("urinary tract infection",),
    "adhd": ("attention deficit hyperactivity disorder", "attention-deficit/hyperactivity disorder"),
    "ibd": ("inflammatory bowel disease",),
    "tb": ("tuberculosis",),
    "nsaid": ("nonsteroidal anti-inflammatory drug", "non-steroidal anti-inflammatory drug"),
    "ppi": ("proton pump inhibitor",),
    "dvt": ("deep vein thrombosis",),
    "pe": ("pulmonary embolism",),
    "cvid": ("common variable immunodeficiency",),
    "pid": ("primary immunodeficiency",),
    "kd": ("kawasaki disease",),
    "mg": ("myasthenia gravis",),
    "t2dm": ("type 2 diabetes mellitus", "type 2 diabetes"),
    "t1dm": ("type 1 diabetes mellitus", "type 1 diabetes"),
}
# Abbreviations that are also ordinary tokens: only their long form is mapped, the short token is not.
_AMBIGUOUS_SHORT = frozenset({"mg", "pe", "mi", "ra", "kd", "pid"})

_IRREGULAR = {
    "children": "child",
    "women": "woman",
    "men": "man",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "analyses": "analysis",
    "diagnoses": "diagnosis",
    "prognoses": "prognosis",
    "data": "data",
    "bias": "bias",
    "was": "was",
    "has": "has",
    "is": "is",
}
_KEEP_ENDINGS = ("ss", "us", "is", "ous", "sis", "xis")
_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "iveness",
    "ements",
    "ically",
    "ations",
    "ement",
    "ments",
    "ation",
    "ative",
    "ities",
    "ingly",
    "ivity",
    "ness",
    "ment",
    "able",
    "ible",
    "ings",
    "ical",
    "ics",
    "ions",
    "ious",
    "ity",
    "ive",
    "ing",
    "ion",
    "ies",
    "ied",
    "ful",
    "ous",
    "ed",
    "ly",
    "ic",
    "al",
    "er",
    "es",
    "s",
    "e",
)


def fold(text: str) -> str:
    """Lower-case, fold accents and typographic quotes/dashes (for matching only, never for display)."""
    text = text.translate(_QUOTES)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def normalize_ws(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def normalize_for_match(text: str) -> str:
    """The form in which two sentences are compared for identity: folded, whitespace collapsed."""
    return normalize_ws(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic suffix-stripping stemmer (``treated``/``treatment``/``treats`` -> ``treat``)."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if not w.endswith(suffix):
            continue
        if suffix == "s" and w.endswith(_KEEP_ENDINGS):
            break
        if suffix in ("es", "e") and w.endswith(("sis", "xis")):
            break
        base = w[: -len(suffix)]
        if suffix in ("ies", "ied"):
            base += "y"
        if len(base) < 3 or not any(c in "aeiouy" for c in base):
            continue
        w = base
        break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # stopped -> stopp -> stop
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def tokenize(text: str) -> list[str]:
    """Folded word tokens (letters/digits; hyphenated words give one token per part)."""
    return _WORD.findall(fold(text))


def _stems(tokens: Iterable[str]) -> list[str]:
    return [stem(t) for t in tokens]


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens of ``text``, in order (single characters are dropped)."""
    return [stem(tok) for tok in tokenize(text) if len(tok) > 1 and tok not in STOPWORDS]


_GENERIC_STEMS: frozenset[str] = frozenset(_stems(_words(GENERIC_WORDS)))

# (long-form stem sequence, acronym) pairs, longest first so the most specific wins.
_LONG_FORMS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        ((tuple(content_stems(long)), short) for short, longs in ABBREVIATIONS.items() for long in longs),
        key=lambda pair: (-len(pair[0]), pair[1]),
    )
)


def is_generic(term: str) -> bool:
    """True for stems of words that carry little topical meaning (``help``, ``treat``, ``disease``...)."""
    return term in _GENERIC_STEMS


_BUILTIN_FORMS: tuple[tuple[tuple[str, ...], str, str], ...] = tuple(
    (long, " " + " ".join(long) + " ", short) for long, short in _LONG_FORMS if long
)
_FORMS_CACHE: dict[tuple[tuple[tuple[str, ...], str], ...], tuple[tuple[tuple[str, ...], str, str], ...]] = {}


Forms = tuple[tuple[tuple[str, ...], str, str], ...]


_INDEX_CACHE: dict[int, tuple[Forms, dict[str, Forms]]] = {}


def _forms_index(forms: Forms) -> dict[str, Forms]:
    """The forms grouped by their first stem (a form can only match when that stem is present)."""
    hit = _INDEX_CACHE.get(id(forms))
    if hit is not None and hit[0] is forms:
        return hit[1]
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for form in forms:
        index.setdefault(form[0][0], []).append(form)
    frozen = {k: tuple(v) for k, v in index.items()}
    if len(_INDEX_CACHE) > 64:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[id(forms)] = (forms, frozen)
    return frozen


def prepare_forms(acronyms: dict[tuple[str, ...], str] | None) -> Forms:
    """Built-in long forms plus learnt ones as (stems, " needle ", acronym): pass the result to
    :func:`term_set` many times instead of the dict."""
    return _forms(acronyms)


def _forms(acronyms: dict[tuple[str, ...], str] | Forms | None) -> Forms:
    """Built-in long forms plus learnt ones as (stems, " needle ", acronym), cached per acronym table."""
    if not acronyms:
        return _BUILTIN_FORMS
    if isinstance(acronyms, tuple):
        return acronyms
    key = tuple(sorted(acronyms.items(), key=lambda kv: (-len(kv[0]), kv[0], kv[1])))
    forms = _FORMS_CACHE.get(key)
    if forms is None:
        extra = tuple((long, " " + " ".join(long) + " ", short) for long, short in key if long)
        forms = _BUILTIN_FORMS + extra
        if len(_FORMS_CACHE) > 64:
            _FORMS_CACHE.clear()
        _FORMS_CACHE[key] = forms
    return forms


def term_set(
    text: str,
    acronyms: dict[tuple[str, ...], str] | Forms | None = None,
    *,
    replace: bool = False,
    keep_ambiguous: bool = False,
) -> set[str]:
    """Content stems of ``text`` with long forms of known abbreviations mapped to the abbreviation.

    ``acronyms`` adds long forms learnt from the passages (see :func:`find_acronyms`; or the result of
    :func:`prepare_forms`, faster when called for many texts).  With
    ``replace`` the words of a recognised long form are dropped (used for questions, so that
    "intravenous immunoglobulin" weighs as one term), otherwise they are kept beside it.  Short forms
    that are also ordinary tokens ("mg" is milligrams) count only through their long form unless
    ``keep_ambiguous`` (a user typing "MG" means the disease).
    """
    stems = content_stems(text)
    terms = set(stems)
    if not stems:
        return terms
    # A variant written as a lower-case prefix on an acronym ("eIVIG" for enriched IVIG, "scIg") also
    # names the acronym itself.
    terms.update(m.lower() for m in _PREFIXED_ACRONYM.findall(text))
    joined = ""
    mapped: set[str] = set()
    index = _forms_index(_forms(acronyms))
    candidates = [form for t in terms & index.keys() for form in index[t]]
    for long, needle, short in candidates:
        if len(long) > 1:
            joined = joined or " " + " ".join(stems) + " "
            if needle not in joined:
                continue
        mapped.add(short)
        if replace and len(long) > 1:
            terms.difference_update(long)
    if not keep_ambiguous:
        terms.difference_update(_AMBIGUOUS_SHORT - mapped)
    terms |= mapped
    return terms


_PREFIXED_ACRONYM = re.compile(r"(?<![A-Za-z])[a-z]{1,2}([A-Z]{3,}[a-z]?)(?![A-Za-z])")
_ACRONYM_PAREN = re.compile(r"\(([A-Z][A-Za-z0-9]{1,7})s?\)")


def find_acronyms(text: str) -> dict[tuple[str, ...], str]:
    """Acronyms defined in ``text`` as "long form (ACR)", e.g. "multifocal motor neuropathy (MMN)".

    Returns {long-form stems: acronym (folded)}.  The long form is the shortest run of words before the
    parenthesis whose first word starts with the acronym's first letter and whose letters contain the
    acronym's letters in order.
    """
    found: dict[tuple[str, ...], str] = {}
    for m in _ACRONYM_PAREN.finditer(text):
        acr = m.group(1)
        if sum(c.isupper() for c in acr) < 2:
            continue
        letters = [c for c in acr.lower() if c.isalpha()]
        before = fold(text[max(0, m.start() - 120) : m.start()])
        words = [w for w in re.split(r"[^a-z0-9']+", before) if w][-(len(letters) + 1) :]
        for size in range(1, len(words) + 1):
            tail = words[-size:]
            if tail[0][0] != letters[0] or tail[0] in STOPWORDS:
                continue
            if _subsequence(letters, " ".join(tail)):
                long = tuple(content_stems(" ".join(tail)))
                if len(long) >= 2 or (len(long) == 1 and len(letters) <= 3):
                    found[long] = fold(acr)
                break
    return found


def _subsequence(letters: Sequence[str], text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in letters)


# --------------------------------------------------------------------------------------------------
# Follow-up questions
# --------------------------------------------------------------------------------------------------

_FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|but|so|or|then|what about|how about|what of|what if|same for|any)\b", re.I
)
_PRONOUN = re.compile(r"\b(?:it|its|it's|this|that|these|those|they|them|their|theirs|he|she|his|her)\b", re.I)


def is_followup(question: str) -> bool:
    """True for a short question that leans on the previous turn ("and its side effects?", "what about
    children?", "is it safe in pregnancy?")."""
    words = tokenize(question)
    if not words:
        return False
    if _FOLLOWUP_START.match(question):
        return True
    topical = key_words(question)
    if not topical:
        return True
    return bool(_PRONOUN.search(question)) and len(topical) <= 2 and len(words) <= 10


def key_words(text: str) -> list[str]:
    """The question's topical words in their original spelling, in order, without repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for m in re.finditer(r"[\w][\w'\u2019-]*", text):
        word = m.group(0).strip("'\u2019-")
        low = fold(word)
        if not word or low in STOPWORDS or stem(low) in _GENERIC_STEMS or len(low) < 2:
            continue
        if low not in seen:
            seen.add(low)
            out.append(word)
    return out


def followup_query(question: str, history: Sequence[tuple[str, str]] | None) -> str:
    """The query to retrieve and score with: the question, plus the previous user question's key words
    when the question is a follow-up ("and its side effects?" after "Does IVIG help all autoimmune
    conditions?" -> "and its side effects? (IVIG autoimmune)").  Otherwise the question unchanged."""
    question = normalize_ws(question)
    if not history or not is_followup(question):
        return question
    prior = ""
    for user, _assistant in reversed(history):
        if user and user.strip():
            prior = user
            break
    if not prior:
        return question
    have = {fold(w) for w in key_words(question)}
    extra = [w for w in key_words(prior) if fold(w) not in have]
    if not extra:
        return question
    return f"{question} ({' '.join(extra)})"
