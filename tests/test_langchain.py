"""MedCiteRetriever: MedCite's retrieval as a LangChain retriever, on a small library embedded with the real model.

The library is tests/fixtures/library/ivig_library.jsonl (7 short documents written for the tests), ingested once
per module with the real embedding model; the chain tests use a real LCEL chain whose chat model is a
BaseChatModel that echoes its prompt, so what reached the model can be asserted.
"""

from __future__ import annotations

import asyncio
import importlib
import sys

import pytest
from langchain_core.documents import Document
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough

from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.errors import MedciteError
from medcite.ingest.pipeline import IngestPipeline
from medcite.langchain import LangChainMissing, MedCiteRetriever
from medcite.qa.retrieve import Filters, Retriever
from medcite.qa.service import open_retriever
from medcite.settings import Settings
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration

LIBRARY = FIXTURES / "library" / "ivig_library.jsonl"
SIDE_EFFECTS = "What are the side effects of IVIG infusions?"
STATINS = "Do statins help after a myocardial infarction?"
METADATA_KEYS = {"chunk_id", "doc_id", "title", "section", "kind", "source", "source_name", "url", "year",
                 "evidence_label", "score", "rank", "citation"}
ENV = ("MEDCITE_CHROMA_URL", "MEDCITE_EMBEDDING_MODEL", "MEDCITE_EMBEDDING_BACKEND", "MEDCITE_CHUNK_TOKENS",
       "MEDCITE_CHUNK_OVERLAP_TOKENS", "MEDCITE_EMBED_TITLES", "MEDCITE_RETRIEVAL_MODE")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(settings, embedder): the IVIG library ingested once with the real embedding model."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ENV:
            mp.delenv(name, raising=False)
        settings = Settings(home=tmp_path_factory.mktemp("langchain-home"))
    embedder = Embedder(settings)
    with Library(settings) as library:
        report = IngestPipeline(settings, library, embedder).ingest_paths([LIBRARY])
    assert not report.failed and report.added == 7
    return settings, embedder


@pytest.fixture
def core(built):
    """MedCite's own Retriever over the library, opened read-only as the answer service opens it."""
    settings, embedder = built
    retriever = open_retriever(settings, embedder=embedder)
    assert retriever.library.readonly
    yield retriever
    retriever.library.close()


class EchoChatModel(BaseChatModel):
    """A real chat model class that answers with the prompt it was given (and keeps every prompt)."""

    prompts: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "echo"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.prompts.append(list(messages))
        text = "\n".join(str(m.content) for m in messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def format_docs(docs: list[Document]) -> str:
    return "\n\n".join(f"[{d.metadata['rank']}] {d.page_content}\n({d.metadata['citation']})" for d in docs)


class TestInvoke:
    def test_documents_carry_the_citation_metadata_best_first(self, core):
        docs = MedCiteRetriever(retriever=core, k=4).invoke(SIDE_EFFECTS)
        assert 1 < len(docs) <= 4 and all(isinstance(d, Document) for d in docs)
        assert all(set(d.metadata) == METADATA_KEYS for d in docs)
        assert [d.metadata["rank"] for d in docs] == list(range(1, len(docs) + 1))
        scores = [d.metadata["score"] for d in docs]
        assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
        top = docs[0]
        assert top.metadata["doc_id"] == "NINDS_ivig"
        assert "Headache, chills and flushing are common side effects" in top.page_content
        assert top.id == top.metadata["chunk_id"] and top.metadata["chunk_id"].startswith("NINDS_ivig#")
        assert {k: top.metadata[k] for k in ("title", "kind", "source", "source_name", "url", "year",
                                             "evidence_label")} == {
            "title": "Intravenous Immunoglobulin (IVIG)", "kind": "guideline", "source": "NINDS",
            "source_name": "National Institute of Neurological Disorders and Stroke",
            "url": "https://www.ninds.nih.gov/ivig", "year": None, "evidence_label": "NIH consumer guideline (NINDS)"}
        assert top.metadata["section"] == "What are the side effects of IVIG?"
        assert top.metadata["citation"] == ("Intravenous Immunoglobulin (IVIG). National Institute of Neurological "
                                            "Disorders and Stroke. NIH consumer guideline (NINDS). "
                                            "https://www.ninds.nih.gov/ivig")

    def test_research_citation_has_source_and_year(self, core):
        top = MedCiteRetriever(retriever=core, k=3).invoke(STATINS)[0]
        assert (top.metadata["doc_id"], top.metadata["kind"], top.metadata["year"]) == ("pubmed:9000005", "research",
                                                                                       2016)
        assert top.metadata["citation"] == ("Statins after myocardial infarction. Cardiology Today, 2016. "
                                            "Randomized Controlled Trial. https://pubmed.ncbi.nlm.nih.gov/9000005/")

    def test_same_passages_as_medcite_search(self, core):
        docs = MedCiteRetriever(retriever=core, k=5, mode="lexical").invoke(SIDE_EFFECTS)
        assert [d.metadata["chunk_id"] for d in docs] == [p.chunk.id for p in core.search(SIDE_EFFECTS, 5,
                                                                                           mode="lexical")]

    def test_goes_through_retriever_search(self, built):
        calls = []

        class Spy(Retriever):
            def search(self, query, k=10, filters=None, mode="hybrid"):
                calls.append((query, k, filters, mode))
                return super().search(query, k, filters, mode)

        settings, embedder = built
        spy = Spy(Library(settings, readonly=True), embedder)
        try:
            filters = Filters(kind="research")
            docs = MedCiteRetriever(retriever=spy, k=2, filters=filters, mode="dense").invoke(STATINS)
        finally:
            spy.library.close()
        assert calls == [(STATINS, 2, filters, "dense")] and len(docs) == 2

    @pytest.mark.parametrize("query", ["", "   "])
    def test_empty_query_returns_nothing(self, core, query):
        assert MedCiteRetriever(retriever=core).invoke(query) == []


class TestChain:
    def test_retrieved_passages_reach_the_model_in_an_lcel_chain(self, core):
        retriever = MedCiteRetriever(retriever=core, k=2)
        prompt = ChatPromptTemplate.from_template(
            "Answer from these passages only, citing them by number.\n\n{context}\n\nQuestion: {question}")
        model = EchoChatModel(prompts=[])
        chain = ({"context": retriever | format_docs, "question": RunnablePassthrough()}
                 | prompt | model | StrOutputParser())
        out = chain.invoke(STATINS)
        assert isinstance(out, str) and len(model.prompts) == 1
        assert "[1] High-intensity statin therapy after myocardial infarction reduced cardiovascular death" in out
        assert "(Statins after myocardial infarction. Cardiology Today, 2016." in out
        assert out.rstrip().endswith(f"Question: {STATINS}")
        assert "[3]" not in out  # k=2 passages, no more

    def test_chain_runs_async(self, core):
        retriever = MedCiteRetriever(retriever=core, k=2)
        prompt = ChatPromptTemplate.from_template("{context}\n\nQuestion: {question}")
        chain = ({"context": retriever | format_docs, "question": RunnablePassthrough()}
                 | prompt | EchoChatModel(prompts=[]) | StrOutputParser())
        out = asyncio.run(chain.ainvoke(SIDE_EFFECTS))
        assert "Headache, chills and flushing are common side effects of IVIG infusions." in out


class TestFilters:
    QUERY = "IVIG adverse events headache aseptic meningitis"

    def test_kind_filter_is_respected(self, core):
        both = MedCiteRetriever(retriever=core, k=8).invoke(self.QUERY)
        assert {d.metadata["kind"] for d in both} == {"guideline", "research"}  # else the filter proves nothing
        for kind in ("guideline", "research"):
            docs = MedCiteRetriever(retriever=core, k=8, filters=Filters(kind=kind)).invoke(self.QUERY)
            assert docs and {d.metadata["kind"] for d in docs} == {kind}

    def test_year_filter_is_respected(self, core):
        docs = MedCiteRetriever(retriever=core, k=8, filters=Filters(year_min=2015)).invoke(self.QUERY)
        assert {d.metadata["doc_id"] for d in docs} == {"pubmed:9000001", "pubmed:9000005"}


class TestAsync:
    def test_ainvoke_matches_invoke(self, core):
        retriever = MedCiteRetriever(retriever=core, k=3)
        docs = asyncio.run(retriever.ainvoke(SIDE_EFFECTS))
        assert docs and all(isinstance(d, Document) for d in docs)
        assert [(d.page_content, d.metadata) for d in docs] == [
            (d.page_content, d.metadata) for d in retriever.invoke(SIDE_EFFECTS)]


class TestValidation:
    @pytest.mark.parametrize("k", [0, -3])
    def test_k_below_one_is_a_clear_error(self, core, k):
        with pytest.raises(ValueError, match=f"k is the number of passages to return and must be at least 1, not {k}"):
            MedCiteRetriever(retriever=core, k=k)

    def test_k_is_checked_on_assignment_too(self, core):
        retriever = MedCiteRetriever(retriever=core, k=2)
        with pytest.raises(ValueError, match="must be at least 1"):
            retriever.k = 0
        assert retriever.k == 2

    def test_unknown_field_and_mode_are_errors(self, core):
        with pytest.raises(ValueError, match="top_k"):
            MedCiteRetriever(retriever=core, top_k=3)
        with pytest.raises(ValueError, match="mode"):
            MedCiteRetriever(retriever=core, mode="semantic")

    def test_from_settings_checks_k_before_opening_anything(self, tmp_path):
        # No library exists here: opening one would fail with "run medcite ingest", not the k message.
        with pytest.raises(ValueError, match="must be at least 1, not 0"):
            MedCiteRetriever.from_settings(Settings(home=tmp_path / "nothing"), k=0)

    def test_missing_langchain_core_says_what_to_install(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "langchain_core.retrievers", None)
        monkeypatch.delitem(sys.modules, "medcite.langchain")
        with pytest.raises(ImportError, match=r"pip install 'langchain-core>=1.0,<2'") as raised:
            importlib.import_module("medcite.langchain")
        # A fresh import defines a fresh class: compare by name (and MedCite's base class, which is not reloaded).
        assert type(raised.value).__name__ == LangChainMissing.__name__ and isinstance(raised.value, MedciteError)


class TestFromSettings:
    def test_opens_the_library_read_only_as_the_service_does(self, built, monkeypatch):
        settings, embedder = built
        opened = []
        monkeypatch.setattr("medcite.qa.service.Embedder",
                            lambda s, **kw: opened.append((s, kw)) or embedder)  # the module's loaded model
        with MedCiteRetriever.from_settings(settings, k=3) as retriever:
            assert retriever.retriever.library.readonly and retriever.mode == settings.retrieval_mode
            assert opened == [(settings, {"threads": settings.query_torch_threads})]
            docs = retriever.invoke(STATINS)
            assert docs[0].metadata["doc_id"] == "pubmed:9000005" and len(docs) == 3
        with pytest.raises(Exception):  # noqa: B017 - the ledger it opened is closed
            retriever.invoke(STATINS)

    def test_mode_can_be_given(self, built, monkeypatch):
        settings, embedder = built
        monkeypatch.setattr("medcite.qa.service.Embedder", lambda s, **kw: embedder)
        with MedCiteRetriever.from_settings(settings, mode="lexical") as retriever:
            assert retriever.mode == "lexical" and retriever.k == 8

    def test_a_passed_retriever_is_not_closed(self, core):
        MedCiteRetriever(retriever=core).close()
        assert core.search(STATINS, 1)
