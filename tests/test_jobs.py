"""Extraction on several cores (`--jobs N`): the same results as one job, in the same order, and
a run killed at any moment is as safe as with one job.

These run the real extractor in real worker processes; nothing here measures time.
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import multiprocessing
from pathlib import Path

import pytest
from click.testing import CliRunner

from parindex.cli import cli
from parindex.extract import ExtractError
from parindex.extract.jobs import Task, extract_in_order

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev"
REAL = SHARED / "eval" / "real"
SEEDS = SHARED / "seeds"
PARINDEX = str(Path(sys.executable).parent / "parindex")

# What a database holds, without the clock: every column of pages, articles and facts but the
# times they were written (ids included: they must be the same too).
TIMES = {"fetched_at", "created_at", "updated_at"}


def contents(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        out = {}
        for table in ("pages", "articles", "facts"):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in TIMES]
            out[table] = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM {table} ORDER BY id").fetchall()
        out["fts"] = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        return out
    finally:
        conn.close()


def extract(db_path, *inputs, jobs):
    result = CliRunner().invoke(cli, ["extract", "--db", str(db_path), "--jobs", str(jobs), *map(str, inputs)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return contents(db_path)


@pytest.mark.parametrize("inputs", [[DEV], [REAL]], ids=["dev", "real"])
def test_two_jobs_write_the_database_one_job_writes(tmp_path, inputs):
    one = extract(tmp_path / "one.db", *inputs, jobs=1)
    two = extract(tmp_path / "two.db", *inputs, jobs=2)
    assert len(one["articles"]) >= 30 and len(one["facts"]) >= 250
    assert two == one   # the same pages, articles and facts, with the same ids, in the same order

    # reextract on two cores finds what is there already
    result = CliRunner().invoke(cli, ["reextract", "--db", str(tmp_path / "two.db"), "--jobs", "2"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"facts: 0 new, 0 updated, 0 removed, {len(one['facts'])} unchanged" in result.output
    assert contents(tmp_path / "two.db") == one


def test_results_come_back_in_the_order_given_whatever_each_input_is(tmp_path):
    pages = sorted(DEV.glob("*.html"))[:12]
    tasks = []
    for n, page in enumerate(pages):
        tasks.append(Task(key=n, content=page.read_bytes(), name=page.name))
        if n % 4 == 1:
            tasks.append(Task(key=f"nothing-{n}", content=None))        # nothing to extract
        if n % 5 == 2:
            tasks.append(Task(key=f"empty-{n}", content=b"   ", name="empty.html"))   # not an article
    here = list(extract_in_order(tasks, jobs=1))
    workers_seen = []
    there = []
    for item in extract_in_order(iter(tasks), jobs=2, count=len(tasks)):
        workers_seen.append(len(multiprocessing.active_children()))
        there.append(item)
    assert max(workers_seen) >= 2, "the work was not done by worker processes"
    assert [t.key for t, _ in there] == [t.key for t in tasks]
    for (task, a), (_, b) in zip(here, there):
        if isinstance(a, ExtractError):
            assert isinstance(b, ExtractError) and str(a) == str(b)
        else:
            assert a == b, task.key
    assert sum(1 for _, o in there if isinstance(o, ExtractError)) == 2
    assert sum(1 for _, o in there if o is None) == 3


# -- kill -9 -----------------------------------------------------------------------------------

def _children() -> dict:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            out.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    return out


def _descendants(pid) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        kids = tree.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _alive(pid) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


def _pages_done(db_path) -> int:
    try:
        conn = sqlite3.connect(db_path, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM pages WHERE extracted_hash IS NOT NULL").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _start(db_path, *inputs, jobs=2):
    return subprocess.Popen([PARINDEX, "extract", "--db", str(db_path), "--jobs", str(jobs), *map(str, inputs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _when_done(run, db_path, pages, timeout=120) -> bool:
    deadline = time.monotonic() + timeout
    while run.poll() is None and time.monotonic() < deadline:
        if _pages_done(db_path) >= pages:
            return True
        time.sleep(0.01)
    return False


def test_kill_9_during_a_run_on_two_cores_leaves_whole_articles_and_a_rerun_completes(tmp_path):
    inputs = [DEV, SEEDS]
    reference = tmp_path / "reference.db"
    done = _start(reference, *inputs, jobs=1)
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    expected = contents(reference)
    facts_of = {}
    for row in expected["facts"]:
        facts_of.setdefault(row[1], []).append(row)   # by article id

    killed = tmp_path / "killed.db"
    kills = 0
    for step in random.Random(16).sample(range(2, 8), 3):
        # a few pages more than the killed runs before left done: a rerun skips those
        run = _start(killed, *inputs)
        if not _when_done(run, killed, _pages_done(killed) + step):
            run.wait(timeout=60)
            continue
        workers = _descendants(run.pid)
        assert workers, "no worker processes"
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        kills += 1
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "worker processes outlived the killed run"
        partial = contents(killed)   # integrity and foreign keys hold after every kill
        article_ids = {row[0] for row in partial["articles"]}
        for article_id in article_ids:
            written = [row for row in partial["facts"] if row[1] == article_id]
            assert written == facts_of.get(article_id, []), "an article comes with all its facts or not at all"
    assert kills >= 2, "the runs ended before they could be killed"

    final = _start(killed, *inputs)
    assert final.wait(timeout=300) == 0, final.stderr.read().decode()
    assert contents(killed) == expected


def test_a_worker_that_dies_stops_the_run_with_one_line_and_a_rerun_completes(tmp_path):
    db_path = tmp_path / "p.db"
    run = _start(db_path, DEV, SEEDS)
    assert _when_done(run, db_path, 5), "the run ended before a worker could be killed"
    server_children = [p for p in _descendants(run.pid) if _children().get(p) is None]
    workers = [p for p in server_children if "forkserver" in Path(f"/proc/{p}/cmdline").read_text()]
    os.kill(workers[0], signal.SIGKILL)
    assert run.wait(timeout=120) == 1
    errors = run.stderr.read().decode().strip().splitlines()
    assert errors[-1].startswith("parindex extract: an extraction worker process ended")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT status FROM runs").fetchall() == [("failed",)]
    conn.close()
    again = _start(db_path, DEV, SEEDS)
    assert again.wait(timeout=300) == 0, again.stderr.read().decode()
    assert _pages_done(db_path) == 35
