"""What one query on the public server may cost: its values, its columns, its whole result.

Anyone may run SELECTs through Datasette. Without limits `select zeroblob(200000000)`
made a 1.2 GB JSON answer and took the server to 6.4 GB. Datasette already stops a query
after SQL_TIME_LIMIT_MS and returns at most MAX_RETURNED_ROWS rows; these limits bound
the bytes:

- SQLite's SQLITE_LIMIT_LENGTH: no value (text, blob, or a whole row) over MAX_VALUE_BYTES;
  a bigger one fails inside SQLite with "string or blob too big" before it is allocated.
  The longest stored value served is an article's text (tens of kB); page bodies, the
  only values that may be megabytes, are not served (see plugin._authorize).
- SQLITE_LIMIT_COLUMN: at most MAX_COLUMNS columns in a result (the widest useful one, facts
  joined with articles and pages, has 62).
- A result budget: rows are counted as they are fetched, and the query fails once its text
  and blobs pass MAX_RESULT_BYTES, so the answer (and its JSON) stays bounded.
"""
import sqlite3
import weakref

SQL_TIME_LIMIT_MS = 1000
MAX_RETURNED_ROWS = 1000
MAX_VALUE_BYTES = 2_000_000
MAX_COLUMNS = 100
MAX_RESULT_BYTES = 20_000_000


class ResultTooLarge(sqlite3.OperationalError):
    """Datasette shows an OperationalError as a query error (status 400), not a crash."""


def _size(value) -> int:
    return len(value) if isinstance(value, (str, bytes)) else 8


def budgeted_rows(limit: int = MAX_RESULT_BYTES):
    """A row factory (sqlite3.Row) that fails the query once its rows pass `limit` bytes.

    A connection runs one query at a time; a new cursor starts a new budget."""
    state = {"cursor": None, "spent": 0}

    def row_factory(cursor, row):
        current = state["cursor"]() if state["cursor"] is not None else None
        if current is not cursor:
            state["cursor"], state["spent"] = weakref.ref(cursor), 0
        state["spent"] += sum(_size(value) for value in row)
        if state["spent"] > limit:
            raise ResultTooLarge(f"the result is larger than {limit:,} bytes: ask for fewer rows "
                                 "(LIMIT, _size) or shorter columns")
        return sqlite3.Row(cursor, row)

    return row_factory


def apply(conn: sqlite3.Connection) -> None:
    """Put the limits on one of Datasette's connections."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.row_factory = budgeted_rows()


def datasette_settings() -> dict:
    return {"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "max_returned_rows": MAX_RETURNED_ROWS,
            # An immutable (read-only) database can otherwise be downloaded whole, password
            # hashes and all.
            "allow_download": False}
