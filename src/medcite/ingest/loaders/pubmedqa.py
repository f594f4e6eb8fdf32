"""PubMedQA loader: the ``ori_pqal.json`` shape, one research abstract per PMID."""

from __future__ import annotations

import json
import re
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
    heading_case,
    origin_of,
    parse_year,
    read_bytes,
    shorten,
    squash,
)
from medcite.types import Document, Section

# The first value of the top-level object is itself an object that (soon) has a CONTEXTS key.
_HEAD = re.compile(rb'^\s*\{\s*"[^"\\]{1,64}"\s*:\s*\{')
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%])[.?!](?=\s+[A-Z(]|\s*$)")
EVIDENCE_LABEL = "Research abstract"
# QUESTION, final_decision and the reasoning_* predictions are evaluation labels, not article content: they are
# left out of the library so that no eval on the PubMedQA dev questions can read its own answers there.


class PubMedQALoader(Loader):
    name = "pubmedqa"
    extensions = (".json",)

    def sniff(self, path: Path, head: bytes) -> bool:
        head = head.removeprefix(b"\xef\xbb\xbf")
        return bool(_HEAD.match(head)) and b'"CONTEXTS"' in head

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        data = read_bytes(path)
        try:
            entries = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise LoaderError(path, "not valid UTF-8 JSON") from None
        except json.JSONDecodeError as exc:
            raise LoaderError(path, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
        if not isinstance(entries, dict):
            raise LoaderError(path, f"expected a JSON object keyed by PMID, found a {type(entries).__name__}")
        origin = origin_of(path)
        count = 0
        for pmid, entry in entries.items():
            try:
                if has_lone_surrogate((pmid, entry)):
                    raise ValueError(LONE_SURROGATE)
                doc = entry_to_document(pmid, entry, origin)
            except ValueError as exc:
                key = repr(pmid) if has_lone_surrogate(pmid) else str(pmid)
                options.on_skip(f"PMID {shorten(key, 40)}: {exc}")
                continue
            count += 1
            yield doc
        if not count:
            raise LoaderError(path, "no usable PubMedQA entry (each needs CONTEXTS and LONG_ANSWER)")


def entry_to_document(pmid: str, entry: Any, origin: str = "") -> Document:
    """One PubMedQA entry as a research Document; ValueError names what is wrong with its shape."""
    pmid = pmid.strip()
    if not pmid.isdigit():
        raise ValueError("key is not a numeric PMID")
    if not isinstance(entry, dict):
        raise ValueError(f"entry is a {type(entry).__name__}, not an object")
    contexts, labels = entry.get("CONTEXTS"), entry.get("LABELS", [])
    if not _is_str_list(contexts):
        raise ValueError("CONTEXTS must be a list of strings")
    if not _is_str_list(labels) or (labels and len(labels) != len(contexts)):
        raise ValueError("LABELS must be a list of strings as long as CONTEXTS")
    conclusion = entry.get("LONG_ANSWER") or ""
    if not isinstance(conclusion, str):
        raise ValueError("LONG_ANSWER must be a string")
    meshes = entry.get("MESHES") or []
    if not _is_str_list(meshes):
        raise ValueError("MESHES must be a list of strings")
    question = entry.get("QUESTION")
    if question is not None and not isinstance(question, str):
        raise ValueError("QUESTION must be a string")
    year = parse_year(entry.get("YEAR"))  # ValueError for garbage; None is common (58 of the 1,000)

    doc_id = f"pubmed:{pmid}"
    labels = labels or [""] * len(contexts)
    parts = [(label or "UNLABELLED", clean_block(text)) for label, text in zip(labels, contexts, strict=True)]
    parts.append(("CONCLUSIONS", clean_block(conclusion)))
    sections = []
    for label, text in parts:
        if text:
            label = squash(label).upper()
            heading = "Abstract" if label in ("UNLABELLED", "UNASSIGNED") else heading_case(label)
            sections.append(Section(id=f"{doc_id}#s{len(sections)}", heading=heading, text=text, label=label))
    if not sections:
        raise ValueError("no text in CONTEXTS or LONG_ANSWER")

    metadata: dict[str, Any] = {"pmid": pmid, "mesh": list(meshes), "evidence_label": EVIDENCE_LABEL}
    return Document(
        id=doc_id,
        title=_title(sections[0].text),
        kind="research",
        source="PubMed",
        sections=sections,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        year=year,
        metadata=metadata,
        origin=origin,
    )


def _title(first_context: str) -> str:
    """PubMedQA keeps no article title. Its QUESTION is the title rephrased as a question, but it is also the
    dev set's query, and only half the entries have one: embedding it would make retrieval on those questions
    trivially easy. Every entry gets the first sentence of its abstract, cut to about 120 characters."""
    match = _SENTENCE_END.search(first_context)
    return shorten(first_context[: match.end()] if match else first_context, 120)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
