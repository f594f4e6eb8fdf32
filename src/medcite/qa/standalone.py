"""Sentences that stand alone: repair or reject a quoted sentence that leans on text the answer does not show.

A sentence lifted out of its page may open with a word that points back ("These antibodies ...", "It ..."),
with a discourse marker whose antecedent is not shown ("However, ...", "Thus, ..."), or name its subject only
as "this condition". :func:`repair` returns the sentence as it can be shown alone, or None when it cannot:

- "this condition" / "this disorder" / "this disease" / "this syndrome" (anywhere), and "The condition" /
  "The disorder" / "The disease" opening the sentence, become the page's focus name (its title), written
  as the page itself writes it mid-sentence;
- a leading discourse marker from :data:`DROPPABLE_MARKERS` is dropped and the next word capitalised; markers
  that carry a reason or a reference ("For this reason,", "As a result,") are not droppable;
- "It" opening the sentence becomes the subject of the sentence before it (``previous``) when that subject
  is the page's focus or a name in its title ("Toxoplasmosis is a disease ... . It is caused by ...",
  "IVIG does not help all ... . It is effective for ..." on a page titled "Intravenous Immunoglobulin (IVIG)");
- anything else that refers back ("These ...", "They ...", "This ...", "Such ...", "In these cases, ...",
  "... the following.", a bare "Some will ..." / "Many ..." / "Others ...") cannot stand alone: None;
- a question heading glued before the answer ("What is Dementia?: Dementia is ...", the MedQuAD and MEDIQA page
  layout) is taken off (:func:`drop_heading`);
- in a research abstract (``research=True``), the authors' first person becomes the study
  (:func:`attribute_study`: "We found ..." -> "The study found ...", "Our data suggest" -> "The study's data
  suggest"), the one phrase of this module's own, from a fixed set, and the bullet cites that study;
- an acronym the passage defines ("idiopathic pulmonary fibrosis (IPF)") is written out at its first use in a
  sentence that does not define it (:func:`expand_acronyms`, given the passage's ``source`` text);
- defects of the source text itself (lost apostrophes, a lost space after a full stop, stray spaces before
  punctuation) are tidied first, so the checks below read "They're" as the pointer it is (:mod:`medcite.qa.tidy`).
Three sentence kinds a blind read and 1,274 labels of shown dev sentences found most often (``evals/relevance``).

Everything is pure and deterministic; the repaired text differs from the source only by the replaced words,
the dropped marker and the tidying (the caller keeps the verbatim sentence for its character span).
"""

from __future__ import annotations

import re
import unicodedata

from medcite.qa.tidy import tidy

# Markers whose removal leaves a sentence that still says what the source says.
DROPPABLE_MARKERS: tuple[str, ...] = (
    "However", "Thus", "Therefore", "In addition", "Additionally", "Also", "Moreover", "Furthermore",
    "In fact", "Indeed", "Similarly", "Likewise", "Still", "Finally", "In contrast", "Conversely",
    "Of note", "Notably", "Importantly", "So", "Hence", "Overall", "In general", "Generally",
    "In summary", "In conclusion", "Consequently",
)
_MARKER = re.compile(r"^(?:(?:" + "|".join(re.escape(m) for m in DROPPABLE_MARKERS) + r"),\s+|But\s+|And\s+)(?=\S)")
_CONDITION_ANYWHERE = re.compile(r"\b[Tt]his (condition|disorder|disease|syndrome)\b")
_CONDITION_START = re.compile(r"^The (condition|disorder|disease)\b(?!s)(?! of\b)")
# Openings that point back at something the sentence does not name.
_REFERS_BACK = re.compile(
    r"^(?:these|this|those|that|they|them|their|theirs|its|such|both|then|here|it|he|she|his|her|"
    r"the same|the latter|the former|the above|the other|"
    r"(?:in|for|with|without|after|during|because of|due to|like|unlike|of|among|from|at|by|on) "
    r"(?:these|this|those|such|them|it|that|both)|if (?:so|this|these|that|it|they|he|she)|"
    r"when (?:they|he|she) do\b|(?:some|many|most|all|each|one|none|several|few|either|neither) of "
    r"(?:these|those|them|this|its|their)\b|"
    r"as a result|for this reason|for these reasons|because of this|in this case|in such cases|"
    r"in these cases|in this way|other (?:than )?th(?:is|ese)|when this|once this|unless this)\b",
    re.I,
)
# A quantifier with no noun as the subject ("Some will survive into adulthood.", "Many will die in infancy.",
# "Others may have heart murmurs ..."): some of whom? Round 7's blind read counted them as dangling.
_BARE_QUANTIFIER = re.compile(
    r"^(?:some|many|most|others|few|several|each)\s+(?:will|would|may|might|can|could|cannot|are|were|is|was|have|"
    r"has|had|do|does|did|die|died|develop|develops|need|needs|live|lived|survive|survived|never|also|still|only|"
    r"experience|get|become|show|require|go|recover|respond)\b", re.I)
_FOLLOWING = re.compile(r"\bthe following\b(?:\s+\w+){0,3}\s*[.:]?$|\bthe following (?:is|are|include|includes)\b|"
                        r"\b(?:as follows|listed below|see below|shown below|below)\s*[.:]$", re.I)
_WORD = re.compile(r"\S+")


def repair(text: str, *, focus: str = "", previous: str | None = None, research: bool = False,
           source: str = "") -> str | None:
    """``text`` as it can be shown on its own, or None when it cannot stand alone.

    ``focus`` is the page's focus name (its title: "Fitz-Hugh-Curtis syndrome"); ``previous`` the sentence
    before ``text`` in the page, when known; ``research``: the page is a study's abstract; ``source``: the passage's
    text (where acronyms are defined).

    >>> repair("Experts familiar with this condition often use plasma exchange.",
    ...        focus="Autoimmune autonomic ganglionopathy")
    'Experts familiar with autoimmune autonomic ganglionopathy often use plasma exchange.'
    >>> repair("However, your doctor may order a blood test.", focus="Gout")
    'Your doctor may order a blood test.'
    >>> repair("Thus, your child's doctor may recommend one or more of the following tests.", focus="chILD")
    >>> repair("These antibodies provide protection against infection with the viruses.", focus="Flu Shot")
    >>> repair("It is caused by a parasite.", focus="Toxoplasmosis",
    ...        previous="Toxoplasmosis is a disease caused by the parasite Toxoplasma gondii.")
    'Toxoplasmosis is caused by a parasite.'
    >>> repair("It is effective for specific antibody-mediated disorders.", focus="Intravenous Immunoglobulin (IVIG)",
    ...        previous="IVIG does not help all autoimmune conditions.")
    'IVIG is effective for specific antibody-mediated disorders.'
    >>> repair("It swells into a round shape when it is full.", focus="Urine and Urination",
    ...        previous="The bladder stores urine until you are ready to urinate.")
    >>> repair("They may also be triggered by stress.", focus="Canker Sores",
    ...        previous="They may happen if you have a cold.")
    'Canker sores may also be triggered by stress.'
    >>> repair("Some will survive into adulthood.", focus="Lissencephaly")
    >>> repair("Some people with lissencephaly survive into adulthood.", focus="Lissencephaly")
    'Some people with lissencephaly survive into adulthood.'
    >>> repair("Gout is a common, painful form of arthritis.", focus="Gout")
    'Gout is a common, painful form of arthritis.'
    """
    s = tidy(drop_heading(text.strip()))
    if not s:
        return None
    if research:
        s = attribute_study(s)
    name = focus_name(focus)
    s = _resolve_condition(s, name, previous)
    if s is None:
        return None
    m = _MARKER.match(s)
    if m:
        rest = s[m.end():]
        if not rest[:1].isalnum():
            return None
        s = _capitalise(rest)
        s = _resolve_condition(s, name, previous)
        if s is None:
            return None
    if _FOLLOWING.search(s):
        return None  # points at a list the answer does not show
    if re.match(r"^It\b(?!'s\b)", s):
        subject = _subject_of(previous or "", focus)
        return subject + s[2:] if subject else None
    if re.match(r"^They\b(?!'re\b)", s):
        subject = _plural_subject_of(previous or "", focus)
        return subject + s[4:] if subject else None
    if _REFERS_BACK.match(s) or _BARE_QUANTIFIER.match(s):
        return None
    return expand_acronyms(s, source) if source else s


_HEADING = re.compile(r"^[^.!?:]{3,150}\?\s?:\s+(?=[A-Z0-9\"'(])")


def drop_heading(text: str) -> str:
    """``text`` without a question heading glued before it.

    >>> drop_heading("What is Dementia?: Dementia is a loss of brain function.")
    'Dementia is a loss of brain function.'
    >>> drop_heading("Is it safe? Yes.")
    'Is it safe? Yes.'
    """
    return _HEADING.sub("", text, count=1)


_STUDY_WE = (
    (re.compile(r"^(?:In (?:the present|this|our|the current) (?:study|trial|analysis|series|cohort),? )?[Ww]e "
                r"(?:also |further |additionally )?(?=(?:found|showed|observed|demonstrated|identified|detected|noted|"
                r"report|reported|conclude|concluded|confirmed|documented|saw|show)\b)"), "The study "),
    (re.compile(r"^Our (?=(?:data|results|findings|study|analysis|observations|experience)\b)"), "The study's "),
    (re.compile(r"^(?:The|This) (?:present|current) (?=(?:study|trial|analysis)\b)"), "The "),
    (re.compile(r"^This (?=(?:study|trial|analysis|review|meta-analysis)\b)"), "The "),
)


def attribute_study(text: str) -> str:
    """A research sentence in the authors' first person, written of the study (the bullet cites it).

    >>> attribute_study("In the present study we found a rise in GBS colonization.")
    'The study found a rise in GBS colonization.'
    >>> attribute_study("Our data suggest that few genes change.")
    "The study's data suggest that few genes change."
    >>> attribute_study("We enrolled 60 patients.")
    'We enrolled 60 patients.'
    """
    for pattern, replacement in _STUDY_WE:
        s, n = pattern.subn(replacement, text, count=1)
        if n:
            return s
    return text


_DEFINED = re.compile(r"\(([A-Z][A-Za-z0-9\-]{1,9})\)")


def definitions(source: str) -> dict[str, str]:
    """Acronyms ``source`` defines as "long form (ACR)", each with its long form as written.

    >>> definitions("Patients with idiopathic pulmonary fibrosis (IPF) and obstructive sleep apnea (OSA) ...")
    {'IPF': 'idiopathic pulmonary fibrosis', 'OSA': 'obstructive sleep apnea'}
    """
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(source):
        acr = m.group(1)
        letters = [c.lower() for c in acr if c.isalpha()]
        if sum(c.isupper() for c in acr) < 2 or acr in found:
            continue
        words = source[max(0, m.start() - 150): m.start()].split()[-(len(letters) + 2):]
        for size in range(1, len(words) + 1):
            tail = [w.strip(",;:\"'") for w in words[-size:]]
            if not tail[0] or tail[0][0].lower() != letters[0]:
                continue
            it = iter(" ".join(tail).lower())
            if all(ch in it for ch in letters) and len(tail) >= min(2, len(letters)):
                found[acr] = " ".join(tail)
            break
    return found


def expand_acronyms(text: str, source: str) -> str:
    """``text`` with each acronym that ``source`` defines, and ``text`` neither defines nor writes out, written out at
    its first use ("IPF" -> "idiopathic pulmonary fibrosis (IPF)").

    >>> expand_acronyms("CPAP helps IPF patients with OSA.", "idiopathic pulmonary fibrosis (IPF); sleep apnea (OSA)")
    'CPAP helps idiopathic pulmonary fibrosis (IPF) patients with OSA.'
    """
    for acr, long in definitions(source).items():
        if f"({acr})" in text or long.lower() in text.lower():
            continue
        text = re.sub(rf"(?<![\w(-]){re.escape(acr)}(?![\w-])", f"{long} ({acr})", text, count=1)
    return text


def stands_alone(text: str) -> bool:
    """Whether ``text`` reads without the sentences around it, as shown (no repair).

    >>> stands_alone("Gout is a common, painful form of arthritis.")
    True
    >>> [stands_alone(t) for t in ("However, it is caused by calcium phosphate, not uric acid.",
    ...                            "These symptoms may look like other conditions.",
    ...                            "Experts familiar with this condition often use plasma exchange.")]
    [False, False, False]
    """
    s = text.strip()
    return bool(s) and not (_MARKER.match(s) or _REFERS_BACK.match(s) or _CONDITION_ANYWHERE.search(s)
                            or _CONDITION_START.match(s) or _FOLLOWING.search(s) or re.match(r"^It\b", s))


def focus_name(title: str) -> str:
    """The focus name of a page from its title, or "" when the title is no single name to stand in for
    "this condition" ("Do you have information about ...", "Urine and Urination", a question).

    >>> focus_name("Fitz-Hugh-Curtis syndrome"), focus_name("What is (are) Gout?"), focus_name("Urine and Urination")
    ('Fitz-Hugh-Curtis syndrome', '', '')
    """
    t = " ".join(title.split()).strip(" .:")
    if not t or "?" in t or len(t.split()) > 8 or re.search(r"\b(?:and|or|information|about|overview|faq)\b", t, re.I):
        return ""
    return t


def _resolve_condition(s: str, name: str, previous: str | None) -> str | None:
    """Replace "this condition" (anywhere) and a leading "The disease" by ``name``; None when needed but
    there is no name, or the kind word does not fit it ("this syndrome" on a page about a cancer)."""
    needs = _CONDITION_ANYWHERE.search(s) or _CONDITION_START.match(s)
    if not needs:
        return s
    if not name:
        return None
    for m in list(_CONDITION_ANYWHERE.finditer(s)) + ([_CONDITION_START.match(s)] if _CONDITION_START.match(s) else []):
        kind = m.group(1).lower()
        if kind == "syndrome" and "syndrome" not in name.lower():
            return None
    s = _CONDITION_START.sub(lambda m: _name_at_start(name, name, previous), s, count=1)
    return _CONDITION_ANYWHERE.sub(lambda m: _name_mid(name, s, m.start()), s)


def _name_mid(name: str, sentence: str, pos: int) -> str:
    """The name as written mid-sentence: lower-case first letter unless it is a proper name or acronym
    (a second capital in the first word, or any later word capitalised: "Fitz-Hugh-Curtis syndrome",
    "Huntington disease" keep their capitals)."""
    at_start = pos == 0
    if at_start:
        return name[:1].upper() + name[1:]
    first = name.split()[0]
    if any(c.isupper() for c in first[1:]) or len(name.split()) == 1 and first.isupper():
        return name
    words = name.split()
    if any(w[:1].isupper() for w in words[1:]):
        return name
    if len(words) == 1 and len(first) > 1:
        return first[:1].lower() + first[1:] if _lower_is_common(first) else name
    return name[:1].lower() + name[1:]


_EPONYM_HINT = re.compile(r"(?:[a-z]'s|son|ton|berg|stein|mann|ley|ier|ez)$", re.I)


def _lower_is_common(word: str) -> bool:
    """A one-word name that reads in lower case mid-sentence ("glaucoma", "gout"); eponyms keep capitals."""
    return not _EPONYM_HINT.search(word)


def _name_at_start(name: str, focus: str, previous: str | None) -> str:
    """The name for the opening of a sentence: as ``previous`` wrote it when it opens with it."""
    if previous and _opens_with(previous, focus):
        return previous.strip()[: len(focus)]
    return name[:1].upper() + name[1:]


_SUBJECT = re.compile(r"^([A-Z][\w\-'()/ ]{0,60}?) (?:is|was|can|may|does|did|has|had|causes|affects|occurs|helps|"
                      r"works|results|means|should|will|might|must|could|would)\b")
_NOT_SUBJECT = re.compile(r"^(?:the|this|that|these|those|it|they|some|most|many|a|an|there|here|each|your|our|"
                          r"people|patients|doctors|you|we)\b", re.I)


def _subject_of(previous: str, focus: str) -> str:
    """The subject of ``previous`` when it is the page's focus (or a name inside the focus title, such as
    "IVIG" in "Intravenous Immunoglobulin (IVIG)"), as ``previous`` writes it; else ""."""
    m = _SUBJECT.match(" ".join(previous.split()))
    if not m or not focus.strip():
        return ""
    subject = m.group(1).strip()
    if _NOT_SUBJECT.match(subject) or len(subject.split()) > 6 or subject.count("(") != subject.count(")"):
        return ""
    f, low = " ".join(focus.split()).lower(), subject.lower()
    if low == f or re.search(rf"(?<!\w){re.escape(low)}(?!\w)", f) or f.startswith(low + " ("):
        return subject
    return ""


_PLURAL_SUBJECT = re.compile(r"^([A-Z][\w\-' ]{0,60}?) (?:are|were|have|can|may|cause|affect|occur|do|don't|aren't|"
                             r"usually|often|tend|appear|develop|happen|heal|form|should|will|might|could)\b")


def _plural_subject_of(previous: str, focus: str) -> str:
    """For a sentence opening "They": the page's focus when its name is plural ("Canker Sores") and ``previous`` has
    it as its subject, or itself opens "They" (the page goes on about the focus); else "". Round 9's blind read
    found no cause for canker sores: "They may also be triggered by stress, food allergies, ..." was not shown.

    >>> _plural_subject_of("Canker sores aren't contagious.", "Canker Sores")
    'Canker sores'
    >>> _plural_subject_of("Doctors may prescribe a rinse.", "Canker Sores")
    ''
    """
    f = " ".join(focus.split())
    if not f or not re.search(r"[a-z]s$", f.lower()) or re.search(r"(?:ss|is|us)$", f.lower()) or "(" in f:
        return ""
    prev = " ".join(previous.split())
    m = _PLURAL_SUBJECT.match(prev)
    if m and m.group(1).strip().lower() == f.lower():
        return m.group(1).strip()
    if re.match(r"^They\b", prev) and focus_name(f):
        words = f.split()  # a title-case page name reads in sentence case: "Canker sores"
        if all(w[:1].isupper() and not w.isupper() for w in words):
            words = [words[0], *(w.lower() for w in words[1:])]
        return " ".join(words)
    return ""


def _opens_with(sentence: str, focus: str) -> bool:
    f = " ".join(focus.split())
    return bool(f) and " ".join(sentence.split()).lower().startswith(f.lower()) and (
        len(sentence.strip()) == len(f) or not sentence.strip()[len(f): len(f) + 1].isalnum())


def _capitalise(s: str) -> str:
    """Capitalise the first letter, leaving words such as "eGFR" or "iPhone" as they are."""
    if len(s) > 1 and s[0].islower() and s[1].isupper():
        return s
    return s[:1].upper() + s[1:]


# What a repair may take out of a quoted sentence: a leading discourse marker, or a phrase referring to the page's
# subject ("this condition", "It") that the page's name replaced.
_REPAIRABLE = frozenset(["this", "these", "that", "condition", "disorder", "disease", "syndrome", "it", "they",
                         "however",
                         "thus", "therefore", "also", "but", "in", "addition", "furthermore", "moreover",
                         "additionally", "the", "we", "our", "present", "current", "further"])
_ATTRIBUTION = frozenset(["the", "study", "s"])  # what attribute_study writes


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower()))


def is_repair(statement: str, source: str, context: str = "") -> bool:
    """``statement`` is ``source`` repaired by :func:`repair` alone: only a marker or a reference to the page's subject
    taken out, and only words the page (``context``: its text and title) holds put in.

    >>> is_repair("IVIG is effective for CIDP.", "It is effective for CIDP.", "Intravenous Immunoglobulin (IVIG)")
    True
    >>> is_repair("IVIG cures CIDP.", "It is effective for CIDP.", "Intravenous Immunoglobulin (IVIG)")
    False
    """
    source = tidy(drop_heading(source))
    added, removed = _word_set(statement) - _word_set(source), _word_set(source) - _word_set(statement)
    return removed <= _REPAIRABLE and added <= _word_set(f"{context} {source}") | _ATTRIBUTION
