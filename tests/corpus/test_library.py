"""Tests for the Library facade over real Chroma (embedded and server) and the SQLite ledger."""

from __future__ import annotations

import pytest

from medcite.corpus.library import Library
from medcite.corpus.vectors import VectorStoreError, where_clause
from medcite.ingest.chunking import Chunker, ChunkingConfig
from medcite.settings import Settings
from medcite.types import Document, Section


def make_doc(doc_id: str, text: str, kind="research", year=2020) -> Document:
    return Document(id=doc_id, title=f"Title {doc_id}", kind=kind, source="PubMed", year=year, origin="/src/a.json",
                    sections=[Section(id=f"{doc_id}#s0", heading="Results", text=text)])


def write(library: Library, embedder, *docs: Document) -> None:
    chunker = Chunker(ChunkingConfig(64, 8, True), embedder.count_tokens)
    items = [(d, d.content_hash(), chunker.chunk_document(d)) for d in docs]
    existing = library.existing_vector_ids([d.id for d in docs])
    new = [c for _, _, cs in items for c in cs if c.id not in existing]
    library.write(items, new, embedder.embed_documents([c.embed_text for c in new]), existing)


@pytest.mark.unit
class TestWhereClause:
    def test_builds_chroma_filters(self):
        assert where_clause() is None
        assert where_clause(kind="guideline") == {"kind": "guideline"}
        assert where_clause(kind="research", year_min=2000, year_max=2010) == {
            "$and": [{"kind": "research"}, {"year": {"$gte": 2000}}, {"year": {"$lte": 2010}}]}


@pytest.mark.integration
class TestLibraryEmbedded:
    def test_write_query_replace_remove(self, settings, fake_embedder):
        with Library(settings) as lib:
            write(lib, fake_embedder, make_doc("d1", "IVIG treats Kawasaki disease."),
                  make_doc("d2", "Rituximab depletes B cells in lymphoma."))
            assert lib.vectors.count() == 2
            hits = lib.vectors.query(fake_embedder.embed_query("kawasaki disease ivig"), 2)
            assert hits[0][0].startswith("d1#") and hits[0][2]["doc_id"] == "d1" and hits[0][3]
            # Replace d1 with new text: the old vector goes, the new one lands, no duplicates.
            write(lib, fake_embedder, make_doc("d1", "IVIG is used in ITP."))
            assert lib.vectors.count() == 2
            assert lib.vectors.ids_for_documents(["d1"]) == lib.ledger.chunk_ids("d1")
            assert lib.remove(["d1", "nope"]) == 1
            assert lib.vectors.count() == 1 and set(lib.ledger.hashes()) == {"d2"}

    def test_filters_in_dense_search(self, settings, fake_embedder):
        with Library(settings) as lib:
            write(lib, fake_embedder, make_doc("g1", "IVIG dose", kind="guideline", year=None),
                  make_doc("r1", "IVIG dose", year=2001), make_doc("r2", "IVIG dose", year=2019))
            q = fake_embedder.embed_query("ivig dose")
            docs = lambda **f: {h[2]["doc_id"] for h in lib.vectors.query(q, 5, where_clause(**f))}  # noqa: E731
            assert docs(kind="guideline") == {"g1"}
            assert docs(year_min=2010) == {"r2"}
            assert docs(kind="research", year_max=2010) == {"r1"}

    def test_collection_name_follows_vector_parameters(self, medcite_home, fake_embedder):
        a = Settings(home=medcite_home)
        b = Settings(home=medcite_home, chunk_tokens=128)
        c = Settings(home=medcite_home, embed_titles=False)
        assert len({a.collection_name, b.collection_name, c.collection_name}) == 3
        with Library(a) as lib_a:
            write(lib_a, fake_embedder, make_doc("d1", "text"))
        with Library(b) as lib_b:  # other parameters: an empty library of its own, vectors never mixed
            assert lib_b.vectors.count() == 0 and lib_b.ledger.hashes() == {}
        with Library(a) as lib_a:
            assert lib_a.vectors.count() == 1

    def test_stats_report_collection_and_counts(self, settings, fake_embedder):
        with Library(settings) as lib:
            write(lib, fake_embedder, make_doc("d1", "a b c"), make_doc("g1", "d e f", kind="guideline"))
            stats = lib.stats()
        assert stats["collection"] == settings.collection_name
        assert (stats["documents"], stats["chunks"], stats["vectors"]) == (2, 2, 2)
        assert stats["by_kind"] == {"guideline": 1, "research": 1}

    def test_default_embedding_function_is_never_used(self, settings):
        with Library(settings) as lib:
            assert lib.vectors.collection._embedding_function is None
            with pytest.raises(ValueError):
                lib.vectors.collection.query(query_texts=["would need a downloaded model"])

    def test_foreign_chroma_folder_gives_clear_error(self, settings):
        settings.chroma_dir.mkdir(parents=True)
        (settings.chroma_dir / "chroma.sqlite3").write_bytes(b"garbage" * 1000)
        with pytest.raises(VectorStoreError, match="move it aside"):
            Library(settings).vectors.count()


@pytest.mark.integration
class TestLibraryChromaServer:
    def test_server_mode_round_trip_and_recovery(self, medcite_home, chroma_server, fake_embedder):
        settings = Settings(home=medcite_home, chroma_url=chroma_server.url)
        with Library(settings) as lib:
            write(lib, fake_embedder, make_doc("d1", "IVIG treats Kawasaki disease."))
            assert lib.vectors.count() == 1
            assert lib.stats()["store"] == chroma_server.url
            hits = lib.vectors.query(fake_embedder.embed_query("kawasaki"), 1)
            assert hits[0][2]["doc_id"] == "d1"
        # The data lives in the server's folder, not under MEDCITE_HOME/chroma.
        assert not settings.chroma_dir.exists()
        chroma_server.stop()
        chroma_server.start()
        with Library(settings) as lib:
            assert lib.vectors.count() == 1

    def test_unreachable_server_gives_clear_error(self, medcite_home):
        from tests.conftest import free_port

        settings = Settings(home=medcite_home, chroma_url=f"http://127.0.0.1:{free_port()}")
        with pytest.raises(VectorStoreError, match="chroma run"):
            Library(settings).vectors.count()

    def test_bad_url_is_refused(self, medcite_home):
        with pytest.raises(VectorStoreError, match="http://host:port"):
            Library(Settings(home=medcite_home, chroma_url="ftp://x")).vectors.count()
