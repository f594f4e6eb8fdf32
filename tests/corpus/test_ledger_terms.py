"""The ledger's lexical-index look-ups used by question analysis: index words, the index's stemmer, documents
holding words as typed."""

from __future__ import annotations

import pytest

from medcite.corpus.ledger import Ledger
from tests.corpus.test_ledger import doc_and_chunks


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "lib.sqlite", "coll-a")
    led.replace_documents([
        doc_and_chunks("d1", "Kinesio taping of the knee reduced pain."),
        doc_and_chunks("d2", "Place a tape measure around the waist."),
        doc_and_chunks("d3", "The GFRUP guidance covers children."),
    ])
    yield led
    led.close()


@pytest.mark.unit
def test_index_words_and_stems_are_the_lexical_index_s_own(ledger):
    words = ledger.index_words()
    assert words["tape"] == 2 and words["kinesio"] == 1  # "taping" and "tape" share one stem
    assert ledger.stem("taping") == ledger.stem("tape") == "tape"


@pytest.mark.unit
def test_documents_with_matches_words_as_typed_not_their_stems(ledger):
    assert ledger.documents_with("taping") == {"d1"}  # not the tape measure
    assert ledger.documents_with("kinesio taping") == {"d1"}
    assert ledger.documents_with("mouth taping") == frozenset()
    assert ledger.documents_with("GFRUP's") == {"d3"}  # the possessive is the name's
    assert ledger.documents_with("the", limit=1) is None  # common: more chunks than the limit
