"""Tests for hybrid retrieval, its filters, diversity and query normalisation."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from medcite.corpus.library import Library
from medcite.ingest.chunking import Chunker, ChunkingConfig
from medcite.qa.retrieve import Filters, Retriever, documents_of, normalise_query
from medcite.types import Document, Section

DOCS = [
    ("g-ivig", "guideline", None, "IVIG overview", [
        ("How is ITP treated?", "Intravenous immunoglobulin (IVIG) raises platelet counts in immune thrombocytopenia."),
        ("Dosing", "IVIG is given at 2 g/kg divided over two to five days."),
        ("Safety", "Headache and aseptic meningitis are adverse effects of IVIG infusion."),
    ]),
    ("pubmed:1", "research", 2004, "IVIG in Guillain-Barre syndrome", [
        ("Conclusions", "IVIG was as effective as plasma exchange in Guillain-Barre syndrome."),
    ]),
    ("pubmed:2", "research", 2018, "Statins after myocardial infarction", [
        ("Results", "Statin therapy reduced cardiovascular death after myocardial infarction."),
    ]),
    ("pubmed:3", "research", 2012, "Asthma inhalers in children", [
        ("Results", "Inhaled corticosteroids reduced asthma exacerbations in children."),
    ]),
]


@pytest.fixture
def library(settings, fake_embedder):
    docs = [Document(id=i, title=t, kind=k, source="GHR" if k == "guideline" else "PubMed", year=y,
                     sections=[Section(id=f"{i}_Sec{n}", heading=h, text=x) for n, (h, x) in enumerate(secs)])
            for i, k, y, t, secs in DOCS]
    with written_library(settings, fake_embedder, docs) as lib:
        yield lib


@contextmanager
def written_library(settings, fake_embedder, docs):
    """A library holding ``docs``, chunked small and embedded with the fake embedder."""
    chunker = Chunker(ChunkingConfig(64, 8, True), fake_embedder.count_tokens)
    with Library(settings) as lib:
        items = [(d, d.content_hash(), chunker.chunk_document(d)) for d in docs]
        chunks = [c for _, _, cs in items for c in cs]
        lib.write(items, chunks, fake_embedder.embed_documents([c.embed_text for c in chunks]), set())
        yield lib


@pytest.mark.unit
class TestNormaliseQuery:
    @pytest.mark.parametrize("raw, expected", [
        ("Hi doctor, does IVIG help ITP? Thanks so much, Mary", "does IVIG help ITP?"),
        ("hello!!   what is   asthma", "what is asthma"),
        ("Good morning. Is statin safe? Regards, J. Smith", "Is statin safe?"),
        ("see https://example.com/x and mail me a@b.com: ivig dose", "see and mail me : ivig dose"),
        ("Thanks", "Thanks"),  # nothing left after stripping: keep the original
    ])
    def test_strips_wrapping(self, raw, expected):
        assert normalise_query(raw) == expected


@pytest.mark.integration
class TestRetriever:
    def test_hybrid_finds_the_relevant_passage_first(self, library, fake_embedder):
        passages = Retriever(library, fake_embedder).search("statin therapy after myocardial infarction", k=5)
        assert passages[0].chunk.doc_id == "pubmed:2"
        assert passages[0].dense_rank == 1 and passages[0].lexical_rank == 1
        assert all(0 <= p.score <= 1.0 for p in passages)
        assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
        assert passages[0].similarity is not None
        # reciprocal-rank fusion scores 1.0 for "ranked first by both"
        rrf = Retriever(library, fake_embedder, fusion="rrf").search("statin therapy after myocardial infarction", 5)
        assert rrf[0].chunk.doc_id == "pubmed:2" and rrf[0].score == pytest.approx(1.0)

    @pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
    def test_each_mode_answers(self, library, fake_embedder, mode):
        passages = Retriever(library, fake_embedder).search("asthma inhaled corticosteroids children", 3, mode=mode)
        assert passages[0].chunk.doc_id == "pubmed:3"
        if mode == "lexical":
            assert all(p.dense_rank is None for p in passages)
        if mode == "dense":
            assert all(p.lexical_rank is None for p in passages)

    def test_one_document_cannot_fill_the_list(self, library, fake_embedder):
        passages = Retriever(library, fake_embedder, max_per_document=2).search("IVIG immunoglobulin", k=10)
        docs = [p.chunk.doc_id for p in passages]
        assert docs.count("g-ivig") == 2
        assert "pubmed:1" in docs
        assert documents_of(passages)[:2] in (["g-ivig", "pubmed:1"], ["pubmed:1", "g-ivig"])

    def test_filters(self, library, fake_embedder):
        retriever = Retriever(library, fake_embedder)
        kinds = {p.chunk.kind for p in retriever.search("IVIG", 10, Filters(kind="guideline"))}
        assert kinds == {"guideline"}
        years = {p.chunk.year for p in retriever.search("IVIG statin asthma", 10, Filters(year_min=2010))}
        assert years and all(y >= 2010 for y in years)
        early = retriever.search("IVIG", 10, Filters(year_max=2005, kind="research"))
        assert {p.chunk.doc_id for p in early} == {"pubmed:1"}

    def test_passages_carry_citation_metadata(self, library, fake_embedder):
        p = Retriever(library, fake_embedder).search("Guillain-Barre plasma exchange", 1)[0]
        assert (p.chunk.doc_id, p.chunk.title, p.chunk.year, p.chunk.source) == (
            "pubmed:1", "IVIG in Guillain-Barre syndrome", 2004, "PubMed")

    def test_empty_query_returns_nothing(self, library, fake_embedder):
        assert Retriever(library, fake_embedder).search("   ", 5) == []

    def test_chunk_only_in_chroma_is_still_returned(self, library, fake_embedder):
        # An ingest that wrote Chroma but was killed before the ledger commit: queries must still work.
        library.ledger.delete_documents(["pubmed:2"])
        passages = Retriever(library, fake_embedder).search("statin myocardial infarction", 3, mode="dense")
        assert passages[0].chunk.doc_id == "pubmed:2" and passages[0].chunk.title


@pytest.fixture
def crowded_library(settings, fake_embedder):
    """Thirty guideline pages about IVIG crowd out three abstracts, one of them about something else."""
    docs = [Document(id=f"g{i}", title=f"IVIG page {i}", kind="guideline", source="GHR",
                     sections=[Section(id=f"g{i}_1", heading="IVIG", text=f"IVIG immunoglobulin infusion note {i}.")])
            for i in range(30)]
    docs += [Document(id=f"pubmed:{i}", title=f"Trial {i}", kind="research", source="PubMed", year=2010,
                      sections=[Section(id=f"p{i}_1", heading="Results", text=text)])
             for i, text in enumerate(["IVIG immunoglobulin trial in neuropathy.", "IVIG infusion adverse events.",
                                       "Knee arthroplasty rehabilitation outcomes."])]
    with written_library(settings, fake_embedder, docs) as lib:
        yield lib


@pytest.mark.integration
class TestSearchBothKinds:
    def _count_filtered_searches(self, retriever, monkeypatch) -> list:
        calls = []  # the filters of every kind-filtered top-up search (a pool read with a limit)
        original = retriever._pool
        monkeypatch.setattr(retriever, "_pool", lambda *a, **kw: (kw.get("limit") and calls.append(a[2]))
                            or original(*a, **kw))
        return calls

    def test_the_missing_kind_comes_from_the_fused_pool_without_another_search(self, crowded_library,
                                                                               fake_embedder, monkeypatch):
        retriever = Retriever(crowded_library, fake_embedder)
        calls = self._count_filtered_searches(retriever, monkeypatch)
        ranked, extra = retriever.search_both_kinds("IVIG immunoglobulin infusion", k=5, per_kind=2)
        assert all(p.chunk.kind == "guideline" for p in ranked)
        assert [p.chunk.kind for p in extra] == ["research", "research"]
        assert not {p.chunk.id for p in extra} & {p.chunk.id for p in ranked}
        assert calls == []  # the pool held enough abstracts

    def test_a_kind_filtered_search_fills_what_the_pool_lacks(self, crowded_library, fake_embedder, monkeypatch):
        retriever = Retriever(crowded_library, fake_embedder, candidates=4)  # a pool too small to reach abstracts
        calls = self._count_filtered_searches(retriever, monkeypatch)
        ranked, extra = retriever.search_both_kinds("IVIG immunoglobulin infusion", k=4, per_kind=2)
        assert {p.chunk.kind for p in extra} == {"research"} and len(extra) == 2
        assert [f.kind for f in calls] == ["research"]

    def test_a_kind_filter_asks_for_no_top_up_of_the_other_kind(self, crowded_library, fake_embedder):
        ranked, extra = Retriever(crowded_library, fake_embedder).search_both_kinds(
            "IVIG immunoglobulin", k=3, filters=Filters(kind="research"), per_kind=2)
        assert all(p.chunk.kind == "research" for p in ranked + extra)


@pytest.mark.integration
def test_the_focus_pages_passages_beyond_the_cap_widen_the_evidence(settings, fake_embedder):
    """A page of five sections about the question's focus: the ranking keeps two of them (the per-document cap),
    the answer also reads the rest (round 8's blind read: Isaacs' syndrome's symptom list sat in a third chunk)."""
    from medcite.analysis.question import Focus, QuestionAnalysis

    sections = [("What is", "Isaacs syndrome is a rare neuromuscular disorder of nerve hyperexcitability."),
                ("Symptoms", "Symptoms of Isaacs syndrome include muscle stiffness, twitching and cramping."),
                ("Treatment", "Anticonvulsants relieve the stiffness of Isaacs syndrome."),
                ("Outlook", "The long-term prognosis of Isaacs syndrome is uncertain."),
                ("Research", "Research on Isaacs syndrome studies potassium channel antibodies.")]
    docs = [Document(id="g-isaacs", title="Isaacs syndrome", kind="guideline", source="NINDS",
                     sections=[Section(id=f"g-isaacs_{n}", heading=h, text=t) for n, (h, t) in enumerate(sections)]),
            *(Document(id=f"g-other{i}", title=f"Other page {i}", kind="guideline", source="GHR",
                       sections=[Section(id=f"g-other{i}_0", heading="About", text=f"Muscle stiffness note {i}.")])
              for i in range(6))]
    focus = Focus("Isaacs syndrome", "Isaacs syndrome", ("g-isaacs",), ("title",))
    with written_library(settings, fake_embedder, docs) as lib:
        retriever = Retriever(lib, fake_embedder)
        question = "symptoms of Isaacs syndrome"
        analysis = QuestionAnalysis(message=question, cleaned=question, query="symptoms of isaacs syndrome",
                                    focus=(focus,))
        ranked, extra = retriever.search_both_kinds(question, k=4, analysis=analysis)
        in_ranking = [p for p in ranked if p.chunk.doc_id == "g-isaacs"]
        also_read = [p for p in extra if p.chunk.doc_id == "g-isaacs"]
        assert len(in_ranking) == 2
        assert len(in_ranking) + len(also_read) == 5
        assert not {p.chunk.id for p in in_ranking} & {p.chunk.id for p in also_read}
