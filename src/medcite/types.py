"""MedCite's own domain types, used at every seam: Document, Section, Chunk, Passage, Statement, Citation (the answer
itself: :mod:`medcite.answer`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["guideline", "research"]
KINDS: tuple[Kind, ...] = ("guideline", "research")


def stable_hash(value: Any, length: int = 16) -> str:
    """Hex sha256 of a JSON-serialisable value, keys sorted so equal content hashes equal."""
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Section:
    """One titled part of a document: an abstract section, or one question-answer pair of a guideline."""

    id: str
    heading: str
    text: str
    label: str = ""  # normalised role, e.g. BACKGROUND, RESULTS, CONCLUSIONS, or a MedQuAD question type


@dataclass
class Document:
    """A source document as a loader yields it, before chunking."""

    id: str
    title: str
    kind: Kind
    source: str  # short source name used for filtering and stats: a journal, "PubMed", "GHR", ...
    sections: list[Section]
    url: str = ""
    year: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # where it was loaded from (a file path or a query); scopes --prune, not hashed

    def __post_init__(self) -> None:
        if not self.id or not self.id.strip():
            raise ValueError("document id must not be empty")
        if self.kind not in KINDS:
            raise ValueError(f"document {self.id}: kind must be one of {KINDS}, not {self.kind!r}")

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)

    def content_hash(self) -> str:
        """Hash of everything that reaches the library; the ledger compares it to skip unchanged docs."""
        payload = asdict(self)
        payload.pop("origin")
        return stable_hash(payload, 32)


@dataclass(frozen=True)
class Chunk:
    """A piece of one section sized for the embedding model, carrying all a citation needs."""

    id: str
    doc_id: str
    section_id: str
    section: str  # section heading
    ordinal: int  # position of the chunk within its document
    text: str
    embed_text: str  # exactly what is embedded (the text, optionally prefixed with title and section)
    title: str
    kind: Kind
    source: str
    url: str = ""
    year: int | None = None
    label: str = ""
    source_name: str = ""  # long source name for references, e.g. "Genetics Home Reference (NLM)"
    evidence_label: str = ""  # e.g. "Randomized Controlled Trial", "NIH consumer guideline (GHR)"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as stored beside the vector (Chroma takes no None values)."""
        meta: dict[str, str | int] = {
            "doc_id": self.doc_id,
            "section_id": self.section_id,
            "section": self.section,
            "ordinal": self.ordinal,
            "title": self.title,
            "kind": self.kind,
            "source": self.source,
            "url": self.url,
            "label": self.label,
            "source_name": self.source_name,
            "evidence_label": self.evidence_label,
        }
        if self.year is not None:
            meta["year"] = self.year
        return meta


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its retrieval scores."""

    chunk: Chunk
    score: float  # fused retrieval score scaled to [0, 1] (1 = ranked first by every retriever)
    dense_rank: int | None = None
    lexical_rank: int | None = None
    similarity: float | None = None  # cosine similarity of the question and chunk vectors, when dense found it


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer, quoted or trimmed from a passage, with the citation numbers it carries."""

    text: str
    citations: tuple[int, ...]
    chunk_ids: tuple[str, ...] = ()
    facet: str = ""
    support: float | None = None  # support score against the cited passage (LLM engine)
    span: tuple[int, int] | None = None  # character span of the quoted text in its first chunk, when quoted verbatim
    # a list statement (medcite.qa.lists): ``text`` is its lead-in and items as one sentence; shown as a list
    lead: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """One entry of an answer's reference list; ``n`` is the number shown as ``[n]``."""

    n: int
    doc_id: str
    title: str
    source: str
    year: int | None
    url: str
    evidence_label: str = ""
    kind: Kind = "research"
    passages: tuple[str, ...] = ()  # chunk ids this citation quotes
    snapshot: str = ""  # a research study in one line: design, participants, population, year
