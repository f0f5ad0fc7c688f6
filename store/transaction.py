"""Write transactions: all or nothing, with sqlite errors turned into StoreError."""
from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from parindex.store.errors import StoreError, explain

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils


def db_path(db: sqlite_utils.Database) -> str:
    try:
        for _, name, filename in db.conn.execute("PRAGMA database_list"):
            if name == "main":
                return filename or ":memory:"
    except sqlite3.Error:
        pass
    return "database"


def is_store_failure(err: BaseException) -> bool:
    """Errors of the file or the disk, not of the code (IntegrityError is a bug to see)."""
    return isinstance(err, sqlite3.OperationalError) or type(err) is sqlite3.DatabaseError


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database):
    """One write transaction; nested use becomes a savepoint (sqlite-utils' atomic()).

    BEGIN IMMEDIATE takes the write lock at the start, so a transaction that reads
    then writes cannot fail half-way because the crawler or the review page wrote
    meanwhile: it waits (busy_timeout) instead.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
    except StoreError:
        raise
    except sqlite3.Error as err:
        if is_store_failure(err):
            raise explain(db_path(db), err) from err
        raise


@contextlib.contextmanager
def reading(db: sqlite_utils.Database):
    """Reads outside a transaction fail like writes do: a corrupt page is a StoreError."""
    try:
        yield db
    except sqlite3.Error as err:
        if is_store_failure(err):
            raise explain(db_path(db), err) from err
        raise
