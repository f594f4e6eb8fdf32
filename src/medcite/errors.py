"""The exceptions a user can act on; the CLI shows their message without a traceback."""

from __future__ import annotations

from medcite.corpus.ledger import LedgerError
from medcite.corpus.vectors import VectorStoreError
from medcite.ingest.embeddings import EmbeddingModelError

USER_ERRORS: tuple[type[BaseException], ...] = (
    LedgerError,
    VectorStoreError,
    EmbeddingModelError,
    FileNotFoundError,
    ValueError,
)

try:  # HTTP sources are optional at import time
    from medcite.ingest.http import SourceError

    USER_ERRORS += (SourceError,)
except ImportError:  # pragma: no cover
    pass
try:
    from medcite.corpus.demo import DemoSourceError

    USER_ERRORS += (DemoSourceError,)
except ImportError:  # pragma: no cover
    pass
