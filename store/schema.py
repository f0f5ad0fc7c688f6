"""The schema, as a list of forward migrations. Only this module creates or alters tables.

The schema version is `PRAGMA user_version`: migration N brings a database from
version N-1 to N. A database newer than SCHEMA_VERSION is refused, never downgraded.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from parindex.model.catalogue import STATUSES as FACT_STATUSES

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

REVIEW_ACTIONS = ("accept", "reject", "correct", "undo")
RUN_KINDS = ("crawl", "extract", "reextract")

PAGE_COLUMNS = {
    "id": int, "url": str, "final_url": str, "source": str, "kind": str, "status": int,
    "content_type": str, "fetched_at": str, "etag": str, "last_modified": str,
    "content_hash": str, "body": bytes, "size": int, "relevant": int, "error": str,
    "article_id": int, "extracted_hash": str, "extracted_version": str, "extract_error": str,
}
ARTICLE_COLUMNS = {
    "id": int, "text_hash": str, "url": str, "title": str, "published": str, "site": str,
    "text": str, "text_folded": str, "extractor_version": str, "created_at": str,
}
FACT_COLUMNS = {
    "id": str, "article_id": int, "unit": str, "unit_key": str, "level": str, "index": str,
    "year": int, "province": str, "parent": str, "rank": int, "rank_total": int,
    "rank_change": int, "score": float, "score_min": float, "evidence": str, "start": int,
    "end": int, "rules": str, "extractor_version": str, "status": str, "suggestion": str,
    "reviewed_by": str, "reviewed_at": str, "created_at": str, "updated_at": str,
    "unit_code": str, "unit_official": str, "register": str, "successors": str,
    "province_code": str, "unit_ambiguous": int, "candidates": str,
}
REVIEW_COLUMNS = {
    "id": int, "fact_id": str, "action": str, "before": str, "after": str, "reviewer": str,
    "at": str, "note": str,
}
RUN_COLUMNS = {
    "id": int, "kind": str, "started": str, "finished": str, "status": str, "source": str,
    "counts": str, "errors": str, "extractor_version": str,
}
REVIEWER_COLUMNS = {"name": str, "password_hash": str, "created_at": str}
# A reviewer's login: the sha256 of the cookie's random token, never the token itself.
SESSION_COLUMNS = {"id": str, "reviewer": str, "created_at": str, "expires_at": str}
# Who runs a run: a run still `running` whose process is gone was killed (store.runs).
RUN_OWNER_COLUMNS = {"host": str, "pid": int, "process_started": str}

FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def _v1(db: sqlite_utils.Database):
    db["articles"].create(ARTICLE_COLUMNS, pk="id", not_null={"text_hash", "text"})
    db["articles"].create_index(["text_hash"], unique=True)
    db["articles"].enable_fts(["title", "text", "text_folded"], tokenize=FTS_TOKENIZER,
                              create_triggers=True)

    db["pages"].create(PAGE_COLUMNS, pk="id", not_null={"url"},
                       foreign_keys=[("article_id", "articles", "id")])
    db["pages"].create_index(["url"], unique=True)
    db["pages"].create_index(["article_id"])
    db["pages"].create_index(["source", "kind"])

    db["facts"].create(FACT_COLUMNS, pk="id", not_null={"article_id", "status", "unit", "year"},
                       defaults={"status": "pending"},
                       foreign_keys=[("article_id", "articles", "id")])
    db["facts"].create_index(["article_id"])
    # `query --unit --year`, the export's grouping and the review queue read these.
    db["facts"].create_index(["unit_key", "year"])
    db["facts"].create_index(["province", "year", "level"])
    db["facts"].create_index(["year", "index", "level"])
    db["facts"].create_index(["status", "created_at"])
    db["facts"].create_index(["unit_code"])

    # No foreign key to facts: the log outlives a pending fact that re-extraction drops.
    db["reviews"].create(REVIEW_COLUMNS, pk="id", not_null={"fact_id", "action", "at"})
    db["reviews"].create_index(["fact_id", "id"])
    db["reviews"].create_index(["reviewer", "id"])
    for verb in ("UPDATE", "DELETE"):
        db.execute(f"""
            CREATE TRIGGER reviews_append_only_{verb.lower()} BEFORE {verb} ON reviews
            BEGIN SELECT RAISE(ABORT, 'reviews is an append-only log'); END""")
    db["runs"].create(RUN_COLUMNS, pk="id", not_null={"kind", "started", "status"})
    db["runs"].create_index(["kind", "started"])

    db["reviewers"].create(REVIEWER_COLUMNS, pk="name", not_null={"password_hash"})


def _v2(db: sqlite_utils.Database):
    """Indexes in the order `query` sorts by (year, index, level): without it SQLite picked the
    year index to skip the sort, and a query by unit and year read a whole year (94 ms at 100k)."""
    db.execute("DROP INDEX IF EXISTS idx_facts_unit_key_year")
    db.execute("DROP INDEX IF EXISTS idx_facts_province_year_level")
    db["facts"].create_index(["unit_key", "year", "index", "level"])
    db["facts"].create_index(["province", "year", "index", "level"])


def _v3(db: sqlite_utils.Database):
    """Server-side review sessions, so that logging out ends a session for good; and the
    process that owns each run, so that the next run can tell a killed one from a live one."""
    db["sessions"].create(SESSION_COLUMNS, pk="id", not_null={"reviewer", "created_at", "expires_at"})
    db["sessions"].create_index(["reviewer"])
    for column, kind in RUN_OWNER_COLUMNS.items():
        db["runs"].add_column(column, kind)


def _v4(db: sqlite_utils.Database):
    """The store derives a fact's unit_key and register link on every write; facts written
    before (a corrected unit kept the key and link of its old name, and facts stored before
    the linker had none) get theirs from their claims now."""
    from parindex.store.facts import derive_stored

    derive_stored(db)


MIGRATIONS = [_v1, _v2, _v3, _v4]
SCHEMA_VERSION = len(MIGRATIONS)


def version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the missing migrations in one write transaction; return the version reached.

    The version is read again once the write lock is held, so two processes opening a
    fresh file at the same moment do not both create the tables.
    """
    from parindex.store.transaction import transaction

    with transaction(db):
        current = version(db)
        for number in range(current + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION
