"""`medcite ask`: answer one question in the terminal, as Markdown or JSON."""

from __future__ import annotations

import re

import click

from medcite.cli.common import echo, echo_json, user_errors


def parse_years(value: str | None) -> tuple[int | None, int | None]:
    """'2000-2010', '2000-', '-2010' or '2015' into a (min, max) pair."""
    if not value:
        return None, None
    match = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", value)
    if not match or not (match.group(1) or match.group(3)):
        raise click.BadParameter("use A-B, A-, -B or one year, e.g. 2010-2020", param_hint="--years")
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(3)) if match.group(3) else (low if not match.group(2) else None)
    if low and high and low > high:
        raise click.BadParameter(f"{low} is after {high}", param_hint="--years")
    return low, high


def answer_json(result) -> dict:
    """The answer's JSON contract (``medcite.answer.SCHEMA``; docs/answer-json.md)."""
    return result.to_dict()


@click.command(context_settings={"ignore_unknown_options": True})  # "-5 mg of ...?" is a question, not an option
@click.argument("question", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--engine", type=click.Choice(["offline", "llm"]), help="Answer engine (default: MEDCITE_ENGINE).")
@click.option("--kind", type=click.Choice(["guideline", "research", "both"]), default="both", show_default=True,
              help="Evidence to search.")
@click.option("--years", metavar="A-B", help="Publication years, e.g. 2010-2020 (guidelines without a year are "
                                             "left out when set).")
@click.option("--source", help="Only this source (e.g. GHR, PubMed).")
@user_errors
def ask(question: tuple[str, ...], as_json: bool, engine: str | None, kind: str, years: str | None,
        source: str | None) -> None:
    """Answer QUESTION from the library, with numbered citations and references."""
    from medcite.qa import Filters, answer

    year_min, year_max = parse_years(years)
    filters = Filters(kind=None if kind == "both" else kind, year_min=year_min, year_max=year_max, source=source)
    result = answer(" ".join(question), filters=filters, engine=engine)
    if as_json:
        echo_json(answer_json(result))
    else:
        echo(result.text)  # the Markdown layout with source text as written: "p<0.001", not "p&lt;0.001"
