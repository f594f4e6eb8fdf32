"""Personal-advice detection and the triage block's Markdown."""

from __future__ import annotations

import pytest

from medcite.qa.safety import TRIAGE_FOOTER, asks_personal_advice, triage_markdown
from medcite.triage import Triage

pytestmark = pytest.mark.unit


class TestTriageMarkdown:
    def test_headline_then_actions_then_footer(self) -> None:
        result = Triage().run("my dad's face is drooping and he can't lift his arm")
        md = triage_markdown(result)
        assert md.startswith(f"**{result.headline}**\n- Call 911 now")
        assert md.rstrip().endswith(f"*{TRIAGE_FOOTER}*")

    def test_crisis_block_has_no_evidence_footer(self) -> None:
        md = triage_markdown(Triage().run("I want to kill myself"))
        assert "988" in md and TRIAGE_FOOTER not in md

    def test_nothing_for_an_ordinary_message(self) -> None:
        assert triage_markdown(Triage().run("What is IVIG?")) == ""


class TestPersonalAdvice:
    @pytest.mark.parametrize(
        "text",
        [
            "Should I take IVIG for my neuropathy?",
            "Do I have Guillain-Barré syndrome?",
            "How much ibuprofen should I take?",
            "Can I stop my prednisone now?",
            "Is it safe for me to take aspirin with warfarin?",
            "What dose should I give my son?",
            "Please diagnose me: I have a rash and a fever.",
            "Should my daughter get the HPV vaccine?",
            "Am I at risk of a stroke?",
        ],
    )
    def test_personal_requests(self, text: str) -> None:
        assert asks_personal_advice(text)

    @pytest.mark.parametrize(
        "text",
        [
            "Does IVIG help all autoimmune conditions?",
            "What are the side effects of IVIG?",
            "How is Guillain-Barré syndrome treated?",
            "What is the usual dose of IVIG?",
            "",
        ],
    )
    def test_general_questions(self, text: str) -> None:
        assert not asks_personal_advice(text)
