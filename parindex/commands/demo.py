"""`parindex demo`: the whole pipeline on the offline news site that ships with parindex."""
import sys

import click

from parindex.commands.options import db_option, fail, format_option
from parindex.output import default_format, write_rows

# What the demo prints: every fact, by province, unit and year (score_min too: a unit only said to
# be in a band, "đạt trên 90%", would show an empty row without it)
DEMO_SQL = ("select unit, year, [index], rank, rank_total, rank_change, score, score_min, province from facts "
            "order by province, unit, year")


@click.command()
@db_option(default="demo.db", help="The database the demo fills (created when missing).")
@format_option
@click.option("-v", "--verbose", count=True, help="Scrapy's log: -v info, -vv every request.")
def demo(db_path, fmt, verbose):
    """Crawl the bundled offline news site, extract its facts and print them by unit and year.

    \b
        parindex demo                 # into demo.db in this folder
        parindex demo --db /tmp/d.db

    The site (about 60 pages, installed with parindex) is served on a free port of
    127.0.0.1 for the length of the crawl: nothing leaves this machine. Running it again
    fetches nothing new and prints the same facts.
    """
    from parindex import store
    from parindex.commands.crawl import crawl_then_extract

    result, _ = crawl_then_extract("demo", db_path, "corpus", (), None, None, 30, (), verbose)
    if result["status"] != "ok":
        sys.exit(1)
    db = store.connect(db_path, readonly=True)
    try:
        columns, rows = store.queries.run_sql(db, DEMO_SQL)
    except store.StoreError as err:
        fail("demo", err)
    finally:
        db.close()
    write_rows(rows, columns, fmt or default_format())


COMMANDS = [demo]
