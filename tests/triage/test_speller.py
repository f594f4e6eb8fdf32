"""The triage speller's deletion index: cached under the models folder, the same corrections with or without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.triage.clinical import ClinicalLayer

pytestmark = pytest.mark.unit

WORDS = ("chesst", "siezure", "breathng", "stroek", "statins", "drooping", "tlaking")


def corrections(cache_dir: Path | None) -> list[str]:
    speller = ClinicalLayer(cache_dir=cache_dir).speller
    return [speller.correct(w) for w in WORDS]


def test_the_cached_index_corrects_as_the_built_one(tmp_path: Path) -> None:
    built = corrections(None)
    assert built[:3] == ["chest", "seizure", "breathing"]
    assert corrections(tmp_path) == built  # builds it and writes the cache
    [cached] = tmp_path.glob("triage-speller-*.pickle")
    assert corrections(tmp_path) == built  # reads it
    first = ClinicalLayer(cache_dir=tmp_path).speller
    assert first.index == ClinicalLayer().speller.index
    assert cached.stat().st_size > 0


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    corrections(tmp_path)
    [cached] = tmp_path.glob("triage-speller-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert corrections(tmp_path) == corrections(None)
    assert cached.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_folder_keeps_the_index_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the models folder would be")
    assert corrections(blocked / "models") == corrections(None)
    assert not list(tmp_path.rglob("*.pickle*"))
