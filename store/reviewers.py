"""People who may review: a name and a password hash (hashing is the caller's job).

A disabled reviewer keeps the hash behind a leading "!" (as `passwd -l` locks an account):
no password matches it, and enabling them again gives their old password back.
"""
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


DISABLED = "!"


def with_decisions(db) -> list[dict]:
    """Every reviewer with when they were added, whether they may log in, and how many
    decisions they made, by name."""
    rows = db.execute("SELECT r.name, r.created_at, substr(r.password_hash, 1, 1) = ?, count(v.id) "
                      "FROM reviewers r LEFT JOIN reviews v ON v.reviewer = r.name "
                      "GROUP BY r.name ORDER BY r.name", [DISABLED])
    return [{"name": name, "status": "disabled" if off else "active", "created_at": created,
             "decisions": n} for name, created, off, n in rows]


def remove(db: sqlite_utils.Database, name: str) -> bool:
    """Remove a reviewer and end their sessions and API tokens; their decisions stay in the
    review log under their name. False when there was no such reviewer."""
    with transaction(db):
        db.execute("DELETE FROM sessions WHERE reviewer = ?", [name])
        return db.execute("DELETE FROM reviewers WHERE name = ?", [name]).rowcount > 0


def set_disabled(db: sqlite_utils.Database, name: str, disabled: bool) -> bool:
    """Lock (or unlock) a reviewer's login; locking ends their sessions and API tokens.
    False when there was no such reviewer."""
    with transaction(db):
        if disabled:
            db.execute("DELETE FROM sessions WHERE reviewer = ?", [name])
            sql = "UPDATE reviewers SET password_hash = ? || password_hash WHERE name = ? AND substr(password_hash, 1, 1) != ?"
        else:
            sql = "UPDATE reviewers SET password_hash = substr(password_hash, 2) WHERE name = ? AND substr(password_hash, 1, 1) = ?"
        db.execute(sql, [DISABLED, name, DISABLED] if disabled else [name, DISABLED])
        return exists(db, name)
