"""Runs: what each crawl and extraction did, for `stats` and for a person reading the log."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from parindex.store import processes
from parindex.store.clock import now
from parindex.store.transaction import transaction

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

INTERRUPTED = "interrupted"


def start_run(db: sqlite_utils.Database, kind: str, source=None, extractor_version=None) -> int:
    """Insert a `running` run owned by this process; runs left `running` by a process that
    is gone (killed, machine restarted) are marked `interrupted` first."""
    with transaction(db):
        mark_interrupted(db)
        return db["runs"].insert({"kind": kind, "started": now(), "status": "running",
                                  "source": source, "extractor_version": extractor_version,
                                  **processes.this_process()}).last_pk


def mark_interrupted(db: sqlite_utils.Database) -> list[int]:
    """Mark `interrupted` every `running` run whose process no longer lives; return their ids.
    A run of another host, or one recorded by an older parindex, cannot be checked and stays."""
    gone = [run_id for run_id, host, pid, started in db.execute(
                "SELECT id, host, pid, process_started FROM runs WHERE status = 'running'")
            if not processes.is_alive(host, pid, started)]
    with transaction(db):
        for run_id in gone:
            db.execute("UPDATE runs SET status = ?, finished = ? WHERE id = ? AND status = 'running'",
                       [INTERRUPTED, now(), run_id])
    return gone


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, counts: dict, errors: dict) -> None:
    """status: ok or failed. A run killed before this stays `running` until the next run
    marks it `interrupted`."""
    with transaction(db):
        db["runs"].update(run_id, {"finished": now(), "status": status,
                                   "counts": json.dumps(counts or {}, ensure_ascii=False, sort_keys=True),
                                   "errors": json.dumps(errors or {}, ensure_ascii=False, sort_keys=True)})
