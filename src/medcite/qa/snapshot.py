"""Study snapshots: a research reference's design, participants, population and year, and a readable title.

Why (measured on the full library): its 1,000 research documents are PubMedQA abstracts, which keep no title; each
carries its first sentence as title (694 cut with an ellipsis: "Ambulatory 24-h dual-channel pharyngeal and
oesophageal pH monitoring is the standard test for measuring…") and the same label, "Research abstract", so no
reference can be weighed against another. And 16 MedQuAD titles sit on 2-4 documents of one source (four NIDDK
"Causes of Diabetes" pages differ only by a URL fragment), so one answer could list one guideline several times.
On those abstracts (the data these rules were written on) 72.4% get a design other than "Study", 68.9% a count
read from the text, and about 4 in 5 of those counts are the enrolled total (24/30 and 23/30 in two hand-checked
random samples). Pure and deterministic: substring tests and regular expressions over one abstract, no model; about
0.3 ms of CPU per snapshot and 0.1 ms per title on a shared 2-core box, so cache them per document.

>>> from medcite.types import Chunk
>>> c = Chunk(id="p#1", doc_id="pubmed:1", section_id="p#s1", section="Methods", ordinal=1, year=2009,
...           text="A total of 104 patients with acute cholangitis were randomized to ENBD or no ENBD.",
...           embed_text="", title="Little is known about ENBD…", kind="research", source="PubMed", label="METHODS")
>>> snapshot([c]).line()
'Randomised controlled trial, 104 participants (patients with acute cholangitis), 2009'

Readable titles and the merging of identical references are :mod:`medcite.qa.titles`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from medcite.types import Chunk

T = TypeVar("T")


def _words(text: str, sep: str | None = None) -> frozenset[str]:
    return frozenset(text.split(sep))


@dataclass(frozen=True)
class StudySnapshot:
    """The facts that let a reader weigh a research reference; ``strength`` orders designs (higher first).

    >>> StudySnapshot("Cohort study", 1312, "children with asthma", 2011, 70).line()
    'Cohort study, 1,312 participants (children with asthma), 2011'
    """

    design: str  # a key of STRENGTH: "Meta-analysis", "Randomised controlled trial", "Cohort study", ... "Study"
    participants: int | None
    population: str  # short, e.g. "children with asthma"; "" when unknown or only "patients"
    year: int | None
    strength: int  # evidence rank for ordering, higher = stronger
    studies: int | None = None  # studies a meta-analysis or systematic review included, when it says
    noun: str = "participants"  # the people the abstract counts ("patients", "children", "women")

    def line(self) -> str:
        parts = [self.design + (f" of {_count(self.studies, 'study', 'studies')}" if self.studies else "")]
        if self.participants:
            people = _count(self.participants, "participant", "participants")
            parts.append(people + (f" ({self.population})" if self.population else ""))
        elif self.population:
            parts.append(self.population)
        return ", ".join(parts + ([str(self.year)] if self.year else []))


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


STRENGTH: dict[str, int] = {
    "Meta-analysis": 100, "Systematic review": 95, "Randomised controlled trial": 90, "Non-randomised trial": 80,
    "Cohort study": 70, "Prospective study": 65, "Case-control study": 60, "Observational study": 55,
    "Retrospective study": 50, "Cross-sectional study": 45, "Diagnostic accuracy study": 45, "Qualitative study": 40,
    "Case series": 30, "Case report": 20, "Animal study": 15, "Laboratory study": 15, "Guideline": 12,
    "Review": 10, "Commentary": 5, "Study": 0,
}
_RCT, _TRIAL = "Randomised controlled trial", "Non-randomised trial"
_PUB_TYPES: dict[str, str] = {  # PubMed publication types (PubMed-XML loader) -> design
    "Meta-Analysis": "Meta-analysis", "Network Meta-Analysis": "Meta-analysis",
    "Systematic Review": "Systematic review",
    "Randomized Controlled Trial": _RCT, "Equivalence Trial": _RCT, "Pragmatic Clinical Trial": _RCT,
    "Controlled Clinical Trial": _TRIAL, "Clinical Trial": _TRIAL, "Clinical Trial, Phase I": _TRIAL,
    "Clinical Trial, Phase II": _TRIAL, "Clinical Trial, Phase III": _TRIAL, "Clinical Trial, Phase IV": _TRIAL,
    "Observational Study": "Observational study", "Case Reports": "Case report", "Review": "Review",
    "Practice Guideline": "Guideline", "Guideline": "Guideline", "Editorial": "Commentary", "Comment": "Commentary",
    "Letter": "Commentary",
}
# Designs the text or MeSH may make more specific ("Clinical Trial" + "randomly assigned" -> randomised).
_WEAK = frozenset({"Study", "Prospective study", "Retrospective study", "Observational study", _TRIAL,
                   "Diagnostic accuracy study", "Review"})
# (design, keywords, pattern on lower-cased design text), most specific first: the first match wins. A pattern
# runs only when one of its keywords is a substring of the text (cheap, and most abstracts have none).
_DESIGN_PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (d, tuple(k.split()), re.compile(p)) for d, k, p in (
        ("Meta-analysis", "meta pooled", r"\bmeta-?analy[st]|pooled analysis of (?:\w+ ){0,3}(?:studies|trials)"),
        ("Systematic review", "systematic medline embase cochrane",
         r"systematic(?:ally)? (?:literature )?(?:review|search)|\b(?:medline|embase|cochrane)\b"),
        (_RCT, "random placebo blind",
         r"(?<!non-)(?<!non)(?<!quasi-)randomi[sz]ed|\brandomi[sz]ation\b|placebo-controlled|double-blind"
         r"|randomly (?:assigned|allocated|divided)(?! to (?:\w+ ){0,3}(?:readers|reviewers|observers|raters))"
         r"|(?:allocated|assigned) at random"),
        (_TRIAL, "random quasi single-arm open-label phase trial",
         r"non-?randomi[sz]ed|quasi-(?:experimental|randomi)|single-arm|open-label|phase (?:i{1,3}|[123])\b"
         r"|(?:uncontrolled|open|clinical|pilot|controlled|prospective|interventional|crossover|cross-over"
         r"|supplementation|intervention)(?: [\w-]+){0,3} trial\b"),
        ("Case-control study", "case control", r"case-?control|\bcases and (?:\d+ )?(?:\w+ )?controls"),
        ("Cohort study", "cohort longitudinal follow-up",
         r"cohort (?:study|analysis|design)|(?:prospective|retrospective|population-based|longitudinal|historical"
         r"|birth|observational|inception|matched|multicenter|nationwide|national) (?:[\w-]+ ){0,2}cohort"
         r"|longitudinal (?:study|analysis)|follow-up study"),
        ("Cross-sectional study", "cross survey questionnaire",
         r"cross-?sectional|\bsurvey(?:ed)?\b|questionnaires? (?:was|were) (?:sent|mailed|distributed)"),
        ("Case series", "series", r"case series|\bseries of (?:\d+|(?:\w+ ){0,2}patients)"),
        ("Observational study", "observational", r"\bobservational (?:study|analysis|design)"),
        ("Case report", "report describe present", r"case report\b(?!s)|we (?:report|describe|present) (?:a|an|the"
         r"|two|three|one) (?:\w+ ){0,3}(?:case|patient|man|woman|boy|girl|child|infant)\b"),
        ("Qualitative study", "qualitative focus interview",
         r"qualitative|focus groups?|semi-structured interviews|in-depth interviews"),
        ("Diagnostic accuracy study", "diagnostic sensitivity receiver",
         r"diagnostic accuracy|sensitivity and specificity|receiver operating"),
        ("Animal study", "rats mice rabbits dogs pigs sheep swine monkeys",
         r"\b\d+ (?:\w+ ){0,2}(?:rats|mice|rabbits|dogs|pigs|piglets|sheep|swine|monkeys)\b"),
        ("Laboratory study", "vitro cell", r"\bin vitro\b|cell lines?\b|cultured cells"),
        ("Retrospective study", "retrospective chart records charts",
         r"retrospective|chart review|(?:records|charts) (?:\w+ ){0,4}(?:were|was) reviewed"),
        ("Prospective study", "prospective", r"prospective(?:ly)?\b(?! (?:collected|maintained|recorded|kept))"),
        ("Review", "review", r"\b(?:this|our|narrative|literature) review\b|\bwe review(?:ed)? the literature"),
    ))
_KEYWORDS = tuple(dict.fromkeys(k for _, keywords, _ in _DESIGN_PATTERNS for k in keywords))
# MeSH design headings, used when the text names no design or only a weak one. Random Allocation, Surveys and
# Questionnaires and Follow-Up Studies are left out: indexers put them on too many studies of other designs.
_MESH_DESIGNS = (("Cohort Studies", "Cohort study"), ("Longitudinal Studies", "Cohort study"),
                 ("Case-Control Studies", "Case-control study"), ("Cross-Sectional Studies", "Cross-sectional study"),
                 ("Health Care Surveys", "Cross-sectional study"), ("Health Surveys", "Cross-sectional study"),
                 ("Retrospective Studies", "Retrospective study"), ("Prospective Studies", "Prospective study"))
_BACKGROUND = re.compile(r"BACKGROUND|INTRODUCTION|CONTEXT|RATIONALE|HYPOTHES|CONCLUSION|DISCUSSION|IMPLICATION"
                         r"|LIMITATION")
_METHODS = re.compile(r"METHOD|DESIGN|SETTING|PATIENT|PARTICIPANT|SUBJECT|POPULATION|MATERIAL|SAMPLE")
_SELF = re.compile(r"\b(?:we|our|this|the present|the current)\b (?:[\w-]+ ){0,3}(?:study|trial|analysis|review"
                   r"|investigation|survey|series|report|audit)\b|\bwe (?:conducted|performed|undertook|carried out"
                   r"|report|describe|present|retrospectively|prospectively|enrolled|studied|reviewed)\b")
_NOT_OURS = re.compile(r"\b(?:are|is) (?:needed|warranted|required)|\bfuture\b|\bprevious(?:ly)?\b|\bhave (?:been"
                       r"|shown)|\bfurther (?:\w+ )?(?:studies|trials|research)|\bprior (?:studies|trials)")
_AIM_SECTION = re.compile(r"OBJECTIVE|AIM|PURPOSE|GOAL|QUESTION")
_AIM_VERB = (r"(?:determine|assess|evaluate|investigate|examine|compare|test|explore|analy[sz]e|identify|describe"
             r"|study|establish|estimate|measure|quantify|clarify)")
_AIM = re.compile(r"\b(?:aims?|purposes?|objectives?|goals?)\b[^.]{0,40}?\b(?:was|were|is|are)\s+to\b|^(?:to|we "
                  r"sought to|we aimed to|this study (?:aimed|sought) to) (?:\w+ )?" + _AIM_VERB, re.I)
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z(])")

# --- participants ---------------------------------------------------------------------------------
_PEOPLE = _words("patients participants subjects children women men adults infants neonates newborns individuals "
                 "persons people volunteers respondents students physicians doctors surgeons nurses residents "
                 "mothers parents girls boys adolescents teenagers smokers veterans athletes workers employees "
                 "survivors donors recipients outpatients inpatients pupils schoolchildren youths users caregivers "
                 "dentists pharmacists clinicians practitioners members carriers beneficiaries elderly families "
                 "couples twins cases controls")  # plural only: "two patient groups" counts groups
_GENERIC = _words("patients participants subjects individuals persons people cases controls users members")
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_NUM_WORDS = {w: i for i, w in enumerate(f"{_UNITS} seventeen eighteen nineteen".split(" "))}
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_NUM_WORDS |= {w: 10 * i for i, w in enumerate(_TENS.split(" "), 2)}
_NUM_WORDS |= {"hundred": 100, "thousand": 1000}
_NOT_ADJ = _words("of with and or in at to from for who were was had the a an by on among")
_SKIP_ADJ = _words("consecutive eligible consenting evaluable unselected additional enrolled total all other new "
                   "selected randomly randomized randomised included participating potential unrelated such")
_YEAR_BEFORE = _words("in since from between during until to and by before after of")
_BREAKS_PAIR = _words("were was had have has who which whom whose that died developed received underwent")
_PUNCT = ",.;:)]'\""
_BEFORE = ((re.compile(r"(?:a total of|total of|in total,?|overall,?|altogether,?)$", re.I), 5),
           (re.compile(r"(?:^|[.;] )of(?: all)?$", re.I), 3),
           (re.compile(r"(?:^|[.;] )of the$", re.I), 1),
           (re.compile(r"\b(?:included|enrolled|recruited|studied|evaluated|reviewed|identified|examined|analy[sz]ed"
                       r"|surveyed|randomi[sz]ed|comprised|comprising|consisted of|involved|involving|interviewed"
                       r"|investigated|assessed|followed|observed|contacted|sampled|there were|(?:subjects|participants"
                       r"|patients|respondents|sample|population) (?:were|was))$", re.I), 3),
           (re.compile(r"\b(?:cohort|sample|series|population|group|study|survey|review|analysis|audit) of$", re.I), 2),
           (re.compile(r"\bof$", re.I), 1),
           (re.compile(r"\b(?:another|other|remaining|further|additional|only)$", re.I), -3),
           (re.compile(r"\([^)]*$"), -4))
_AFTER = ((re.compile(r"^(?:(?!, (?:another|\d))[^.;]){0,120}?\b(?:were|was) (?:\w+ )?(?:enrolled|included"
                      r"|recruited|randomi[sz]ed|studied|analy[sz]ed|evaluated|examined|investigated|assessed|surveyed|interviewed|followed|identified"
                      r"|reviewed|selected|entered|allocated|assigned|divided|eligible|available|operated|treated"
                      r"|admitted|tested|asked)", re.I), 3),
          (re.compile(r"^[^.;]{0,40}?\b(?:participated|took part|completed|met|fulfilled|underwent|agreed|responded"
                      r"|returned|consented)\b", re.I), 2),
          (re.compile(r"^\s*\(\d+(?:\.\d+)?\s*%|^\s*\([^)]{0,20}%\)"), -5),
          (re.compile(r"^[^.;]{0,30}\b(?:in|to|into) (?:the |each |both )?(?:[\w-]+ ){0,2}(?:group|arm)s?\b"
                      r"|^(?!\s*who)[^.;]{0,15}\b(?:died|developed|had|showed|required|experienced)\b", re.I), -3))
_N_EQ = re.compile(r"\b[nN]\s*=\s*(\d{1,3}(?:,\d{3})+|\d+)\b")
_N_EQ_TOTAL = re.compile(r"\b(?:total|overall|all|whole|study|sample|cohort)\b[^.]{0,20}$", re.I)
_N_EQ_PEOPLE = re.compile(r"\b(" + "|".join(sorted(_PEOPLE)) + r")\s*[(\[,]?\s*$", re.I)
_POP_TAIL = re.compile(r"^(?:with|undergoing|receiving|treated with|diagnosed with|presenting with|admitted with|born"
                       r"|scheduled for|suffering from|having|living with|attending|referred for|aged \d)\b", re.I)
_POP_STOP = re.compile(r"\s*(?:[.,;:(\[]|\b(?:who|whom|that|which|were|was|had|have|from|at|between|during|vs|or"
                       r"|for|over|into|to|as|by|after|on|mean|and|seen|treated|admitted|operated|referred|recruited"
                       r"|enrolled|included|identified|evaluated|followed|managed|underwent|received|presented|completed"
                       r"|participated|showed|developed|died|required)\b|\bin (?:the|our|a|an|\d)|\d)", re.I)
_DANGLING = _words("a an the and or of with in on to for by at from who were was")
_STUDIES = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+|[A-Za-z]+(?:-[a-z]+)?) (?:[\w-]+ ){0,2}?(?:studies"
                      r"|trials|RCTs|articles|publications|papers)\b(?=[^.;]{0,30}\b(?:included|met|eligible|selected"
                      r"|fulfilled|were analy))")


def _number(words: Sequence[str]) -> int | None:
    """ "1,234" / "56" / "Forty-two" / "one thousand one hundred and two" as an int, else None."""
    if len(words) == 1 and (digits := words[0].replace(",", "")).isdigit():
        return int(digits) if "," not in words[0] or re.fullmatch(r"\d{1,3}(?:,\d{3})+", words[0]) else None
    total = current = 0
    for word in (p for w in words for p in w.lower().split("-")):
        if word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif word in _NUM_WORDS:
            current += _NUM_WORDS[word]
        elif word != "and":
            return None
    return (total + current) or None


def _is_number(tok: str) -> bool:
    core = tok.lstrip("([")
    return core[:1].isdigit() or core.lower().split("-")[0] in _NUM_WORDS


def _number_before(toks: list[str], k: int) -> tuple[int, int, list[str]] | None:
    """For a people noun at token ``k``: (count, index of its first token, adjectives) of "N [<= 3 words] noun"."""
    for e in range(k - 1, max(-1, k - 5), -1):
        word = toks[e]
        if _is_number(word):
            start = e
            while not word.lstrip("([")[:1].isdigit() and start and (_is_number(toks[start - 1]) or (
                    toks[start - 1] == "and" and start > 1 and _is_number(toks[start - 2]))):
                start -= 1  # "One thousand one hundred and two patients"
            n = _number([t.lstrip("([") for t in toks[start:e + 1]])
            return (n, start, toks[e + 1:k]) if n else None
        if word.rstrip(_PUNCT) != word or word.lower() in _NOT_ADJ or not word[:1].isalpha() or "%" in word:
            return None
    return None


def _left_group(toks: list[str], i: int) -> tuple[int, int] | None:
    """ "21 HPV-positive and [11 HPV-negative mothers]": (21, its index), a first group whose noun is left out."""
    if i < 3 or toks[i - 1] != "and":
        return None
    j = i - 2
    while j > i - 5 and toks[j][:1].isalpha() and toks[j] == toks[j].rstrip(_PUNCT) and toks[j] not in _NOT_ADJ:
        j -= 1
    n = _number([toks[j]]) if j < i - 2 and toks[j][:1].isdigit() and toks[j] == toks[j].rstrip(_PUNCT) else None
    return (n, j) if n else None


def _sections(chunks: Sequence[Chunk]) -> list[tuple[str, str]]:
    """(label, text) per section in reading order, the chunks of one section joined without their overlap."""
    out: list[list[str]] = []
    for c in sorted(chunks, key=lambda c: c.ordinal):
        text = " ".join(c.text.split())
        if out and out[-1][0] == c.section_id:
            prev, probe = out[-1][2], text[:40]
            at = prev.find(probe, max(0, len(prev) - len(text) - 400)) if len(probe) >= 20 else -1
            out[-1][2] = prev[:at] + text if at >= 0 else f"{prev} {text}"
        else:
            out.append([c.section_id, (c.label or c.section or "").upper(), text])
    return [(label, text) for _, label, text in out]


def _design_text(sections: list[tuple[str, str]]) -> str:
    """This study's own words on its design: methods-like sections whole, elsewhere only sentences about itself;
    never what earlier studies did or later ones should do."""
    picked = []
    for label, text in sections:
        whole = not _BACKGROUND.search(label) and not label.startswith("RESULT")
        for s in map(str.lower, _SENTENCE.split(text)):
            if any(k in s for k in _KEYWORDS) and (whole or _SELF.search(s)) and not _NOT_OURS.search(s):
                picked.append(s)
    return " ".join(picked)


def _text_design(text: str) -> str:
    for design, keywords, pattern in _DESIGN_PATTERNS:
        if any(k in text for k in keywords) and pattern.search(text):
            return design
    return "Study"


def _design(chunks: Sequence[Chunk], sections: list[tuple[str, str]], meta: Mapping[str, Any], title: str) -> str:
    mesh = set(meta.get("mesh") or ())
    types = [*(meta.get("publication_types") or ()), chunks[0].evidence_label]
    typed = next((_PUB_TYPES[t] for t in types if t in _PUB_TYPES), "Study")
    if typed not in _WEAK:
        return typed
    if "Animals" in mesh and "Humans" not in mesh:
        return "Animal study"
    if any("CASE REPORT" in label or "CASE PRESENTATION" in label for label, _ in sections):
        return "Case report"
    design = _text_design(_design_text(sections))
    if design in _WEAK and title and STRENGTH[(titled := _text_design(title.lower()))] > STRENGTH[design]:
        design = titled
    if design in _WEAK and design != _TRIAL:
        design = next((d for h, d in _MESH_DESIGNS if h in mesh and (design == "Study" or d not in _WEAK)), design)
    if typed != "Study" and (design == "Study" or (typed == _TRIAL and STRENGTH[design] < STRENGTH[_TRIAL])):
        return typed
    return design


def _candidates(sections: list[tuple[str, str]]) -> list[tuple[int, int, int, str, str, str]]:
    """(score, -position, count, adjectives, noun, text after) for each "N <people>" and "<people> (n = N)".

    Scored so the enrolled total wins over subgroups: methods sections and enrolment words ("a total of",
    "were enrolled", a sentence-initial "Of") count for it; background, parentheses, "(12%)" and "in the X
    group" against it; in results only the first count is not marked down.
    """
    found, pos = [], 0
    for label, text in sections:
        bonus = -2 if _BACKGROUND.search(label) and " AND " not in label else 3 if _METHODS.search(label) else 0
        toks, skip_to = text.split(" "), 0
        for k, word in enumerate(toks):
            bare = word.rstrip(_PUNCT)
            if (noun := bare.lower()) not in _PEOPLE or k < skip_to or not (hit := _number_before(toks, k)):
                continue  # the noun may be capitalised: "475 Patients consulting 30 general practitioners"
            if bare == word and k + 1 < len(toks) and toks[k + 1].rstrip(_PUNCT) in _PEOPLE:
                continue  # "367 elderly adults": the noun is the next word
            n, i, adjectives = hit
            if first := _left_group(toks, i):
                n, i, adjectives = n + first[0], first[1], []
            if 1900 <= n <= 2030 and "," not in toks[i] and i and toks[i - 1].lower() in _YEAR_BEFORE:
                continue  # "Between 1995 and 2001 patients ..."
            punct = word[len(bare):]
            before = " ".join(toks[max(0, i - 8):i]) + (" (" if toks[i].startswith("(") else "")
            after = punct + " " + " ".join(toks[k + 1:k + 16])
            score = bonus + sum(w for p, w in _BEFORE if p.search(before))
            score += sum(w for p, w in _AFTER if p.search(after)) - {"cases": 1, "controls": 2}.get(noun, 0)
            m = k + 1  # "548 BRCA1 carriers and 523 BRCA2 carriers": one enrolled group told in two parts
            while not punct and m < min(k + 9, len(toks)) and toks[m].lower() not in _BREAKS_PAIR:
                if toks[m] == "and" and m + 2 < len(toks) and _is_number(toks[m + 1]):
                    for k2 in range(m + 2, min(m + 6, len(toks))):
                        hit2 = _number_before(toks, k2) if toks[k2].rstrip(_PUNCT) in _PEOPLE else None
                        if hit2 and hit2[1] == m + 1:
                            other = toks[k2].rstrip(_PUNCT)
                            n, skip_to, adjectives = n + hit2[0], k2 + 1, []
                            noun = noun if other == noun else f"{noun} and {other}"  # "men and women"
                            break
                    break
                if toks[m][-1:] in ",;.)" or toks[m][:1] in "([":
                    break
                m += 1
            found.append((score, -(pos + i), n, " ".join(adjectives), noun, after))
            bonus -= 2 if bonus <= 0 else 0
        for mt in _N_EQ.finditer(text) if "=" in text else ():
            before = text[max(0, mt.start() - 50):mt.start()]
            total, people = _N_EQ_TOTAL.search(before), _N_EQ_PEOPLE.search(before)
            if total or people:
                noun = people.group(1).lower() if people else "participants"
                found.append((bonus + (3 if total else 0), -(pos + text.count(" ", 0, mt.start())),
                              int(mt.group(1).replace(",", "")), "", noun, ""))
        pos += len(toks) + 1
    return found


def _population(adjectives: str, noun: str, after: str, mesh: set[str]) -> str:
    """ "HIV-infected women", "patients with acute cholangitis"; a bare "patients" becomes MeSH's age group or ""."""
    head = " ".join([*(w for w in adjectives.split() if w.lower() not in _SKIP_ADJ and not w[:1].isdigit()), noun])
    tail, after = "", after.strip()
    if _POP_TAIL.match(after):
        stop = _POP_STOP.search(after, 5)
        words = after[: stop.start() if stop else 60].split()
        while words and words[-1].lower() in _DANGLING:
            words.pop()
        tail = " ".join(words) if len(words) > 1 else ""
    if head in _GENERIC:
        if not (age := _mesh_age(mesh)) and not tail:
            return ""
        head = age or head
    pop = f"{head} {tail}".strip().rstrip(".,;:")
    return pop if len(pop) <= 70 else pop[:70].rsplit(" ", 1)[0]


def _mesh_age(mesh: set[str]) -> str:
    young = {"Child", "Child, Preschool", "Infant", "Adolescent", "Infant, Newborn"} & mesh
    adult = {"Adult", "Middle Aged", "Aged", "Aged, 80 and over", "Young Adult"} & mesh
    if young and not adult:
        return "newborns" if young == {"Infant, Newborn"} else "infants" if young <= {"Infant", "Infant, Newborn"} \
            else "children"
    if adult and not young:
        return "older adults" if adult <= {"Aged", "Aged, 80 and over"} else "adults"
    return ""


def snapshot(chunks: Sequence[Chunk], metadata: Mapping[str, Any] | None = None) -> StudySnapshot:
    """The design, participants, population and year of one research document, from its chunks.

    Pass all of the document's chunks (``Ledger.document_chunks``): the methods are rarely the retrieved passage.
    ``metadata`` is the document's metadata (``Ledger.get_document(doc_id).metadata``) for its ``mesh`` and
    ``publication_types``; without it only the text and the chunks' evidence label are read.

    >>> from medcite.types import Chunk
    >>> c = Chunk(id="x#0", doc_id="pubmed:2", section_id="x#s0", section="Methods", ordinal=0, title="",
    ...           text="Of 312 consecutive children who underwent tonsillectomy, 24 (7.7%) children bled.",
    ...           embed_text="", kind="research", source="PubMed", year=None, label="METHODS")
    >>> s = snapshot([c], {"mesh": ["Child", "Humans", "Cohort Studies"]})
    >>> (s.design, s.participants, s.population, s.strength)
    ('Cohort study', 312, 'children', 70)
    """
    meta = metadata or {}
    year = next((c.year for c in chunks if c.year), None)
    if not chunks:
        return StudySnapshot("Study", None, "", year, 0)
    sections, mesh = _sections(chunks), set(meta.get("mesh") or ())
    design = _design(chunks, sections, meta, chunks[0].title if is_real_title(chunks) else "")
    participants, population, noun, studies = None, "", "participants", None
    if design not in ("Animal study", "Laboratory study"):
        floor = 3 if design in ("Meta-analysis", "Systematic review") else -1  # a review's "n = 22" counts studies
        if found := [c for c in _candidates(sections) if c[0] >= floor and c[2] > 1]:
            _, _, participants, adjectives, noun, after = max(found)
            population = _population(adjectives, noun, after, mesh)
            noun = "patients" if noun in ("cases", "controls") else noun
        elif design != "Case report":
            population = _mesh_age(mesh)
    if design in ("Meta-analysis", "Systematic review"):
        counts = [n for _, t in sections for m in _STUDIES.finditer(t) if (n := _number(m.group(1).split("-")))]
        studies = counts[0] if counts else None
    if design == "Case report" and (participants or 1) > 1:
        design = "Case series"
    elif design == "Case report":
        participants, noun = 1, "patients"
    return StudySnapshot(design, participants, population, year, STRENGTH.get(design, 0), studies, noun)


# --- titles ---------------------------------------------------------------------------------------


PUBMEDQA_LABEL = "Research abstract"  # the PubMedQA loader's evidence label; PubMedQA keeps no titles


def is_real_title(chunks: Sequence[Chunk]) -> bool:
    """False when the stored title is only the opening of the text (or empty); guideline titles are real.

    The PubMedQA loader stores the first sentence cut to 120 characters; the PubMed-XML loader falls back to the
    shortened first section, the text loader to the first line. So a research title is not real when it ends with
    an ellipsis, comes from PubMedQA, starts the first chunk, or (8 words or more) appears verbatim in the text.
    """
    title = " ".join(chunks[0].title.split()) if chunks else ""
    if not title or title == chunks[0].doc_id or chunks[0].kind == "guideline":
        return bool(title) and title != chunks[0].doc_id
    if title.endswith(("…", "...")) or chunks[0].evidence_label == PUBMEDQA_LABEL:
        return False
    long = len(title.split()) >= 8
    texts = [" ".join(c.text.split()) for c in chunks if c.ordinal == 0 or long]
    return not any(t.startswith(title) or (long and title in t) for t in texts)
