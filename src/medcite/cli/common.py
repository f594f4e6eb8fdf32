"""Helpers shared by the command modules: opening the library, progress bars, printing reports."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterable

import click

from medcite.sanitize import json_safe, printable

__all__ = ["echo", "echo_json", "open_library", "print_report", "printable", "progress_bar", "user_errors"]


def user_errors(func):
    """Turn the errors a user can fix into one-line ClickExceptions instead of tracebacks."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from medcite.errors import USER_ERRORS

        try:
            return func(*args, **kwargs)
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


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


def echo(text: str, *, err: bool = False) -> None:
    """Print text that may hold stored fields: every control or bidi character shows as an escape."""
    click.echo(printable(text, lines=True), err=err)


def echo_json(data) -> None:
    click.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=str)))


def print_report(report, *, as_json: bool, max_failures: int = 20) -> None:
    if as_json:
        echo_json(report.summary())
        return
    verb = "would be " if report.dry_run else ""
    click.echo(
        f"{'Dry run: ' if report.dry_run else ''}{report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, "
        + (f"{report.repaired} {verb}repaired (vectors missing from Chroma), " if report.repaired else "")
        + f"{report.removed} {verb}removed, {len(report.failed)} failed "
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
