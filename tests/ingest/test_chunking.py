"""Tests for sentence splitting and section-aware chunking."""

from __future__ import annotations

import re

import pytest

from medcite.ingest.chunking import Chunker, ChunkingConfig, embed_prefix, split_sentences
from medcite.types import Document, Section

words = lambda texts: [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]  # noqa: E731


def make_doc(*sections: tuple[str, str], title: str = "IVIG in autoimmune disease") -> Document:
    return Document(
        id="pubmed:1", title=title, kind="research", source="PubMed", year=2020, url="https://x/1",
        sections=[Section(id=f"pubmed:1#s{i}", heading=h, text=t, label=h.upper())
                  for i, (h, t) in enumerate(sections)],
    )


@pytest.mark.unit
class TestSplitSentences:
    def test_keeps_abbreviations_inside_sentences(self):
        text = "IVIG is used, e.g. in ITP. Dose is 2 g/kg vs. 1 g/kg. Smith et al. Reported it. Done!"
        assert split_sentences(text) == [
            "IVIG is used, e.g. in ITP.", "Dose is 2 g/kg vs. 1 g/kg.", "Smith et al. Reported it.", "Done!",
        ]

    def test_paragraphs_and_bullets_are_boundaries(self):
        text = "First paragraph without stop\n\nSecond one.\n- bullet one\n- bullet two"
        assert split_sentences(text) == ["First paragraph without stop", "Second one.", "- bullet one", "- bullet two"]

    def test_decimals_do_not_split(self):
        assert split_sentences("The dose was 2.5 mg daily. It worked.") == ["The dose was 2.5 mg daily.", "It worked."]


@pytest.mark.unit
class TestChunker:
    def chunker(self, max_tokens=40, overlap=8, embed_titles=True) -> Chunker:
        return Chunker(ChunkingConfig(max_tokens, overlap, embed_titles), words)

    def test_short_sections_make_one_chunk_each_with_citation_metadata(self):
        doc = make_doc(("Background", "IVIG is pooled IgG."), ("Conclusions", "It helps in ITP."))
        chunks = self.chunker().chunk_document(doc)
        assert [c.text for c in chunks] == ["IVIG is pooled IgG.", "It helps in ITP."]
        first = chunks[0]
        assert (first.doc_id, first.section_id, first.section, first.label) == (
            "pubmed:1", "pubmed:1#s0", "Background", "BACKGROUND")
        assert (first.title, first.kind, first.source, first.year, first.url) == (
            "IVIG in autoimmune disease", "research", "PubMed", 2020, "https://x/1")
        assert [c.ordinal for c in chunks] == [0, 1]
        assert first.embed_text == "IVIG in autoimmune disease — Background: IVIG is pooled IgG."

    def test_chunks_never_cross_sections(self):
        doc = make_doc(("A", "One two three."), ("B", "Four five six."))
        assert {c.section for c in self.chunker().chunk_document(doc)} == {"A", "B"}
        assert len(self.chunker().chunk_document(doc)) == 2

    def test_long_section_fits_the_window_with_sentence_overlap(self):
        sentences = [f"Sentence number {i} says something about dosing." for i in range(30)]
        doc = make_doc(("Results", " ".join(sentences)))
        chunker = self.chunker(max_tokens=60, overlap=12)
        chunks = chunker.chunk_document(doc)
        assert len(chunks) > 3
        for chunk in chunks:
            assert words([chunk.embed_text])[0] + 2 <= 60
        # Every sentence is kept, in order, and consecutive chunks share their boundary sentence.
        joined = " ".join(c.text for c in chunks)
        assert all(s in joined for s in sentences)
        for a, b in zip(chunks, chunks[1:], strict=False):
            last = split_sentences(a.text)[-1]
            assert b.text.startswith(last)

    def test_sentence_longer_than_window_is_cut_at_words(self):
        doc = make_doc(("Table", " ".join(f"w{i}" for i in range(200))))
        chunks = self.chunker(max_tokens=50, overlap=0).chunk_document(doc)
        assert len(chunks) >= 4
        assert " ".join(c.text for c in chunks).split() == [f"w{i}" for i in range(200)]

    def test_ids_are_deterministic_and_change_with_content(self):
        doc = make_doc(("Results", "IVIG worked."))
        a = self.chunker().chunk_document(doc)[0].id
        assert a == self.chunker().chunk_document(doc)[0].id
        assert a.startswith("pubmed:1#0-")
        changed = make_doc(("Results", "IVIG did not work."))
        assert self.chunker().chunk_document(changed)[0].id != a

    def test_without_titles_embed_text_is_the_text(self):
        doc = make_doc(("Results", "IVIG worked."))
        chunk = self.chunker(embed_titles=False).chunk_document(doc)[0]
        assert chunk.embed_text == chunk.text == "IVIG worked."

    def test_empty_section_makes_no_chunk(self):
        assert self.chunker().chunk_document(make_doc(("Empty", "  \n "))) == []

    def test_overlap_must_be_small(self):
        with pytest.raises(ValueError):
            Chunker(ChunkingConfig(40, 20, True), words)

    def test_heading_repeated_in_title_is_not_embedded_twice(self):
        assert embed_prefix("Asthma", "What is asthma?") == "Asthma — What is asthma?: "
        assert embed_prefix("What is asthma?", "what is asthma?") == "What is asthma?: "


@pytest.mark.integration
class TestChunkerWithModelTokenizer:
    def test_every_chunk_fits_256_word_pieces(self, settings):
        from medcite.embedding.model import Embedder

        embedder = Embedder(settings)
        chunker = Chunker(ChunkingConfig(256, 32, True), embedder.count_tokens)
        text = " ".join(
            f"Intravenous immunoglobulin (IVIG) at 2 g/kg over 2-5 days reduced relapse {i}." for i in range(120)
        )
        chunks = chunker.chunk_document(make_doc(("Results", text), title="A long title " * 10))
        assert len(chunks) > 5
        pieces = embedder.tokenizer([c.embed_text for c in chunks])["input_ids"]
        assert max(len(p) for p in pieces) <= 256


@pytest.mark.unit
class TestChunkerKeepsLines:
    def test_headings_and_bullets_stay_on_their_own_lines(self):
        text = ("Key Points\n- IVIG is pooled IgG.\n- It is given by infusion. It takes hours.\n\n"
                "The Thyroid\nThe gland sits low.")
        chunk = Chunker(ChunkingConfig(200, 8, False), words).chunk_document(make_doc(("Overview", text)))[0]
        assert chunk.text == ("Key Points\n- IVIG is pooled IgG.\n- It is given by infusion. It takes hours.\n"
                              "The Thyroid\nThe gland sits low.")
