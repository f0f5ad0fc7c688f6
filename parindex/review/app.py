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
from parindex.review import limits, plugin
from parindex.review import metadata as parindex_metadata

HERE = Path(__file__).resolve().parent
STATIC = "parindex-review"  # served at /parindex-review/...


def merged(ours: dict, theirs: dict) -> dict:
    """Metadata of ours with a person's own laid over it, table by table, key by key."""
    out = dict(ours)
    for key, value in (theirs or {}).items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) \
            else value
    return out


def make_datasette(db_path, *, private: bool = False, secret: str | None = None,
                   settings: dict | None = None, cors: bool = False, metadata: dict | None = None,
                   immutable: bool = False) -> Datasette:
    """A Datasette over `db_path` (created or migrated by store first) with the review pages.

    secret signs the session cookies: pass the same one (or set PARINDEX_SECRET) to keep
    reviewers logged in across restarts; by default a new one is drawn at each start.
    A database that cannot be written (read-only file, folder or file system) is served
    read-only, immutable where SQLite needs it: browsing and queries work, reviewing is off;
    immutable=True serves any file so (a snapshot nobody writes: Datasette counts its rows once).
    settings, cors and metadata are Datasette's own (`datasette --setting`, `--cors`,
    `--metadata`); a person's metadata is laid over parindex's.
    Raises store.StoreError (one line) for a file that is not a usable parindex database.
    """
    path = Path(db_path)
    readonly = immutable or (path.exists() and not store.writable(path))
    db = store.connect(path, readonly=readonly)
    immutable = immutable or store.is_immutable(db)
    db.conn.close()
    if not pm.is_registered(plugin):
        # The entry point registers it when the package is installed; this covers the rest.
        pm.register(plugin, name="parindex_review")
    meta = merged(parindex_metadata.build(path.stem, private=private), metadata or {})
    meta["plugins"][parindex_metadata.PLUGIN] = {**meta["plugins"][parindex_metadata.PLUGIN],
                                                 "readonly": readonly,
                                                 "database": path.stem, "private": private}
    return Datasette(
        [] if immutable else [str(path)],
        immutables=[str(path)] if immutable else [],
        metadata=meta,
        template_dir=str(HERE / "templates"),
        static_mounts=[(STATIC, str(HERE / "static"))],
        secret=secret or os.environ.get("PARINDEX_SECRET") or secrets.token_hex(32),
        settings={"facet_time_limit_ms": 500, **limits.datasette_settings(), **(settings or {})},
        cors=cors,
    )
