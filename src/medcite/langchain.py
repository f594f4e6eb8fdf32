r"""MedCite's retrieval as a LangChain retriever, for LCEL chains of your own (docs/langchain.md).

:class:`MedCiteRetriever` is a ``langchain_core.retrievers.BaseRetriever``: it asks MedCite's
:class:`~medcite.qa.retrieve.Retriever` (hybrid dense + BM25, filters, at most two passages per document) and
returns one ``Document`` per passage, its text as ``page_content`` and everything a citation needs as metadata::

    from langchain_core.language_models.fake_chat_models import ParrotFakeChatModel
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnablePassthrough

    from medcite.langchain import MedCiteRetriever
    from medcite.qa.retrieve import Filters

    retriever = MedCiteRetriever.from_settings(k=3, filters=Filters(kind="guideline"))

    def format_docs(docs):
        return "\n\n".join(f"[{d.metadata['rank']}] {d.page_content}\n({d.metadata['citation']})" for d in docs)

    prompt = ChatPromptTemplate.from_template(
        "Answer only from the numbered passages and cite them as [n].\n\n{context}\n\nQuestion: {question}")
    llm = ParrotFakeChatModel()  # echoes the prompt; put your chat model here, e.g. ChatOpenAI(model="...")
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | llm | StrOutputParser()
    print(chain.invoke("How is IVIG given?"))
    retriever.close()

Only retrieval is MedCite's here: the chain you build gets no triage, no citation check and no abstention; for
those use ``medcite ask`` or :class:`~medcite.qa.service.AnswerService`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, PrivateAttr, field_validator

from medcite.errors import MedciteError
from medcite.qa.compose import RESEARCH_EVIDENCE_LABEL, evidence_label, safe_url, source_name
from medcite.qa.retrieve import Filters, Retriever
from medcite.settings import Settings
from medcite.types import Chunk, Passage


class LangChainMissing(MedciteError, ImportError):
    """langchain-core could not be imported."""


try:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
except ImportError as exc:
    raise LangChainMissing(
        f"medcite.langchain needs langchain-core ({exc}). It is one of MedCite's base dependencies, so the "
        "install is incomplete: run `pip install 'langchain-core>=1.0,<2'` (or reinstall medcite)."
    ) from exc

__all__ = ["LangChainMissing", "MedCiteRetriever", "citation_text", "to_document"]

DEFAULT_K = 8


def citation_text(chunk: Chunk) -> str:
    """``Title. Source, Year. Evidence label. URL``: the reference MedCite's answers show, as plain text."""
    title = " ".join((chunk.title or chunk.doc_id).split())
    parts = [title if title.endswith((".", "?", "!", "\u2026")) else f"{title}."]
    source = source_name(chunk.source_name or chunk.source)
    if source and chunk.year:
        parts.append(f"{source}, {chunk.year}.")
    elif source or chunk.year:
        parts.append(f"{source or chunk.year}.")
    label = _evidence_label(chunk)
    if label:
        parts.append(f"{label}.")
    url = safe_url(chunk.url)
    if url:
        parts.append(url)
    return " ".join(parts)


def _evidence_label(chunk: Chunk) -> str:
    """The loader's label, else the one answers derive from the kind, source and title."""
    if chunk.evidence_label and chunk.evidence_label != RESEARCH_EVIDENCE_LABEL:
        return chunk.evidence_label
    return evidence_label(chunk.kind, chunk.title, (), chunk.source)


def to_document(passage: Passage, rank: int) -> Document:
    """One retrieved passage as a LangChain Document (``rank`` counts from 1)."""
    chunk = passage.chunk
    return Document(
        id=chunk.id,
        page_content=chunk.text,
        metadata={
            "chunk_id": chunk.id,
            "doc_id": chunk.doc_id,
            "title": chunk.title,
            "section": chunk.section,
            "kind": chunk.kind,
            "source": chunk.source,
            "source_name": source_name(chunk.source_name or chunk.source),
            "url": safe_url(chunk.url),
            "year": chunk.year,
            "evidence_label": _evidence_label(chunk),
            "score": passage.score,
            "rank": rank,
            "citation": citation_text(chunk),
        },
    )


class MedCiteRetriever(BaseRetriever):
    """The ``k`` best MedCite passages for a query as Documents, best first.

    ``retriever`` is a :class:`~medcite.qa.retrieve.Retriever` over an open library; ``filters`` narrows the
    library (kind, years, source) and ``mode`` picks hybrid, dense or lexical retrieval. Use
    :meth:`from_settings` to open the library read-only the way the answer service does.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid", validate_assignment=True)

    retriever: Retriever
    k: int = DEFAULT_K
    filters: Filters | None = None
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    _owns_library: bool = PrivateAttr(default=False)

    @field_validator("k")
    @classmethod
    def _k_at_least_one(cls, k: int) -> int:
        if k < 1:
            raise ValueError(f"k is the number of passages to return and must be at least 1, not {k}")
        return k

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kwargs: Any) -> MedCiteRetriever:
        """A retriever over the library ``settings`` names (default: the environment's), opened read-only with
        the query-time embedding model, as ``medcite ask`` opens it. ``mode`` defaults to
        ``MEDCITE_RETRIEVAL_MODE``; other keyword arguments are fields. Call :meth:`close` when done."""
        from medcite.qa.service import open_retriever
        from medcite.settings import get_settings

        settings = settings or get_settings()
        kwargs.setdefault("mode", settings.retrieval_mode)
        if "k" in kwargs:  # before the library opens: a bad k should not cost a model load
            cls._k_at_least_one(kwargs["k"])
        retriever = open_retriever(settings)
        try:
            instance = cls(retriever=retriever, **kwargs)
        except Exception:
            retriever.library.close()
            raise
        instance._owns_library = True
        return instance

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        if not isinstance(query, str):
            raise TypeError(f"MedCiteRetriever takes a question as a string, not {type(query).__name__}")
        if not query.strip():
            return []
        passages = self.retriever.search(query, k=self.k, filters=self.filters, mode=self.mode)
        return [to_document(p, rank) for rank, p in enumerate(passages, 1)]

    def close(self) -> None:
        """Close the library if :meth:`from_settings` opened it (a retriever you passed in stays yours)."""
        if self._owns_library:
            self.retriever.library.close()
            self._owns_library = False

    def __enter__(self) -> MedCiteRetriever:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
