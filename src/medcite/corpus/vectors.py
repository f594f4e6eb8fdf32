"""Chroma access: an embedded PersistentClient under MEDCITE_HOME, or a Chroma server by URL."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np

from medcite.errors import MedciteError
from medcite.settings import Settings
from medcite.types import Chunk

log = logging.getLogger(__name__)
# chromadb caches one system per path; two threads creating the first client at once break it for the process.
_CLIENT_LOCK = threading.Lock()


class VectorStoreError(MedciteError, RuntimeError):
    """Chroma is unreachable, unreadable or holds something else under our collection name."""


def _is_connection_error(exc: BaseException) -> bool:
    """A Chroma server that is down, restarting or cut off (as opposed to one that refused the request)."""
    import httpx  # chromadb's own HTTP client

    return isinstance(exc, (httpx.TransportError, ConnectionError))


def where_clause(
    *, kind: str | None = None, source: str | None = None, year_min: int | None = None, year_max: int | None = None
) -> dict[str, Any] | None:
    """A Chroma metadata filter from MedCite's filters (None when there is nothing to filter)."""
    terms: list[dict[str, Any]] = []
    if kind:
        terms.append({"kind": kind})
    if source:
        terms.append({"source": source})
    if year_min is not None:
        terms.append({"year": {"$gte": year_min}})
    if year_max is not None:
        terms.append({"year": {"$lte": year_max}})
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"$and": terms}


def make_client(settings: Settings):
    """The Chroma client named by the settings, telemetry off."""
    with _CLIENT_LOCK:
        return _make_client(settings)


def _make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if url.scheme not in ("http", "https") or not url.hostname:
                raise VectorStoreError(
                    f"MEDCITE_CHROMA_URL must look like http://host:port, not {settings.chroma_url!r}"
                )
            port = url.port or (443 if url.scheme == "https" else 8000)
            return chromadb.HttpClient(
                host=url.hostname, port=port, ssl=url.scheme == "https", settings=chroma_settings
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except VectorStoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - chroma raises many types; the user needs one message
        where = settings.chroma_url or settings.chroma_dir
        if settings.chroma_url:
            hint = "Is `chroma run` serving there?"
        elif _disk_full(settings.chroma_dir, exc):  # never advise moving a sound store aside for a full disk
            hint = f"The disk holding {settings.chroma_dir} is full: free some space and try again."
        else:
            hint = "If the folder is damaged or from another program, move it aside and re-run `medcite ingest`."
        message = f"cannot open the Chroma store at {where} ({exc.__class__.__name__}: {exc}). {hint}"
        raise VectorStoreError(message) from exc


def _disk_full(folder, exc: BaseException) -> bool:
    """Whether a failed Chroma call is explained by a (nearly) full disk under ``folder``."""
    if "full" in str(exc).lower() or "no space" in str(exc).lower():
        return True
    try:
        return shutil.disk_usage(folder).free < 16 * 1024 * 1024
    except OSError:
        return False


class VectorStore:
    """One Chroma collection of chunk vectors; the embedding function is always ours, never Chroma's."""

    def __init__(self, settings: Settings, client=None) -> None:
        self.settings = settings
        self.name = settings.collection_name
        self.client = client or make_client(settings)
        self._collection = None

    @property
    def collection(self):
        if self._collection is None:
            try:
                self._collection = self.client.get_or_create_collection(
                    self.name,
                    embedding_function=None,  # Chroma's default would try to download a model
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embedding_model": self.settings.embedding_model,
                              "chunk_tokens": self.settings.chunk_tokens,
                              "chunk_overlap_tokens": self.settings.chunk_overlap_tokens,
                              "embed_titles": self.settings.embed_titles},
                )
            except Exception as exc:  # noqa: BLE001
                raise self._failure(f"open Chroma collection {self.name!r}", exc) from exc
        return self._collection

    def warm(self) -> None:
        """Read an embedded store's vector index into memory now, as its first search otherwise does (about 0.25 s at
        34k chunks, mostly outside the GIL, so it can overlap other start-up work); nothing for a Chroma server,
        which keeps its index loaded, or a collection not made yet (this never creates one)."""
        if not self.settings.chroma_url:
            self.client.get_collection(self.name).get(limit=1, include=["embeddings"])

    def exists(self) -> bool:
        try:
            return self.name in {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        except Exception as exc:  # noqa: BLE001
            raise VectorStoreError(f"cannot list Chroma collections: {exc}") from exc

    def _failure(self, action: str, exc: Exception) -> VectorStoreError:
        """One actionable message for a failed Chroma call; the collection is looked up afresh next time."""
        self._collection = None
        cause = f"{exc.__class__.__name__}: {exc}"
        if self.settings.chroma_url:
            if _is_connection_error(exc):
                return VectorStoreError(
                    f"cannot {action}: the Chroma server at {self.settings.chroma_url} is unreachable ({cause}). "
                    "Start it again (`chroma run --path DIR --port PORT`) or unset MEDCITE_CHROMA_URL, then retry."
                )
            return VectorStoreError(f"cannot {action}: the Chroma server at {self.settings.chroma_url} failed "
                                    f"({cause})")
        where = self.settings.chroma_dir
        hint = (f"The disk holding {where} is full: free some space and re-run `medcite ingest` (it resumes where "
                "it stopped)." if _disk_full(where, exc) else
                f"Check that {where} is writable; if it is damaged, `medcite corpus check --repair` rebuilds it from "
                "the ledger.")
        return VectorStoreError(f"cannot {action} in the Chroma store at {where} ({cause}). {hint}")

    def _call(self, action: str, call: Callable[[], Any], *, retry: bool = False) -> Any:
        """Run a Chroma call; a read whose server connection dropped is retried once (a restarted server)."""
        attempts = 2 if retry and self.settings.chroma_url else 1
        for attempt in range(1, attempts + 1):
            try:
                return call()
            except VectorStoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - chroma and httpx raise many types; the user needs one message
                if attempt < attempts and _is_connection_error(exc):
                    self._collection = None
                    log.info("Chroma server connection failed (%s); retrying once", exc)
                    continue
                raise self._failure(action, exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def count(self) -> int:
        return self._call("count vectors", lambda: self.collection.count(), retry=True)

    def _batch_size(self) -> int:
        try:
            return max(1, min(int(self.client.get_max_batch_size()), 4096))
        except Exception:  # noqa: BLE001 - older servers lack the call
            return 1024

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        step = self._batch_size()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            self._call("write vectors", lambda part=part, start=start: self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + step],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            ))

    def ids_for_documents(self, doc_ids: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for start in range(0, len(doc_ids), 500):
            part = list(doc_ids[start : start + 500])
            where = {"doc_id": part[0]} if len(part) == 1 else {"doc_id": {"$in": part}}
            ids.extend(self._call("read vector ids", lambda where=where: self.collection.get(where=where, include=[]),
                                  retry=True)["ids"])
        return ids

    def all_ids(self) -> set[str]:
        """Every chunk id the collection holds (paged; metadata rows only, no vectors read)."""
        ids: set[str] = set()
        step = max(self._batch_size(), 1000)
        offset = 0
        while True:
            got = self._call("read vector ids", lambda offset=offset: self.collection.get(
                include=[], limit=step, offset=offset), retry=True)["ids"]
            ids.update(got)
            if len(got) < step:
                return ids
            offset += step

    def readable_vectors(self, ids: Sequence[str], step: int = 500) -> tuple[dict[str, np.ndarray], list[str]]:
        """The vectors of ``ids`` that can be read back, and the ids whose vector cannot (a row that lost its
        vector to a second writer: Chroma answers "Error finding id" for the whole batch; halves find it)."""
        vectors: dict[str, np.ndarray] = {}
        bad: list[str] = []
        stack = [list(ids[start : start + step]) for start in range(0, len(ids), step)]
        while stack:
            part = stack.pop()
            try:
                got = self.collection.get(ids=part, include=["embeddings"])
            except Exception:  # noqa: BLE001 - chroma raises a bare error for a missing vector
                if len(part) == 1:
                    bad.extend(part)
                else:
                    stack += [part[: len(part) // 2], part[len(part) // 2 :]]
                continue
            vectors.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
            bad.extend(i for i in part if i not in vectors)
        return vectors, bad

    def drop(self) -> None:
        """Delete the whole collection (a damaged index is rebuilt from scratch by ``corpus check --repair``)."""
        try:
            if self.exists():
                self.client.delete_collection(self.name)
        except Exception as exc:  # noqa: BLE001
            raise self._failure(f"delete Chroma collection {self.name!r}", exc) from exc
        self._collection = None

    def delete_ids(self, ids: Sequence[str]) -> None:
        step = self._batch_size()
        for start in range(0, len(ids), step):
            part = list(ids[start : start + step])
            self._call("delete vectors", lambda part=part: self.collection.delete(ids=part))

    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, *, with_payload: bool = True
    ) -> list[tuple[str, float, dict, str]]:
        """Nearest chunks: (id, cosine similarity, metadata, text), best first.

        ``with_payload=False`` skips reading metadata and text (empty in the result): the retriever reads
        chunks from the ledger, and fetching 50 texts from Chroma's SQLite costs more than the search itself.
        """
        include = ["metadatas", "documents", "distances"] if with_payload else ["distances"]
        result = self._call("search vectors", lambda: self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=k,
            where=where,
            include=include,
        ), retry=True)
        ids, distances = result["ids"][0], result["distances"][0]
        metadatas = result.get("metadatas") if with_payload else None
        documents = result.get("documents") if with_payload else None
        metadatas = metadatas[0] if metadatas else [{}] * len(ids)
        documents = documents[0] if documents else [""] * len(ids)
        return [
            (cid, 1.0 - float(dist), meta or {}, text or "")
            for cid, dist, meta, text in zip(ids, distances, metadatas, documents, strict=True)
        ]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (those Chroma holds), for scoring a known set of chunks exactly."""
        if not ids:
            return {}
        got = self._call("read vectors", lambda: self.collection.get(ids=list(ids), include=["embeddings"]),
                         retry=True)
        return dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))

    def payloads(self, ids: Sequence[str]) -> dict[str, tuple[dict, str]]:
        """Metadata and text of the given chunk ids, for chunks the ledger does not hold (yet)."""
        if not ids:
            return {}
        got = self._call("read vectors", lambda: self.collection.get(ids=list(ids), include=["metadatas", "documents"]),
                         retry=True)
        return {cid: (meta or {}, text or "")
                for cid, meta, text in zip(got["ids"], got["metadatas"], got["documents"], strict=True)}
