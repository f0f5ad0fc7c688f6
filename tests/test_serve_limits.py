"""A real `parindex serve` under abuse: a query asking for a huge blob, fifty password guesses
at once (../shared/reliability/web_bruteforce.py), a disk that fills up while reviewing, and
a database on a read-only file system."""
import concurrent.futures
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from _review_data import PASSWORD, build
from test_serve_cli import _free_port, _stop

PARINDEX = str(Path(sys.executable).with_name("parindex"))
MB = 1024 * 1024


def serve(db, prefix=(), env=None):
    """`parindex serve` on a free port (inside `prefix`, e.g. a mount namespace): (process, url)."""
    port = _free_port()
    process = subprocess.Popen([*prefix, PARINDEX, "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url + "/-/versions.json", timeout=1)
            return process, url
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"parindex serve did not start: {process.communicate()[1]}")
            time.sleep(0.2)


def peak_memory(pid) -> int:
    """The most memory the process ever had resident (VmHWM), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024


def server_pid(process) -> int:
    """The serving process: `process` itself, or the one it exec'd into, or its child."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    kids = children.read_text().split() if children.exists() else []
    return int(kids[0]) if kids else process.pid


@pytest.fixture
def database(tmp_path):
    db = tmp_path / "parindex.db"
    ids = build(db)
    return db, ids


def test_a_huge_blob_fails_in_bounded_memory_while_other_requests_are_answered(database):
    db, _ = database
    process, url = serve(db)
    try:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            huge = pool.submit(httpx.get, url + "/parindex.json",
                               params={"sql": "select zeroblob(200000000) as z"}, timeout=60)
            many = pool.submit(httpx.get, url + "/parindex.json", timeout=60, params={
                "sql": "with recursive n(x) as (select 1 union all select x + 1 from n limit 1000) "
                       "select x, zeroblob(1900000), zeroblob(1900000) from n"})
            others = [pool.submit(httpx.get, url + "/parindex/facts.json", params={"_shape": "array"}, timeout=60)
                      for _ in range(5)]
            answers = [o.result() for o in others]
            huge, many = huge.result(), many.result()
        peak = peak_memory(process.pid)
        after = httpx.get(url + "/parindex/facts.json", params={"_shape": "array"}, timeout=10)
    finally:
        _stop(process)
    assert (huge.status_code, huge.json()["error"]) == (400, "string or blob too big")
    assert many.status_code == 400 and "the result is larger than" in many.json()["error"]
    assert [(a.status_code, len(a.json())) for a in answers] == [(200, 12)] * 5
    assert after.status_code == 200
    # Before: 6.4 GB resident and 68 s for the 200 MB blob.
    assert peak < 300 * MB, f"{peak / MB:.0f} MB"


def _login_form(url):
    page = httpx.get(url + "/-/login", timeout=10)
    return page.cookies["ds_csrftoken"], re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


def test_fifty_parallel_guesses_then_the_right_password_are_all_turned_away(database):
    """web_bruteforce.py: before, 18 wrong passwords a second went through with no slowdown
    and the right one still worked after 310 failures."""
    db, _ = database
    process, url = serve(db)
    try:
        cookie, token = _login_form(url)

        def attempt(password):
            response = httpx.post(url + "/-/login", cookies={"ds_csrftoken": cookie}, timeout=60,
                                  data={"csrftoken": token, "name": "lan", "password": password, "next": "/-/review"})
            return response.status_code, "parindex_session" in response.cookies

        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            results = list(pool.map(attempt, [f"wrong-{i}" for i in range(300)]))
        right = attempt(PASSWORD)
    finally:
        _stop(process)
    codes = [code for code, _ in results]
    assert codes.count(403) <= 5 and codes.count(429) >= 295 and set(codes) <= {403, 429}
    assert right == (429, False)


def _in_mount_namespace(script: str) -> list:
    """A command that runs `script` (sh) in a mount namespace of its own, then the rest."""
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script + ' && exec "$@"', "sh"]


def test_a_full_disk_while_reviewing_shows_a_message_and_loses_nothing(database, tmp_path):
    db, ids = database
    disk = tmp_path / "disk"
    disk.mkdir()
    # A 2 MB file system of its own, in a mount namespace of the server's.
    prefix = _in_mount_namespace(f"mount -t tmpfs -o size=2m parindex-test {disk} && cp {db} {disk}/")
    process, url = serve(disk / "parindex.db", prefix=prefix)
    pid = server_pid(process)
    fill = ["nsenter", "--target", str(pid), "--mount"]
    try:
        cookie, token = _login_form(url)
        login = httpx.post(url + "/-/login", cookies={"ds_csrftoken": cookie}, timeout=30,
                           data={"csrftoken": token, "name": "lan", "password": PASSWORD, "next": "/-/review"})
        cookies = {"ds_csrftoken": cookie, "parindex_session": login.cookies["parindex_session"]}
        subprocess.run([*fill, "dd", "if=/dev/zero", f"of={disk}/filler", "bs=64k"], capture_output=True)
        fact_id = ids["xã Kim Anh"]
        full = httpx.post(url + "/-/review/decide", cookies=cookies, timeout=30,
                          data={"csrftoken": token, "fact_id": fact_id, "action": "accept"})
        subprocess.run([*fill, "rm", f"{disk}/filler"], check=True)
        again = httpx.post(url + "/-/review/decide", cookies=cookies, timeout=30,
                           data={"csrftoken": token, "fact_id": fact_id, "action": "accept"})
        status = subprocess.run([*fill, sys.executable, "-c", (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(c.execute('pragma integrity_check').fetchone()[0], "
            "c.execute('select status from facts where id = ?', [sys.argv[2]]).fetchone()[0], "
            "c.execute('select count(*) from reviews').fetchone()[0])"), f"{disk}/parindex.db", fact_id],
            capture_output=True, text=True, check=True).stdout.split()
    finally:
        _, log = _stop(process)
    assert full.status_code == 503
    assert "The database could not be written: disk full" in full.text
    assert "Nothing was changed" in full.text and "Error 500" not in full.text
    assert str(disk) not in full.text                       # no server path for the browser
    assert again.status_code == 302                         # room again: the same decision goes through
    assert status == ["ok", "accepted", "1"]                # one decision, logged once, nothing half-written
    # Our line, and Datasette's write thread prints the error once more: no traceback.
    assert ("parindex serve: POST /-/review/decide: 503 StoreError: "
            f"{disk}/parindex.db: disk full (or file size limit reached); the change that did not fit "
            "was not written") in log.splitlines()
    assert "Traceback" not in log and len(log) < 2000


# Read-only data: a read-only file system (root writes through file permissions, not there)

def _read_only(folder) -> list:
    return _in_mount_namespace(f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}")


@pytest.fixture
def read_only(database, tmp_path):
    db, _ = database
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.move(db, folder / "parindex.db")        # closed cleanly: no -wal, no -shm beside it
    (folder / "parindex.db").chmod(0o444)
    folder.chmod(0o555)
    yield folder / "parindex.db", _read_only(folder)
    folder.chmod(0o755)


def run_in(prefix, *args):
    return subprocess.run([*prefix, PARINDEX, *map(str, args)], capture_output=True, text=True, timeout=120)


def test_the_read_only_mount_is_read_only_even_for_root(read_only):
    db, prefix = read_only
    done = subprocess.run([*prefix, "touch", str(db.parent / "x")], capture_output=True, text=True)
    assert done.returncode != 0 and "Read-only file system" in done.stderr
    written = run_in(prefix, "reextract", "--db", db)
    assert written.returncode == 1
    assert written.stderr.strip() == f"parindex reextract: {db}: cannot write the database (read-only file or folder)"


def test_stats_query_and_export_read_a_database_on_a_read_only_file_system(read_only, tmp_path):
    db, prefix = read_only
    stats = run_in(prefix, "stats", "--db", db, "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert '"facts": 12' in stats.stdout
    found = run_in(prefix, "query", "--db", db, "--unit", "Kim Anh", "--format", "csv")
    assert found.returncode == 0 and "xã Kim Anh" in found.stdout
    sql = run_in(prefix, "query", "--db", db, "select count(*) as n from facts", "--format", "csv")
    assert (sql.returncode, sql.stdout.split()) == (0, ["n", "12"])
    searched = run_in(prefix, "query", "--db", db, "--search", "ky anh", "--format", "jsonl")
    assert searched.returncode == 0 and "Kỳ Anh" in searched.stdout
    out = tmp_path / "dataset"
    exported = run_in(prefix, "export", "--db", db, "--out", out, "--no-charts")
    assert exported.returncode == 0, exported.stderr
    assert (out / "rankings.csv").read_text(encoding="utf-8").count("\n") > 5
    assert sorted(p.name for p in db.parent.iterdir()) == ["parindex.db"]     # nothing left beside it


def test_serve_browses_a_database_on_a_read_only_file_system_with_reviewing_off(read_only):
    db, prefix = read_only
    process, url = serve(db, prefix=prefix)
    try:
        facts = httpx.get(url + "/parindex/facts.json", params={"_shape": "array"}, timeout=30)
        sql = httpx.get(url + "/parindex.json", params={"sql": "select count(*) as n from facts",
                                                        "_shape": "array"}, timeout=30)
        login = httpx.get(url + "/-/login", timeout=30)
        review = httpx.get(url + "/-/review", timeout=30)
        download = httpx.get(url + "/parindex.db", timeout=30)
    finally:
        _, log = _stop(process)
    assert facts.status_code == 200 and len(facts.json()) == 12
    assert sql.json() == [{"n": 12}]
    assert login.status_code == 503 and "open read-only" in login.text and 'id="login-form"' not in login.text
    assert review.status_code == 302
    assert download.status_code in (403, 404)        # immutable databases are downloadable by default
    assert "cannot be written here: serving it read-only" in log
