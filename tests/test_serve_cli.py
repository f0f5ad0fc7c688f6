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
