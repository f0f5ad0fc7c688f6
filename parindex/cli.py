"""The `parindex` command: a thin click layer over the importable library.

Each family of verbs lives in its own module under parindex/commands/.
"""
import click

from parindex import __version__
from parindex.commands import crawl as _crawl
from parindex.commands import db as _db
from parindex.commands import export as _export
from parindex.commands import extract as _extract
from parindex.commands import serve as _serve
from parindex.commands import sources as _sources


@click.group()
@click.version_option(__version__, prog_name="parindex")
def cli():
    """Gather administrative-reform rankings (PAR Index, SIPAS, PAPI, PCI, DDCI)
    from Vietnamese news into one reviewed SQLite database."""


for _module in (_extract, _db, _crawl, _serve, _export, _sources):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
