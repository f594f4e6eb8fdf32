"""The CLI tests' runner: the real commands with the fake embedder, a fresh settings cache and answer service."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from medcite.qa.service import reset_service
from medcite.settings import get_settings
from tests.conftest import FakeEmbedder


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    monkeypatch.setattr("medcite.ingest.pipeline.Embedder", FakeEmbedder)
    monkeypatch.setattr("medcite.qa.service.Embedder", FakeEmbedder)
    get_settings.cache_clear()
    reset_service()
    yield CliRunner()
    reset_service()
