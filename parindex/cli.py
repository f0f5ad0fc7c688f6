"""The `parindex` command: a thin click layer over the importable library.

Each family of verbs lives in its own module under parindex/commands/. Every message a verb
writes to stderr starts with the command the person typed (`parindex query: ...`), errors
of Click's own (a mistyped option, a missing argument) too, in one line.
"""
import importlib
import sys

import click

from parindex import __version__
from parindex.commands.options import one_line
from parindex.model.loading import collector_paused

PROG = "parindex"

# Each verb and the module under parindex/commands/ that defines it (in its COMMANDS). A
# command imports its own module only: cron's `parindex query` does not pay for the crawler's
# or the review server's imports.
VERBS = {
    "extract": "extract",
    "query": "db", "stats": "db", "reextract": "db",
    "crawl": "crawl", "run": "crawl", "watch": "crawl",
    "serve": "serve", "reviewer": "serve",
    "export": "export",
    "demo": "demo",
    "sources": "sources",
}


class ParindexGroup(click.Group):
    """A click group whose errors speak in the voice of the other messages: one line,
    `parindex <verb>: <what went wrong>`, instead of Click's usage block and `Error:`.
    Its verbs are loaded when named (VERBS)."""

    def list_commands(self, ctx):
        return sorted(VERBS)

    def get_command(self, ctx, name):
        if name not in VERBS:
            return None
        with collector_paused():   # a verb's modules live as long as the process
            module = importlib.import_module(f"parindex.commands.{VERBS[name]}")
        return next(command for command in module.COMMANDS if command.name == name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:  # a caller that handles Click's exceptions itself
            return super().main(args, PROG, complete_var, standalone_mode=False, **extra)
        try:
            super().main(args, PROG, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.Abort:
            click.echo(f"{PROG}: stopped", err=True)
            sys.exit(1)
        except click.ClickException as err:
            path = err.ctx.command_path if getattr(err, "ctx", None) else PROG
            hint = f" (see {path} --help)" if isinstance(err, click.UsageError) else ""
            message = one_line(err.format_message())
            click.echo(f"{path}: {message.rstrip('.') if hint else message}{hint}", err=True)
            sys.exit(err.exit_code)
        sys.exit(0)


@click.group(name=PROG, cls=ParindexGroup)
@click.version_option(__version__, prog_name=PROG)
def cli():
    """Gather administrative-reform rankings (PAR Index, SIPAS, PAPI, PCI, DDCI)
    from Vietnamese news into one reviewed SQLite database."""

