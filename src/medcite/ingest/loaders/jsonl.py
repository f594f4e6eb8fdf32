"""Generic JSONL loader: the public corpus contract, one document a line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medcite.ingest.loaders.base import (
    LONE_SURROGATE,
    Loader,
    LoaderError,
    LoadOptions,
    clean_block,
    has_lone_surrogate,
    number_sections,
    origin_of,
    parse_year,
    squash,
)
from medcite.ingest.loaders.markdown import split_sections
from medcite.ingest.loaders.medquad import SOURCES as GUIDELINE_SOURCES
from medcite.ingest.loaders.pubmed_xml import EVIDENCE_ORDER
from medcite.types import KINDS, Document

MAX_LINE_BYTES = 16 * 1024 * 1024
# Lines read before giving up on a file in which none is a valid document (it is not JSONL at all); their
# skip reasons are held back until a valid line shows the file is JSONL, so a wrong file costs one error.
PROBE_LINES = 20
# What a reference shows beside a citation is derived here, never copied from a line's free-form metadata
# (which could dress a blog post up as "World Health Organization ... Cochrane systematic review"): the
# long source name only for a source this loader knows, an evidence label only from PubMed's publication
# types. Anything else is left to the answer composer, which derives labels from kind, title and source.
LABEL_KEYS = ("source_name", "evidence_label")
KNOWN_EVIDENCE_LABELS = frozenset(EVIDENCE_ORDER) | {"Cohort Study", "Case-Control Study", "Cross-Sectional Study"}


class JSONLLoader(Loader):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")

    def sniff(self, path: Path, head: bytes) -> bool:
        head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        if not head.startswith(b"{"):
            return False
        line, newline, _ = head.partition(b"\n")
        if not newline:  # the first line does not end within 4 KiB: trust the extension
            return path.suffix.lower() in self.extensions
        try:
            return isinstance(json.loads(line), dict)
        except (ValueError, RecursionError):
            return False

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        seen: set[str] = set()
        held: list[str] = []  # skip reasons before the first valid line
        valid = 0
        try:
            fh = path.open("rb")
        except OSError as exc:
            raise LoaderError(path, f"cannot read file: {exc.strerror or exc}") from None
        with fh:
            for number, raw in _lines(fh):
                try:
                    doc = line_to_document(raw, number, options, path)
                    if doc is None:
                        continue
                    if doc.id in seen:
                        raise ValueError(f"duplicate id {doc.id!r}")
                except ValueError as exc:
                    reason = f"line {number}: {exc}"
                    if valid:
                        options.on_skip(reason)
                    else:
                        held.append(reason)
                        if len(held) >= PROBE_LINES:
                            reason = f"not JSONL of documents (first problem: {held[0]})"
                            raise LoaderError(path, reason) from None
                    continue
                if not valid:
                    for reason in held:
                        options.on_skip(reason)
                valid += 1
                seen.add(doc.id)
                yield doc
        if not valid:
            detail = f" (first problem: {held[0]})" if held else ""
            raise LoaderError(path, f"no valid document line{detail}")


def _lines(fh: Any) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line over MAX_LINE_BYTES (read past, never held)."""
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
            yield number, None
        else:
            yield number, raw


def line_to_document(raw: bytes | None, number: int, options: LoadOptions, path: Path) -> Document | None:
    """The Document on one line; None for a blank line; ValueError with a short reason for a bad one."""
    if raw is None:
        raise ValueError(f"longer than {MAX_LINE_BYTES:,} bytes")
    if number == 1:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        return None
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, found {type(record).__name__}")
    if has_lone_surrogate(record):
        raise ValueError(LONE_SURROGATE)
    return record_to_document(record, options, origin_of(path))


def record_to_document(record: dict[str, Any], options: LoadOptions, origin: str = "") -> Document:
    """One corpus-contract record as a Document; ValueError names the first field that is wrong.

    Keys outside the contract are ignored; ``options`` supplies kind and source when the record has none.
    """
    doc_id = _string(record, "id", required=True)
    title = _string(record, "title", required=True)
    text = _string(record, "text", required=True)
    kind = record.get("kind") or options.kind
    if kind is None:
        raise ValueError("kind missing (set it on the line or pass --kind)")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {str(kind)[:40]!r}")
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise ValueError("metadata must be an object")
    year = parse_year(record.get("year"))
    source = _string(record, "source") or options.source or ""
    metadata = {**{k: v for k, v in metadata.items() if k not in LABEL_KEYS}, **derived_labels(metadata, source)}

    # Markdown-style headings ("## Dosing") in the text become sections; the text itself is kept as written.
    parts = split_sections(text, strip_markup=False)
    sections = number_sections(doc_id, [(head or "Text", clean_block(body), "") for head, body, _ in parts])
    if not sections:
        raise ValueError("text is empty")
    return Document(
        id=doc_id,
        title=squash(title),
        kind=kind,
        source=source,
        sections=sections,
        url=_string(record, "url"),
        year=year,
        metadata=metadata,
        origin=origin,
    )


def derived_labels(metadata: dict[str, Any], source: str) -> dict[str, str]:
    """The citation labels this loader vouches for: see LABEL_KEYS."""
    labels: dict[str, str] = {}
    if source in GUIDELINE_SOURCES:
        labels["source_name"], labels["evidence_label"] = GUIDELINE_SOURCES[source]
    claimed = metadata.get("evidence_label")
    if isinstance(claimed, str) and claimed.strip() in KNOWN_EVIDENCE_LABELS:
        labels["evidence_label"] = claimed.strip()
    return labels


def _string(record: dict[str, Any], field: str, *, required: bool = False) -> str:
    value = record.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        kind = "missing" if value is None else f"a {type(value).__name__}, not a string"
        raise ValueError(f"{field} is {kind}")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{field} is empty")
    return value
