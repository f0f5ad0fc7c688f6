"""The SQLite database of parindex: schema and every read and write of it.

    from parindex import store
    db = store.connect("parindex.db")            # creates or migrates; WAL; foreign keys on
    page_id = store.pages.save_page(db, url, final_url=url, source="local", kind="local",
                                    status=None, content_type="text/html", body=b"...")
    store.facts.save_document(db, page_id, document, extractor_version)

The only module of parindex that speaks SQL (Datasette's own pages and canned queries aside).
Knows nothing of extraction: documents arrive as dicts. Every write of a fact derives its
unit key and register link from its claims (model), and refuses an impossible fact.
Every failure of the file or the disk is a StoreError with a one-line message.
"""
from parindex.store import facts, pages, queries, queue, reviewers, reviews, runs, sessions
from parindex.store.connection import Reader, connect, is_immutable, writable
from parindex.store.errors import StoreError
from parindex.store.schema import SCHEMA_VERSION
from parindex.store.transaction import reading, transaction

__all__ = ["SCHEMA_VERSION", "Reader", "StoreError", "connect", "facts", "is_immutable", "writable", "pages", "queries",
           "queue", "reviewers", "reviews", "reading", "runs", "sessions", "transaction"]
