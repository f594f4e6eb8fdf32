"""Vectors of a fixed list of texts, embedded once and kept as a ``.npy`` file (the triage exemplars, the library's
names): read back when the file holds one row per text, else embedded and written privately, then renamed into
place, so a reader never sees half a file. A read-only home keeps them in memory.

    vectors = cached_vectors(models_dir / "names-3f2a.npy", len(texts), lambda: embed(texts), what="name vectors")
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def cached_vectors(path: Path | None, rows: int, embed: Callable[[], np.ndarray], *, what: str,
                   stale: str | None = None) -> np.ndarray:
    """The ``rows`` vectors cached at ``path`` (None: no cache), else ``embed()``'s, then cached. ``stale`` is a glob
    of older files of the same kind beside it, removed when a new one is written."""
    if path is not None and path.is_file():
        try:
            vectors = np.load(path)
            if vectors.shape[0] == rows:
                return vectors
        except (OSError, ValueError):
            log.warning("the %s cache %s is unreadable; embedding again", what, path)
    vectors = np.asarray(embed(), dtype=np.float32)
    if path is None:
        return vectors
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(stale) if stale else ():
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vectors)
        os.replace(tmp, path)
    except OSError:  # a read-only home: keep them in memory
        log.info("cannot cache %s under %s", what, path.parent)
    return vectors
