"""People who may review: a name and a password hash (hashing is the caller's job)."""
import sqlite_utils

from parindex.store.clock import now
from parindex.store.transaction import transaction


def add(db: sqlite_utils.Database, name: str, password_hash: str) -> None:
    """Add a reviewer, or set a new password hash for an existing one."""
    with transaction(db):
        db["reviewers"].upsert({"name": name, "password_hash": password_hash, "created_at": now()},
                               pk="name")


def get(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(db.query("SELECT * FROM reviewers WHERE name = ?", [name]))
    return rows[0] if rows else None
