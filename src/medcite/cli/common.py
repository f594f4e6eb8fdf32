"""Helpers shared by the command modules: opening the library, progress bars, printing reports."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

import click


def open_library(readonly: bool = False):
    from medcite.corpus.library import Library
    from medcite.settings import get_settings

    return Library(get_settings(), readonly=readonly)


def progress_bar(desc: str, unit: str = "file"):
    """A tqdm wrapper for long loops, on stderr and only when stderr is a terminal."""

    def wrap(items: Iterable) -> Iterable:
        from tqdm import tqdm

        return tqdm(items, desc=desc, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(),
                    dynamic_ncols=True)

    return wrap


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_report(report, *, as_json: bool, max_failures: int = 20) -> None:
    from medcite.ingest.pipeline import printable  # file names may hold terminal escapes

    if as_json:
        echo_json(report.summary())
        return
    verb = "would be " if report.dry_run else ""
    click.echo(
        f"{'Dry run: ' if report.dry_run else ''}{report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.removed} {verb}removed, {len(report.failed)} failed "
        f"({report.files} files, {report.chunks_written} chunks written, {report.chunks_embedded} embedded, "
        f"{report.seconds:.1f} s)"
    )
    for path, reason in report.failed[:max_failures]:
        click.echo(f"  failed: {printable(path)}: {printable(reason)}", err=True)
    if len(report.failed) > max_failures:
        click.echo(f"  ... and {len(report.failed) - max_failures} more failed files (see --json)", err=True)
    if report.skipped:
        click.echo(f"  {len(report.skipped)} records skipped inside readable files:", err=True)
        for line in report.skipped[:max_failures]:
            click.echo(f"    {printable(line)}", err=True)
