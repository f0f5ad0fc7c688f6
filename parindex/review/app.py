"""Build and run the Datasette of a parindex database, with the review plugin switched on.

    from parindex.review.app import make_datasette
    ds = make_datasette("parindex.db")          # an ordinary Datasette instance
"""
import os
import secrets
from pathlib import Path

from datasette.app import Datasette
from datasette.plugins import pm

from parindex import store
from parindex.review import metadata, plugin

HERE = Path(__file__).resolve().parent
STATIC = "parindex-review"  # served at /parindex-review/...


def make_datasette(db_path, *, private: bool = False, secret: str | None = None) -> Datasette:
    """A Datasette over `db_path` (created or migrated by store first) with the review pages.

    secret signs the session cookies: pass the same one (or set PARINDEX_SECRET) to keep
    reviewers logged in across restarts; by default a new one is drawn at each start.
    Raises store.StoreError (one line) for a file that is not a usable parindex database.
    """
    path = Path(db_path)
    db = store.connect(path)
    db.conn.close()
    if not pm.is_registered(plugin):
        # The entry point registers it when the package is installed; this covers the rest.
        pm.register(plugin, name="parindex_review")
    return Datasette(
        [str(path)],
        metadata=metadata.build(path.stem, private=private),
        template_dir=str(HERE / "templates"),
        static_mounts=[(STATIC, str(HERE / "static"))],
        secret=secret or os.environ.get("PARINDEX_SECRET") or secrets.token_hex(32),
        settings={"max_returned_rows": 1000, "facet_time_limit_ms": 500},
    )
