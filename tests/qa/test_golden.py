"""Golden answers: the exact Markdown and JSON the offline engine writes for fixed questions over fixed passages.

The answer document (issue 14) changed how answers are built; these files say what a user sees, so every visible
change shows up here as a diff to review. Regenerate after an intended change with
``MEDCITE_REGOLD=1 pytest tests/qa/test_golden.py`` and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from medcite.qa.offline import compose_offline
from medcite.qa.service import crisis_answer
from medcite.triage import Triage

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = {
    "ivig_yes_no": "Does IVIG help all autoimmune conditions?",
    "ivig_dose": "What is the usual dose of IVIG and how is it given?",
    "ivig_advice": "Should I take IVIG for my myasthenia gravis?",
    "ivig_research": "What did studies find about off-label IVIG use?",
    "unknown_topic": "What is the capital of France?",
}


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MEDCITE_REGOLD"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with MEDCITE_REGOLD=1 once and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: review, then MEDCITE_REGOLD=1"


def _sections(answer) -> str:
    return json.dumps(answer.sections, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_offline_answer_is_unchanged(name, ivig_passages) -> None:
    answer = compose_offline(CASES[name], ivig_passages)
    answer.triage = Triage().run(CASES[name])
    _check(f"{name}.md", answer.markdown + "\n")
    _check(f"{name}.sections.json", _sections(answer))


def test_unrelated_passages_refusal_is_unchanged(unrelated_passages) -> None:
    answer = compose_offline("Does IVIG help all autoimmune conditions?", unrelated_passages)
    _check("refusal.md", answer.markdown + "\n")


def test_escaped_source_is_unchanged(ivig_passages, malicious_passage) -> None:
    answer = compose_offline("How is IVIG given?", [malicious_passage, *ivig_passages])
    _check("escaped.md", answer.markdown + "\n")


def test_emergency_answer_is_unchanged(ivig_passages) -> None:
    message = "my dad's face is drooping and he can't lift his arm, started 20 min ago. does IVIG help?"
    triage = Triage().run(message)
    assert triage.flagged
    answer = compose_offline(message, ivig_passages)
    answer.triage = triage
    _check("emergency.md", answer.markdown + "\n")


def test_crisis_answer_is_unchanged() -> None:
    message = "i have the pills saved up and i've written my goodbye letters"
    triage = Triage().run(message)
    assert triage.withholds_answer
    _check("crisis.md", crisis_answer(message, triage, [], 0.0).markdown + "\n")
