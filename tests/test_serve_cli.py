"""`parindex reviewer add` and `parindex serve`: the commands a person types."""
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from parindex import store
from parindex.cli import cli
from parindex.review.passwords import verify_password
from _review_data import build

PARINDEX = str(Path(sys.executable).with_name("parindex"))


def _hash(path, name):
    db = store.connect(path, readonly=True)
    try:
        found = store.reviewers.get(db, name)
        return found and found["password_hash"]
    finally:
        db.conn.close()


def test_reviewer_add_asks_for_the_password_twice_and_stores_only_a_scrypt_hash(tmp_path):
    db = tmp_path / "parindex.db"
    result = CliRunner().invoke(cli, ["reviewer", "add", "lan", "--db", str(db)],
                                input="hoà-bình-2024\nhoà-bình-2024\n")
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert "hoà-bình-2024" not in result.output
    stored = _hash(db, "lan")
    assert stored.startswith("scrypt$") and "hoà-bình-2024" not in stored
    assert verify_password("hoà-bình-2024", stored) and not verify_password("hoa-binh-2024", stored)


def test_adding_a_reviewer_again_sets_a_new_password(tmp_path):
    db = tmp_path / "parindex.db"
    runner = CliRunner()
    runner.invoke(cli, ["reviewer", "add", "lan", "--db", str(db)], input="first-password\n" * 2)
    result = runner.invoke(cli, ["reviewer", "add", "lan", "--db", str(db)], input="second-password\n" * 2)
    assert "new password for reviewer lan" in result.output
    assert verify_password("second-password", _hash(db, "lan"))
    listed = runner.invoke(cli, ["reviewer", "list", "--db", str(db), "--format", "csv"])
    assert listed.stdout.splitlines() == ["name,status,created_at,decisions",
                                          f"lan,active,{listed.stdout.split(',')[-2]},0"]


@pytest.mark.parametrize("name, typed, message", [
    ("lan", "short\nshort\n", "at least 8 characters"),
    ("Lan Anh", "long-enough\nlong-enough\n", "a reviewer name is"),
    ("root", "long-enough\nlong-enough\n", "not 'root'"),
])
def test_reviewer_add_refuses_bad_names_and_short_passwords(tmp_path, name, typed, message):
    db = tmp_path / "parindex.db"
    result = CliRunner().invoke(cli, ["reviewer", "add", name, "--db", str(db)], input=typed)
    assert result.exit_code == 1 and message in result.output
    assert not db.exists() or _hash(db, name) is None


def test_a_mistyped_confirmation_asks_again(tmp_path):
    db = tmp_path / "parindex.db"
    result = CliRunner().invoke(cli, ["reviewer", "add", "lan", "--db", str(db)],
                                input="long-enough\nlong-enuogh\nlong-enough\nlong-enough\n")
    assert result.exit_code == 0 and "do not match" in result.output


@pytest.mark.parametrize("content, message", [
    (None, "no such database"),
    (b"this is not sqlite" * 100, "not a SQLite database, or a corrupt one"),
])
def test_serve_refuses_a_missing_or_corrupt_database_in_one_line(tmp_path, content, message):
    db = tmp_path / "parindex.db"
    if content is not None:
        db.write_bytes(content)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "1"])
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("parindex serve: ") and str(db) in line and message in line


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(db, *extra):
    port = _free_port()
    process = subprocess.Popen([PARINDEX, "serve", "--db", str(db), "--port", str(port), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def _stop(process):
    process.terminate()
    try:
        return process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


def test_serve_answers_on_localhost_with_browsing_open_and_review_behind_a_login(tmp_path):
    db = tmp_path / "parindex.db"
    build(db)
    process, url = _serve(db)
    try:
        assert httpx.get(url + "/parindex/facts.json?_size=1").status_code == 200
        review = httpx.get(url + "/-/review")
        assert review.status_code == 302 and review.headers["location"].startswith("/-/login")
    finally:
        _, err = _stop(process)
    assert f"serving {db} at {url}/" in err


def test_serve_private_asks_for_a_login_everywhere(tmp_path):
    db = tmp_path / "parindex.db"
    build(db, reviewers=())
    process, url = _serve(db, "--private")
    try:
        home = httpx.get(url + "/parindex/facts")
        assert home.status_code == 302 and home.headers["location"].startswith("/-/login?next=")
        assert httpx.get(url + "/-/login").status_code == 200
    finally:
        _, err = _stop(process)
    assert "no reviewers yet: parindex reviewer add NAME" in err


# --- Datasette as its users expect it (issue 15, point 8) ------------------------------------

def test_a_port_in_use_is_said_in_one_line_before_anything_is_served(tmp_path):
    db = tmp_path / "parindex.db"
    build(db)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([PARINDEX, "serve", "--db", str(db), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"parindex serve: 127.0.0.1:{port} is in use (another server?): choose another with --port"]


def test_port_0_takes_a_free_port_and_says_which(tmp_path):
    import re

    db = tmp_path / "parindex.db"
    build(db)
    process = subprocess.Popen([PARINDEX, "serve", "--db", str(db), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        found = re.fullmatch(rf"parindex serve: serving {re.escape(str(db))} at http://127\.0\.0\.1:(\d+)/ "
                             r"\(review: /-/review\)\n", line)
        assert found, line
        port = int(found.group(1))
        assert port != 0
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/parindex/facts.json?_size=1").status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
    finally:
        _stop(process)


def test_datasette_options_pass_through(tmp_path):
    db = tmp_path / "parindex.db"
    build(db)
    metadata = tmp_path / "metadata.yml"
    metadata.write_text("title: Chỉ số CCHC của Sở Nội vụ\nlicense: CC-BY-4.0\n", encoding="utf-8")
    process, url = _serve(db, "--setting", "default_page_size", "2", "--cors", "--metadata", str(metadata))
    try:
        page = httpx.get(url + "/parindex/facts.json?_shape=objects")
        home = httpx.get(url + "/")
    finally:
        _stop(process)
    assert len(page.json()["rows"]) == 2                                  # --setting
    assert page.headers["access-control-allow-origin"] == "*"            # --cors
    assert "Chỉ số CCHC của Sở Nội vụ" in home.text and "CC-BY-4.0" in home.text  # --metadata over ours
    assert "province_districts" in home.text                             # ours stays


def test_a_bad_setting_is_named_in_one_line(tmp_path):
    db = tmp_path / "parindex.db"
    build(db)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--setting", "page_size", "5"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("parindex serve: --setting page_size: not a Datasette setting (one of ")


def test_immutable_serves_read_only_and_says_so(tmp_path):
    db = tmp_path / "parindex.db"
    build(db)
    process, url = _serve(db, "--immutable")
    try:
        facts = httpx.get(url + "/parindex/facts.json?_shape=array&_size=1")
        login = httpx.get(url + "/-/login")
    finally:
        _, err = _stop(process)
    assert facts.status_code == 200 and login.status_code == 503
    assert f"{db} served with --immutable: serving it read-only" in err


def test_a_script_reads_a_private_server_with_an_api_token_and_cannot_review(tmp_path):
    db = tmp_path / "parindex.db"
    build(db)
    made = CliRunner().invoke(cli, ["reviewer", "token", "lan", "--db", str(db)])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert token.startswith("pxt_") and token not in made.stderr
    process, url = _serve(db, "--private")
    try:
        bearer = {"Authorization": f"Bearer {token}"}
        with_token = httpx.get(url + "/parindex/facts.json?_shape=array&_size=3", headers=bearer)
        without = httpx.get(url + "/parindex/facts.json")
        wrong = httpx.get(url + "/parindex/facts.json", headers={"Authorization": "Bearer pxt_nope"})
        review = httpx.get(url + "/-/review", headers=bearer)
        decide = httpx.post(url + "/-/review/decide", headers=bearer, data={"fact_id": "x", "action": "accept"})
        CliRunner().invoke(cli, ["reviewer", "disable", "lan", "--db", str(db)])
        after_disable = httpx.get(url + "/parindex/facts.json", headers=bearer)
    finally:
        _stop(process)
    assert with_token.status_code == 200 and len(with_token.json()) == 3
    assert without.status_code == 401 and "API token" in without.text   # a script is told, not redirected
    assert wrong.status_code == 401
    assert review.status_code == 302 and decide.status_code in (302, 403)  # reading only
    assert after_disable.status_code == 401
    db_read = store.connect(db, readonly=True)
    try:
        assert db_read.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    finally:
        db_read.conn.close()


def test_a_removed_or_disabled_reviewer_cannot_log_in_and_enable_gives_the_old_password_back(tmp_path):
    from parindex.review.app import make_datasette
    from _review_client import Client

    db = tmp_path / "parindex.db"
    build(db)
    runner = CliRunner()
    assert runner.invoke(cli, ["reviewer", "disable", "lan", "--db", str(db)]).exit_code == 0
    listed = runner.invoke(cli, ["reviewer", "list", "--db", str(db), "--format", "json"])
    import json
    assert [(r["name"], r["status"]) for r in json.loads(listed.stdout)] == [("lan", "disabled"), ("minh", "active")]
    import asyncio
    loop = asyncio.new_event_loop()
    ds = make_datasette(db, secret="s")
    loop.run_until_complete(ds.invoke_startup())
    client = Client(ds, loop)
    assert client.login("lan").status_code == 403
    assert runner.invoke(cli, ["reviewer", "enable", "lan", "--db", str(db)]).exit_code == 0
    assert client.login("lan").status_code == 302
    removed = runner.invoke(cli, ["reviewer", "remove", "minh", "--db", str(db)])
    assert removed.exit_code == 0 and "their decisions stay in the review log" in removed.stderr
    assert client.login("minh").status_code == 403
    again = runner.invoke(cli, ["reviewer", "remove", "minh", "--db", str(db)])
    assert again.exit_code == 1 and again.stderr.startswith("parindex reviewer remove: no reviewer 'minh'")
    loop.close()
