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


def last_crawl_by_site(db: sqlite_utils.Database) -> dict:
    """Per site: the latest crawl run that fetched it (id, started, status) with that site's
    figures in it (`counts.sites.<site>`: requests, answered, articles relevant and not, errors).
    A run recorded before per-site figures existed gives its whole counts to its one site."""
    found = {}
    for run_id, started, status, source, counts in db.execute(
            "SELECT id, started, status, source, counts FROM runs WHERE kind = 'crawl' ORDER BY id DESC"):
        counts = json.loads(counts) if counts else {}
        per_site = counts.get("sites") if isinstance(counts.get("sites"), dict) else None
        if per_site is None:
            per_site = {source: counts} if source and "," not in source else {}
        for site, figures in per_site.items():
            if site not in found:
                found[site] = {"run_id": run_id, "started": started, "status": status, **figures}
    return found
