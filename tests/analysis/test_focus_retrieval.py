"""The failure classes of issue 13, each shown fixed against a real library (real embedding model, real Chroma).

The library is tests/fixtures/library/analysis_library.jsonl: 12 short guideline pages written for these tests,
with look-alikes on purpose (statins beside leg-pain pages, gout beside diverticulitis diet, MS beside MSA, a gene
whose symbol is an everyday word).
"""

from __future__ import annotations

import pytest

from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.ingest.pipeline import IngestPipeline
from medcite.qa.service import AnswerService
from medcite.settings import Settings
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration

LIBRARY = FIXTURES / "library" / "analysis_library.jsonl"
ENV = ("MEDCITE_CHROMA_URL", "MEDCITE_EMBEDDING_MODEL", "MEDCITE_EMBEDDING_BACKEND", "MEDCITE_CHUNK_TOKENS",
       "MEDCITE_CHUNK_OVERLAP_TOKENS", "MEDCITE_EMBED_TITLES", "MEDCITE_RETRIEVAL_MODE", "MEDCITE_RETRIEVE_K",
       "MEDCITE_ENGINE", "MEDCITE_RETRIEVAL_FUSION")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        for name in ENV:
            mp.delenv(name, raising=False)
        settings = Settings(home=tmp_path_factory.mktemp("analysis-home"))
    embedder = Embedder(settings)
    with Library(settings) as library:
        report = IngestPipeline(settings, library, embedder).ingest_paths([LIBRARY])
    assert not report.failed and report.added == 12
    service = AnswerService(settings, embedder=embedder)
    yield service
    service.close()


def top_documents(service, question: str, history=None, n: int = 3) -> list[str]:
    return service.answer(question, history).retrieved[:n]


def test_the_vocabulary_is_stored_with_the_library(service):
    counts = service.library.ledger.term_counts()
    assert counts["title"] == 12 and counts["acronym"] >= 4  # PAD, RLS, MS, MSA, ACHE, IVIG


def test_a_trailing_question_mark_changes_nothing(service):
    with_mark = service.answer("What are the side effects of statins?")
    without = service.answer("what are the side effects of statins")
    assert with_mark.retrieved == without.retrieved
    assert with_mark.markdown == without.markdown
    assert not with_mark.abstained and with_mark.retrieved[0] == "AN_statins"


def test_gout_foods_reach_the_gout_page_not_a_look_alike_diet(service):
    assert top_documents(service, "What foods should people with gout avoid?", n=1) == ["AN_gout"]


def test_a_chatty_drug_question_reaches_the_drug(service):
    answer = service.answer("been on a statin 3 months and my legs ache, could it be the pills??")
    assert answer.retrieved[0] == "AN_statins"
    assert [f.display for f in answer.analysis.focus] == ["Statins"]


@pytest.mark.parametrize("question, doc", [
    ("what is marfans syndrom", "AN_marfan"),  # a doubled/missing letter in a syndrome's name
    ("side effects of metfromin", "AN_metformin"),  # a drug name two letters off
    ("what is metformine used for", "AN_metformin"),  # a misspelling the lexical index stems to the name
])
def test_misspelt_names_are_answered(service, question, doc):
    answer = service.answer(question)
    assert not answer.abstained and answer.retrieved[0] == doc


def test_a_short_form_matches_its_own_disease(service):
    assert top_documents(service, "MS symptoms", n=1) == ["AN_ms"]
    assert top_documents(service, "what is MSA", n=1) == ["AN_msa"]


def test_an_everyday_word_does_not_match_a_gene_symbol(service):
    analysis = service.analyzer.run("my legs ache at night")
    assert all(f.display != "ACHE" for f in analysis.focus)


def test_a_follow_up_keeps_the_topic(service):
    history = [("Does IVIG help all autoimmune conditions?", "...")]
    answer = service.answer("and what about side effects?", history)
    assert not answer.abstained and answer.retrieved[0] == "AN_ivig"
    assert answer.analysis.focus[0].inherited


def test_a_missing_focus_is_refused_by_name(service):
    answer = service.answer("Is tirzepatide better than metformin for weight loss?")
    assert answer.abstained
    assert "no source on **tirzepatide**" in answer.markdown
    assert "not on **tirzepatide**, the library does hold: *Metformin*" in answer.markdown


def test_an_unknown_drug_name_is_refused_by_name(service):
    # an invented drug: the refusal names it and offers the topic the library holds, labelled as broader
    answer = service.answer("Is zelvoprant safe for people with gout?")
    assert answer.abstained and "no source on **zelvoprant**" in answer.markdown
    assert "not on **zelvoprant**, the library's pages on *Gout* say: " in answer.markdown
    told = service.answer("I read that lumaprex is linked to gout. Should I stop taking it?")
    assert told.abstained and "no source on **lumaprex**" in told.markdown


def test_a_two_part_question_answers_its_answerable_part_and_names_the_missing_one(service):
    answer = service.answer("What is gout, and can drovimab treat it?")
    assert not answer.abstained
    assert "The library has no source on drovimab. The answer below covers the rest." in answer.notices
    assert any(c.doc_id == "AN_gout" for c in answer.citations)


def test_ask_json_carries_the_analysis(service):
    from medcite.cli.ask import answer_json

    data = answer_json(service.answer("side effects of metfromin?"))
    assert data["analysis"]["focus"][0]["name"] == "Metformin"
    assert data["analysis"]["corrections"] == [["metfromin", "Metformin"]]


def test_names_of_newly_ingested_documents_link_without_a_restart(tmp_path):
    import json

    with pytest.MonkeyPatch.context() as mp:
        for name in ENV:
            mp.delenv(name, raising=False)
        settings = Settings(home=tmp_path / "home")
    embedder = Embedder(settings)
    with Library(settings) as library:
        IngestPipeline(settings, library, embedder).ingest_paths([LIBRARY])
    service = AnswerService(settings, embedder=embedder)
    try:
        assert service.analyzer.run("what is xylotrexia").missing == ("xylotrexia",)
        extra = tmp_path / "extra.jsonl"
        extra.write_text(json.dumps({"id": "AN_xylo", "title": "Xylotrexia", "kind": "guideline", "source": "GARD",
                                     "text": "## What is xylotrexia?\nXylotrexia is a rare skin condition that "
                                             "causes dry, scaly patches on the hands."}) + "\n")
        with Library(settings) as library:
            IngestPipeline(settings, library, embedder).ingest_paths([extra])
        answer = service.answer("what is xylotrexia")
        assert not answer.abstained and answer.retrieved[0] == "AN_xylo"
        assert [f.display for f in answer.analysis.focus] == ["Xylotrexia"]
    finally:
        service.close()


def test_two_questions_in_one_message_are_both_answered(service):
    answer = service.answer("What foods should people with gout avoid, and what are the side effects of statins?")
    assert not answer.abstained
    assert {"AN_gout", "AN_statins"} <= {c.doc_id for c in answer.citations}


def test_beside_a_named_gap_the_held_topic_says_what_it_holds_on_the_question(service):
    # round 11's blind read: a refusal over one missing name offered only a title to click; now the held page's
    # section of the type asked (treatment, for a drug question) is quoted, cited and labelled, with no verdict
    answer = service.answer("Does zelvoprant work for gout attacks?")
    assert answer.abstained and answer.refusal.missing == ("zelvoprant",)
    held = answer.refusal.held
    assert held and all(s.citations for s in held) and not answer.decision
    assert any("colchicine" in s.text for s in held)
    assert [c.doc_id for c in answer.citations] == ["AN_gout"]
    assert "not on **zelvoprant**, the library's pages on *Gout* say: " in answer.markdown
    assert "**References**" in answer.markdown
    # a question on what the missing thing is gets no quotation: the held pages cannot say what zelvoprant is
    assert not service.answer("What is zelvoprant, the new gout pill?").refusal.held


def test_the_analysis_knows_chat_shorthand(service):
    from medcite.analysis.vocabulary import CHAT_WORDS

    assert service.analyzer.vocabulary.english >= CHAT_WORDS
