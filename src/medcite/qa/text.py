"""Text helpers of the offline engine: sentence splitting, debris filtering, normalising, tokenising.

Everything here is pure, deterministic and dependency-free.  Sentences are returned as *verbatim*
slices of the source text (only whitespace is collapsed), so an answer built from them quotes its
sources by construction.
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
# Sentence splitting
# --------------------------------------------------------------------------------------------------

# Abbreviations after which a period never ends a sentence, whatever follows.
NEVER_FINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    _words(
        """
    e.g eg i.e ie vs v cf viz al fig figs tab dr mr mrs ms prof no nos approx ca st mt inc ltd co jr sr
    eq ref refs vol pp resp incl dept univ est esp
        """
    )
)
_DOTTED_ABBREV = re.compile(r"^\(?(?:[A-Za-z]\.){2,}$")  # i.v. p.o. b.i.d. U.S.
_BOUNDARY = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\d{1,2}(?:[,\u2013-]\d{1,2})*)?(\s+)")
_BULLET_SPLIT = re.compile(r"(?:^|[ \t]{2,}|\n|(?<=[.:;!?])[ \t]+)[-\u2022\u25aa\u25cf\u2023*][ \t]+(?=\S)")
_LIST_AFTER_COLON = re.compile(r"(?<=[:;])\s+(?=\(?\d{1,2}[.)]\s+[A-Z])")
_LIST_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]\s+|\(?[a-hA-H]\)\s+|[-\u2022\u25aa\u25cf\u2023*]\s+)")
# An abstract-section label glued to the previous sentence: "not fully clear.QUESTIONS/PURPOSES".
_GLUED_LABEL = re.compile(r"(?<=[a-z0-9)%]\.)(?=[A-Z]{3,}(?:[ /][A-Z()]{2,})*(?::\s|/?\s*$))")
_KEY_POINTS = re.compile(r"^\s*key points?\b[:.]?\s*", re.I)
_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """Lines grouped into paragraphs: (text, is_heading).  A line without final punctuation that is short
    is a heading (or a list lead-in); a wrapped line joins the next one."""
    out: list[tuple[str, bool]] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append((" ".join(buf), False))
            buf.clear()

    lines = text.split("\n")
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        nxt = next((ln.strip() for ln in lines[i + 1 :] if ln.strip()), "")
        ends = bool(_TERMINAL.search(line)) or line.endswith((";", ","))
        starts_bullet = bool(re.match(r"[-\u2022\u25aa\u25cf*]\s", line))
        if _KEY_POINTS.fullmatch(line):
            flush()
            out.append((line, True))
            continue
        if starts_bullet:
            flush()
            buf.append(raw.rstrip())
            if ends or not nxt or re.match(r"[-\u2022\u25aa\u25cf*]\s", nxt):
                flush()
            continue
        if not ends and len(line.split()) <= 12 and (not nxt or nxt[:1].isupper() or nxt[:1] in "-\u2022*"):
            if buf:
                buf.append(raw.strip())  # a short last line of a paragraph without final punctuation
                flush()
            else:
                out.append((line, True))
            continue
        buf.append(raw.rstrip())
        if (ends or line.endswith(":")) and (not nxt or not nxt[:1].islower()):
            flush()  # a lead-in line ending with ":" is its own unit: its list follows on the next lines
    flush()
    return out


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    punct = m.group(1)
    after = text[m.end() : m.end() + 1]
    if not after:
        return True
    if after.islower():
        return False
    if not (after.isupper() or after.isdigit() or after in "\"'(\u201c\u2018[-\u2022*"):
        return False
    if m.group(3):  # a footnote number glued to the period: "severe GO.1 This ..."
        before = text[m.start() - 1 : m.start()]
        return punct == "." and (before.isalpha() or before == ")") and after.isupper()
    if "." in punct and not m.group(2):
        start = text.rfind(" ", 0, m.start()) + 1
        token = text[start : m.start()]
        bare = token.lstrip("([").lower()
        if bare in NEVER_FINAL_ABBREVIATIONS or _DOTTED_ABBREV.match(token + "."):
            return False
        if bare in ("no", "fig", "figs", "nos") or (after.isdigit() and bare in ("p", "vol", "ref")):
            return False
        if re.fullmatch(r"\(?\d{1,2}", token):
            before = text[:start].rstrip()
            if not before or before.endswith((".", ":", ";")):
                return False  # a list number: "... as follows: 1. The ..."
    return True


def _split_run(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _is_boundary(text, m):
            end = m.end(2)
            pieces.append(text[start:end])
            start = m.end()
    pieces.append(text[start:])
    return [p for p in (normalize_ws(x) for x in pieces) if p]


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each a whitespace-normalised verbatim slice of the source.

    Handles abbreviations (e.g., i.e., et al., vs., Fig., Dr., dotted forms like i.v.), decimals
    ("2.5 mg"), numbered and bulleted lists (including the "- item - item" runs of NIH pages), and
    heading lines.  Headings and "Key Points" lines are returned too; :func:`sentence_problem` rejects
    them.  List markers at the start of an item are stripped.
    """
    sentences: list[str] = []
    text = _GLUED_LABEL.sub("\n", text)
    for para, is_heading in _paragraphs(text):
        if is_heading:
            sentences.append(normalize_ws(para))
            continue
        para = _KEY_POINTS.sub("", para, count=1) if _KEY_POINTS.match(para) else para
        items = [x for b in _BULLET_SPLIT.split(para) for x in _LIST_AFTER_COLON.split(b)]
        bulleted = len(items) > 1  # a list item is a phrase: a capitalised word then a clause is a lost line break
        for item in items:
            item = item.strip()
            if not item:
                continue
            for run in _split_run(item):
                for sentence in _explode_list_run(run):
                    sentence = _LIST_MARKER.sub("", sentence.lstrip(":;,. ")).strip()
                    if sentence:
                        sentence = _drop_heading_word(_drop_repeated_heading(sentence))
                        sentences.extend(split_glued(_drop_glued_heading(sentence), in_list=bulleted))
    return sentences


# Words that open a sentence, written capitalised: one of them right after a lower-case word, with no
# punctuation between, marks a list item or heading whose line break was lost ("... emptying your bladder
# Some conditions may ..."). Single letters ("hepatitis A virus") and names are not among them.
SENTENCE_OPENERS: frozenset[str] = frozenset(
    _words(
        """
    The Some Most Many Several If You Your It Its This These Those There They Their People Patients Children
    Treatment Treatments Symptoms Doctors Being Having Other Another Each Every When While Although Because
    Because In For With Without After Before During Such Talk Ask Call Tell See Learn Researchers Scientists
    Studies Signs We Our He She His Her Women Men Adults Babies Infants Kids Anyone Everyone Certain Not
    Only Even Also However Although Sometimes Usually Often Less More About Up Over Between Among Both
        """
    )
)
_GLUE_POINT = re.compile(r"(?<=[a-z0-9)\]%])\s+(?=([A-Z][a-z]+)\s+[a-z(\d])")


def split_glued(sentence: str, *, in_list: bool = False) -> list[str]:
    """A sentence with a list item or heading glued to its front, cut where the lost line break was.

    The cut goes before a capitalised sentence opener ("Some", "Most", "It", "Being"...) or before a word
    that repeats the heading's last word ("Symptoms of Glaucoma Glaucoma can ..."), right after a
    lower-case word with no punctuation between; the part after the cut must look like a sentence (a verb,
    four words or more).  Both parts are returned and judged on their own (a verbless item is then
    rejected by :func:`sentence_problem`); no word is ever cut.

    >>> for part in split_glued("A blockage that prevents you from emptying your bladder Some conditions may "
    ...                         "also cause you to have blood or protein in your urine."):
    ...     print(part)
    A blockage that prevents you from emptying your bladder
    Some conditions may also cause you to have blood or protein in your urine.
    >>> split_glued("Symptoms of Glaucoma Glaucoma can develop in one or both eyes.")
    ['Symptoms of Glaucoma', 'Glaucoma can develop in one or both eyes.']
    >>> split_glued("People with Down syndrome have a higher risk of hepatitis A infection.")
    ['People with Down syndrome have a higher risk of hepatitis A infection.']

    A list item (``in_list``) is cut before any capitalised word that starts a clause, the page's own name too:

    >>> split_glued("Eat too many foods rich in purines Gout can be hard to diagnose.", in_list=True)
    ['Eat too many foods rich in purines', 'Gout can be hard to diagnose.']
    """
    out: list[str] = []
    rest = sentence
    while True:
        cut = _glue_cut(rest, in_list)
        if cut is None:
            out.append(rest)
            return out
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()


def _glue_cut(sentence: str, in_list: bool = False) -> int | None:
    for m in _GLUE_POINT.finditer(sentence):
        word = m.group(1)
        head = sentence[: m.start()]
        tail = sentence[m.end() :]
        if not head.strip() or word_count(tail) < 4 or not has_verb_shape(tail):
            continue
        head_words = head.split()
        repeats = word.lower() == head_words[-1].lower() and head_words[-1][:1].isupper()
        if repeats and has_verb_shape(head):
            continue
        if word in SENTENCE_OPENERS or repeats or in_list:
            if word in ("In", "For", "With", "Without", "After", "Before", "During", "Between", "Among", "About",
                        "Up", "Over", "Less", "More", "Only", "Even", "Not", "Both") and word_count(head) > 12:
                continue  # a capitalised preposition deep in a sentence is more likely a title's word
            return m.start() + (len(sentence[m.start() : m.end()]) - len(sentence[m.start() : m.end()].lstrip()))
    return None


_SPACED_HYPHEN = " - "
_GLUED_SENTENCE = re.compile(r"(?<=[a-z)])\s+(?=[A-Z][a-z]*\s+[a-z(\d])")


def _explode_list_run(sentence: str) -> list[str]:
    """A list whose line breaks were lost ("symptoms such as - fever - rash - weight loss Most people
    ...") becomes its lead-in, its items and, cut off the last item, the sentence glued to it."""
    if sentence.count(_SPACED_HYPHEN) < 2:
        return [sentence]
    parts = [p.strip() for p in sentence.split(_SPACED_HYPHEN)]
    last = parts.pop()
    m = _GLUED_SENTENCE.search(last)
    if m:
        parts += [last[: m.start()].strip(), last[m.end() :].strip()]
    else:
        parts.append(last)
    return [p for p in parts if p]


_HEADING_FUNCTION_WORDS = frozenset(_words("a an and as at by for from in of on or the to with vs"))


def _drop_glued_heading(sentence: str) -> str:
    """ "Approaches To Treating Underlying Causes Your doctor may ..." -> "Your doctor may ...": a run of
    five or more capitalised words (function words allowed) before the first lower-case word is a
    heading whose line break was lost; the sentence starts at the run's last capitalised word."""
    words = sentence.split(maxsplit=16)
    capitalised = 0
    last = -1
    for i, w in enumerate(words):
        if w[:1].isupper() and w[-1:].isalnum():
            capitalised += 1
            last = i
        elif w.lower() in _HEADING_FUNCTION_WORDS and capitalised:
            continue
        else:
            break
    if capitalised >= 5 and 0 < last < len(words) - 2 and words[last + 1][:1].islower():
        return sentence.split(maxsplit=last)[last]
    return sentence


def _drop_heading_word(sentence: str) -> str:
    """ "Statins Studies have shown that taking statins ..." -> "Studies have shown that taking statins
    ...": a one-word heading glued to a sentence that names it again further on."""
    words = sentence.split(maxsplit=3)
    if (
        len(words) == 4
        and words[0][:1].isupper()
        and words[0].isalpha()
        and words[1][:1].isupper()
        and words[2][:1].islower()
        and re.search(rf"\b{re.escape(words[0].lower())}\b", words[3])
    ):
        return sentence.split(maxsplit=1)[1]
    return sentence


def _drop_repeated_heading(sentence: str) -> str:
    """ "The Thyroid The thyroid is a gland." -> "The thyroid is a gland."; "Aromatase inhibitors and
    inactivators Aromatase inhibitors lower the risk." -> "Aromatase inhibitors lower the risk.": a
    verbless heading glued to the sentence that repeats its first words (a chunker joined the lines)."""
    words = sentence.split(maxsplit=11)
    if len(words) < 3 or not words[0][:1].isupper():
        return sentence
    first = words[0].lower()
    for k in range(1, min(9, len(words) - 1)):
        if words[k].lower() != first or not words[k][:1].isupper():
            continue
        if k > 1 and words[k + 1].lower() != words[1].lower():
            continue
        if not has_verb_shape(" ".join(words[:k])):
            return sentence.split(maxsplit=k)[k]
    return sentence


# --------------------------------------------------------------------------------------------------
# Debris filtering
# --------------------------------------------------------------------------------------------------

_VERBISH = frozenset(
    _words(
        """
    is are was were be been being am has have had can could may might must shall should will would does do
    did include includes including occurs occur affect affects show shows suggest suggests appear appears
    seem seems remain remains cause causes lead leads help helps need needs reduce reduces increase increases
    improve improves make makes develop develops result results provide provides require requires involve
    involves allow allows become becomes prevent prevents protect protects contain contains depend depends
    range ranges vary varies consist consists indicate indicates support supports lack lacks tend tends
    work works act acts bind binds block blocks carry carries produce produces control controls give gives
    mean means begin begins get gets keep keeps differ differs exist exists characterize characterizes
    experience experiences switch switches view views attack attacks fight fights find finds look looks
    check checks see sees form forms live lives die dies grow grows spread spreads start starts stop stops
    follow follows enter enters damage damages destroy destroys raise raises lower lowers take takes
    come comes go goes run runs feel feels lose loses turn turns change changes remove removes replace
    replaces treat treats use uses suppress suppresses modulate modulates neutralize neutralizes
    inhibit inhibits stimulate stimulates benefit benefits recommend recommends report reports
    worsen worsens relieve relieves ease eases cure cures kill kills trigger triggers mimic mimics
    decrease decreases enhance enhances outweigh outweighs reflect reflects undergo undergoes perform performs
    underwent took gave made found showed shown led became began went came saw got kept ran felt lost grew
    held met put set brought thought told left rose fell chose sought taught fought meant built sent spent
        """
    )
)
_DANGLING_START = frozenset(
    _words(
        """
    and or nor which whom whose who that where whereby whereas than including e.g i.e respectively
        """
    )
)
_ANAPHORIC_START = frozenset(_words("this these that those it its they their such both thus hence then also"))
_PURPOSE_START = re.compile(
    r"^(?:to (?:assess|evaluate|determine|investigate|examine|compare|describe|explore|identify|test|"
    r"analy[sz]e|estimate|measure|review|report|study|clarify|characteri[sz]e)\b|"
    r"(?:the )?(?:(?:main|specific|primary|overall) )?(?:aim|aims|purpose|objective|objectives|goal|goals) of "
    r"(?:this|the|our|these) (?:study|studies|work|review|analysis|trial|trials|paper|research|project)|"
    r"we (?:aimed|sought|set out|wanted|hypothesi[sz]ed)|this study (?:aimed|aims)|"
    r"the present study (?:aimed|aims))",
    re.I,
)
_TABLE_MARKS = ("\t", "|", "   ", "....", "___", " : ")
_DEFINITION_ITEM = re.compile(r"^[^.:;!?]{2,60}?\s?:\s+[A-Z]")
_DIGIT = re.compile(r"\d")
_VERBLESS_MAX_WORDS = 14
_ED_WORD = re.compile(r"[a-z]{3,}ed\b")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z']*(?![\w-])")  # lower-case words: "ACT" is not "act"
# Cheap prefilter: every BOILERPLATE alternative contains one of these.
_BOILERPLATE_KEYS = (
    "phenotype",
    "table",
    "dictionary",
    "summary",
    "following",
    "information",
    "click",
    "visit",
    "contact",
    "www",
    "http",
    "orphanet",
    "you can",
    "listed",
    "page",
    "fact sheet",
    "section",
    "sign or symptom",
    "fraction",
    "frequenc",
    "approximate",
)
# Page furniture of consumer-health sites: pointers to tables, dictionaries and other pages.
BOILERPLATE = re.compile(
    r"human phenotype ontology|the table below|medical dictionary|this summary (?:is about|section)|"
    r"see the following|for more information|click here|\bvisit (?:the|our)\b|\bcontact (?:us|the)\b|"
    r"www\.|https?://|orphanet|you can (?:use|find|search)|listed (?:below|above)|"
    r"the following (?:list|table)|"
    r"this (?:page|fact sheet|section) (?:is|was|describes|provides)|sign or symptom occurs|"
    r"frequency of a sign or symptom|number of the fraction|a frequency of \d+/\d+|"
    r"approximate number of patients|frequencies are based on|the sign or symptom may be rare|"
    r"no information on frequency",
    re.I,
)
_NUMERIC_TOKEN = re.compile(r"^[\d.,:;%±+\-=<>/()\[\]x×]+$")


def word_count(text: str) -> int:
    return len(text.split())


def has_verb_shape(text: str) -> bool:
    """A crude finite-verb test: an auxiliary or common verb, or a word ending -ed."""
    words = _LOWER_WORD.findall(text)
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return bool(_ED_WORD.search(" ".join(words))) or not _VERBISH.isdisjoint(words) or first in _VERBISH


def sentence_problem(sentence: str, *, min_words: int = 5, max_words: int = 60) -> str | None:
    """Why ``sentence`` is unfit to quote as a stand-alone claim, or None when it is fine.

    Rejects: headings and "Key Points" lines, text not ending with . or !, questions, fragments without a
    verb, fewer than ``min_words`` or more than ``max_words`` words, table remnants (mostly numbers and
    symbols, tabs, pipes, leader dots), page furniture ("the table below", "for more information"),
    "Term: definition" items, sentences beginning in lower case or with a dangling connective ("and",
    "which"...), and study-purpose statements ("To assess whether...", "We aimed to...").
    """
    s = sentence.strip()
    if not s:
        return "empty"
    if _KEY_POINTS.fullmatch(s) or _KEY_POINTS.match(s) and word_count(s) <= 3:
        return "heading"
    if s.rstrip("\"')]\u201d\u2019").endswith("?"):
        return "question"
    if not _TERMINAL.search(s) or s.rstrip("\"')]\u201d\u2019").endswith(("...", "\u2026")):
        return "no final punctuation"
    n = word_count(s)
    if n < min_words:
        return "too short"
    if n > max_words:
        return "too long"
    if any(mark in s for mark in _TABLE_MARKS):
        return "table debris"
    low = s.lower()
    if any(k in low for k in _BOILERPLATE_KEYS) and BOILERPLATE.search(s):
        return "boilerplate"
    if _DEFINITION_ITEM.match(s):
        return "definition or label item"
    toks = s.split()
    if _DIGIT.search(s):
        numeric = sum(1 for t in toks if _NUMERIC_TOKEN.match(t))
        if numeric / len(toks) > 0.45 or s.count("\u00b1") + s.count("+/-") >= 3:
            return "table debris"
    first = toks[0].strip("\"'(\u201c\u2018")
    if first[:1].islower() and first.isalpha() and first.islower():
        return "starts in lower case"
    if first.lower().rstrip(",;:") in _DANGLING_START:
        return "dangling connective"
    if first.lower() in ("whether", "how") and "," not in s:
        return "list item"  # "Whether the cancer has spread." is one item of a list, not a claim
    if _PURPOSE_START.match(s):
        return "purpose statement"
    if n <= _VERBLESS_MAX_WORDS and not has_verb_shape(s):
        return "no verb"  # a list item or title; longer sentences nearly always have a verb we miss
    if s.count("(") != s.count(")"):
        return "unbalanced parentheses"
    return None


_CLAUSE_BOUNDARY = re.compile(r"(?:;|,\s+(?:and|but|whereas|while|although|which)\b)\s")


def trim_long_sentence(sentence: str, *, min_words: int = 5, max_words: int = 60) -> str | None:
    """Cut an over-long sentence at a clause boundary ("; ", ", and ", ", whereas "...) so that the kept
    head is a whole sentence: it gets a final period and must itself pass :func:`sentence_problem`.
    The last boundary that fits is used; with none, None (the sentence is dropped, never quoted as a
    fragment)."""
    positions = [m.start() for m in _CLAUSE_BOUNDARY.finditer(sentence)]
    for pos in reversed(positions):
        head = sentence[:pos].rstrip(" ,;")
        if word_count(head) > max_words:
            continue
        candidate = head + "."
        if sentence_problem(candidate, min_words=min_words, max_words=max_words) is None:
            return candidate
    return None


def is_anaphoric(sentence: str) -> bool:
    """True when the sentence opens with a word that points back to earlier text ("This", "These"...)."""
    first = sentence.split(maxsplit=1)[0].lower().strip(",") if sentence.strip() else ""
    return first in _ANAPHORIC_START


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
