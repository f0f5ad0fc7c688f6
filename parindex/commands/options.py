"""What every verb shares, declared once (as sqlite-utils does in its cli.py): the `--db` and
`--format` and `--jobs` options, and the one-line failure.

    @click.command()
    @db_option()
    @format_option
    def stats(db_path, fmt): ...
"""
import sys

import click

from parindex.output import FORMATS


def db_option(help: str = "The SQLite fact database.", default: str | None = "parindex.db",
              exists: bool = False):
    """`--db PATH` (parameter `db_path`): every verb takes one."""
    return click.option("--db", "db_path", default=default, show_default=default is not None,
                        type=click.Path(dir_okay=False, exists=exists), help=help)


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                             help="Output format (default: table on a terminal, jsonl otherwise).")


jobs_option = click.option(
    "--jobs", "-j", "jobs", type=click.IntRange(1), default=None, metavar="N",
    help="Extract on N worker processes (default: one per core); the results are the same as with one.")


def one_line(message) -> str:
    """The first line of a message (a library's error may carry a traceback-like tail)."""
    text = str(message).strip()
    return text.splitlines()[0] if text else ""


def say(verb: str, message) -> None:
    """`parindex <verb>: <message>` on stderr: what a verb tells the person running it."""
    click.echo(f"parindex {verb}: {message}", err=True)


def fail(verb: str, message, status: int = 1) -> None:
    """`parindex <verb>: <message>` on stderr in one line, exit status 1."""
    say(verb, one_line(message))
    sys.exit(status)
