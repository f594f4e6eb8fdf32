"""Answer quality read from the typed answer: bottom line, standalone problems, focus relevance, sub-question coverage.

These checks read :class:`medcite.answer.Answer` parts (``bottom_line``, ``considerations``, ``research``,
``citations``, ``analysis``), never the Markdown, and share no code with the engines that write the answers (the
standalone detector is written here on purpose, so that an engine's own repair rules cannot mark their own work).
Every figure is None (left out of the averages) for an answer that abstained, a fixed reply, or an answer without
a question analysis where the figure needs one.

**Focus names** (:func:`focus_names`): for each focus of the analysis (``analysis.focus`` and each sub-question's
``focus``), the library's name (``display``) and the words as typed (``text``), each also without a bracketed part
and with the bracketed part alone ("Chronic Fatigue Syndrome (ME/CFS)" gives "Chronic Fatigue Syndrome" and
"ME/CFS"); names under 3 characters are dropped. A text **names the focus** when one of these occurs in it as whole
words, case-insensitive, allowing a plural "s"/"es".

**On focus** (a statement): it names the focus, or one of the references it cites is a focus document
(``analysis.focus_documents``).

**Bottom line** (:func:`bottom_line_check`, per answer; True/False with a reason): the first bottom-line part with
content is the lead. The answer has a bottom line when

1. there is a lead (statements or an explicit "the library does not say" line; an answer with no bottom-line part
   fails: "none");
2. a yes/no question (``analysis.yes_no``, or its first sub-question is yes/no) has a verdict on the lead
   ("no verdict"), unless the lead says the library does not say;
3. with a focus in the analysis, one of the lead's first two statements is on focus ("off focus");
4. for a question of a type in :data:`CHECKED_TYPES` (causes, treatment, symptoms, diagnosis, genetics, prevention,
   side effects), one of the lead's first two statements (text or facet) holds a cue phrase of one of those
   types (``medcite.analysis.question_types`` read on the sentence: "Gout is caused by ..." holds the causes
   cue) ("type").

**Standalone problems** (:func:`standalone_problems`, per statement; a statement with several problems counts once
per answer in ``standalone_problems``):

- ``anaphor``: opens with a pronoun or demonstrative whose referent is not in the sentence ("This", "These", "It",
  "They", "Such", ...), or holds "this condition / disease / disorder / syndrome";
- ``marker``: opens with a discourse marker that needs the sentence before ("However,", "Thus,", "In addition,",
  "Therefore", "Also", ...);
- ``glued``: a list item or heading run into the next sentence: a lowercase word followed, with no punctuation
  between, by a capitalised sentence opener ("emptying your bladder Some conditions") or by a capitalised word and
  a verb ("purines Gout can be"), a
  capitalised word repeated ("Symptoms of Glaucoma Glaucoma can develop"), or a question mark inside the statement
  followed by more text (a question heading);
- ``cut``: a fragment: starts with a lowercase letter (but not a token such as "p", "mRNA", "e.g."), ends with a
  colon, a hyphen, an ellipsis, or a trailing article / preposition / conjunction ("... with the");
- ``brackets``: unbalanced round or square brackets (citation markers "[1]" ignored);
- ``aim_or_method`` (research statements only): a study's aim or method rather than its result ("To determine
  whether ...", "We searched ...", "This study aimed ...", "Patients were randomized ...", "OBJECTIVE: ...").

**Sub-question coverage** (:func:`subquestion_coverage`): the analysis' sub-questions (one when it lists none) that
get a bottom-line part: a part whose ``question`` is that sub-question's text (whitespace and case folded, either
containing the other), or, for parts without a ``question``, the first sub-questions in order; a part counts when it
has statements or an explicit ``unanswered`` line.

The detectors are heuristics over fixed phrase lists: they catch the defects the blind read of issue 14 found, not
every way a sentence can fail to stand alone (an unnamed subject in mid-sentence, a wrong antecedent); read the
``*_examples`` fields of results.jsonl beside the figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from medcite.analysis.types import question_types

LEAD_STATEMENTS = 2
MIN_NAME = 3
EXAMPLES = 3

_ANAPHOR = re.compile(
    r"^\W*(?:this|these|those|that|it|its|they|their|them|such|he|she|his|her|both|the latter|the former|"
    r"the same|this condition|the condition)\b(?![-'])", re.IGNORECASE)
_DANGLING = re.compile(
    r"\b(?:this|that) (?:condition|disease|disorder|syndrome)\b(?! (?:called|known as|of|is called)\b)", re.IGNORECASE)
_MARKER = re.compile(
    r"^\W*(?:however|thus|therefore|hence|in addition|additionally|moreover|furthermore|also|consequently|"
    r"in contrast|by contrast|on the other hand|similarly|likewise|finally|then|otherwise|nevertheless|"
    r"nonetheless|instead|besides|meanwhile|as a result|for this reason|in this case|in these cases|"
    r"in such cases|in this study|in that case|again|still|yet|accordingly|so|but|and|or)\b", re.IGNORECASE)
# Capitalised words that open a sentence (not names): after a lowercase word with no punctuation between, a
# list item or heading was run into the next sentence.
_OPENERS = (  # noqa: SIM905 - one word list reads best as text
    "The A An Some Most Many Other Others This These Those It They You Your We If When In There Treatment Treatments "
    "Symptoms Signs Causes Doctors People Children Adults Learn Ask Call See Talk Eat Take Avoid Do Don't Be Get "
    "Keep Use Try Not Each All Any Both Several Certain Also Having Being Most What How Why Who Which Where For "
    "To Many Common Other Complications Diagnosis Prevention Outlook Tests Living Risk"
).split()
_GLUED = re.compile(r"\b[a-z][a-z]+\s+(?:" + "|".join(sorted(map(re.escape, set(_OPENERS)), key=len, reverse=True))
                    + r")\s+[A-Za-z]")
# ... or by a capitalised word and a verb: a heading or item run into a sentence about its subject ("rich in
# purines Gout can be hard to diagnose").
_GLUED_SUBJECT = re.compile(r"\b[a-z][a-z]+\s+[A-Z][a-z]+\s+(?:can|is|are|may|has|have|was|were|causes?|occurs?|"
                            r"affects?|develops?|usually|often|happens?|means?|results?)\b")
_REPEAT = re.compile(r"\b([A-Z][a-z]{2,})\s+\1\b")
_INNER_QUESTION = re.compile(r"\?\s+\S")
_MARKERS = re.compile(r"\[\d+(?:\s*[,-]\s*\d+)*\]")
_LOWER_START = re.compile(r"^[\"'(]*[a-z]")
_TOKEN_START = re.compile(r"^[\"'(]*(?:[a-z]{1,3}\b|[a-z]+[A-Z0-9]|e\.g\.|i\.e\.|vs\b|n\s*=|p\s*[<=>])")
_CUT_END = re.compile(r"(?:[:\-–—]|\.\.\.|…|\b(?:the|a|an|of|with|and|or|to|for|in|on|by|from|as|at|such as|"
                      r"including|than|that|which))[\s.,;]*$")
_AIM = re.compile(
    r"^\W*(?:to (?:determine|assess|evaluate|investigate|examine|compare|explore|identify|describe|test|"
    r"analy[sz]e|estimate|review|characteri[sz]e|establish|clarify|ascertain|study|measure|summari[sz]e)\b|"
    r"(?:the )?(?:aim|purpose|objective|goal)s? (?:of|in) (?:this|the|our|these|present)\b|"
    r"(?:this|the present|the current|our) (?:study|review|trial|paper|article|analysis|report|work|investigation|"
    r"meta-analysis) (?:aimed|aims|was designed|is designed|sought|seeks|investigated|investigates|examined|"
    r"examines|evaluated|evaluates|assessed|assesses|describes|described|reports|presents|explores|explored|"
    r"compared|compares|was conducted|was undertaken|was performed)\b|"
    r"we (?:searched|conducted|performed|recruited|enrolled|included|analy[sz]ed|reviewed|examined|investigated|"
    r"studied|evaluated|assessed|aimed|sought|retrospectively|prospectively|used|measured|compared|identified|"
    r"collected|randomi[sz]ed|designed|report|describe|present|hypothesi[sz]ed|undertook|carried out|set out|"
    r"systematically|extracted|screened|surveyed|interviewed|followed)\b|"
    r"(?:a total of )?\d[\d,]* (?:consecutive |eligible )?(?:patients|participants|subjects|women|men|children|"
    r"adults|individuals|infants|cases|studies|trials|eyes|people) (?:were|was|had been) (?:enrolled|included|"
    r"recruited|randomi[sz]ed|studied|identified|analy[sz]ed|evaluated|assessed|examined|followed|selected|"
    r"reviewed)\b|"
    r"(?:patients|participants|subjects|women|men|children) were (?:randomi[sz]ed|enrolled|recruited|included|"
    r"assigned|allocated|selected|divided)\b|"
    r"(?:data|records|charts|medical records) (?:were|was) (?:collected|obtained|extracted|analy[sz]ed|reviewed)\b|"
    r"(?:methods?|objectives?|background|purpose|aims?|design|setting|introduction|study design)\s*:)",
    re.IGNORECASE)
# Types whose cue phrases also mark an answering sentence ("Gout is caused by", "Symptoms include", "is treated
# with"); the others (frequency, prognosis, susceptibility, information, ...) are answered in words their cues miss.
CHECKED_TYPES = frozenset({"causes", "treatment", "symptoms", "diagnosis", "genetics", "prevention", "side_effects"})


@dataclass(frozen=True)
class Shown:
    """One shown statement with the part it sits in: "bottom_line", "considerations" or "research"."""

    part: str
    statement: Any


def shown_statements(answer: Any) -> Iterator[Shown]:
    """Every statement with text, in reading order (the order of ``Answer.statements()``), with its part."""
    for part, items in (("bottom_line", getattr(answer, "bottom_line", None) or []),
                        ("considerations", getattr(answer, "considerations", None) or []),
                        ("research", getattr(answer, "research", None) or [])):
        for item in items:
            for statement in getattr(item, "statements", ()) or ():
                if (getattr(statement, "text", "") or "").strip():
                    yield Shown(part, statement)


# --- standalone ---------------------------------------------------------------------------------------------


def standalone_problems(text: str, research: bool = False) -> list[str]:
    """The problems of one statement (see the module docstring), in a fixed order; [] when it stands alone."""
    text = " ".join((text or "").split())
    if not text:
        return []
    bare = _MARKERS.sub("", text).strip()
    problems: list[str] = []
    if _ANAPHOR.match(bare) or _DANGLING.search(bare):
        problems.append("anaphor")
    if _MARKER.match(bare):
        problems.append("marker")
    if _GLUED.search(bare) or _GLUED_SUBJECT.search(bare) or _REPEAT.search(bare) or _INNER_QUESTION.search(bare):
        problems.append("glued")
    if (_LOWER_START.match(bare) and not _TOKEN_START.match(bare)) or _CUT_END.search(bare):
        problems.append("cut")
    if bare.count("(") != bare.count(")") or bare.count("[") != bare.count("]"):
        problems.append("brackets")
    if research and _AIM.match(bare):
        problems.append("aim_or_method")
    return problems


# --- focus --------------------------------------------------------------------------------------------------


def focus_names(analysis: Any) -> list[str]:
    """The names that count as naming the focus (see the module docstring), longest first."""
    if analysis is None:
        return []
    foci = list(getattr(analysis, "focus", ()) or ())
    for sub in getattr(analysis, "sub_questions", ()) or ():
        foci.extend(getattr(sub, "focus", ()) or ())
    names: set[str] = set()
    for focus in foci:
        for raw in (getattr(focus, "display", ""), getattr(focus, "text", "")):
            raw = " ".join((raw or "").split())
            for name in (raw, re.sub(r"\s*\([^)]*\)", "", raw), *re.findall(r"\(([^)]*)\)", raw)):
                name = name.strip(" .,;:-")
                if len(name) >= MIN_NAME:
                    names.add(name)
    return sorted(names, key=lambda n: (-len(n), n.lower()))


def names_focus(text: str, names: Iterable[str]) -> bool:
    """Whether the text holds one of the names as whole words (case-insensitive, plural "s"/"es" allowed)."""
    text = " ".join((text or "").split())
    for name in names:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?:e?s)?(?!\w)"
        if re.search(pattern, text, re.IGNORECASE):
            return True
    return False


def cited_documents(statement: Any, answer: Any) -> set[str]:
    """The document ids of the references a statement cites."""
    by_n = {c.n: c.doc_id for c in getattr(answer, "citations", None) or []}
    return {by_n[n] for n in getattr(statement, "citations", ()) or () if n in by_n}


def on_focus(statement: Any, answer: Any, names: Sequence[str], focus_docs: Iterable[str]) -> bool:
    """The statement names the focus or cites a focus document."""
    return names_focus(statement.text, names) or bool(cited_documents(statement, answer) & set(focus_docs))


# --- bottom line --------------------------------------------------------------------------------------------


def _asks_yes_no(analysis: Any) -> bool:
    if getattr(analysis, "yes_no", False):
        return True
    subs = getattr(analysis, "sub_questions", ()) or ()
    return bool(subs) and bool(getattr(subs[0], "yes_no", False))


def bottom_line_check(answer: Any) -> tuple[bool | None, str]:
    """(has a bottom line, reason): None when not applicable (abstained, a fixed reply, no analysis)."""
    if not _applicable(answer):
        return None, "n/a"
    analysis = answer.analysis
    lead = next((p for p in getattr(answer, "bottom_line", None) or []
                 if any((s.text or "").strip() for s in p.statements) or (p.unanswered or "").strip()), None)
    if lead is None:
        return False, "none"
    statements = [s for s in lead.statements if (s.text or "").strip()][:LEAD_STATEMENTS]
    if not statements:
        return True, "ok"  # an explicit "the library does not say ..."
    if _asks_yes_no(analysis) and not (lead.verdict or "").strip():
        return False, "no verdict"
    names = focus_names(analysis)
    docs = getattr(analysis, "focus_documents", frozenset()) or frozenset()
    if (names or docs) and not any(on_focus(s, answer, names, docs) for s in statements):
        return False, "off focus"
    wanted = set(getattr(analysis, "types", ()) or ()) & CHECKED_TYPES
    if wanted:
        found = {t for s in statements for t in question_types(f"{s.facet} {s.text}")}
        if not wanted & found:
            return False, "type"
    return True, "ok"


# --- sub-questions ------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").lower()).split())


def subquestion_coverage(answer: Any) -> tuple[int, int] | None:
    """(sub-questions covered, sub-questions asked) by the rule in the module docstring; None when not applicable."""
    if not _applicable(answer):
        return None
    subs = [_fold(s.text) for s in getattr(answer.analysis, "sub_questions", ()) or ()] or [""]
    covered = [False] * len(subs)
    untitled = 0
    for part in getattr(answer, "bottom_line", None) or []:
        if not (any((s.text or "").strip() for s in part.statements) or (part.unanswered or "").strip()):
            continue
        asked = _fold(part.question)
        if not asked:
            untitled += 1
            continue
        for i, sub in enumerate(subs):
            if sub and (asked in sub or sub in asked):
                covered[i] = True
                break
        else:
            untitled += 1
    for i in range(len(subs)):
        if untitled and not covered[i]:
            covered[i] = True
            untitled -= 1
    return sum(covered), len(subs)


# --- per answer ---------------------------------------------------------------------------------------------


def _applicable(answer: Any) -> bool:
    return (not getattr(answer, "abstained", False) and not (getattr(answer, "message", "") or "").strip()
            and getattr(answer, "analysis", None) is not None)


def answer_quality(answer: Any) -> dict[str, Any]:
    """The per-answer quality fields of results.jsonl (see the module docstring)."""
    shown = list(shown_statements(answer)) if not getattr(answer, "abstained", False) else []
    ok, reason = bottom_line_check(answer)
    problems: list[dict[str, Any]] = []
    kinds: dict[str, int] = {}
    for item in shown:
        found = standalone_problems(item.statement.text, research=item.part == "research")
        if found:
            problems.append({"text": item.statement.text[:200], "problems": found})
            for kind in found:
                kinds[kind] = kinds.get(kind, 0) + 1
    analysis = getattr(answer, "analysis", None)
    names = focus_names(analysis)
    docs = getattr(analysis, "focus_documents", frozenset()) or frozenset() if analysis is not None else frozenset()
    focus_known = bool(shown) and bool(names or docs)
    off = [s.statement.text for s in shown if focus_known and not on_focus(s.statement, answer, names, docs)]
    coverage = subquestion_coverage(answer)
    return {
        "bottom_line": ok,
        "bottom_line_reason": reason,
        "standalone_problems": len(problems) if shown or _applicable(answer) else None,
        "standalone_kinds": kinds,
        "standalone_examples": problems[:EXAMPLES],
        "focus_statements": len(shown) if focus_known else 0,
        "on_focus_statements": len(shown) - len(off) if focus_known else 0,
        "off_focus_examples": [t[:200] for t in off[:EXAMPLES]],
        "sub_questions": coverage[1] if coverage else 0,
        "sub_questions_covered": coverage[0] if coverage else 0,
        "statement_text": " ".join(s.statement.text for s in shown),
    }
