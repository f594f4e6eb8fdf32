"""The answer service: triage the message, normalise it, retrieve passages, compose a cited answer, time each step.

Triage runs first on every message (``medcite.triage``). A self-harm risk gets the crisis reply alone: no
retrieval, no evidence, no "closest topics". Any other flagged message gets its actions as the answer's first
block; where the library holds nothing relevant, a short line sends the reader back to those actions instead of
the usual refusal and suggestions.

Start-up is most of a cold ``medcite ask`` (docs/benchmarks.md, "Cold start"; 3.5 s before these measures at the
full library): the process-wide service is built with the cyclic GC off and then frozen out of it (``get_service``:
the collections it ran during the build and at exit cost 0.5 s or more); the ONNX session and Chroma's first index
read, which mostly release the GIL, run in threads beside chromadb's import and the vocabulary and triage set-up
(``beside``); and the spelling indexes are built only for a question with an unknown word (``warm_up`` builds them
for the UI): built in a thread beside a one-off answer they cost it 0.6-1.0 s.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from medcite.analysis import QuestionAnalysis, QuestionAnalyzer, Vocabulary
from medcite.analysis.coverage import absent_names
from medcite.analysis.names import NameIndex
from medcite.analysis.vocabulary import CHAT_WORDS
from medcite.answer import Answer
from medcite.corpus.library import Library
from medcite.embedding.model import Embedder
from medcite.qa.retrieve import Filters, Retriever, documents_of
from medcite.qa.studies import StudyLookup, with_conclusions
from medcite.settings import Settings
from medcite.triage import Numbers, Triage, TriageResult

log = logging.getLogger(__name__)
History = Sequence[tuple[str, str]]

TRIMMED_NOTICE = "Your message was long, so only its first {limit:,} characters were used."
READ_AS_NOTICE = "Read {pairs}."
EMPTY_QUESTION_REPLY = "Please type a medical question, for example: “Does IVIG help all autoimmune conditions?”"


SENTENCE_CACHE = 50_000  # encoded sentences kept (384 floats each: about 80 MB at most)
QUESTION_CACHE = 64  # recent questions kept apart: one answer compares its question (and its parts) several times


class AnswerService:
    """Holds the library, the embedding model and the retriever; answers many questions."""

    def __init__(self, settings: Settings, *, library: Library | None = None, embedder=None) -> None:
        self.settings = settings
        embedder = embedder or Embedder(settings, threads=settings.query_torch_threads)
        # Start-up steps that mostly release the GIL run beside the ones that hold it (docs/benchmarks.md, "Cold
        # start"): onnxruntime builds the model's session while chromadb is imported, and Chroma reads its vector
        # index while the vocabulary and triage are set up and the first message is triaged.
        beside(getattr(embedder, "load", None), "medcite-model")
        library = library or Library(settings, readonly=True)
        beside(library.vectors.warm, "medcite-index")
        self.retriever = open_retriever(settings, library=library, embedder=embedder)
        self.library = library
        self.studies = StudyLookup(self.library.ledger)
        self._sentence_vectors: dict[str, object] = {}  # library sentences encoded for the bottom line, by text
        self._question_vectors: dict[str, object] = {}  # recent questions, kept out of the sentence cache
        self.embedder = self.retriever.embedder
        self.analyzer = self.retriever.analyzer
        self._vocabulary_version = self.library.ledger.get_meta("last_ingest")
        from medcite.qa.offline import OfflineSettings

        self.offline_settings = OfflineSettings(min_similarity=getattr(self.embedder, "min_similarity", None))
        self.triage = make_triage(settings, self.embedder)

    def answer(
        self,
        question: str,
        history: History | None = None,
        filters: Filters | None = None,
        *,
        engine: str | None = None,
        mode: str | None = None,
    ) -> Answer:
        final = None
        for item in self.stream(question, history, filters, engine=engine, mode=mode):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        history: History | None = None,
        filters: Filters | None = None,
        *,
        engine: str | None = None,
        mode: str | None = None,
    ) -> Iterator[str | TriageResult | Answer]:
        """Yield a flagged message's TriageResult first, then text as it is produced (LLM tokens; nothing for the
        offline engine), then the Answer."""
        from medcite.qa.offline import compose_offline
        from medcite.qa.text import followup_query

        started = time.perf_counter()
        history = list(history or [])
        notices: list[str] = []
        # Lone surrogates (possible in str, not in UTF-8) would break the tokenizer and SQLite further on.
        question = " ".join((question or "").encode("utf-8", "replace").decode("utf-8").split())
        if not question:
            yield Answer(question="", abstained=True, notices=[EMPTY_QUESTION_REPLY], message=EMPTY_QUESTION_REPLY)
            return
        if len(question) > self.settings.max_question_chars:
            question = question[: self.settings.max_question_chars]
            notices.append(TRIMMED_NOTICE.format(limit=self.settings.max_question_chars))

        triage = self.triage.run(question, [user for user, _ in history])
        if triage.withholds_answer:
            yield crisis_answer(question, triage, notices, started)
            return
        if triage.flagged:  # the chat shows the actions at once, before retrieval and any model text
            yield triage
        t_analyse = time.perf_counter()
        self._refresh_vocabulary()
        read: tuple[str, list[str]] = (question, [user for user, _ in history])
        analysis = self.analyzer.run(*read)
        if not analysis.focus and history:  # a follow-up without a name of its own: the earlier key words help
            read = (followup_query(question, history), [])
            analysis = self.analyzer.run(*read)
        if analysis.corrections:  # say how a misspelt name was read, as a search engine does
            notices.append(READ_AS_NOTICE.format(pairs="; ".join(f"“{typed}” as {fixed}"
                                                                for typed, fixed in analysis.corrections)))
        t_retrieve = time.perf_counter()
        ranked, extra = self.retriever.search_both_kinds(question, self.settings.retrieve_k, filters,
                                                         mode=mode or self.settings.retrieval_mode, analysis=analysis)
        passages = ranked + extra
        analysis = self._with_absent_names(analysis, read, passages)
        t_compose = time.perf_counter()
        engine = engine or self.settings.engine
        if engine == "llm" and not analysis.missing_is_subject:
            from medcite.qa.llm import stream_with_llm

            result = None
            for item in stream_with_llm(question, passages, history=history, settings=self.settings,
                                        offline_settings=self.offline_settings):
                if isinstance(item, Answer):
                    result = item
                else:
                    yield item
        else:
            studies = self.studies.of(p.chunk.doc_id for p in passages if p.chunk.kind != "guideline")
            passages = with_conclusions(passages, studies)
            result = compose_offline(question, passages, history=history, settings=self.offline_settings,
                                     analysis=analysis, studies=studies, similarity=self.sentence_similarity,
                                     vectors=self.sentence_vectors)
        finished = time.perf_counter()
        result.retrieved = documents_of(ranked)
        result.analysis = analysis
        result.notices = notices + list(result.notices)
        result.triage = triage  # the Markdown view puts its block first; a flagged refusal is never bare
        result.filters = filters_in_words(filters)
        explain_filtered_parts(result, filters)
        result.timings_ms = {
            **result.timings_ms,
            "triage": triage.elapsed_ms,
            "analyse": round((t_retrieve - t_analyse) * 1000, 1),
            "retrieve": round((t_compose - t_retrieve) * 1000, 1),
            "compose": round((finished - t_compose) * 1000, 1),
            "total": round((finished - started) * 1000, 1),
        }
        yield result

    def _with_absent_names(self, analysis: QuestionAnalysis, read: tuple[str, list[str]],
                           passages: list) -> QuestionAnalysis:
        """The analysis again, with the names retrieval shows the library lacks (``medcite.analysis.coverage``)."""
        lookup = getattr(self.library.ledger, "documents_with", None)
        if lookup is None:
            return analysis
        absent = absent_names(analysis, self.analyzer.vocabulary,
                              [(p.chunk.doc_id, p.similarity) for p in passages], lookup)
        return self.analyzer.run(*read, absent=absent) if absent else analysis

    def sentence_similarity(self, question: str, sentences: Sequence[str]) -> list[float]:
        """Cosine of the question and each sentence, by the library's embedding model (orders the bottom line)."""
        found = self._encoded([question, *sentences], question)
        q = found[question]
        return [float(found[t] @ q) for t in sentences]

    def sentence_vectors(self, sentences: Sequence[str]):
        """The unit vector of each library sentence (one row each), from the cache :meth:`sentence_similarity`
        fills (the facet model reads the shown sentences, which the relevance step has encoded)."""
        import numpy as np

        found = self._encoded(list(sentences))
        return np.stack([found[t] for t in sentences]) if sentences else np.zeros((0, 0), dtype=np.float32)

    def _encoded(self, texts: Sequence[str], uncached: str | None = None) -> dict[str, object]:
        """Unit vectors of ``texts`` by text; library sentences go to the sentence cache, ``uncached`` (the question)
        to a small cache of recent questions (the relevance step, the bottom line and the verdict each compare it)."""
        import numpy as np

        cache, questions = self._sentence_vectors, self._question_vectors
        found = {t: questions.get(t) if t == uncached else cache.get(t) for t in dict.fromkeys(texts)}
        todo = [t for t, v in found.items() if v is None]
        if todo:  # (a local copy: another chat's answer may clear the shared cache meanwhile)
            fresh = self.embedder.embed_documents(todo)
            fresh = fresh / np.maximum(np.linalg.norm(fresh, axis=1, keepdims=True), 1e-9)
            found.update(zip(todo, fresh, strict=True))
            if len(cache) > SENTENCE_CACHE:
                cache.clear()
            if len(questions) >= QUESTION_CACHE:
                questions.clear()
            cache.update((t, found[t]) for t in todo if t != uncached)
            if uncached in todo:
                questions[uncached] = found[uncached]
        return found

    def _refresh_vocabulary(self) -> None:
        """Rebuild the question analysis after an ingest finished (the ledger's last-ingest record changed), so new
        documents' names link and are never reported missing; one indexed lookup a question otherwise."""
        version = self.library.ledger.get_meta("last_ingest")
        if version != self._vocabulary_version:
            self._vocabulary_version = version
            self.analyzer = self.retriever.analyzer = make_analyzer(self.library, self.embedder)
            # only a long-lived service sees an ingest finish: build the new spelling indexes beside its answers
            threading.Thread(target=self.analyzer.vocabulary.warm, name="medcite-vocabulary", daemon=True).start()

    def warm_up(self) -> None:
        """Build now what a first misspelt question would wait for: the spelling indexes (about 0.5 s of CPU at
        34k chunks). For a long-lived process (the UI's warm-up thread). A one-off ``medcite ask`` never builds
        them unless its question holds an unknown word: built in a background thread beside its answer, they
        cost that answer more than they save (the thread holds the interpreter lock half the time, and their
        0.4 M small lists slow every garbage collection after), 0.6-1.0 s of a cold ask."""
        self.analyzer.vocabulary.warm()

    def close(self) -> None:
        self.library.close()


def filters_in_words(filters: Filters | None) -> str:
    """The search filters in force as the answer states them: "research only, 2010–2020", "guidelines only",
    "from 2015", "up to 2005", "source NINDS"; "" when none narrow the library.

    >>> filters_in_words(Filters(kind="research", year_min=2010, year_max=2020))
    'research only, 2010–2020'
    """
    if filters is None:
        return ""
    parts = []
    if filters.kind:
        parts.append("guidelines only" if filters.kind == "guideline" else "research only")
    low, high = filters.year_min, filters.year_max
    if low and high:
        parts.append(str(low) if low == high else f"{low}–{high}")
    elif low:
        parts.append(f"from {low}")
    elif high:
        parts.append(f"up to {high}")
    if filters.source:
        parts.append(f"source {filters.source}")
    return ", ".join(parts)


def explain_filtered_parts(answer: Answer, filters: Filters | None) -> None:
    """A part left empty because a filter excluded its kind says so, not "the library has no ... passage"."""
    from medcite.qa.compose import NO_GUIDELINE_PASSAGE, NO_RESEARCH_PASSAGE

    if filters is None or not answer.filters:
        return
    notes = answer.part_notes
    lead = f"The filters in force ({answer.filters})"
    if notes.get("guidelines") == NO_GUIDELINE_PASSAGE:
        if filters.kind == "research":
            notes["guidelines"] = f"{lead} leave out guideline passages."
        elif filters.year_min or filters.year_max:
            notes["guidelines"] = f"{lead} leave out guidelines without a year."
    if notes.get("research") == NO_RESEARCH_PASSAGE and filters.kind == "guideline":
        notes["research"] = f"{lead} leave out research passages."


def make_analyzer(library: Library, embedder) -> QuestionAnalyzer:
    """Question analysis over the library's own vocabulary, with the embedder's English words as "known"."""
    words = getattr(embedder, "word_list", None)
    english = words() if callable(words) else frozenset()
    vocabulary = Vocabulary.from_ledger(library.ledger, english | CHAT_WORDS if english else english,
                                        cache_dir=library.settings.models_dir / "vocabulary")
    encode = getattr(embedder, "embed_documents", None)
    names = (NameIndex(vocabulary, encode, cache_dir=library.settings.models_dir / "vocabulary",
                       model_key=f"{library.settings.embedding_model}|{library.settings.embedding_backend}")
             if callable(encode) else None)
    return QuestionAnalyzer(vocabulary, names)  # spelling indexes build on a first unknown word (or warm_up)


def open_retriever(settings: Settings, *, library: Library | None = None, embedder=None) -> Retriever:
    """The retriever answering uses: over the library opened read-only, with the query-time embedding model and
    the question analysis built from the library's vocabulary (also what ``MedCiteRetriever.from_settings`` opens)."""
    library = library or Library(settings, readonly=True)
    embedder = embedder or Embedder(settings, threads=settings.query_torch_threads)
    return Retriever(library, embedder, analyzer=make_analyzer(library, embedder), fusion=settings.retrieval_fusion)


def beside(step: Callable[[], object] | None, name: str) -> None:
    """Run a start-up ``step`` in a thread of its own. A failure is only logged: the step is one the first real use
    would take anyway, and that use reports it. Not a daemon, so the interpreter never exits under it."""
    if step is None:
        return

    def run() -> None:
        try:
            step()
        except Exception:  # noqa: BLE001 - reported by the first real use
            log.debug("start-up step %s failed", name, exc_info=True)

    threading.Thread(target=run, name=name).start()


def make_triage(settings: Settings, embedder) -> Triage:
    """Triage wired to the library's embedder (its similarity layer) and word list (its speller)."""
    numbers = Numbers(emergency=settings.emergency_number, crisis_line=settings.crisis_line,
                      crisis_line_name=settings.crisis_line_name, poison_control=settings.poison_control)
    words = getattr(embedder, "word_list", None)
    return Triage(encode=getattr(embedder, "embed_documents", None), numbers=numbers,
                  known_words=words() if callable(words) else frozenset(), cache_dir=settings.models_dir,
                  model_key=f"{settings.embedding_model}|{settings.embedding_backend}")


def crisis_answer(question: str, triage: TriageResult, notices: list[str], started: float) -> Answer:
    """The reply to a self-harm risk: the crisis message alone, no evidence (and so no method or dose)."""
    return Answer(question=question, engine="triage", notices=list(notices), triage=triage,
                  timings_ms={"triage": triage.elapsed_ms, "total": round((time.perf_counter() - started) * 1000, 1)})


_service: AnswerService | None = None
_lock = threading.Lock()


def get_service(settings: Settings | None = None) -> AnswerService:
    """The process-wide service (the model is loaded once).

    What it holds lives as long as the process (the imported modules, the library's vocabulary, triage's tables):
    building it allocates some 200,000 tracked objects and next to no garbage, so the cyclic garbage collector is off
    meanwhile, and what exists then is frozen out of it (``gc.freeze``). Otherwise the collections during the build,
    every later full collection and those at interpreter exit all walk those objects again: 0.5 s or more of a
    cold ``medcite ask`` (docs/benchmarks.md, "Cold start")."""
    global _service
    with _lock:
        if _service is None or (settings is not None and settings is not _service.settings):
            from medcite.settings import get_settings

            gc.unfreeze()  # a service being replaced: what only it held may be collected again
            collecting = gc.isenabled()
            gc.disable()
            try:
                _service = AnswerService(settings or get_settings())
            finally:
                gc.freeze()
                if collecting:
                    gc.enable()
        return _service


def library_health(settings: Settings | None = None) -> dict:
    """What a health check reports: ledger counts and Chroma's vector count through the answer service's own
    library; ``status`` is "degraded" (with ``problems``) when Chroma is unreachable or holds fewer vectors
    than the ledger has chunks, or documents are unfinished."""
    from medcite.corpus.library import health_problems

    library = get_service(settings).library
    counts: dict = library.ledger.counts()
    try:
        counts["vectors"] = library.vectors.count()
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        counts["vectors"] = None
        problems = [f"the vector store is unreachable: {exc}"]
    else:
        problems = []
    problems += health_problems(counts)
    return {"status": "degraded" if problems else "ok", **counts, "problems": problems}


def reset_service() -> None:
    global _service
    with _lock:
        if _service is not None:
            _service.close()
        _service = None
        gc.unfreeze()
