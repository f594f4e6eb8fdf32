"""`medcite eval run`: answer every question of an evaluation set against the library and score the answers.

:func:`run_eval` writes three things into the output folder:

- ``results.jsonl``: one line a question (see :data:`RESULT_FIELDS`): the documents retrieved (ids, best
  first: the service retrieves ``MEDCITE_RETRIEVE_K`` passages, at most two per document, so usually 10-20
  documents; fewer are recorded as they come and counted in ``short_retrieval``), the documents cited, the
  answer's Markdown, the abstention and emergency flags, the latency, and the per-answer checks below;
- ``metrics.json``: :func:`compute_metrics`, i.e. ``medcite.evals.metrics.aggregate`` extended with
  Recall@1/5, the citation checks and the support rate, overall and per group, plus the run's settings;
- the report (``report.md``, PNG plots, ``report.html``) from :mod:`medcite.evals.report`.

Per-answer checks (all recomputable from the answer alone, plus the library for the support check):

- **citations valid**: every citation number of every statement (``Answer.statements()``, read from the answer's
  typed parts, never from its Markdown) is the number of a reference; not applicable to an answer without statements.
- **cited sentences**: statements that carry at least one citation, over all statements.
- **support**: offline engine: a quoted statement is supported when its text (whitespace-normalised, final
  punctuation dropped) occurs verbatim in the text of one of the chunks it cites (``Statement.chunk_ids``,
  read from the ledger). LLM engine: the engine's own verifier scores each generated sentence against its
  cited passage with a lexical proxy (``medcite.qa.llm.support_score``, share of content words found in
  the passage); supported = sentences kept over sentences generated (``Answer.verification``).
  An LLM answer that fell back to quoting (``engine == "llm-fallback"``) is checked verbatim.
"""

from __future__ import annotations

import json
import logging
import platform
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medcite.evals.datasets import EvalQuestion, load_eval_set_with_warnings, split_filter
from medcite.evals.decision import DECISION_MODES, extract_decision, majority_baseline
from medcite.evals.metrics import DEFAULT_K, QuestionResult, aggregate, mean, rate, recall_at_k
from medcite.evals.quality import answer_quality

MODES: tuple[str, ...] = ("hybrid", "dense", "lexical")
ENGINES: tuple[str, ...] = ("offline", "llm")
log = logging.getLogger(__name__)
RECALL_CUTOFFS: tuple[int, ...] = (1, 5)
# Answer quality (medcite.evals.quality.answer_quality), read from the typed answer.
QUALITY_FIELDS: tuple[str, ...] = (
    "bottom_line", "bottom_line_reason", "standalone_problems", "standalone_kinds", "standalone_examples",
    "focus_statements", "on_focus_statements", "off_focus_examples", "sub_questions", "sub_questions_covered",
    "statement_text",
)
RESULT_FIELDS: tuple[str, ...] = (
    "id", "question", "group", "split", "retrieved", "cited", "answer", "abstained", "emergency", "triage_level",
    "triage", "latency_ms",
    "n_relevant", "first_relevant_rank", "engine", "decision", "gold_decision", "citations_valid",
    "invalid_markers", "sentences", "cited_sentences", "support_method", "statements_checked",
    "statements_supported", "unsupported", "timings_ms", *QUALITY_FIELDS,
)
WARM_UP_QUERY = "warm up the embedding model"



@dataclass
class RunOutcome:
    """What a run wrote and what it measured."""

    out_dir: Path
    results_path: Path
    metrics_path: Path
    report_files: list[Path] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)


# --- per-answer checks --------------------------------------------------------------------------------------


def _statements(answer: Any) -> list[Any]:
    statements = getattr(answer, "statements", None)
    return list(statements()) if callable(statements) else []


def citation_check(answer: Any) -> tuple[bool | None, list[int]]:
    """(every statement's citation numbers are reference numbers, the numbers that are not); None for an answer
    without statements (an abstention, a crisis reply)."""
    statements = _statements(answer)
    if not statements:
        return None, []
    references = {c.n for c in getattr(answer, "citations", None) or []}
    invalid = list(dict.fromkeys(n for s in statements for n in s.citations if n not in references))
    return not invalid, invalid


def answer_sentences(answer: Any) -> list[Any]:
    """The answer's claim-bearing statements (bottom line, considerations, research), read from its parts: headings,
    notes, notices, the refusal and the disclaimer are not statements."""
    return [s for s in _statements(answer) if s.text.strip()]


def support_check(answer: Any, chunk_texts: Callable[[list[str]], Mapping[str, str]]) -> dict[str, Any]:
    """How many of the answer's statements are supported by the passages they cite (see the module doc)."""
    if getattr(answer, "engine", "") == "llm":
        verification = getattr(answer, "verification", None) or {}
        generated = int(verification.get("generated") or 0)
        kept = int(verification.get("kept") or 0)
        dropped = [str(d.get("text", "")) for d in verification.get("dropped") or []]
        return {"support_method": "lexical-proxy", "statements_checked": generated, "statements_supported": kept,
                "unsupported": dropped[:3]}
    statements = answer_sentences(answer)
    ids = sorted({cid for s in statements for cid in s.chunk_ids})
    raw = dict(chunk_texts(ids)) if ids else {}
    texts = {cid: _squash(text) for cid, text in raw.items()}
    supported = 0
    unsupported: list[str] = []
    for s in statements:
        needle = _squash(s.text).rstrip(" .!?;:,")
        verbatim = bool(needle) and any(needle in texts.get(cid, "") for cid in s.chunk_ids)
        if verbatim or (s.span and s.chunk_ids and _repaired(s.text, raw.get(s.chunk_ids[0], ""), s.span)):
            supported += 1
        else:
            unsupported.append(s.text)
    return {"support_method": "verbatim", "statements_checked": len(statements),
            "statements_supported": supported, "unsupported": unsupported[:3]}


def _repaired(statement: str, chunk: str, span: Sequence[int]) -> bool:
    """A repaired quote of the chunk's text at ``span`` (:func:`medcite.qa.standalone.is_repair`)."""
    from medcite.qa.standalone import is_repair

    start, end = int(span[0]), int(span[1])
    source = chunk[start:end] if 0 <= start < end <= len(chunk) else ""
    return bool(source) and is_repair(statement, source, chunk)


def first_relevant_rank(retrieved: Sequence[str], relevant: set[str]) -> int | None:
    """Rank (from 1) of the first relevant document retrieved; 0 when none is; None without relevant ones."""
    if not relevant:
        return None
    return next((rank for rank, doc_id in enumerate(dict.fromkeys(retrieved), start=1) if doc_id in relevant), 0)


def question_record(
    question: EvalQuestion,
    answer: Any,
    latency_ms: float,
    chunk_texts: Callable[[list[str]], Mapping[str, str]],
    decisions: str = "heuristic",
) -> dict[str, Any]:
    """One line of results.jsonl for a question and its answer."""
    result = QuestionResult.from_answer(question.id, answer, decision=extract_decision(answer, decisions))
    valid, invalid = citation_check(answer)
    sentences = [] if getattr(answer, "abstained", False) else answer_sentences(answer)

    record: dict[str, Any] = {
        "id": question.id,
        "question": question.question,
        "group": question.group,
        "split": question.split,
        "retrieved": result.retrieved,
        "cited": list(dict.fromkeys(result.cited)),
        "answer": result.answer,
        "abstained": result.abstained,
        "emergency": result.emergency,
        "triage_level": result.triage_level,
        "triage": getattr(getattr(answer, "triage", None), "to_dict", dict)(),
        "latency_ms": round(latency_ms, 1),
        "n_relevant": len(question.relevant_ids),
        "first_relevant_rank": first_relevant_rank(result.retrieved, question.relevant_ids),
        "engine": getattr(answer, "engine", ""),
        "decision": result.decision,
        "gold_decision": question.decision,
        "citations_valid": valid,
        "invalid_markers": invalid,
        "sentences": len(sentences),
        "cited_sentences": sum(bool(s.citations) for s in sentences),
        **support_check(answer, chunk_texts),
        "timings_ms": dict(getattr(answer, "timings_ms", None) or {}),
        **answer_quality(answer),
    }
    return record


# --- metrics ------------------------------------------------------------------------------------------------


def compute_metrics(
    records: Sequence[Mapping[str, Any]],
    questions: Iterable[EvalQuestion],
    k: int = DEFAULT_K,
    decisions: str = "heuristic",
) -> dict[str, Any]:
    """``metrics.aggregate`` of the records, each block extended with:

    ``recall@1`` and ``recall@5``; ``n_answered`` (not abstained); ``citation_valid_rate`` (answers whose
    every marker resolves, over answers with a verdict); ``cited_sentence_share`` (pooled over sentences);
    ``support_rate`` (pooled over statements checked, ``n_statements``); ``short_retrieval`` (questions with
    fewer than k documents retrieved) and ``mean_retrieved``; ``decision_baseline`` (accuracy of always
    giving the most common gold decision). With ``decisions="none"`` decision accuracy is None throughout.
    """
    questions = list(questions)
    out = aggregate([QuestionResult.coerce(r) for r in records], questions, k)
    by_id = {q.id: q for q in questions}
    scored = [(by_id[r["id"]], r) for r in records]

    def extend(block: dict[str, Any], items: list[tuple[EvalQuestion, Mapping[str, Any]]]) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for cutoff in RECALL_CUTOFFS:
            if cutoff != k:
                extra[f"recall@{cutoff}"] = mean(recall_at_k(r.get("retrieved") or [], q.relevant, cutoff)
                                                 for q, r in items)
        verdicts = [r.get("citations_valid") for _, r in items if r.get("citations_valid") is not None]
        sentences = sum(int(r.get("sentences") or 0) for _, r in items)
        checked = sum(int(r.get("statements_checked") or 0) for _, r in items)
        extra["n_answered"] = sum(not r.get("abstained") for _, r in items)
        extra["citation_valid_rate"] = rate(verdicts)
        extra["cited_sentence_share"] = (sum(int(r.get("cited_sentences") or 0) for _, r in items) / sentences
                                         if sentences else None)
        extra["n_statements"] = checked
        extra["support_rate"] = (sum(int(r.get("statements_supported") or 0) for _, r in items) / checked
                                 if checked else None)
        extra["short_retrieval"] = sum(len(r.get("retrieved") or []) < k for _, r in items)
        extra["mean_retrieved"] = mean(len(r.get("retrieved") or []) for _, r in items)
        label, baseline = majority_baseline(q.decision for q, _ in items)
        extra["decision_baseline"] = baseline
        extra["decision_baseline_label"] = label
        extra.update(quality_block([r for _, r in items]))
        if decisions == "none":
            block["decision_accuracy"] = None
        # Recall@1/5 next to Recall@k, the rest after the block's own figures.
        merged: dict[str, Any] = {}
        for key, value in block.items():
            if key == f"mrr@{k}":
                merged[key] = value
                for cutoff in RECALL_CUTOFFS:
                    if f"recall@{cutoff}" in extra:
                        merged[f"recall@{cutoff}"] = extra.pop(f"recall@{cutoff}")
                continue
            merged[key] = value
        merged.update(extra)
        return merged

    out["overall"] = extend(out["overall"], scored)
    out["groups"] = {group: extend(block, [(q, r) for q, r in scored if q.group == group])
                     for group, block in out["groups"].items()}
    out["decision_source"] = "heuristic" if decisions == "heuristic" else "none"
    return out


def quality_block(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The answer-quality figures of a block of records (definitions in :mod:`medcite.evals.quality`):

    ``bottom_line_rate`` (answers with a bottom line, over answers it applies to, ``n_bottom_line``);
    ``standalone_problems_per_answer`` (statements that cannot stand alone, mean per answer, ``n_quality``) and
    ``standalone_answer_rate`` (share of those answers with none); ``focus_relevance`` (on-focus statements over
    statements of answers with a known focus, pooled, ``n_focus_statements``) and ``off_focus_per_answer``
    (off-focus statements per such answer); ``subquestion_coverage`` (sub-questions with a bottom-line part, pooled,
    ``n_sub_questions``) and ``multipart_coverage`` (the same over messages with two or more); ``standalone_kinds``
    (problems by kind)."""
    lines = [r.get("bottom_line") for r in records if r.get("bottom_line") is not None]
    problems = [int(r["standalone_problems"]) for r in records if r.get("standalone_problems") is not None]
    focused = [r for r in records if int(r.get("focus_statements") or 0) > 0]
    shown = sum(int(r["focus_statements"]) for r in focused)
    on = sum(int(r.get("on_focus_statements") or 0) for r in focused)
    subs = sum(int(r.get("sub_questions") or 0) for r in records)
    multi = [r for r in records if int(r.get("sub_questions") or 0) >= 2]
    multi_subs = sum(int(r["sub_questions"]) for r in multi)
    kinds: dict[str, int] = {}
    for r in records:
        for kind, count in (r.get("standalone_kinds") or {}).items():
            kinds[kind] = kinds.get(kind, 0) + int(count)
    return {
        "n_bottom_line": len(lines),
        "bottom_line_rate": rate(lines),
        "n_quality": len(problems),
        "standalone_problems_per_answer": mean(problems),
        "standalone_answer_rate": rate(p == 0 for p in problems),
        "n_focus_statements": shown,
        "focus_relevance": on / shown if shown else None,
        "off_focus_per_answer": (shown - on) / len(focused) if focused else None,
        "n_sub_questions": subs,
        "subquestion_coverage": (sum(int(r.get("sub_questions_covered") or 0) for r in records) / subs
                                 if subs else None),
        "n_multipart": len(multi),
        "multipart_coverage": (sum(int(r.get("sub_questions_covered") or 0) for r in multi) / multi_subs
                               if multi_subs else None),
        "standalone_kinds": dict(sorted(kinds.items())),
    }


# --- running ------------------------------------------------------------------------------------------------


def select_questions(set_path: Path | str, split: str | None = "all", limit: int | None = None,
                     warnings: list[str] | None = None) -> list[EvalQuestion]:
    """The questions of one split of a set file, the first ``limit`` of them when given. The set's warnings (fields
    the format does not know, kept under ``meta``) are logged once and added to ``warnings`` when given."""
    loaded, found = load_eval_set_with_warnings(set_path)
    for warning in found:
        log.warning("%s", warning)
    if warnings is not None:
        warnings.extend(found)
    questions = split_filter(loaded, split)
    if limit is not None:
        if limit < 1:
            raise ValueError(f"--limit must be at least 1, not {limit}")
        questions = questions[:limit]
    if not questions:
        raise ValueError(f"{set_path}: no questions in split {split!r}")
    return questions


def run_eval(
    set_path: Path | str,
    out_dir: Path | str,
    *,
    engine: str | None = None,
    mode: str | None = None,
    k: int = DEFAULT_K,
    split: str | None = "all",
    limit: int | None = None,
    decisions: str = "heuristic",
    progress: bool = True,
    plots: bool = True,
) -> RunOutcome:
    """Answer every selected question with ``medcite.qa.answer`` and write results, metrics and report."""
    from medcite.qa import answer as ask
    from medcite.qa.service import get_service

    if engine is not None and engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if mode is not None and mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if decisions not in DECISION_MODES:
        raise ValueError(f"decisions must be one of {', '.join(DECISION_MODES)}, not {decisions!r}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    set_path = Path(set_path)
    set_warnings: list[str] = []
    questions = select_questions(set_path, split, limit, set_warnings)
    out_dir = Path(out_dir)

    service = get_service()
    settings = service.settings
    engine = engine or settings.engine
    mode = mode or settings.retrieval_mode
    stats = service.library.stats()
    if not stats.get("documents"):
        raise ValueError(f"the library ({stats.get('collection')}) is empty: run `medcite ingest` first")
    gold_warnings = absent_gold_warning(questions, set(service.library.ledger.hashes()))
    for warning in gold_warnings:
        log.warning("%s", warning)
    warnings = set_warnings + gold_warnings
    service.embedder.embed_query(WARM_UP_QUERY)  # load the model before the first timed question

    def chunk_texts(ids: list[str]) -> dict[str, str]:  # the title too: a repaired quote may name the page
        return {cid: chunk.text + "\n" + chunk.title for cid, chunk in service.library.ledger.get_chunks(ids).items()}

    from tqdm import tqdm

    out_dir.mkdir(parents=True, exist_ok=True)
    results_path = out_dir / "results.jsonl"
    metrics_path = out_dir / "metrics.json"
    metrics_path.unlink(missing_ok=True)  # never leave an older run's metrics beside these results
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    bar = tqdm(questions, desc=f"{set_path.stem} [{mode}]", unit="q", file=sys.stderr,
               disable=None if progress else True, dynamic_ncols=True)
    # Lines are written as questions are answered, so an interrupted run keeps what it did.
    with results_path.open("w", encoding="utf-8", newline="\n") as fh:
        for question in bar:
            t0 = time.perf_counter()
            result = ask(question.question, engine=engine, mode=mode)
            latency = (time.perf_counter() - t0) * 1000
            record = question_record(question, result, latency, chunk_texts, decisions)
            records.append(record)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
    seconds = time.perf_counter() - started

    metrics = compute_metrics(records, questions, k, decisions)
    metrics["run"] = run_settings(set_path, split, limit, k, engine, mode, decisions, settings, stats, seconds)
    if warnings:
        metrics["warnings"] = warnings
    write_json(metrics_path, metrics)
    from medcite.evals.report import write_report

    report_files = write_report(out_dir, metrics, records, plots=plots)
    return RunOutcome(out_dir, results_path, metrics_path, report_files, metrics, records)


def absent_gold_warning(questions: Sequence[EvalQuestion], library_ids: set[str]) -> list[str]:
    """A warning when gold documents are not in the library: their questions can only score zero."""
    gold = {doc_id for q in questions for doc_id in q.relevant_ids}
    absent = sorted(gold - library_ids)
    if not absent:
        return []
    hit = sum(1 for q in questions if q.relevant_ids and not q.relevant_ids & library_ids)
    return [f"{len(absent)} of {len(gold)} gold document ids are not in this library (e.g. {', '.join(absent[:3])}); "
            f"{hit} question(s) have none of theirs and score zero on ranking: is this the library the set was "
            "built for?"]


def run_settings(set_path: Path, split: str | None, limit: int | None, k: int, engine: str, mode: str,
                 decisions: str, settings: Any, stats: Mapping[str, Any], seconds: float) -> dict[str, Any]:
    """The settings a report prints and a comparison checks: what was run, on which library and code."""
    from medcite import __version__

    return {
        "set": str(set_path),
        "split": split or "all",
        "limit": limit,
        "k": k,
        "engine": engine,
        "mode": mode,
        "decisions": decisions,
        "retrieve_k": getattr(settings, "retrieve_k", None),
        "collection": stats.get("collection"),
        "embedding_model": stats.get("embedding_model"),
        "library": {
            "documents": stats.get("documents"),
            "chunks": stats.get("chunks"),
            "vectors": stats.get("vectors"),
            "by_kind": stats.get("by_kind") or {},
        },
        "git_commit": git_commit(),
        "medcite_version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds": round(seconds, 1),
    }


def git_commit() -> str | None:
    """The checkout's commit (with "+dirty" when tracked files changed), or None outside a git checkout."""
    root = Path(__file__).resolve().parents[3]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "")


def read_results(path: Path | str) -> list[dict[str, Any]]:
    """The records of a results.jsonl."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())
