"""People who may review: a name and a password hash (hashing is the caller's job)."""
import sqlite_utils

from store.clock import now
from store.transaction import transaction


def add(db: sqlite_utils.Database, name: str, password_hash: str) -> None:
    """Add a reviewer, or set a new password hash for an existing one (which ends every
    session of theirs: a new password is often given because the old one leaked)."""
    with transaction(db):
        db["reviewers"].upsert({"name": name, "password_hash": password_hash, "created_at": now()},
                               pk="name")
        db.execute("DELETE FROM sessions WHERE reviewer = ?", [name])


def get(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(db.query("SELECT * FROM reviewers WHERE name = ?", [name]))
    return rows[0] if rows else None
