"""`parindex extract`: local pages and text files -> facts (stdout, or the database with --db)."""
import sys

import click

from parindex.commands.options import db_option, format_option, say
from parindex.model.catalogue import CLAIMS, DERIVED_FIELDS, PROVENANCE_FIELDS
from parindex.output import default_format, write_rows

# csv: one row per fact: the claims, the register link, where they were read, and the
# article's title and date (json and jsonl give the same, with one more line per document).
# unit_key is the store's: it is derived when a fact is stored.
FACT_COLUMNS = ["doc", *CLAIMS, *(f for f in DERIVED_FIELDS if f != "unit_key"), *PROVENANCE_FIELDS,
                "title", "published"]
TABLE_COLUMNS = ["doc", "unit", "level", "index", "year", "rank", "rank_total", "rank_change",
                 "score", "score_min", "province"]


def read_documents(paths, on_error):
    """Yield extracted documents for every readable input; report the others through on_error."""
    from parindex.extract import ExtractError, extract_document
    from parindex.inputs import iter_files, read_bytes

    for path, problem in iter_files(paths):
        if problem:
            on_error(path, problem)
            continue
        try:
            body = read_bytes(path)
            yield extract_document(body, name=path.name)
        except (ExtractError, OSError, ValueError) as err:
            on_error(path, str(err).splitlines()[0] if str(err) else type(err).__name__)
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as err:   # an extractor bug on one input: one line, and the batch goes on
            on_error(path, f"extractor failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")


def document_rows(docs):
    for doc in docs:
        for fact in doc["facts"]:
            yield {"doc": doc["doc"], **fact}
        yield {"doc": doc["doc"], "title": doc["title"], "published": doc["published"]}


def fact_rows(docs):
    """One row per fact, with its document's title and date (CSV and table: no row per document)."""
    for doc in docs:
        for fact in doc["facts"]:
            yield {"doc": doc["doc"], **fact, "title": doc["title"], "published": doc["published"]}


@click.command()
@click.argument("paths", nargs=-1, required=True)
@format_option
@db_option(default=None, help="Store pages, articles and facts in this SQLite database instead of printing.")
def extract(paths, fmt, db_path):
    """Read HTML pages and text files (folders recursively) and print the facts they state.

    \b
        parindex extract page.html notes.txt corpus/ --format jsonl
        parindex extract --db parindex.db corpus/
    """
    failures = []

    def on_error(path, reason):
        failures.append(path)
        say("extract", f"{path}: {reason}")

    if db_path:
        from parindex.pipeline import extract_files_into_db
        extract_files_into_db(db_path, paths, on_error=on_error)
    else:
        fmt = fmt or default_format()
        docs = read_documents(paths, on_error)
        if fmt in ("table", "csv"):
            write_rows(fact_rows(docs), TABLE_COLUMNS if fmt == "table" else FACT_COLUMNS, fmt)
        else:
            write_rows(document_rows(docs), FACT_COLUMNS, fmt)
    sys.exit(1 if failures else 0)


COMMANDS = [extract]
