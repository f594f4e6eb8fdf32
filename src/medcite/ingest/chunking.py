"""Section-aware chunking into pieces that fit the embedding model's window, with sentence overlap."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from medcite.types import Chunk, Document, Section, stable_hash

TokenCounter = Callable[[list[str]], list[int]]

# A sentence ends at . ! ? followed by space and an upper-case letter, digit or opening bracket/quote.
# Lookbehinds keep common abbreviations ("e.g.", "et al.", "Dr.", "vs.") inside their sentence.
_SENTENCE_END = re.compile(
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bet al\.)(?<!\bvs\.)(?<!\bDr\.)(?<!\bFig\.)(?<!\bNo\.)"
    r"(?<!\bapprox\.)(?<=[.!?])\s+(?=[A-Z0-9(\[\"'])"
)
_PARAGRAPH = re.compile(r"\n\s*\n")
_SPECIAL_TOKENS = 2  # [CLS] and [SEP]
_MIN_TEXT_BUDGET = 48


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; line and paragraph breaks are boundaries too."""
    return [s for s, _ in split_sentences_with_breaks(text)]


def split_sentences_with_breaks(text: str) -> list[tuple[str, bool]]:
    """Sentences, each flagged True when it starts a new paragraph, line or bullet (not mid-line).

    The chunker re-joins such sentences with a newline, so headings and list items stay on their own line
    instead of running into the next sentence.
    """
    out: list[tuple[str, bool]] = []
    for paragraph in _PARAGRAPH.split(text):
        # Loaders reflow hard-wrapped prose, so a newline that is left is a real line: a heading or list item.
        for line in paragraph.split("\n"):
            line = " ".join(line.split())
            for i, sentence in enumerate(s for s in _SENTENCE_END.split(line) if s):
                out.append((sentence, i == 0))
    return out


@dataclass(frozen=True)
class ChunkingConfig:
    max_tokens: int = 256  # whole embedded input, prefix and special tokens included
    overlap_tokens: int = 32
    embed_titles: bool = True


def embed_prefix(title: str, heading: str) -> str:
    """The context line embedded before a chunk's text: title and section heading."""
    title = " ".join(title.split())
    heading = " ".join(heading.split())
    if heading and heading.lower() not in title.lower():
        return f"{title} — {heading}: " if title else f"{heading}: "
    return f"{title}: " if title else ""


def _join(pieces: list[tuple[str, int]]) -> str:
    """Sentences joined by a space, or a newline where the source started a new line."""
    text = "".join(p if p.startswith("\n") else " " + p for p, _ in pieces)
    return text.strip()


class Chunker:
    """Packs whole sentences of one section into chunks of at most ``max_tokens`` word pieces."""

    def __init__(self, config: ChunkingConfig, count_tokens: TokenCounter) -> None:
        if config.overlap_tokens * 2 >= config.max_tokens:
            raise ValueError("chunk overlap must be under half the chunk size")
        self.config = config
        self.count_tokens = count_tokens

    def chunk_documents(self, documents: Iterable[Document]) -> list[Chunk]:
        chunks: list[Chunk] = []
        for document in documents:
            chunks.extend(self.chunk_document(document))
        return chunks

    def chunk_document(self, document: Document) -> list[Chunk]:
        chunks: list[Chunk] = []
        for section in document.sections:
            for text in self._pack_section(document, section):
                chunks.append(self._make_chunk(document, section, text, len(chunks)))
        return chunks

    # Internals --------------------------------------------------------------------------------
    def _prefix(self, document: Document, section: Section) -> str:
        return embed_prefix(document.title, section.heading) if self.config.embed_titles else ""

    def _budget(self, prefix: str) -> int:
        prefix_tokens = self.count_tokens([prefix])[0] if prefix else 0
        budget = self.config.max_tokens - _SPECIAL_TOKENS - prefix_tokens
        # A very long title must not starve the text: the model truncates the tail of the prefix instead.
        return max(budget, _MIN_TEXT_BUDGET) - 2  # margin: pieces of joined sentences may merge

    def _pack_section(self, document: Document, section: Section) -> list[str]:
        budget = self._budget(self._prefix(document, section))
        flagged = split_sentences_with_breaks(section.text)
        if not flagged:
            return []
        counts = self.count_tokens([s for s, _ in flagged])
        pieces: list[tuple[str, int]] = []
        for (sentence, new_line), count in zip(flagged, counts, strict=True):
            if count <= budget:
                pieces.append((("\n" if new_line else "") + sentence, count))
            else:
                long_pieces = self._split_long(sentence, budget)
                if new_line:
                    long_pieces[0] = ("\n" + long_pieces[0][0], long_pieces[0][1])
                pieces.extend(long_pieces)

        chunks: list[str] = []
        current: list[tuple[str, int]] = []
        size = 0
        for piece, count in pieces:
            if current and size + count > budget:
                chunks.append(_join(current))
                current, size = self._overlap_tail(current, budget - count)
            current.append((piece, count))
            size += count
        if current:
            chunks.append(_join(current))
        return chunks

    def _overlap_tail(self, pieces: list[tuple[str, int]], room: int) -> tuple[list[tuple[str, int]], int]:
        """Trailing whole sentences of the previous chunk, up to the overlap size, repeated at the start."""
        limit = min(self.config.overlap_tokens, room)
        tail: list[tuple[str, int]] = []
        size = 0
        for piece, count in reversed(pieces):
            if size + count > limit:
                break
            tail.insert(0, (piece, count))
            size += count
        return tail, size

    def _split_long(self, sentence: str, budget: int) -> list[tuple[str, int]]:
        """A sentence longer than the window is cut at word boundaries (rare: tables, lists)."""
        words = sentence.split()
        counts = self.count_tokens(words)
        out: list[tuple[str, int]] = []
        start, size = 0, 0
        for i, count in enumerate(counts):
            if size + count > budget and i > start:
                out.append((" ".join(words[start:i]), size))
                start, size = i, 0
            size += min(count, budget)
        if start < len(words):
            out.append((" ".join(words[start:]), size))
        return out

    def _make_chunk(self, document: Document, section: Section, text: str, ordinal: int) -> Chunk:
        embed_text = self._prefix(document, section) + text
        source_name = str(document.metadata.get("source_name") or "")
        evidence_label = str(document.metadata.get("evidence_label") or "")
        digest = stable_hash([document.title, section.heading, section.label, text, document.kind,
                              document.source, document.url, document.year, source_name, evidence_label], 10)
        return Chunk(
            id=f"{document.id}#{ordinal}-{digest}",
            doc_id=document.id,
            section_id=section.id,
            section=section.heading,
            ordinal=ordinal,
            text=text,
            embed_text=embed_text,
            title=document.title,
            kind=document.kind,
            source=document.source,
            url=document.url,
            year=document.year,
            label=section.label,
            source_name=source_name,
            evidence_label=evidence_label,
        )
