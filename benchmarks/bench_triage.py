"""What triage adds to each message: the clinical layer alone, both layers, and the query encoding beside them.

Over the messages of ``evals/sets/triage.jsonl`` (all 780, both splits: latency is not tuned on), each measured
interleaved per message in one run, with the encoder answering uses (the configured backend, one thread):

* ``clinical``: the clinical layer alone (``Triage`` without an encoder);
* ``triage``: both layers, as the service runs it (one encoder call over the message's sentences);
* ``query_encoding``: one ``embed_query`` of the whole message, what retrieval pays anyway;
* ``triage_then_query``: both layers, then the query encoding, as the service runs them one after the other.
  The embedder keeps its last few query-time vectors, so a one-sentence message is encoded once: **added
  latency** = ``triage_then_query`` - ``query_encoding``, per message (its median is reported).

Also the exemplar vectors' start-up cost: embedding the whole exemplar bank (a first run) vs reading the cache.

Usage::

    python -m benchmarks.bench_triage [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, summarize_ms, write_result

SET = ROOT / "evals" / "sets" / "triage.jsonl"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 messages: checks the code runs")
    args = parser.parse_args(argv)

    from medcite.embedding.model import Embedder
    from medcite.evals.datasets import load_eval_set
    from medcite.settings import Settings
    from medcite.triage import Triage

    messages = [q.question for q in load_eval_set(SET)][: 20 if args.quick else None]
    home = Path(tempfile.mkdtemp(prefix="bench-triage-"))
    settings = Settings(home=home)
    embedder = Embedder(settings, threads=settings.query_torch_threads)
    embedder.embed_query("warm up")
    words = embedder.word_list()

    started = time.perf_counter()
    first = Triage(encode=embedder.embed_documents, known_words=words, cache_dir=settings.models_dir, model_key="b")
    first.similarity.vectors  # noqa: B018 - embeds and caches the exemplars
    embed_s = time.perf_counter() - started
    started = time.perf_counter()
    triage = Triage(encode=embedder.embed_documents, known_words=words, cache_dir=settings.models_dir, model_key="b")
    triage.similarity.vectors  # noqa: B018 - read from the cache
    cached_s = time.perf_counter() - started
    clinical = Triage(known_words=words)

    for text in messages[:5]:  # warm both paths (regex compilation, speller cache, onnxruntime)
        triage.run(text)
        clinical.run(text)
    def then_query(text: str) -> None:
        triage.run(text)
        embedder.embed_query(text)

    timings: dict[str, list[float]] = {"clinical": [], "triage": [], "query_encoding": [], "triage_then_query": []}
    for text in messages:
        for name, run in (("clinical", clinical.run), ("triage", triage.run), ("query_encoding", embedder.embed_query),
                          ("triage_then_query", then_query)):
            embedder._recent.clear()  # every measurement starts with no vector remembered
            started = time.perf_counter()
            run(text)
            timings[name].append(time.perf_counter() - started)
    added = [b - a for a, b in zip(timings["query_encoding"], timings["triage_then_query"], strict=True)]
    result = {
        "messages": len(messages),
        "backend": settings.embedding_backend,
        "per_message": {name: summarize_ms(values) for name, values in timings.items()},
        "added_by_triage": summarize_ms(added),
        "exemplar_vectors_s": {"embed": round(embed_s, 2), "from_cache": round(cached_s, 3)},
    }
    per = result["per_message"]
    print(f"{len(messages)} messages: clinical p50 {per['clinical']['p50_ms']} ms, both layers p50 "
          f"{per['triage']['p50_ms']} ms (p95 {per['triage']['p95_ms']}), query encoding p50 "
          f"{per['query_encoding']['p50_ms']} ms; added by triage p50 {result['added_by_triage']['p50_ms']} ms; "
          f"exemplars embedded in {embed_s:.1f} s, cached {cached_s:.3f} s")
    write_result("triage_quick" if args.quick else "triage", result)
    return result


if __name__ == "__main__":
    main()
