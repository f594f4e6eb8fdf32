"""The library's vocabulary: names per document, written and deleted with it, backfilled for older libraries."""

from __future__ import annotations

import pytest

from medcite.corpus.ledger import Ledger
from medcite.corpus.terms import defined_acronyms, document_terms, normalise_term, title_name
from medcite.types import Chunk, Document, Section

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("title, name", [
    ("Heart attack (Causes)", "Heart attack"),
    ("What are the treatments for ovarian cancer?", "ovarian cancer"),
    ("What are Jaundice causes?", "Jaundice"),
    ("Gout", "Gout"),
])
def test_title_names(title, name):
    assert title_name(title) == name


def test_keys_fold_case_punctuation_and_plurals():
    assert normalise_term("Crohn's Disease") == normalise_term("crohn disease")
    assert normalise_term("Gallstones") == normalise_term("gallstone")
    assert normalise_term("Allergies") == normalise_term("allergy")


def test_acronyms_the_text_defines():
    text = "People with multifocal motor neuropathy (MMN) or chronic obstructive pulmonary disease (COPD); (Fig 2)."
    assert list(defined_acronyms(text)) == [("MMN", "multifocal motor neuropathy"),
                                            ("COPD", "chronic obstructive pulmonary disease")]


def test_document_terms_by_kind():
    rows = document_terms("guideline", "Marfan syndrome", {"focus": "Marfan syndrome", "synonyms": ["MFS"]}, [])
    assert [(k, t) for k, _, t in rows] == [("marfan syndrome", "title"), ("marfan syndrome", "focus"),
                                           ("mfs", "synonym")]
    research = document_terms("research", "A cut first sentence of an abstract", {"mesh": ["Statins/adverse effects*"]},
                              [])
    assert [(d, t) for _, d, t in research] == [("Statins", "mesh")]


def _doc(doc_id: str, title: str) -> tuple[Document, str, list[Chunk]]:
    doc = Document(id=doc_id, title=title, kind="guideline", source="GHR",
                   sections=[Section(id=f"{doc_id}_1", heading=title, text=f"{title} (XYZ) is a rare disease.")])
    chunk = Chunk(id=f"{doc_id}#0", doc_id=doc_id, section_id=f"{doc_id}_1", section=title, ordinal=0,
                  text=doc.sections[0].text, embed_text=doc.sections[0].text, title=title, kind="guideline",
                  source="GHR")
    return doc, doc.content_hash(), [chunk]


def test_terms_are_written_and_deleted_with_their_document(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite", "c")
    ledger.replace_documents([_doc("d1", "Xeroderma Yellow Zeta"), _doc("d2", "Gout")])
    assert {(d, k) for d, _, k, _ in [(r[0], r[1], r[3], r[2]) for r in ledger.terms()]} >= {("d1", "title")}
    assert ledger.term_counts() == {"acronym": 1, "expansion": 1, "title": 2}
    ledger.delete_documents(["d1"])
    assert {r[0] for r in ledger.terms()} == {"d2"}
    assert ledger.stats()["vocabulary"] == {"title": 1}


def test_an_older_library_is_backfilled_on_the_next_writer_open(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = Ledger(path, "c")
    ledger.replace_documents([_doc("d1", "Gout")])
    with ledger.transaction() as conn:  # what a library written before the table existed looks like
        conn.execute("DELETE FROM terms")
        conn.execute("DELETE FROM meta WHERE key = 'terms_version'")
    ledger.close()
    reader = Ledger(path, "c", readonly=True)
    assert [r[1] for r in reader.terms()] == ["gout"]  # computed in memory, the same rows
    reader.close()
    writer = Ledger(path, "c")
    assert writer.term_counts() == {"title": 1}


def test_the_vocabulary_cache_follows_the_library(tmp_path):
    """A cached vocabulary is used while the library's terms are unchanged, rebuilt after an ingest, and rebuilt when
    its file is damaged; a library older than the terms table (no table at all) is read without a crash."""
    from medcite.analysis import Vocabulary

    cache = tmp_path / "cache"
    ledger = Ledger(tmp_path / "l.sqlite", "c")
    ledger.replace_documents([_doc("d1", "Gout")])
    first = Vocabulary.from_ledger(ledger, cache_dir=cache)
    [path] = list(cache.glob("vocabulary-*.pickle"))
    again = Vocabulary.from_ledger(ledger, cache_dir=cache)
    assert again.terms == first.terms and "gout" in again.terms
    ledger.replace_documents([_doc("d2", "Marfan syndrome")])
    ledger.set_meta("last_ingest", "2")
    grown = Vocabulary.from_ledger(ledger, cache_dir=cache)
    assert "marfan syndrome" in grown.terms and not path.exists()  # the stale file is gone
    [path] = list(cache.glob("vocabulary-*.pickle"))
    path.write_bytes(b"not a pickle")
    assert "marfan syndrome" in Vocabulary.from_ledger(ledger, cache_dir=cache).terms
    with ledger.transaction() as conn:
        conn.execute("DROP TABLE terms")
    assert ledger.terms_signature()[3] == -1
