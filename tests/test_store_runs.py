"""store.runs: a run left `running` by a process that is gone is marked `interrupted` when
the next run starts; a run whose process lives (another crawl right now) is left alone."""
import socket
import subprocess
import sys

import pytest

from parindex import store
from parindex.store import processes


@pytest.fixture
def db(tmp_path):
    database = store.connect(tmp_path / "runs.db")
    yield database
    database.close()


def _running(db, host, pid, started):
    return db["runs"].insert({"kind": "crawl", "started": "2026-01-01T00:00:00Z", "status": "running",
                              "host": host, "pid": pid, "process_started": started}).last_pk


def _status(db, run_id):
    return db["runs"].get(run_id)["status"]


def test_the_next_run_marks_a_run_of_a_dead_process_interrupted_and_leaves_live_ones(db):
    host = socket.gethostname()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_started = processes.started(dead.pid)
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        killed = _running(db, host, dead.pid, dead_started)
        alive = _running(db, host, live.pid, processes.started(live.pid))
        # The pid lives, but it is another process than the one that started the run.
        reused = _running(db, host, live.pid, "another-boot:12345")
        elsewhere = _running(db, "another-machine", dead.pid, dead_started)
        older = db["runs"].insert({"kind": "extract", "started": "2025-01-01T00:00:00Z",
                                   "status": "running"}).last_pk      # recorded by an older parindex
        new = store.runs.start_run(db, "extract")
        assert [_status(db, r) for r in (killed, alive, reused, elsewhere, older, new)] == [
            "interrupted", "running", "interrupted", "running", "running", "running"]
        assert db["runs"].get(killed)["finished"] is not None
        assert db["runs"].get(new)["pid"] > 0 and db["runs"].get(new)["host"] == host
    finally:
        live.kill()
        live.wait()


def test_a_finished_run_is_never_touched(db):
    run_id = store.runs.start_run(db, "crawl")
    store.runs.finish_run(db, run_id, "ok", {}, {})
    db.execute("UPDATE runs SET pid = 999999999 WHERE id = ?", [run_id])
    store.runs.start_run(db, "crawl")
    assert _status(db, run_id) == "ok"
