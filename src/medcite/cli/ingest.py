"""`medcite ingest`: files, folders, or live PubMed into the library."""

from __future__ import annotations

from pathlib import Path

import click

from medcite.cli.common import open_library, print_report, progress_bar, user_errors

FORMATS = ["pubmedqa", "medquad", "pubmed-xml", "jsonl", "pdf", "markdown", "html", "text"]


def _parse_pmids(value: str | None) -> list[str]:
    if not value:
        return []
    pmids = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
    bad = [p for p in pmids if not p.isdigit()]
    if bad:
        raise click.BadParameter(f"PMIDs are digits only; not: {', '.join(bad[:5])}", param_hint="--pmid")
    return pmids


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Source format (default: detected per file).")
@click.option("--kind", type=click.Choice(["guideline", "research"]),
              help="Kind of the documents, when the files do not say.")
@click.option("--title", help="Title, for a single PDF/Markdown/HTML/text file.")
@click.option("--source", help="Source name (journal or body), for PDF/Markdown/HTML/text files.")
@click.option("--year", type=int, help="Publication year, for PDF/Markdown/HTML/text files.")
@click.option("--url", help="Link to the original, for PDF/Markdown/HTML/text files.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV manifest (path,id,title,kind,source,year,url); default: manifest.csv in a named folder.")
@click.option("--pubmed", "pubmed_query", metavar="QUERY", help="Fetch the results of a PubMed search via E-utilities.")
@click.option("--max", "max_results", type=click.IntRange(1, 10000), default=100, show_default=True,
              help="Most PubMed results to fetch with --pubmed.")
@click.option("--pmid", "pmids", metavar="1,2,3", help="Fetch these PubMed ids via E-utilities.")
@click.option("--prune", is_flag=True, help="Remove documents that came from these paths and are gone from them.")
@click.option("--replace", is_flag=True, help="Let a document replace the library's document of the same id that "
                                              "came from another file or source (refused otherwise).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any file fails.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@user_errors
def ingest(paths, fmt, kind, title, source, year, url, manifest, pubmed_query, max_results, pmids, prune,
           replace, dry_run, strict, as_json) -> None:
    """Add or update documents in the library from PATHS (files or folders) or from PubMed.

    Unchanged documents are skipped by content hash; changed ones are replaced. Bad files are skipped
    with a reason and listed in the summary.
    """
    from medcite.ingest.loaders.base import LoadOptions
    from medcite.ingest.pipeline import IngestPipeline
    from medcite.settings import get_settings

    pmid_list = _parse_pmids(pmids)
    if not paths and not pubmed_query and not pmid_list:
        raise click.UsageError("name files or folders to ingest, or use --pubmed QUERY / --pmid IDS")
    if prune and not paths:
        raise click.UsageError("--prune applies to files and folders only")
    if title and len(paths) > 1:
        raise click.UsageError("--title applies to a single file; use a manifest for several")

    settings = get_settings()
    # A dry run of an existing library only reads it: no writer lock, nothing created (a read-only copy works).
    with open_library(readonly=dry_run and settings.ledger_path.exists()) as library:
        pipeline = IngestPipeline(settings, library, replace=replace)
        reports = []
        if paths:
            options = LoadOptions(kind=kind, title=title, source=source, year=year, url=url)
            reports.append(pipeline.ingest_paths(
                list(paths), fmt=fmt, options=options, manifest=manifest, prune=prune, dry_run=dry_run,
                progress=progress_bar("Ingesting"),
            ))
        if pubmed_query or pmid_list:
            from medcite.ingest.eutils import EutilsClient, fetch_documents

            with EutilsClient(settings) as client:
                ids = list(pmid_list)
                if pubmed_query:
                    ids += [p for p in client.search(pubmed_query, max_results) if p not in ids]
                skipped: list[str] = []
                documents = fetch_documents(client, ids, on_skip=skipped.append)
                report = pipeline.ingest_documents(documents, dry_run=dry_run)
                report.skipped.extend(skipped)
                reports.append(report)
    for report in reports:
        print_report(report, as_json=as_json)
    failed = sum(len(r.failed) for r in reports)
    ingested = sum(r.ingested for r in reports)
    if (strict and failed) or (failed and ingested == 0):
        raise SystemExit(1)
