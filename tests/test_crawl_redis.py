"""`parindex crawl --redis`: several crawl processes share one queue and one seen-set through
a real redis-server, fetch every page once between them, and stop by themselves when the
queue has stayed empty."""
import json
import shutil
import socket
import sqlite3
import subprocess
import time

import pytest

from parindex.crawler.testsite import TestSite, cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def test_two_processes_share_the_work_and_fetch_every_page_once(tmp_path, redis_url):
    db = tmp_path / "shared.db"
    with TestSite(articles=30, faults=False, delay=0.4) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        args = cli("crawl", "--db", db, "--sources", sources, "--base", site.base, "--redis", redis_url,
                   "--idle-close", "2", "--set", "CONCURRENT_REQUESTS=2")
        first = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
        while not site.fetched("/"):        # the second joins a crawl under way
            assert first.poll() is None, first.stderr.read()
            time.sleep(0.05)
        second = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
        results = [(p.wait(timeout=120), p.stderr.read()) for p in (first, second)]
        hits = dict(site.hits)
    assert [code for code, _ in results] == [0, 0], results
    pages = {p: n for p, n in hits.items() if p != "/robots.txt"}
    assert len(pages) == 30 + 5                          # articles, home, feed, sitemap, their two articles
    assert set(pages.values()) == {1}, {p: n for p, n in pages.items() if n != 1}
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*), count(DISTINCT url) FROM pages").fetchone()
    counts = [json.loads(c) for (c,) in conn.execute("SELECT counts FROM runs WHERE kind = 'crawl' ORDER BY id")]
    conn.close()
    assert stored == (35, 35)
    assert len(counts) == 2 and all(c["pages_stored"] > 0 for c in counts), counts
    assert sum(c["pages_stored"] for c in counts) == 35


@pytest.mark.parametrize("url,message", [
    ("redis://127.0.0.1:{port}/0", "cannot reach Redis: "),
    ("http://127.0.0.1:{port}/", "not a Redis URL"),
])
def test_a_redis_that_cannot_be_used_fails_before_any_request_with_one_line(tmp_path, url, message):
    url = url.format(port=free_port())
    with TestSite(articles=1, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        done = subprocess.run(cli("crawl", "--db", tmp_path / "x.db", "--sources", sources, "--base", site.base,
                                  "--redis", url), capture_output=True, text=True, timeout=60)
        assert dict(site.hits) == {}
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"parindex crawl: --redis {url}: {message}")


def test_the_page_cap_counts_across_the_processes_that_share_the_queue(tmp_path, redis_url):
    db = tmp_path / "capped.db"
    with TestSite(articles=30, faults=False, delay=0.3) as site:
        sources = site.write_sources(tmp_path / "sources.toml", max_pages=10)
        args = cli("crawl", "--db", db, "--sources", sources, "--base", site.base, "--redis", redis_url,
                   "--idle-close", "2", "--set", "CONCURRENT_REQUESTS=2")
        first = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
        while not site.fetched("/"):
            assert first.poll() is None, first.stderr.read()
            time.sleep(0.05)
        second = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
        results = [(p.wait(timeout=120), p.stderr.read()) for p in (first, second)]
        articles = [p for p in site.hits if p.startswith("/news/")]
    assert [code for code, _ in results] == [0, 0], results
    # Before: each process took its own 10.
    assert len(articles) == 10
    conn = sqlite3.connect(db)
    counts = [json.loads(c) for (c,) in conn.execute("SELECT counts FROM runs WHERE kind = 'crawl' ORDER BY id")]
    conn.close()
    assert len(counts) == 2 and sum(c["articles_relevant"] for c in counts) == 10
    # The counters are gone with the last process: the next crawl starts from zero.
    import redis

    assert list(redis.Redis.from_url(redis_url).scan_iter(match="parindex:caps:*")) == []
