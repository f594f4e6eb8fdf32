"""MedQuAD loader: one NIH consumer-health XML file, its answered question-answer pairs as sections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from medcite.ingest.loaders.base import (
    Loader,
    LoaderError,
    LoadOptions,
    element_text,
    origin_of,
    parse_xml,
    read_bytes,
    squash,
)
from medcite.types import Document, Section

# Source code as MedQuAD writes it -> (long name, evidence label shown beside citations).
SOURCES: dict[str, tuple[str, str]] = {
    "GHR": ("Genetics Home Reference (NLM)", "NIH consumer guideline (GHR)"),
    "GARD": ("Genetic and Rare Diseases Information Center", "NIH consumer guideline (GARD)"),
    "CancerGov": ("National Cancer Institute (PDQ)", "NIH consumer guideline (CancerGov)"),
    "MPlusHealthTopics": ("MedlinePlus Health Topics", "NIH consumer guideline (MedlinePlus)"),
    "NIDDK": (
        "National Institute of Diabetes and Digestive and Kidney Diseases",
        "NIH consumer guideline (NIDDK)",
    ),
    "NINDS": ("National Institute of Neurological Disorders and Stroke", "NIH consumer guideline (NINDS)"),
    "NIHSeniorHealth": ("NIHSeniorHealth", "NIH consumer guideline (NIHSeniorHealth)"),
    "NHLBI": ("National Heart, Lung, and Blood Institute", "NIH consumer guideline (NHLBI)"),
    "CDC": ("Centers for Disease Control and Prevention", "CDC consumer guideline"),
}

# The three root layouts: <Document id source url>, <doc docid corpus url>, <DiseaseFile fid source url>.
_ROOTS = {"Document": ("id", "source"), "doc": ("docid", "corpus"), "DiseaseFile": ("fid", "source")}
_ROOT_TAG = re.compile(rb"<(?:Document|doc|DiseaseFile)\s[^<>]*>")
_FOCUS_TAG = re.compile(rb"<(?:Focus|doctitle-focus)>")
_BULLET = re.compile(r"\n?[ \t]{2,}-[ \t]+")  # CancerGov crams list items into one line as "    - item"
_SPACE_BEFORE_MARK = re.compile(r"\s+([?.,;:])")
_REPEATED_QMARK = re.compile(r"\?(?:\s*\?)+")


class MedQuADLoader(Loader):
    name = "medquad"
    extensions = (".xml",)

    def sniff(self, path: Path, head: bytes) -> bool:
        root = _ROOT_TAG.search(head)
        return bool(root and re.search(rb"\b(?:source|corpus)=", root.group()) and _FOCUS_TAG.search(head))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Document]:
        root = parse_xml(read_bytes(path), str(path))
        doc = medquad_document(root, path.stem, origin_of(path), path)
        if doc is not None:  # a file without any answered pair is normal (7 in the real set), not an error
            yield doc


def medquad_document(root: Element, stem: str, origin: str, path: Path | str) -> Document | None:
    """The Document for one MedQuAD file, or None when no pair has an answer."""
    if root.tag not in _ROOTS:
        raise LoaderError(path, f"not a MedQuAD document (root element <{root.tag}>)")
    id_attr, source_attr = _ROOTS[root.tag]
    source = squash(root.get(source_attr, ""))
    if not source:
        raise LoaderError(path, f"MedQuAD <{root.tag}> has no {source_attr} attribute")
    # Ids repeat across files (CancerGov 0000013_2.xml and 0000013_2_1.xml both say id="0000013_2"); the file
    # name is unique and equals the id for every other file, so the document id is built from it.
    doc_id = f"{source}_{stem}"

    sections: list[Section] = []
    qtypes: list[str] = []
    first_question = ""
    seen_pids: set[str] = set()
    for position, pair in enumerate(_children(root, "QAPair", "pair"), start=1):
        question_el = _find(pair, "Question", "question")
        question = clean_question(element_text(question_el))
        first_question = first_question or question
        answer = clean_answer(element_text(_find(pair, "Answer", "answer")))
        if not answer:
            continue
        pid = squash(pair.get("pid", "")) or str(position)
        if pid in seen_pids:
            pid = f"{pid}_{position}"
        seen_pids.add(pid)
        qtype = squash(question_el.get("qtype", "")) if question_el is not None else ""
        heading = question or qtype or "Answer"
        sections.append(Section(id=f"{doc_id}_Sec{pid}", heading=heading, text=answer, label=qtype))
        if qtype and qtype not in qtypes:
            qtypes.append(qtype)
    if not sections:
        return None

    focus = squash(element_text(_find_deep(root, "Focus", "doctitle-focus")))
    source_name, evidence_label = SOURCES.get(source, (source, f"Consumer health guideline ({source})"))
    metadata: dict[str, Any] = {
        "source_name": source_name,
        "evidence_label": evidence_label,
        "focus": focus,
        "synonyms": _texts(root, "Synonym"),
        "cuis": _texts(root, "CUI", "cui"),
        "semantic_types": _texts(root, "SemanticType", "semanticType"),
        "question_types": qtypes,
        "medquad_id": squash(root.get(id_attr, "")),
    }
    if group := _texts(root, "SemanticGroup", "semanticGroup"):
        metadata["semantic_group"] = group[0]
    if category := _texts(root, "Category"):
        metadata["category"] = category[0]
    return Document(
        id=doc_id,
        title=focus or first_question or doc_id,
        kind="guideline",
        source=source,
        sections=sections,
        url=squash(root.get("url", "")),
        year=None,
        metadata=metadata,
        origin=origin,
    )


def clean_question(text: str) -> str:
    """'Who is at risk for X? ?' -> 'Who is at risk for X?'; whitespace collapsed."""
    text = _SPACE_BEFORE_MARK.sub(r"\1", squash(text))
    return _REPEATED_QMARK.sub("?", text)


def clean_answer(text: str) -> str:
    """Whitespace normalised with paragraph breaks and '- ' list items kept on their own lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _BULLET.sub("\n- ", text)
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [squash(line) for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def _find(element: Element, *tags: str) -> Element | None:
    for tag in tags:
        found = element.find(tag)
        if found is not None:
            return found
    return None


def _find_deep(element: Element, *tags: str) -> Element | None:
    for tag in tags:
        found = element.find(f".//{tag}")
        if found is not None:
            return found
    return None


def _children(root: Element, *tags: str) -> list[Element]:
    return [el for el in root.iter() if el.tag in tags]


def _texts(root: Element, *tags: str) -> list[str]:
    """Distinct non-empty texts of every element named one of ``tags``, in document order."""
    out: list[str] = []
    for el in root.iter():
        if el.tag in tags:
            value = squash(element_text(el))
            if value and value not in out:
                out.append(value)
    return out
