"""`parindex watch`: run, sleep with jitter, run again; a failed run does not stop it;
SIGTERM stops it once the current run is done."""
import random
import signal
import sqlite3
import subprocess
import threading
import time

import pytest

from parindex.crawler.testsite import TestSite, cli
from parindex.commands.crawl import jittered, parse_interval, wait_after_run


@pytest.mark.parametrize("text,seconds", [("6h", 21600), ("30m", 1800), ("90s", 90), ("2d", 172800),
                                          ("1h30m", 5400), ("0.5s", 0.5), ("45", 45), (" 6H ", 21600)])
def test_intervals_read_as_people_write_them(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "six hours", "6x", "h6", "6h 30m", "0s", "-5m"])
def test_a_bad_interval_is_refused_with_the_text_named(text):
    with pytest.raises(ValueError, match="interval"):
        parse_interval(text)


def test_jitter_stays_within_the_fraction_and_varies():
    rnd = random.Random(1)
    waits = [jittered(3600, 0.1, rnd) for _ in range(200)]
    assert all(3240 <= w <= 3960 for w in waits)
    assert len({round(w) for w in waits}) > 50
    assert jittered(3600, 0, rnd) == 3600


def test_every_is_the_time_between_starts_so_the_run_itself_counts():
    rnd = random.Random(1)
    assert wait_after_run(3600, 0, 600, rnd) == 3000      # a 10-minute run in a 1-hour cycle
    assert wait_after_run(3600, 0, 5000, rnd) == 0        # a run longer than the cycle: next one at once
    waits = [wait_after_run(3600, 0.1, 600, rnd) for _ in range(100)]
    assert all(2640 <= w <= 3360 for w in waits)


class Watch:
    """A `parindex watch` process whose stderr lines are collected as they come."""

    def __init__(self, *args):
        self.lines = []
        self.proc = subprocess.Popen(cli("watch", *args), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared in: {self.lines}")

    def finish(self, timeout=120):
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=5)
        return code


def run_rows(db):
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT kind, status FROM runs ORDER BY id").fetchall()
    conn.close()
    return rows


def test_a_failed_run_is_logged_and_the_next_one_still_happens(tmp_path):
    broken = tmp_path / "sources.toml"
    broken.write_text("[site.x\n", encoding="utf-8")
    watch = Watch("--db", tmp_path / "w.db", "--sources", broken, "--every", "0.2s", "--max-runs", "2")
    assert watch.finish() == 0
    text = "\n".join(watch.lines)
    assert "run 1 failed (exit status 1); the next run still happens" in text
    assert "run 2 failed (exit status 1)" in text
    assert text.count("not valid TOML") == 2
    assert "stopped after 2 run(s)" in text


def test_sigterm_while_sleeping_stops_at_once(tmp_path):
    db = tmp_path / "w.db"
    with TestSite(articles=3, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        watch = Watch("--db", db, "--sources", sources, "--base", site.base, "--every", "1h")
        watch.wait_for("next run in")
        watch.proc.send_signal(signal.SIGTERM)
        assert watch.finish(timeout=10) == 0
    assert "SIGTERM: stopping after the current step" in "\n".join(watch.lines)
    assert run_rows(db) == [("crawl", "ok"), ("extract", "ok")]


def test_sigterm_during_a_run_lets_that_run_finish_then_stops(tmp_path):
    db = tmp_path / "w.db"
    with TestSite(articles=12, faults=False, delay=0.15) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        watch = Watch("--db", db, "--sources", sources, "--base", site.base, "--every", "0.1s",
                      "--set", "CONCURRENT_REQUESTS=1")
        watch.wait_for("run 1 starting")
        deadline = time.monotonic() + 60
        while not site.fetched("/news/tin-1-a1.html") and time.monotonic() < deadline:
            time.sleep(0.05)
        watch.proc.send_signal(signal.SIGTERM)
        assert watch.finish() == 0
        assert all(site.fetched(path) == 1 for path in site.article_paths())
    text = "\n".join(watch.lines)
    assert "run 1 ok" in text and "run 2 starting" not in text
    assert run_rows(db) == [("crawl", "ok"), ("extract", "ok")]


def test_each_run_of_watch_gets_the_debug_and_jobs_it_was_given():
    from parindex.commands.crawl import run_command

    args = run_command("w.db", None, (), None, None, 30, (), 0, 2, debug=True)
    assert args[args.index("--jobs") + 1] == "2" and "--debug" in args
    plain = run_command("w.db", None, (), None, None, 30, (), 0)
    assert "--jobs" not in plain and "--debug" not in plain
