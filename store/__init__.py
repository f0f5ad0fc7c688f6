"""The SQLite database of parindex: schema and every read and write of it.

    import store
    db = store.connect("parindex.db")            # creates or migrates; WAL; foreign keys on
    page_id = store.pages.save_page(db, url, final_url=url, source="local", kind="local",
                                    status=None, content_type="text/html", body=b"...")
    store.facts.save_document(db, page_id, document, extractor_version)

Knows nothing of extraction: documents arrive as dicts (each fact with its `unit_key`).
Every failure of the file or the disk is a StoreError with a one-line message.
"""
from store import facts, pages, queries, reviewers, reviews, runs, sessions
from store.connection import connect, is_immutable, writable
from store.errors import StoreError
from store.schema import SCHEMA_VERSION
from store.transaction import reading, transaction

__all__ = ["SCHEMA_VERSION", "StoreError", "connect", "facts", "is_immutable", "writable", "pages", "queries", "reviewers", "reviews", "reading", "runs", "sessions", "transaction"]
