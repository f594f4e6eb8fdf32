"""`python -m medcite` runs the command line."""

from medcite.cli.main import cli

cli()
