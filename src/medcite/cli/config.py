"""`medcite config`: the effective settings, and the Markdown reference of every setting."""

from __future__ import annotations

import click

from medcite.cli.common import echo_json


def settings_reference() -> str:
    """docs/configuration.md's table, generated from the Settings fields so the two cannot drift."""
    from medcite.settings import Settings

    lines = [
        "| Environment variable | Default | Description |",
        "| --- | --- | --- |",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "unset" if default is None else f"`{default}`"
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `MEDCITE_{name.upper()}` | {shown} | {description} |")
    return "\n".join(lines) + "\n"


@click.group()
def config() -> None:
    """Show settings."""


@config.command("show")
def show() -> None:
    """Print the effective settings as JSON (secrets masked) and derived paths."""
    from medcite.settings import get_settings

    settings = get_settings()
    data = settings.model_dump(mode="json")
    for key, value in data.items():
        if "key" in key and value:
            data[key] = "********"
    data["collection_name"] = settings.collection_name
    data["ledger_path"] = str(settings.ledger_path)
    data["chroma_dir"] = str(settings.chroma_dir)
    echo_json(data)


@config.command("reference")
def reference() -> None:
    """Print the Markdown table of all settings (the body of docs/configuration.md)."""
    click.echo(settings_reference(), nl=False)
