"""PubMed XML loader: a ``PubmedArticleSet`` as E-utilities efetch returns it, one Document per article."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from medcite.ingest.loaders.base import (
    Loader,
    LoaderError,
    LoadOptions,
    clean_block,
    element_text,
    heading_case,
    origin_of,
    parse_xml,
    read_bytes,
    shorten,
    squash,
)
from medcite.types import Document, Kind, Section

_SNIFF = re.compile(rb"<(?:!DOCTYPE\s+)?PubmedArticleSet\b|<PubmedArticle>")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
GUIDELINE_TYPES = frozenset({"Practice Guideline", "Guideline"})
# Publication types from most to least specific as evidence; the first one an article has is its label.
EVIDENCE_ORDER = (
    "Practice Guideline",
    "Guideline",
    "Consensus Development Conference, NIH",
    "Consensus Development Conference",
    "Meta-Analysis",
    "Systematic Review",
    "Network Meta-Analysis",
    "Randomized Controlled Trial",
    "Equivalence Trial",
    "Pragmatic Clinical Trial",
    "Clinical Trial, Phase IV",
    "Clinical Trial, Phase III",
    "Clinical Trial, Phase II",
    "Clinical Trial, Phase I",
    "Controlled Clinical Trial",
    "Clinical Trial",
    "Observational Study",
    "Multicenter Study",
    "Comparative Study",
    "Validation Study",
    "Evaluation Study",
    "Case Reports",
    "Review",
    "Editorial",
    "Comment",
    "Letter",
)
_GENERIC_TYPES = ("Journal Article", "English Abstract", "Research Support")


class PubMedXMLLoader(Loader):
    name = "pubmed-xml"
    extensions = (".xml",)

    def sniff(self, path: Path, head: bytes) -> bool:
        return bool(_SNIFF.search(head))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        docs = parse_pubmed_xml(read_bytes(path), origin_of(path), options.on_skip)
        if not docs:
            raise LoaderError(path, "no PubMed article with an abstract")
        yield from docs


def parse_pubmed_xml(
    data: bytes, origin: str, on_skip: Callable[[str], None] | None = None
) -> list[Document]:
    """Documents for every article with an abstract in an efetch reply (``PubmedArticleSet``).

    Articles without an abstract, book records and duplicates are passed to ``on_skip`` with a reason; a
    reply that is not PubMed XML raises LoaderError(origin, reason). ``origin`` is recorded on each Document.
    """
    skip = on_skip or (lambda reason: None)
    root = parse_xml(data, origin)
    if root.tag == "PubmedArticle":
        articles: list[Element] = [root]
    elif root.tag == "PubmedArticleSet":
        articles = list(root)
    else:
        raise LoaderError(origin, f"not PubMed XML (root element <{root.tag}>, expected <PubmedArticleSet>)")
    docs: list[Document] = []
    seen: set[str] = set()
    for article in articles:
        if article.tag == "PubmedBookArticle":
            pmid = squash(element_text(article.find("BookDocument/PMID"))) or "?"
            skip(f"pubmed:{pmid}: book records are not supported")
            continue
        if article.tag != "PubmedArticle":
            continue  # DeleteCitation and other bookkeeping elements
        try:
            doc = article_to_document(article, origin)
        except ValueError as exc:
            skip(str(exc))
            continue
        if doc.id in seen:
            skip(f"{doc.id}: duplicate article")
            continue
        seen.add(doc.id)
        docs.append(doc)
    return docs


def article_to_document(article: Element, origin: str = "") -> Document:
    """One ``<PubmedArticle>`` as a Document; ValueError naming the PMID when it has no abstract."""
    citation = article.find("MedlineCitation")
    if citation is None:
        raise ValueError("article without MedlineCitation")
    pmid = squash(element_text(citation.find("PMID")))
    if not pmid.isdigit():
        raise ValueError(f"article with an invalid PMID {pmid[:20]!r}")
    doc_id = f"pubmed:{pmid}"
    art = citation.find("Article")
    if art is None:
        raise ValueError(f"{doc_id}: no Article element")

    sections = _abstract_sections(doc_id, art.find("Abstract"))
    if not sections:
        raise ValueError(f"{doc_id}: no abstract")
    pub_types = _texts(art, "PublicationTypeList/PublicationType")
    kind: Kind = "guideline" if GUIDELINE_TYPES.intersection(pub_types) else "research"
    journal = squash(element_text(art.find("Journal/Title")))
    title = _text(art, "ArticleTitle") or _text(art, "VernacularTitle")
    metadata: dict[str, Any] = {
        "pmid": pmid,
        "journal": journal,
        "journal_abbrev": squash(element_text(art.find("Journal/ISOAbbreviation"))),
        "authors": _authors(art),
        "doi": _doi(article, art),
        "publication_types": pub_types,
        "mesh": _texts(citation, "MeshHeadingList/MeshHeading/DescriptorName"),
        "keywords": _texts(citation, "KeywordList/Keyword"),
        "evidence_label": evidence_label(pub_types),
    }
    return Document(
        id=doc_id,
        title=title or shorten(sections[0].text),
        kind=kind,
        source=journal or "PubMed",
        sections=sections,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        year=_year(art),
        metadata=metadata,
        origin=origin,
    )


def evidence_label(publication_types: list[str]) -> str:
    """The most specific publication type ("Randomized Controlled Trial" rather than "Journal Article")."""
    for candidate in EVIDENCE_ORDER:
        if candidate in publication_types:
            return candidate
    for pub_type in publication_types:
        if pub_type and not pub_type.startswith(_GENERIC_TYPES):
            return pub_type
    return "Journal Article"


def _abstract_sections(doc_id: str, abstract: Element | None) -> list[Section]:
    """Labelled AbstractText parts become sections; unlabelled ones are joined into one "Abstract" section."""
    if abstract is None:
        return []
    parts: list[tuple[str, str, str]] = []
    for node in abstract.iterfind("AbstractText"):
        text = clean_block(element_text(node))
        if not text:
            continue
        label = squash(node.get("Label", ""))
        category = squash(node.get("NlmCategory", "")).upper()
        if not label and parts and not parts[-1][2]:  # consecutive unlabelled paragraphs: one section
            heading, previous, _ = parts[-1]
            parts[-1] = (heading, f"{previous}\n\n{text}", "")
            continue
        role = category if category and category != "UNASSIGNED" else label.upper()
        parts.append((heading_case(label) if label else "Abstract", text, role))
    return [
        Section(id=f"{doc_id}#s{i}", heading=heading, text=text, label=role)
        for i, (heading, text, role) in enumerate(parts)
    ]


def _authors(art: Element) -> list[str]:
    names = []
    for author in art.iterfind("AuthorList/Author"):
        if author.get("ValidYN", "Y") == "N":
            continue
        collective = squash(element_text(author.find("CollectiveName")))
        last = squash(element_text(author.find("LastName")))
        initials = squash(element_text(author.find("Initials")))
        name = collective or " ".join(part for part in (last, initials) if part)
        if name:
            names.append(name)
    return names


def _doi(article: Element, art: Element) -> str:
    for loc in art.iterfind("ELocationID"):
        valid = loc.get("EIdType") == "doi" and loc.get("ValidYN", "Y") != "N"
        if valid and (doi := squash(element_text(loc))):
            return doi
    for aid in article.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if aid.get("IdType") == "doi" and (doi := squash(element_text(aid))):
            return doi
    return ""


def _year(art: Element) -> int | None:
    """PubDate/Year, else the first year of MedlineDate ("1998 Dec-1999 Jan"), else ArticleDate/Year."""
    for text in (
        element_text(art.find("Journal/JournalIssue/PubDate/Year")),
        element_text(art.find("Journal/JournalIssue/PubDate/MedlineDate")),
        element_text(art.find("ArticleDate/Year")),
    ):
        if match := _YEAR.search(text):
            return int(match.group(1))
    return None


def _text(parent: Element, path: str) -> str:
    return squash(element_text(parent.find(path)))


def _texts(parent: Element, path: str) -> list[str]:
    """Distinct non-empty texts of the elements at ``path`` under ``parent``, in document order."""
    return list(dict.fromkeys(text for el in parent.iterfind(path) if (text := squash(element_text(el)))))
