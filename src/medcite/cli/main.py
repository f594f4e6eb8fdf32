"""The `medcite` click group, logging set-up and the mapping of known errors to clean messages."""

from __future__ import annotations

import logging
import sys

import click

from medcite import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medcite")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """MedCite: answers to medical questions from a library of guidelines and research, with citations."""
    from pydantic import ValidationError

    from medcite.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:  # a bad MEDCITE_* value: name the variable, never a traceback
        problems = "; ".join(f"MEDCITE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                             for e in exc.errors())
        raise click.ClickException(f"invalid setting: {problems} (see `docs/configuration.md`)") from exc
    level = {0: settings.log_level, 1: "INFO"}.get(verbose, "DEBUG")
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from medcite.cli import ask, config, corpus, demo, ingest, ui
    from medcite.cli import eval as eval_cli

    cli.add_command(ask.ask)
    cli.add_command(demo.demo)
    cli.add_command(ingest.ingest)
    cli.add_command(corpus.corpus)
    cli.add_command(config.config)
    cli.add_command(ui.ui)
    cli.add_command(ui.feedback)
    cli.add_command(eval_cli.eval_group)


_register()
