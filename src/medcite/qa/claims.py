"""Checks of a generated sentence against the passage it cites, beyond shared words: numbers and units, negation,
and direction words.

The LLM engine's support score (``medcite.qa.llm.support_score``) is the share of the sentence's content words found
in the passage; "IVIG did not reduce relapses" and "IVIG reduced relapses" share every content word, as do "2 g/kg"
and "20 g/kg" once digits are dropped. :func:`check_claim` compares the sentence with the passage sentence that
shares most of its words (its *source sentence*) and names the first disagreement:

- **numbers**: every number in the sentence (with its unit when one follows: ``2 g/kg``, ``6%``, ``38.5 °C``,
  ``1,234 patients``) occurs in the passage with the same unit;
- **negation**: the sentence and its source sentence are both negated or both not ("no", "not", "never", "without",
  "neither", "failed to", "did not", ...);
- **direction**: a direction word of the sentence (increase/decrease, higher/lower, more/less, improve/worsen,
  reduce/raise, ...) is not contradicted by the opposite one in its source sentence without the same one.

    >>> check_claim("IVIG reduced relapses by 30%.",
    ...             "IVIG did not reduce relapses. Relapses fell by 30% with steroids.")
    'negation differs from the cited passage'
    >>> check_claim("The dose is 2 g/kg.", "The usual dose of IVIG is 2 g/kg, divided over two to five days.") is None
    True
"""

from __future__ import annotations

import re

from medcite.qa.sentences import split_sentences
from medcite.qa.text import content_stems

_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(%|percent|°\s?[CF]|mg/kg|g/kg|mcg|µg|mg|ml|mL|g|kg|mmol/l|mmol/L|mg/dl|mg/dL|years?|months?|weeks?|days?|"
    r"hours?|h|min|patients|participants|children|women|men)?(?![\w])",
)
_UNIT_ALIASES = {"percent": "%", "years": "year", "months": "month", "weeks": "week", "days": "day", "hours": "hour",
                 "h": "hour", "ml": "ml", "mmol/l": "mmol/l", "mg/dl": "mg/dl"}
_NEGATION = re.compile(
    r"\b(?:no|not|never|none|neither|nor|without|cannot|fail(?:ed|s)? to|lack(?:s|ed)? of|absence of|"
    r"(?:did|does|do|was|were|is|are|has|have|had|could|would|should|can|will)n't|unable to|ineffective)\b",
    re.IGNORECASE,
)
# (word stems of one direction, of the other): a sentence saying one while its source says only the other disagrees
_DIRECTIONS: tuple[tuple[str, str], ...] = (
    (r"increas|rais|ris|elevat|higher|greater|more|gain|boost|grew|grow", r"decreas|reduc|lower|less|fewer|fell|fall|"
     r"declin|drop|diminish|loss|lost"),
    (r"improv|better|benefi|relie", r"worse|worsen|deteriorat|harm"),
    (r"overestimat|overstat|exceed", r"underestimat|understat"),
)


def numbers(text: str) -> set[tuple[str, str]]:
    """The numbers of ``text`` with their units, normalised: ``"1,234 patients, 6 %"`` -> {("1234", "patients"),
    ("6", "%")}."""
    out = set()
    for m in _NUMBER.finditer(text):
        value = m.group(1).replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        unit = (m.group(2) or "").replace(" ", "")
        out.add((value, _UNIT_ALIASES.get(unit.lower(), unit.lower())))
    return out


def source_sentence(sentence: str, passage_text: str) -> str:
    """The passage sentence sharing most of ``sentence``'s content words (the passage itself when it has none)."""
    words = set(content_stems(sentence))
    best, best_shared = passage_text, 0
    for candidate in split_sentences(passage_text):
        shared = len(words & set(content_stems(candidate)))
        if shared > best_shared:
            best, best_shared = candidate, shared
    return best


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def _direction(text: str) -> set[tuple[int, int]]:
    low = text.lower()
    found = set()
    for axis, (up, down) in enumerate(_DIRECTIONS):
        if re.search(rf"\b(?:{up})", low):
            found.add((axis, 0))
        if re.search(rf"\b(?:{down})", low):
            found.add((axis, 1))
    return found


def check_claim(sentence: str, passage_text: str) -> str | None:
    """The first way ``sentence`` disagrees with ``passage_text`` (see the module docstring), or None."""
    have = numbers(passage_text)
    plain = {value for value, _ in have}
    for value, unit in sorted(numbers(sentence)):
        if (value, unit) in have or (not unit and value in plain):
            continue
        if unit and value in plain and not any(u for v, u in have if v == value):
            continue  # the passage states the number without a unit; the sentence names it: not a contradiction
        return f"the number {value}{' ' + unit if unit else ''} is not in the cited passage"
    source = source_sentence(sentence, passage_text)
    if _negated(sentence) != _negated(source):
        return "negation differs from the cited passage"
    mine, theirs = _direction(sentence), _direction(source)
    for axis, way in mine:
        if (axis, 1 - way) in theirs and (axis, way) not in theirs:
            return "direction (increase/decrease, better/worse) differs from the cited passage"
    return None
