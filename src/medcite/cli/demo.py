"""`medcite demo`: fetch the demo sources, build the library, and answer a sample question."""

from __future__ import annotations

import click

from medcite.cli.common import open_library, print_report, progress_bar
from medcite.cli.main import user_errors

SAMPLE_QUESTION = "Does IVIG help all autoimmune conditions?"


@click.command()
@click.option("--question", default=SAMPLE_QUESTION, show_default=True, help="Question to answer at the end.")
@user_errors
def demo(question: str) -> None:
    """Fetch PubMedQA + MedQuAD (or copy ../shared/data), ingest them, and answer a question."""
    from medcite.corpus.demo import get_demo
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
