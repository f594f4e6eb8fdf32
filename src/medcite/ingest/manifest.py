"""Corpus manifest: ``corpus/manifest.csv`` gives free-form files (PDF, Markdown, HTML, text) metadata."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

from medcite.ingest.loaders.base import LoadOptions, parse_year
from medcite.types import KINDS

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("path", "id", "title", "kind", "source", "year", "url")
# Manifest column -> LoadOptions field.
_FIELD = {"id": "doc_id", "title": "title", "kind": "kind", "source": "source", "year": "year", "url": "url"}
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def load_manifest(path: Path) -> dict[Path, dict[str, Any]]:
    """{resolved file path: LoadOptions fields} from a manifest; ValueError naming the line of a bad row.

    Paths are relative to the manifest's folder. Empty cells are left out, so a row only sets what it knows
    and the caller's flags fill the rest (see ``apply_manifest``). Whether the listed files exist is for
    the caller to check: a manifest may be written before its files arrive.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read manifest: {exc.strerror or exc}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ValueError(f"{path}: manifest larger than {MAX_MANIFEST_BYTES // 2**20} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: manifest is not valid UTF-8") from None
    if "\x00" in text:
        raise ValueError(f"{path}: manifest contains NUL bytes")

    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise ValueError(f"{path}: empty manifest; the first line must be: {','.join(COLUMNS)}")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown or "path" not in header or len(set(header)) != len(header):
        expected = f"'path' and any of {', '.join(COLUMNS)}, each once"
        raise ValueError(f"{path}: line 1: bad header {','.join(header)!r}; expected {expected}")
    reader.fieldnames = header

    folder = path.parent.resolve()
    rows: dict[Path, dict[str, Any]] = {}
    ids: dict[str, int] = {}
    lines: dict[Path, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            try:
                file, fields = _parse_row(row, folder)
            except ValueError as exc:
                raise ValueError(f"{path}: line {line}: {exc}") from None
            if file is None:
                continue
            if file in rows:
                raise ValueError(f"{path}: line {line}: {file} is already listed on line {lines[file]}")
            doc_id = fields.get("doc_id")
            if doc_id is not None and doc_id in ids:
                raise ValueError(f"{path}: line {line}: id {doc_id!r} is already used on line {ids[doc_id]}")
            if doc_id is not None:
                ids[doc_id] = line
            rows[file], lines[file] = fields, line
    except csv.Error as exc:
        raise ValueError(f"{path}: line {reader.line_num}: {exc}") from None
    return rows


def _parse_row(row: dict[str | None, Any], folder: Path) -> tuple[Path | None, dict[str, Any]]:
    if None in row:  # DictReader files surplus cells under None
        raise ValueError(f"more cells than the {len(row) - 1} columns of the header")
    values = {key: (value or "").strip() for key, value in row.items() if key is not None}
    if not any(values.values()):
        return None, {}  # a blank row
    rel = values.get("path", "")
    if not rel:
        raise ValueError("path is empty")
    fields: dict[str, Any] = {}
    for column, field in _FIELD.items():
        value = values.get(column, "")
        if not value:
            continue
        if column == "kind" and value not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {value!r}")
        if column == "year":
            value = parse_year(value)
        if column == "url" and not value.startswith(("https://", "http://")):
            raise ValueError(f"url must start with http:// or https://, not {value[:40]!r}")
        fields[field] = value
    return (folder / rel).resolve(), fields


def apply_manifest(options: LoadOptions, fields: dict[str, Any] | None) -> LoadOptions:
    """``options`` with a manifest row's fields set: the row names one file, so it wins over batch flags."""
    if not fields:
        return options
    return dataclasses.replace(options, **fields)


def find_manifest(folder: Path) -> Path | None:
    """``<folder>/manifest.csv`` when it exists."""
    candidate = Path(folder) / MANIFEST_NAME
    return candidate if candidate.is_file() else None
