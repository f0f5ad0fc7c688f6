"""Runs: what each crawl and extraction did, for `stats` and for a person reading the log."""
import json

import sqlite_utils

from parindex.store.clock import now
from parindex.store.transaction import transaction


def start_run(db: sqlite_utils.Database, kind: str, source=None, extractor_version=None) -> int:
    with transaction(db):
        return db["runs"].insert({"kind": kind, "started": now(), "status": "running",
                                  "source": source, "extractor_version": extractor_version}).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, counts: dict, errors: dict) -> None:
    """status: ok or failed. A run killed before this stays `running` in the log."""
    with transaction(db):
        db["runs"].update(run_id, {"finished": now(), "status": status,
                                   "counts": json.dumps(counts or {}, ensure_ascii=False, sort_keys=True),
                                   "errors": json.dumps(errors or {}, ensure_ascii=False, sort_keys=True)})
