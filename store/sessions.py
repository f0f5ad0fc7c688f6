"""Reviewer sessions, kept in the database so that logging out ends one for good.

The cookie carries a random token (signed by the web app); the table keeps only its
sha256, so reading the table does not give anyone a session.

An API token is a long session for a reviewer's scripts, read-only: it is hashed with its
own prefix, so that it never counts as a review session (a cookie) nor a cookie as a token.
A new password, disabling or removing the reviewer ends both kinds.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from parindex.store.transaction import transaction

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _stamp(when: datetime) -> str:
    return when.strftime(_FORMAT)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(db: sqlite_utils.Database, reviewer: str, lifetime_seconds: int, now: datetime | None = None) -> str:
    """Start a session for `reviewer`; return its token (for the cookie). Expired sessions go."""
    now = now or datetime.now(timezone.utc)
    token = secrets.token_urlsafe(32)
    with transaction(db):
        db.execute("DELETE FROM sessions WHERE expires_at < ?", [_stamp(now)])
        db.execute("INSERT INTO sessions (id, reviewer, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [_key(token), reviewer, _stamp(now), _stamp(now + timedelta(seconds=lifetime_seconds))])
    return token


def reviewer_of(conn, token: str, now: datetime | None = None) -> str | None:
    """The reviewer of a live session: None once it ended, expired, or its reviewer was removed."""
    now = now or datetime.now(timezone.utc)
    row = conn.execute("SELECT s.reviewer FROM sessions s JOIN reviewers r ON r.name = s.reviewer "
                       "WHERE s.id = ? AND s.expires_at >= ?", [_key(token), _stamp(now)]).fetchone()
    return row[0] if row else None


API_PREFIX = "pxt_"  # what an API token starts with, so that people know one when they see it


def create_api_token(db: sqlite_utils.Database, reviewer: str, lifetime_seconds: int,
                     now: datetime | None = None) -> tuple[str, str]:
    """A read-only API token for `reviewer`'s scripts; returns (token, expiry as stored)."""
    now = now or datetime.now(timezone.utc)
    token = API_PREFIX + secrets.token_urlsafe(32)
    expires = _stamp(now + timedelta(seconds=lifetime_seconds))
    with transaction(db):
        db.execute("INSERT INTO sessions (id, reviewer, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [_key("api:" + token), reviewer, _stamp(now), expires])
    return token, expires


def reviewer_of_api_token(conn, token: str, now: datetime | None = None) -> str | None:
    """The reviewer an API token was made for, while it lives (disabling or removing the
    reviewer, or a new password, ends it)."""
    if not token.startswith(API_PREFIX):
        return None
    return reviewer_of(conn, "api:" + token, now)


def end(db: sqlite_utils.Database, token: str) -> None:
    """Log out: the token is worth nothing from now on, wherever a copy of the cookie is."""
    with transaction(db):
        db.execute("DELETE FROM sessions WHERE id = ?", [_key(token)])


def end_all(db: sqlite_utils.Database, reviewer: str) -> None:
    """Every session of `reviewer` (a new password logs out everywhere)."""
    with transaction(db):
        db.execute("DELETE FROM sessions WHERE reviewer = ?", [reviewer])
