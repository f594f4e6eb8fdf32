"""`medcite ui` (the web chat) and `medcite feedback export` (what users said about answers, as CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medcite.cli.common import user_errors


def check_bind(host: str, auth: str | None) -> None:
    """Refuse to serve beyond this machine without a login."""
    from medcite.ui.app import is_loopback, parse_auth

    try:
        parsed = parse_auth(auth)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not is_loopback(host) and parsed is None:
        raise click.ClickException(
            f"refusing to serve on {host} without a login: set MEDCITE_UI_AUTH=user:password (and put the UI "
            "behind HTTPS), or keep the default --host 127.0.0.1"
        )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback needs MEDCITE_UI_AUTH.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@user_errors
def ui(host: str, port: int) -> None:
    """Serve the chat in a browser: answers with citations, the library's contents, feedback.

    Health check for deployments: GET /healthz (library counts, JSON).
    """
    from medcite.settings import get_settings

    settings = get_settings()
    check_bind(host, settings.ui_auth.get_secret_value() if settings.ui_auth else None)
    if not settings.ledger_path.exists():
        raise click.ClickException(
            f"no library at {settings.ledger_path}: run `medcite demo` or `medcite ingest PATH` first"
        )
    from medcite.ui.app import Server

    server = Server(host, port, settings)
    click.echo(f"MedCite is serving on {server.url} (Ctrl-C to stop).", err=True)
    server.run()


@click.group()
def feedback() -> None:
    """Feedback users left on answers in the web chat."""


@feedback.command("export")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="CSV file to write (default: standard output).")
@user_errors
def export(out: Path | None) -> None:
    """Write all feedback as CSV: time, rating, comment, question, answer, cited ids, engine, filters."""
    from medcite.settings import get_settings
    from medcite.ui.feedback import FeedbackStore, feedback_path

    store = FeedbackStore(feedback_path(get_settings()))
    if out is None:
        store.export_csv(sys.stdout)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        n = store.export_csv(fh)
    click.echo(f"{n} feedback row{'' if n == 1 else 's'} written to {out}", err=True)
