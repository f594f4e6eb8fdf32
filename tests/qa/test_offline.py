"""End-to-end behaviour of the offline engine: compose_offline()."""

from __future__ import annotations

import json
import re
import time

import pytest

from medcite.answer import Answer
from medcite.qa.compose import (
    CONSIDERATIONS_LEAD,
    FACET_SEPARATOR,
    GUIDELINES_HEADING,
    PART_NOTES,
    REFERENCES_HEADING,
    RESEARCH_HEADING,
    RESEARCH_ONLY_BOTTOM,
    parse_citation_numbers,
)
from medcite.qa.offline import (
    DISCLAIMER,
    PERSONAL_ADVICE_NOTICE,
    REFUSAL,
    SUGGESTION_LEAD,
    OfflineSettings,
    compose_offline,
)
from medcite.types import Passage
from tests.qa.conftest import make_passage, squash

pytestmark = pytest.mark.unit

QUESTION = "Does IVIG help all autoimmune conditions?"
_MARKED = re.compile(r"(.+?) ((?:\[\d+\])+)([.!]?[\"'\u201d\u2019)\]]*)(?=\s|$)")
_UNESCAPE = re.compile(r"\\([\\`*_\[\]{}#|~])")


def unescape(text: str) -> str:
    text = _UNESCAPE.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def content_lines(markdown: str) -> list[str]:
    """The lines of an answer that carry claims: not headings, notices, references or the disclaimer."""
    skip = {GUIDELINES_HEADING, RESEARCH_HEADING, REFERENCES_HEADING, CONSIDERATIONS_LEAD, f"*{DISCLAIMER}*"}
    skip |= {PERSONAL_ADVICE_NOTICE, f"*{PERSONAL_ADVICE_NOTICE}*", REFUSAL, RESEARCH_ONLY_BOTTOM} | set(PART_NOTES)
    out = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line or line in skip or line.startswith(SUGGESTION_LEAD):
            continue
        if re.fullmatch(r"\*[A-Z][^*]*\*", line) or re.match(r"- \[\d+\] ", line):
            continue  # a research heading or a reference
        out.append(line)
    return out


def claims(markdown: str) -> list[tuple[str, list[int]]]:
    """(sentence, citation numbers) for each sentence of the claim lines; fails on an uncited one."""
    found = []
    for line in content_lines(markdown):
        line = re.sub(r"^- (\*\*[^*]+\*\*" + FACET_SEPARATOR + ")?", "", line)
        line = re.sub(r"^\*\*[^*]+:\*\* ", "", line)  # "In short (from the research):"
        line = re.sub(r"^\*\*(?:Yes|No|Not for all|The evidence is mixed)\.\*\* ", "", line)  # a verdict
        line = re.sub(r"^\*[^*]+\?\* ", "", line)  # a sub-question's label
        pos = 0
        for m in _MARKED.finditer(line):
            assert not line[pos : m.start()].strip(), f"uncited text in: {line!r}"
            found.append((unescape(m.group(1).strip()) + m.group(3), parse_citation_numbers(m.group(2))))
            pos = m.end()
        assert not line[pos:].strip(), f"uncited text at the end of: {line!r}"
    return found


def passages_of(answer: Answer, passages: list[Passage], n: int) -> list[Passage]:
    doc_id = next(c.doc_id for c in answer.citations if c.n == n)
    return [p for p in passages if p.chunk.doc_id == doc_id]


def assert_grounded(answer: Answer, passages: list[Passage]) -> None:
    """Every claim sentence carries citations that resolve, and occurs verbatim in a cited passage."""
    refs = {c.n for c in answer.citations}
    seen: set[str] = set()
    pairs = claims(answer.markdown)
    assert pairs, "no claims"
    for sentence, numbers in pairs:
        assert numbers, sentence
        assert set(numbers) <= refs, (sentence, numbers, refs)
        body = squash(sentence).rstrip(".")
        assert body not in seen, f"repeated: {sentence}"
        seen.add(body)
        repaired = _repaired_spans(answer, passages).get(squash(sentence))
        for n in numbers:
            texts = [squash(p.chunk.text) for p in passages_of(answer, passages, n)]
            # a stand-alone repair ("It is ..." -> "IVIG is ...") is grounded by its span in the cited chunk
            assert any(body in t for t in texts) or repaired, f"{sentence!r} not found in source [{n}]"


def _repaired_spans(answer: Answer, passages: list[Passage]) -> dict[str, str]:
    """Statements whose text differs from the source only by a stand-alone repair: {text: source slice}."""
    from medcite.qa.standalone import repair

    chunks = {p.chunk.id: p.chunk for p in passages}
    out = {}
    parts = [s for b in answer.bottom_line for s in b.statements] + [s for c in answer.considerations
                                                                      for s in c.statements]
    parts += [s for f in answer.research for s in f.statements]
    for st in parts:
        chunk = chunks.get(st.chunk_ids[0]) if st.chunk_ids else None
        if st.span and chunk is not None:
            source = chunk.text[st.span[0]:st.span[1]]
            before = chunk.text[: st.span[0]].rstrip()
            previous = before[before.rfind(". ") + 2:] if ". " in before else before
            if source != st.text and repair(source, focus=chunk.title, previous=previous) == st.text:
                out[squash(st.text)] = source
    return out


class TestOfflineEngine:
    def test_ivig_answer(self, ivig_passages) -> None:
        answer = compose_offline(QUESTION, ivig_passages)
        assert not answer.abstained and not answer.emergency
        assert answer.engine == "offline"
        md = answer.markdown
        assert md.startswith(GUIDELINES_HEADING)
        assert "IVIG does not help all autoimmune conditions [1]." in md
        assert "- **Dosing and Administration** \u2014 The usual immunomodulatory dose of IVIG is 2 g/kg" in md
        assert "*Efficacy*" in md and "*Safety and Adverse Effects*" in md and "*Off-Label Use*" in md
        assert md.rstrip().endswith(f"*{DISCLAIMER}*")
        assert_grounded(answer, ivig_passages)

    def test_references(self, ivig_passages) -> None:
        answer = compose_offline(QUESTION, ivig_passages)
        refs = answer.markdown.split(REFERENCES_HEADING)[1]
        for c in answer.citations:
            assert re.search(rf"^- \[{c.n}\] .+", refs, re.M)
        assert "<https://pubmed.ncbi.nlm.nih.gov/90000001/>" in refs
        assert "Systematic review / meta-analysis" in refs
        used = set(parse_citation_numbers(answer.markdown.split(REFERENCES_HEADING)[0]))
        assert used == {c.n for c in answer.citations}

    def test_retrieved_ids_in_order(self, ivig_passages) -> None:
        answer = compose_offline(QUESTION, ivig_passages)
        assert answer.retrieved == list(dict.fromkeys(p.chunk.doc_id for p in ivig_passages))

    def test_statements_are_verbatim(self, ivig_passages) -> None:
        answer = compose_offline(QUESTION, ivig_passages)
        by_chunk = {p.chunk.id: squash(p.chunk.text) for p in ivig_passages}
        statements = list(answer.sections["guidelines"]["bottom_line"])
        statements += [s for c in answer.sections["guidelines"]["considerations"] for s in c["statements"]]
        statements += [b for r in answer.sections["research"] for b in r["bullets"]]
        texts = [s["text"] for s in statements]
        assert len(texts) == len(set(texts))
        for s in statements:
            assert all(squash(s["text"]).rstrip(".") in by_chunk[cid] for cid in s["chunk_ids"])

    def test_deterministic(self, ivig_passages) -> None:
        a = compose_offline(QUESTION, ivig_passages)
        b = compose_offline(QUESTION, list(ivig_passages))
        assert a.markdown == b.markdown
        assert json.dumps(a.sections, sort_keys=True) == json.dumps(b.sections, sort_keys=True)
        assert a.citations == b.citations

    def test_abstains_on_unrelated_passages(self, unrelated_passages) -> None:
        answer = compose_offline(QUESTION, unrelated_passages)
        assert answer.abstained
        assert answer.markdown.startswith(REFUSAL)
        assert SUGGESTION_LEAD in answer.markdown
        assert "lace plant" in answer.markdown
        assert answer.citations == []
        assert claims(answer.markdown) == []
        assert answer.sections == {"guidelines": {"bottom_line": [], "considerations": []}, "research": []}

    def test_abstains_without_passages(self) -> None:
        answer = compose_offline(QUESTION, [])
        assert answer.abstained and REFUSAL in answer.markdown
        assert answer.retrieved == []

    def test_abstains_on_unknown_topic(self, ivig_passages) -> None:
        answer = compose_offline("What is the capital of France?", ivig_passages)
        assert answer.abstained

    def test_the_engine_leaves_triage_to_the_service(self, ivig_passages) -> None:
        """Triage runs once, before retrieval (medcite.qa.service); the engine itself never flags."""
        answer = compose_offline("My dad's face is drooping and he can't lift his arm, is IVIG used?", ivig_passages)
        assert not answer.emergency and not answer.triage.flagged

    def test_personal_advice_notice(self, ivig_passages) -> None:
        answer = compose_offline("Should I take IVIG for my CIDP?", ivig_passages)
        assert PERSONAL_ADVICE_NOTICE in answer.notices
        assert answer.markdown.startswith(f"*{PERSONAL_ADVICE_NOTICE}*")
        assert_grounded(answer, ivig_passages)

    def test_followup_with_history(self, ivig_passages) -> None:
        history = [(QUESTION, compose_offline(QUESTION, ivig_passages).markdown)]
        answer = compose_offline("and its side effects?", ivig_passages, history=history)
        assert not answer.abstained
        first = [s.text for b in answer.bottom_line for s in b.statements][:1] or [
            s.text for s in answer.research[0].statements]
        assert "adverse events" in first[0]  # what the follow-up asks comes first
        assert "aseptic meningitis" in answer.markdown
        assert_grounded(answer, ivig_passages)
        alone = compose_offline("and its side effects?", ivig_passages)
        assert alone.markdown != answer.markdown

    def test_escapes_source_text(self, ivig_passages, malicious_passage) -> None:
        passages = [malicious_passage, *ivig_passages]
        answer = compose_offline("How is IVIG given in hospital?", passages)
        md = answer.markdown
        assert "<script>" not in md and "<b>" not in md
        assert not re.search(r"(?<!\\)\]\(", md)
        assert "javascript:alert(3)" not in md
        assert "&lt;script&gt;" in md
        assert_grounded(answer, passages)

    def test_settings(self, ivig_passages) -> None:
        strict = compose_offline(QUESTION, ivig_passages, settings=OfflineSettings(abstain_below=0.99))
        assert strict.abstained
        short = compose_offline(QUESTION, ivig_passages, settings=OfflineSettings(max_bottom_line=1))
        assert len(short.sections["guidelines"]["bottom_line"]) == 1

    def test_timings(self, ivig_passages) -> None:
        answer = compose_offline(QUESTION, ivig_passages)
        assert set(answer.timings_ms) == {"evidence", "compose", "total"}

    def test_fast_on_forty_passages(self) -> None:
        words = (
            "IVIG infusion therapy was studied in adults with chronic inflammatory demyelinating "
            "polyneuropathy and other autoimmune neuropathies at several hospitals."
        )
        passages = []
        for i in range(40):
            sentences = [
                f"In cohort {i}, IVIG improved grip strength in {10 + i} of {40 + i} patients after "
                f"{i % 5 + 2} courses.",
                words,
                f"Headache occurred in {i % 7 + 1} patients and thrombosis in {i % 3} patients during "
                f"follow-up of {i + 6} months.",
                "Maintenance infusions every three weeks kept most patients stable for a year.",
                "The authors conclude that IVIG helps selected autoimmune neuropathies but not all of them.",
            ] * 2
            passages.append(
                make_passage(
                    f"pubmed:{1000 + i}",
                    " ".join(sentences)[:1400],
                    title=f"IVIG study {i}",
                    label=("RESULTS", "CONCLUSIONS", "METHODS", "BACKGROUND")[i % 4],
                    score=1.0 - i / 50,
                )
            )
        assert 6000 <= sum(len(p.chunk.text.split()) for p in passages) <= 9000
        compose_offline(QUESTION, passages)  # warm the regex and stem caches
        started = time.perf_counter()
        answer = compose_offline(QUESTION, passages)
        elapsed = (time.perf_counter() - started) * 1000
        assert not answer.abstained
        assert elapsed < 250  # ~10-30 ms on a free core; generous for shared CI machines


@pytest.mark.parametrize(("title", "question"), [
    ("Gout", "What is gout?"), ("Heart valve disease", "What is heart valve disease?"),
    ("Heart Valve Disease", "What is Heart Valve Disease?"),  # was "What is heart Valve Disease?"
    ("Fitz-Hugh-Curtis syndrome", "What is Fitz-Hugh-Curtis syndrome?"), ("IVIG", "What is IVIG?"),
])
def test_suggestion_question_keeps_a_title_readable(title: str, question: str) -> None:
    from medcite.qa.offline import suggestion_question

    assert suggestion_question(title) == question


def test_a_message_naming_what_the_library_lacks_is_refused_when_nothing_reaches_the_bar(ivig_passages) -> None:
    """Unsure of the topic (a name the library lacks, or no name at all) and no sentence the relevance model lets
    through: a refusal that names the gap, not the most probable sentence ("My son with CF just started Trikafta.
    Will he still need his airway clearance?" got "The symptoms and severity of CF also vary over time")."""
    import dataclasses

    from medcite.analysis.question import QuestionAnalysis
    from medcite.qa.offline import compose_offline

    passages = [dataclasses.replace(p, similarity=0.6) for p in ivig_passages]
    question = "What dose of IVIG is given? My son also takes Trikafta."
    lacking = QuestionAnalysis(message=question, cleaned=question, query=question.lower(), missing=("Trikafta",))

    def far(_question, sentences):  # the embedder reads no sentence as close to the question
        return [-1.0] * len(sentences)

    refused = compose_offline(question, passages, analysis=lacking, similarity=far)
    assert refused.abstained and refused.refusal is not None and refused.refusal.missing == ("Trikafta",)
    # without the relevance step (no embedder) the same question is answered, with the gap named
    answered = compose_offline(question, passages, analysis=lacking)
    assert not answered.abstained and any("Trikafta" in n for n in answered.notices)


def test_a_named_gap_offers_each_held_topic_once():
    # "the library's pages on *Narcolepsy*; *narcolepsy* say" was shown: a focus name and a page title in two cases
    from types import SimpleNamespace

    from medcite.qa.offline import _gap

    focus = (SimpleNamespace(display="narcolepsy", inherited=False),)
    analysis = SimpleNamespace(focus=focus, focus_documents=frozenset({"g1", "g2"}), missing=("zelvoprant",))
    passages = [make_passage("g1", "Narcolepsy is a sleep disorder.", title="Narcolepsy", kind="guideline"),
                make_passage("g2", "Sleep matters.", title="Sleep Disorders", kind="guideline")]
    refusal = _gap(analysis, passages, 3)
    assert refusal.broader == ("narcolepsy", "Sleep Disorders") and refusal.missing == ("zelvoprant",)
