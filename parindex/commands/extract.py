"""`parindex extract`: local pages and text files -> facts (stdout, or the database with --db)."""
import sys

import click

from parindex.commands.options import db_option, fail, format_option, jobs_option, say
from parindex.model.catalogue import CLAIMS, DERIVED_FIELDS, PROVENANCE_FIELDS
from parindex.output import default_format, write_rows

# csv: one row per fact: the claims, the register link, where they were read, and the
# article's title and date (json and jsonl give the same, with one more line per document).
# unit_key is the store's: it is derived when a fact is stored.
FACT_COLUMNS = ["doc", *CLAIMS, *(f for f in DERIVED_FIELDS if f != "unit_key"), *PROVENANCE_FIELDS,
                "title", "published"]
TABLE_COLUMNS = ["doc", "unit", "level", "index", "year", "rank", "rank_total", "rank_change",
                 "score", "score_min", "province"]


def read_documents(paths, on_error, jobs: int | None = 1):
    """Yield extracted documents for every readable input, in order; report the others through
    on_error. jobs: worker processes (None: one per core)."""
    from parindex.extract import ExtractError
    from parindex.extract.jobs import Failed, Task, extract_in_order
    from parindex.inputs import iter_files, read_bytes

    def tasks(files):
        for path, problem in files:
            if problem:
                yield Task(key=(path, problem), content=None)
                continue
            try:
                yield Task(key=(path, None), content=read_bytes(path), name=path.name)
            except (OSError, ValueError) as err:
                yield Task(key=(path, str(err).splitlines()[0] if str(err) else type(err).__name__), content=None)

    files = list(iter_files(paths))
    for task, outcome in extract_in_order(tasks(files), jobs, count=len(files)):
        path, problem = task.key
        if problem:
            on_error(path, problem)
        elif isinstance(outcome, ExtractError):
            on_error(path, str(outcome))
        elif isinstance(outcome, Failed):
            on_error(path, outcome.reason)
        else:
            yield outcome


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
@jobs_option
def extract(paths, fmt, db_path, jobs):
    """Read HTML pages and text files (folders recursively) and print the facts they state.

    \b
        parindex extract page.html notes.txt corpus/ --format jsonl
        parindex extract --db parindex.db corpus/
    """
    failures = []

    def on_error(path, reason):
        failures.append(path)
        say("extract", f"{path}: {reason}")

    from parindex.extract.jobs import WorkerLost

    try:
        if db_path:
            from parindex.pipeline import extract_files_into_db
            extract_files_into_db(db_path, paths, on_error=on_error, jobs=jobs)
        else:
            fmt = fmt or default_format()
            docs = read_documents(paths, on_error, jobs)
            if fmt in ("table", "csv"):
                write_rows(fact_rows(docs), TABLE_COLUMNS if fmt == "table" else FACT_COLUMNS, fmt)
            else:
                write_rows(document_rows(docs), FACT_COLUMNS, fmt)
    except WorkerLost as err:
        fail("extract", err)
    sys.exit(1 if failures else 0)


COMMANDS = [extract]
