"""People who may review: a name and a password hash (hashing is the caller's job)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from parindex.store.clock import now
from parindex.store.transaction import transaction

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils


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


def exists(db, name: str) -> bool:
    return db.execute("SELECT 1 FROM reviewers WHERE name = ?", [name]).fetchone() is not None


def count(db) -> int:
    return db.execute("SELECT count(*) FROM reviewers").fetchone()[0]


def with_decisions(db) -> list[dict]:
    """Every reviewer with when they were added and how many decisions they made, by name."""
    rows = db.execute("SELECT r.name, r.created_at, count(v.id) FROM reviewers r "
                      "LEFT JOIN reviews v ON v.reviewer = r.name GROUP BY r.name ORDER BY r.name")
    return [{"name": name, "created_at": created, "decisions": n} for name, created, n in rows]
