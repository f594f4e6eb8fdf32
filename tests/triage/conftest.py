"""Triage wired as the service wires it, with the real embedding model (skipped when it is not installed)."""

from __future__ import annotations

import pytest

from medcite.triage import Triage


@pytest.fixture(scope="module")
def real_triage(tmp_path_factory):
    from medcite.embedding.model import Embedder
    from medcite.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("home"))
    embedder = Embedder(settings, threads=1)
    try:
        embedder.embed_query("warm up")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"embedding model unavailable: {exc}")
    return Triage(encode=embedder.embed_documents, known_words=embedder.word_list(), cache_dir=settings.models_dir,
                  model_key=f"{settings.embedding_model}|{settings.embedding_backend}")
