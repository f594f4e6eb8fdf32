"""`medcite corpus`: fetch the demo sources and inspect or edit what the library holds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from medcite.cli.common import echo, echo_json, open_library, printable, user_errors


@click.group()
def corpus() -> None:
    """Fetch sources and inspect the library."""


@corpus.command("get")
@click.argument("name", type=click.Choice(["demo"]))
@click.option("--from", "from_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Copy from a folder holding pubmedqa/ori_pqal.json and medquad/ instead of downloading "
                   "(default: ../shared/data when present).")
@click.option("--force", is_flag=True, help="Fetch again even if the files are present.")
@user_errors
def get(name: str, from_dir: Path | None, force: bool) -> None:
    """Fetch the demo sources (PubMedQA and MedQuAD) into MEDCITE_HOME/sources/demo."""
    from medcite.ingest.demo import get_demo
    from medcite.settings import get_settings

    sources = get_demo(get_settings(), from_dir, progress=True, force=force)
    click.echo(f"Demo sources ready in {sources.root}")
    click.echo(f"Next: medcite ingest {sources.root}")


@corpus.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@user_errors
def stats(as_json: bool) -> None:
    """What the library holds: documents and chunks by kind and source, last ingest."""
    with open_library(readonly=True) as library:
        data = library.stats()
    if as_json:
        echo_json(data)
        return
    click.echo(f"Collection: {data['collection']}  ({data['store']})")
    click.echo(f"Documents: {data['documents']:,}   chunks: {data['chunks']:,}   vectors: {data['vectors']:,}")
    click.echo("By kind:   " + ", ".join(f"{k} {v:,}" for k, v in data["by_kind"].items()))
    echo("By source: " + ", ".join(f"{printable(str(k))} {v:,}" for k, v in data["by_source"].items()))
    if data.get("vocabulary"):
        click.echo("Vocabulary: " + ", ".join(f"{k} {v:,}" for k, v in data["vocabulary"].items())
                   + "  (names question analysis links to)")
    if data["years"]["min"]:
        click.echo(f"Years:     {data['years']['min']}-{data['years']['max']}")
    for problem in data["problems"]:
        click.echo(f"Degraded:  {problem}")
    last = data.get("last_ingest")
    if last:
        click.echo(f"Last ingest: {last.get('added', 0)} added, {last.get('updated', 0)} updated, "
                   f"{last.get('removed', 0)} removed, {len(last.get('failed', []))} failed")


@corpus.command("list")
@click.option("--kind", type=click.Choice(["guideline", "research"]))
@click.option("--source", help="Only this source (e.g. GHR, PubMed).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def list_(kind, source, limit, offset, as_json) -> None:
    """List documents (id, kind, source, year, title)."""
    with open_library(readonly=True) as library:
        records = library.ledger.list_documents(kind=kind, source=source, limit=limit, offset=offset)
    if as_json:
        echo_json([{k: v for k, v in dataclasses.asdict(r).items() if k != "metadata"} for r in records])
        return
    for r in records:
        echo(f"{printable(r.id)}\t{r.kind}\t{printable(r.source)}\t{r.year or ''}\t{printable(r.title[:80])}")


@corpus.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def show(doc_id: str, as_json: bool) -> None:
    """Show one document with its chunks."""
    with open_library(readonly=True) as library:
        record = library.ledger.get_document(doc_id)
        if record is None:
            raise click.ClickException(f"no document {printable(doc_id)!r} in the library (try `medcite corpus list`)")
        chunks = library.ledger.document_chunks(doc_id)
    if as_json:
        echo_json({**dataclasses.asdict(record), "chunks": [dataclasses.asdict(c) for c in chunks]})
        return
    echo(f"{printable(record.title)}\n{printable(record.id)} · {record.kind} · {printable(record.source)} · "
         f"{record.year or 'n.d.'}")
    if record.url:
        echo(printable(record.url))
    section = None
    for chunk in chunks:
        if chunk.section != section:
            section = chunk.section
            echo(f"\n## {printable(section)}")
        echo(f"[{printable(chunk.id)}] {chunk.text}")


@corpus.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed from the ledger: re-embed missing or unreadable "
                                             "vectors, delete vectors of no chunk, rebuild the lexical index.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@user_errors
def check(repair: bool, as_json: bool) -> None:
    """Verify that the ledger, the Chroma vectors and the lexical index agree (exit 1 if they do not)."""
    from medcite.corpus.check import check_library, repair_library

    with open_library(readonly=not repair) as library:
        report = check_library(library)
        if repair and report.repairable:
            from medcite.embedding.model import Embedder

            embedder = Embedder(library.settings)
            report = repair_library(library, report, embedder.embed_documents)
    if as_json:
        echo_json(report.summary())
    else:
        click.echo(f"{report.documents:,} documents, {report.chunks:,} chunks, {report.vectors:,} vectors")
        if report.repaired:
            rebuilt = " (the Chroma collection was rebuilt)" if report.repaired["collection_rebuilt"] else ""
            click.echo(f"Repaired: {report.repaired['embedded']} vectors embedded again, "
                       f"{report.repaired['deleted']} deleted{rebuilt}, lexical index "
                       f"{'rebuilt' if report.repaired['lexical_rebuilt'] else 'sound'}")
        for problem in report.problems():
            click.echo(f"Problem: {printable(problem)}")
        if report.ok:
            click.echo("OK: ledger, vectors and lexical index agree.")
        elif not repair and report.repairable:
            click.echo("Run `medcite corpus check --repair` to fix this.")
    if not report.ok:
        raise SystemExit(1)


@corpus.command()
@click.argument("doc_ids", nargs=-1, required=True)
@user_errors
def remove(doc_ids: tuple[str, ...]) -> None:
    """Remove documents (and their chunks) from the library."""
    with open_library() as library:
        missing = [d for d in doc_ids if library.ledger.get_document(d) is None]
        removed = library.remove(list(doc_ids))
    click.echo(f"Removed {removed} document(s).")
    if missing:
        raise click.ClickException(f"not in the library: {', '.join(missing)}")
