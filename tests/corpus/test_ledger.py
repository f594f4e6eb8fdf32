"""Tests for the SQLite ledger and its FTS5 lexical index."""

from __future__ import annotations

import sqlite3

import pytest

from medcite.corpus.ledger import Ledger, LedgerError, fts_query
from medcite.types import Chunk, Document, Section


def doc_and_chunks(doc_id: str, text: str, kind="research", source="PubMed", year=2020):
    doc = Document(id=doc_id, title=f"Title {doc_id}", kind=kind, source=source, year=year,
                   sections=[Section(id=f"{doc_id}#s0", heading="Results", text=text)], origin="/tmp/x")
    chunk = Chunk(id=f"{doc_id}#0-abc", doc_id=doc_id, section_id=f"{doc_id}#s0", section="Results", ordinal=0,
                  text=text, embed_text=text, title=doc.title, kind=kind, source=source, year=year)
    return doc, doc.content_hash(), [chunk]


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "lib.sqlite", "coll-a")
    yield led
    led.close()


@pytest.mark.unit
class TestLedger:
    def test_replace_and_read_back(self, ledger):
        ledger.replace_documents([doc_and_chunks("d1", "IVIG treats Kawasaki disease.")])
        record = ledger.get_document("d1")
        assert record.title == "Title d1" and record.n_chunks == 1 and record.origin == "/tmp/x"
        assert ledger.chunk_ids("d1") == ["d1#0-abc"]
        assert ledger.hashes() == {"d1": record.hash}

    def test_replace_removes_old_chunks_from_lexical_index(self, ledger):
        ledger.replace_documents([doc_and_chunks("d1", "IVIG treats Kawasaki disease.")])
        assert [cid for cid, _ in ledger.search("kawasaki", 5)] == ["d1#0-abc"]
        ledger.replace_documents([doc_and_chunks("d1", "Rituximab depletes B cells.")])
        assert ledger.search("kawasaki", 5) == []
        assert [cid for cid, _ in ledger.search("rituximab", 5)] == ["d1#0-abc"]

    def test_bm25_ranks_the_better_match_first_and_stems(self, ledger):
        ledger.replace_documents([
            doc_and_chunks("d1", "Immunoglobulin dosing in children."),
            doc_and_chunks("d2", "Immunoglobulin treatments treat myasthenia; treating early helps."),
        ])
        ranked = [cid for cid, _ in ledger.search("treatment of myasthenia", 5)]
        assert ranked[0] == "d2#0-abc"

    def test_search_filters(self, ledger):
        ledger.replace_documents([
            doc_and_chunks("g1", "IVIG for ITP.", kind="guideline", source="GHR", year=None),
            doc_and_chunks("r1", "IVIG for ITP trial.", year=2001),
            doc_and_chunks("r2", "IVIG for ITP cohort.", year=2015),
        ])
        ids = lambda **f: {c.split("#")[0] for c, _ in ledger.search("ivig itp", 10, **f)}  # noqa: E731
        assert ids() == {"g1", "r1", "r2"}
        assert ids(kind="guideline") == {"g1"}
        assert ids(source="PubMed") == {"r1", "r2"}
        assert ids(year_min=2010) == {"r2"}
        assert ids(year_max=2010) == {"r1"}

    def test_hostile_query_syntax_is_quoted(self, ledger):
        ledger.replace_documents([doc_and_chunks("d1", "IVIG works.")])
        for text in ['ivig" OR NOT *', "NEAR(ivig works)", "ivig)", '"""', "", "   ", "-- ;drop table chunks"]:
            ledger.search(text, 5)  # must not raise
        assert fts_query("") == ""
        assert fts_query('a ivig "itp" dose:high') == '"ivig" OR "itp" OR "dose" OR "high"'

    def test_mark_dirty_and_delete(self, ledger):
        ledger.replace_documents([doc_and_chunks("d1", "x y"), doc_and_chunks("d2", "y z")])
        ledger.mark_dirty(["d1"])
        assert ledger.hashes()["d1"] == "" and ledger.dirty_count() == 1
        ledger.delete_documents(["d1"])
        assert set(ledger.hashes()) == {"d2"}
        assert ledger.stats()["chunks"] == 1

    def test_stats(self, ledger):
        ledger.replace_documents([
            doc_and_chunks("g1", "a", kind="guideline", source="GHR", year=None),
            doc_and_chunks("r1", "b", year=2001),
        ])
        stats = ledger.stats()
        assert stats["documents"] == 2 and stats["chunks"] == 2
        assert stats["by_kind"] == {"guideline": 1, "research": 1}
        assert stats["by_source"] == {"GHR": 1, "PubMed": 1}
        assert stats["years"] == {"min": 2001, "max": 2001}

    def test_foreign_collection_is_refused(self, tmp_path):
        Ledger(tmp_path / "l.sqlite", "coll-a").close()
        with pytest.raises(LedgerError, match="belongs to collection"):
            Ledger(tmp_path / "l.sqlite", "coll-b")

    def test_corrupt_file_gives_a_clear_error(self, tmp_path):
        path = tmp_path / "l.sqlite"
        path.write_bytes(b"this is not a database" * 100)
        with pytest.raises(LedgerError, match="Move it aside"):
            Ledger(path, "coll-a")

    def test_readonly_without_library_says_ingest(self, tmp_path):
        with pytest.raises(LedgerError, match="medcite ingest"):
            Ledger(tmp_path / "missing.sqlite", "c", readonly=True)

    def test_transaction_rolls_back_on_error(self, ledger):
        with pytest.raises(sqlite3.IntegrityError):
            d, h, chunks = doc_and_chunks("d1", "x")
            ledger.replace_documents([(d, h, chunks + chunks)])  # duplicate chunk id
        assert ledger.hashes() == {}
