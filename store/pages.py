"""Fetched pages: what the crawler (or `extract --db`) stored, and what extraction did with it."""
from __future__ import annotations

import hashlib
import zlib
from typing import TYPE_CHECKING

from parindex.store.clock import now
from parindex.store.transaction import transaction

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

# Pages whose text is worth extracting: articles and local files that fetched fine and
# that the crawler did not mark irrelevant.
EXTRACTABLE = ("(kind IN ('article', 'local') AND body IS NOT NULL"
               " AND (status IS NULL OR status BETWEEN 200 AND 299)"
               " AND (relevant IS NULL OR relevant = 1))")


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def save_page(db: sqlite_utils.Database, url: str, *, final_url, source, kind, status, content_type,
              body, etag=None, last_modified=None, relevant=None, error=None, fetched_at=None) -> int:
    """Insert or update the page at canonical `url` in one transaction; return its id.

    body=None (a 304 Not Modified, a failed fetch) keeps the body stored before. What
    extraction recorded (article_id, extracted_hash, ...) is kept: a changed content_hash
    is what tells the pipeline to extract the page again.
    """
    record = {"url": url, "final_url": final_url, "source": source, "kind": kind, "status": status,
              "content_type": content_type, "fetched_at": fetched_at or now(), "etag": etag,
              "last_modified": last_modified, "relevant": relevant, "error": error}
    if body is not None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        record.update(content_hash=content_hash(body), body=zlib.compress(body, 6), size=len(body))
    with transaction(db):
        row = db.execute("SELECT id FROM pages WHERE url = ?", [url]).fetchone()
        if row:
            db["pages"].update(row[0], record)
            return row[0]
        return db["pages"].insert(record).last_pk


def get_page_id(db, url: str) -> int | None:
    row = db.execute("SELECT id FROM pages WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def stored_hash(db, url: str) -> str | None:
    """The content hash stored for `url`: equal to content_hash(body) means nothing to save."""
    row = db.execute("SELECT content_hash FROM pages WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def is_known(db: sqlite_utils.Database, url: str) -> bool:
    return get_page_id(db, url) is not None


def validators(db: sqlite_utils.Database, url: str) -> tuple:
    """(etag, last_modified) stored for `url`, for a conditional request; (None, None) if unknown."""
    row = db.execute("SELECT etag, last_modified FROM pages WHERE url = ?", [url]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def body(db: sqlite_utils.Database, page_id: int) -> bytes | None:
    row = db.execute("SELECT body FROM pages WHERE id = ?", [page_id]).fetchone()
    return zlib.decompress(row[0]) if row and row[0] is not None else None


def pages_to_extract(db: sqlite_utils.Database, extractor_version: str, *, force: bool = False,
                     ids=None) -> list[int]:
    """Ids of the pages whose content or extractor changed since they were last extracted."""
    where = [EXTRACTABLE]
    params = []
    if not force:
        where.append("(extracted_hash IS NOT content_hash OR extracted_version IS NOT ?)")
        params.append(extractor_version)
    if ids is not None:
        ids = list(ids)
        if not ids:
            return []
        where.append(f"id IN ({', '.join('?' * len(ids))})")
        params.extend(ids)
    sql = f"SELECT id FROM pages WHERE {' AND '.join(where)} ORDER BY id"
    return [r[0] for r in db.execute(sql, params)]


def page_info(db, page_id: int) -> dict:
    """The fields of a page extraction needs (no body)."""
    rows = list(db.query("SELECT id, url, final_url, source, kind, content_type, content_hash "
                         "FROM pages WHERE id = ?", [page_id]))
    return rows[0] if rows else None


def page_state(db: sqlite_utils.Database, url: str) -> dict | None:
    """What the crawler asks of a URL before fetching it: its stored kind, validators and
    relevance, or None when it was never stored."""
    row = db.execute("SELECT kind, etag, last_modified, relevant FROM pages WHERE url = ?", [url]).fetchone()
    if not row:
        return None
    return {"kind": row[0], "etag": row[1], "last_modified": row[2], "relevant": row[3]}


def mark_listing_relevant(db: sqlite_utils.Database, url: str) -> bool:
    """A listing led to a relevant article: its `relevant` becomes 1, so the crawler reads it
    first on the next runs. True when the stored listing was changed."""
    with transaction(db):
        cursor = db.execute("UPDATE pages SET relevant = 1 WHERE url = ? AND kind = 'listing' "
                            "AND relevant IS NOT 1", [url])
    return cursor.rowcount > 0


def site_totals(db: sqlite_utils.Database) -> dict:
    """Per source: pages stored, articles, relevant articles, listings that led to one, last fetch."""
    rows = db.execute("SELECT source, count(*), sum(kind = 'article'), sum(kind = 'article' AND relevant = 1), "
                      "sum(kind = 'listing' AND relevant = 1), max(fetched_at) FROM pages GROUP BY source")
    return {source: {"pages": pages, "articles": articles or 0, "relevant": relevant or 0,
                     "relevant_listings": listings or 0, "last_fetched": last}
            for source, pages, articles, relevant, listings, last in rows}
