"""Open the database: create or migrate it, or refuse it with a one-line reason."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from typing import TYPE_CHECKING

from parindex.store import schema
from parindex.store.errors import StoreError, explain
from parindex.store.transaction import is_store_failure

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 30_000


class Reader:
    """A read-only connection, with the reading half of sqlite_utils.Database that the store's
    reads use (`conn`, `execute`, `query`, `close`), on the standard library's sqlite3 alone:
    sqlite-utils imports numpy, which `parindex query` and `stats`, started again and again
    from cron, do not need."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def query(self, sql: str, params=None):
        """Rows as dicts, as sqlite_utils.Database.query gives them."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()


def connect(path, readonly: bool = False) -> sqlite_utils.Database | Reader:
    """Open `path` (created with the current schema when missing), WAL, foreign keys on.

    readonly=True opens the file with `mode=ro` and `query_only`, so nothing run on the
    connection can change it; the file must exist and have a schema. It returns a Reader: the
    store's reads, without sqlite-utils. On a read-only file
    system or folder, where SQLite cannot make the WAL index (-shm) beside the file, it is
    opened `immutable=1` instead: nobody can be writing it there.
    Raises StoreError (one line naming the file) for a file that is not a database, a
    schema newer than this program, a folder or file that cannot be written, a full disk.
    """
    path = Path(path)
    if path.is_dir():
        raise _refuse(path, "is a folder, not a database file")
    if readonly and not path.exists():
        raise _refuse(path, "no such database")
    if not readonly and not path.exists() and not path.parent.resolve().is_dir():
        raise _refuse(path, f"cannot create the database: no folder {path.parent}")
    if not readonly and not path.exists() and not os.access(path.parent.resolve(), os.W_OK):
        raise _refuse(path, "cannot create the database (folder is read-only)")
    if readonly and not os.access(path, os.R_OK):
        raise _refuse(path, "cannot read the database (no read permission)")
    conn = None
    try:
        if readonly:
            conn = _open_readonly(path)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        if readonly:
            db = Reader(conn)
        else:
            import sqlite_utils   # the writers' tool: tables, upserts, full-text index
            db = sqlite_utils.Database(conn)
        # Reading the schema first fails cleanly on a non-SQLite file before anything is written.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        found = schema.version(db)
        if found > schema.SCHEMA_VERSION:
            raise _refuse(path, f"database schema version {found} is newer than this parindex "
                             f"understands ({schema.SCHEMA_VERSION}); upgrade parindex")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            # An older parindex database reads fine: migrations only add. Reading must not
            # migrate it (that would write); the next writer does.
            if found == 0:
                raise _refuse(path, "not a parindex database (no parindex schema in it)")
            conn.execute("PRAGMA query_only = ON")
            conn.set_authorizer(_reads_only)
            return db
        if not os.access(path, os.W_OK) or not os.access(path.parent.resolve(), os.W_OK):
            # WAL needs to create -wal and -shm files beside the database.
            raise _refuse(path, "cannot write the database (read-only file or folder)")
        if found == 0 and _has_foreign_tables(db):
            raise _refuse(path, "an SQLite database, but not a parindex one (it has other tables)")
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts on a crash; it only may lose the last commits on power loss.
        conn.execute("PRAGMA synchronous = NORMAL")
        if found < schema.SCHEMA_VERSION:
            schema.migrate(db)
        return db
    except StoreError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.Error as err:
        if conn is not None:
            conn.close()
        if is_store_failure(err):
            raise explain(path, err) from err
        raise


def writable(path) -> bool:
    """Whether this process may write `path` and create the -wal and -shm files beside it
    (False on a read-only file, folder or file system)."""
    path = Path(path)
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def is_immutable(db: sqlite_utils.Database | Reader) -> bool:
    """Whether a read-only connection was opened immutable=1 (a read-only folder or file
    system, where mode=ro cannot open a WAL database because the -shm file cannot be made)."""
    return getattr(db.conn, "_parindex_immutable", False)


class _Connection(sqlite3.Connection):
    """A connection that remembers whether it was opened immutable."""
    _parindex_immutable = False


def _open_readonly(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}"
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None,
                           timeout=BUSY_TIMEOUT_MS / 1000, factory=_Connection)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as err:
        conn.close()
        if "unable to open" not in str(err):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # immutable=1 would not read the -wal file: the latest changes would be missing.
        raise _refuse(path, "read-only here, and its latest changes are still in the -wal file "
                            "beside it: open it once where it can be written (or copy all three files)")
    conn = sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None,
                           timeout=BUSY_TIMEOUT_MS / 1000, factory=_Connection)
    conn._parindex_immutable = True
    return conn


def _reads_only(action, arg1, arg2, db_name, trigger):
    """Authorizer of read-only connections. mode=ro and query_only already refuse every write
    to the file; ATTACH (and VACUUM INTO, which attaches) could still create another file."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _refuse(path, reason: str) -> StoreError:
    return StoreError(f"{path}: {reason}", path=path, reason=reason)


def _has_foreign_tables(db) -> bool:
    return any(not name.startswith("sqlite_") for name in db.table_names())
