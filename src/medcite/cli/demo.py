"""`medcite demo`: fetch the demo sources, build the library, and answer a sample question."""

from __future__ import annotations

import click

from medcite.cli.common import open_library, print_report, progress_bar, user_errors

SAMPLE_QUESTION = "Does IVIG help all autoimmune conditions?"


@click.command()
@click.option("--question", default=SAMPLE_QUESTION, show_default=True, help="Question to answer in the terminal.")
@click.option("--ui/--no-ui", "open_ui", default=True, show_default=True, help="Open the chat afterwards.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port of the chat.")
@user_errors
def demo(question: str, open_ui: bool, port: int) -> None:
    """Fetch PubMedQA + MedQuAD (or copy ../shared/data), build the library, answer a question, open the chat."""
    from medcite.ingest.demo import get_demo
    from medcite.ingest.pipeline import IngestPipeline
    from medcite.settings import get_settings

    settings = get_settings()
    sources = get_demo(settings, None, progress=True)
    click.echo(f"Demo sources in {sources.root}; building the library (unchanged documents are skipped)...")
    with open_library() as library:
        report = IngestPipeline(settings, library).ingest_paths([sources.root], progress=progress_bar("Ingesting"))
    print_report(report, as_json=False)
    click.echo(f"\n> {question}\n")
    from medcite.cli.ask import ask

    click.get_current_context().invoke(ask, question=(question,), as_json=False, engine=None, kind="both",
                                       years=None, source=None)
    if open_ui:
        from medcite.cli.ui import ui

        click.echo(f"\nOpening the chat at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        click.get_current_context().invoke(ui, host="127.0.0.1", port=port)
