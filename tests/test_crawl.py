"""`parindex crawl` and `parindex run` against sites served on 127.0.0.1: which pages end up
stored, what each run records, what a second run does not fetch again, resuming after kill -9.

Every crawl runs in its own process, as users run it (Twisted's reactor starts once per process).
"""
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parindex.crawler.testsite import TestSite, cli

# Short limits keep the faulty pages fast: the slow page sleeps past the timeout, the big one
# is three times the size limit, the 500 is retried once.
FAST = ["--set", "DOWNLOAD_TIMEOUT=0.5", "--set", "RETRY_TIMES=1", "--set", "DOWNLOAD_MAXSIZE=100000"]
KEY = "http://testsite.local"


def crawl(db, site, sources, *extra, verb="crawl", timeout=120):
    return subprocess.run(cli(verb, "--db", db, "--sources", sources, "--base", site.base, *FAST, *extra),
                          capture_output=True, text=True, timeout=timeout)


def pages(db):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {r["url"].removeprefix(KEY): dict(r) for r in conn.execute("SELECT * FROM pages")}
    conn.close()
    return rows


def runs(db):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r, counts=json.loads(r["counts"] or "{}"), errors=json.loads(r["errors"] or "{}"))
            for r in conn.execute("SELECT * FROM runs ORDER BY id")]
    conn.close()
    return rows


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The faulty test site crawled twice into one database."""
    tmp = tmp_path_factory.mktemp("crawl")
    db = tmp / "crawl.db"
    with TestSite(articles=3, slow_seconds=1.5) as site:
        sources = site.write_sources(tmp / "sources.toml")
        first = crawl(db, site, sources)
        after_first = pages(db)
        hits_first = dict(site.hits)
        second = crawl(db, site, sources)
        hits_second = {p: n - hits_first.get(p, 0) for p, n in site.hits.items() if n - hits_first.get(p, 0)}
    return {"db": db, "first": first, "second": second, "pages": after_first, "final": pages(db),
            "hits_first": hits_first, "hits_second": hits_second, "runs": runs(db)}


def test_exactly_the_expected_pages_are_stored(crawled):
    assert crawled["first"].returncode == 0, crawled["first"].stderr
    assert set(crawled["pages"]) == {
        "/", "/news/?page=2", "/rss.xml", "/sitemap.xml",
        "/sitemap-from-robots.xml",          # named by robots.txt only
        "/news/tin-1-a1.html", "/news/tin-2-a2.html", "/news/tin-3-a3.html",   # + tracking, print, AMP copies
        "/news/trang-hai-a202.html", "/news/chi-trong-rss-a301.html", "/news/chi-trong-sitemap-a302.html",
        "/news/chi-trong-robots-a303.html",
        "/news/the-thao-a101.html",          # irrelevant: remembered
        "/news/chuyen-trang-a201.html",      # redirected
        "/news/loi-may-chu-a500.html",       # 500, then fine on retry
        "/news/khong-con-a404.html",         # gone: remembered with its status
        "/news/qua-lon-a413.html",           # over the size limit: remembered
        "/news/bao-cao-a415.html",           # a PDF: remembered, not read
    }
    # Not stored: the page slower than the timeout (tried again next run) and the
    # robots.txt-forbidden one (never even requested).


def test_each_page_is_stored_as_what_it_is(crawled):
    p = crawled["pages"]
    kinds = {url: row["kind"] for url, row in p.items()}
    assert kinds["/"] == kinds["/news/?page=2"] == "listing"
    assert kinds["/rss.xml"] == "feed" and kinds["/sitemap.xml"] == kinds["/sitemap-from-robots.xml"] == "sitemap"
    relevant = {url for url, row in p.items() if row["relevant"] == 1 and row["kind"] == "article"}
    # A listing that led to a relevant article is marked so: the next run reads it first.
    assert p["/"]["relevant"] == p["/news/?page=2"]["relevant"] == 1
    assert relevant == {"/news/tin-1-a1.html", "/news/tin-2-a2.html", "/news/tin-3-a3.html",
                        "/news/trang-hai-a202.html", "/news/chi-trong-rss-a301.html",
                        "/news/chi-trong-sitemap-a302.html", "/news/chi-trong-robots-a303.html",
                        "/news/chuyen-trang-a201.html",
                        "/news/loi-may-chu-a500.html"}
    assert all(p[u]["body"] is not None and p[u]["status"] == 200 for u in relevant)
    sport = p["/news/the-thao-a101.html"]
    assert sport["relevant"] == 0 and sport["body"] is None and sport["status"] == 200
    moved = p["/news/chuyen-trang-a201.html"]
    assert moved["final_url"].endswith("/news/dich-a210.html")
    gone = p["/news/khong-con-a404.html"]
    assert gone["status"] == 404 and gone["error"] == "HTTP 404" and gone["body"] is None
    too_large = re.fullmatch(r"larger than the download size limit: ([\d,]+) bytes \(the limit is 100,000 bytes\)",
                             p["/news/qua-lon-a413.html"]["error"])
    assert too_large and int(too_large.group(1).replace(",", "")) > 300_000
    pdf = p["/news/bao-cao-a415.html"]
    assert pdf["relevant"] == 0 and pdf["body"] is None and "application/pdf" in pdf["error"]


def test_copies_and_forbidden_pages_are_never_requested(crawled):
    hits = crawled["hits_first"]
    assert not any(path.startswith(("/print/", "/amp/", "/private/")) or "utm_" in path or "fbclid" in path
                   for path in hits), hits
    assert hits["/news/tin-1-a1.html"] == 1
    assert hits["/news/loi-may-chu-a500.html"] == 2      # the 500, then the retry
    assert hits["/robots.txt"] == 2                      # Scrapy's rules, and the sitemaps it names


def test_the_run_records_its_counts_and_errors_by_kind(crawled):
    run = crawled["runs"][0]
    assert run["kind"] == "crawl" and run["status"] == "ok" and run["source"] == "testsite"
    assert run["errors"] == {"http_404": 1, "timeout": 1, "too_large": 1}
    c = run["counts"]
    assert c["pages_stored"] == 18 and c["articles_relevant"] == 9 and c["articles_irrelevant"] == 1
    assert c["not_html"] == 1 and c["listings"] == 2 and c["feeds"] == 1 and c["sitemaps"] == 2
    assert c["robots_forbidden"] == 1 and c["skipped_known"] == 0
    assert c["retries"] >= 2                             # the 500 and the slow page
    assert c["requests"] == sum(crawled["hits_first"].values())   # robots.txt and retries included
    assert "run 1 ok" in crawled["first"].stderr and "errors: http_404 1, timeout 1, too_large 1" in crawled["first"].stderr


def test_a_second_run_fetches_no_known_article_and_asks_listings_conditionally(crawled):
    assert crawled["second"].returncode == 0, crawled["second"].stderr
    again = crawled["hits_second"]
    articles = {p for p in again if "-a" in p}
    # Only the page that timed out is tried again: it was never stored.
    assert articles == {"/news/cham-a408.html"}
    assert {"/", "/rss.xml", "/sitemap.xml", "/sitemap-from-robots.xml", "/news/?page=2"} <= set(again)
    run = crawled["runs"][1]
    assert run["counts"]["not_modified"] == 1             # the home page answered 304 to its ETag
    assert run["counts"]["skipped_known"] == 13
    assert run["counts"]["articles_relevant"] == 0
    assert run["errors"] == {"timeout": 1}
    # No duplicate rows: the same pages, one row each.
    assert set(crawled["final"]) == set(crawled["pages"])


def test_crawl_then_extract_on_the_bundled_site(tmp_path):
    """What `make demo` does: the real crawler on the bundled site, then extraction."""
    db = tmp_path / "demo.db"
    done = subprocess.run(cli("run", "--db", db, "--sources", "corpus"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    stored = pages(db)
    relevant = [u for u, r in stored.items() if r["relevant"] == 1 and r["kind"] == "article"]
    irrelevant = [u for u, r in stored.items() if r["relevant"] == 0]
    assert len(relevant) == 35 and len(irrelevant) == 21
    assert not any(u.startswith("http://corpus.local/noi-bo/") for u in stored)   # robots.txt
    conn = sqlite3.connect(db)
    facts = conn.execute("SELECT count(*), count(DISTINCT article_id) FROM facts").fetchone()
    kim_anh = conn.execute("SELECT rank, year FROM facts WHERE unit LIKE '%Kim Anh'").fetchall()
    conn.close()
    assert facts[0] > 100 and facts[1] > 20
    assert (1, 2023) in kim_anh
    assert "crawl run 1 ok" in done.stderr and "extract run 2" in done.stderr

    # Served on another port the next time, the site is still known page by page.
    again = subprocess.run(cli("run", "--db", db, "--sources", "corpus"), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    crawl_run = runs(db)[2]
    assert crawl_run["counts"]["skipped_known"] == 56 and crawl_run["counts"]["pages_stored"] == 0
    # Asked again with If-Modified-Since: the home page, feed and sitemap, and the first page
    # of each of the 4 sections; a section's first page brings no new article, so its
    # older pages are not asked for (15 requests before the listing chains stopped).
    assert crawl_run["counts"]["not_modified"] == 7
    assert crawl_run["counts"]["listing_chain_ended"] == 4
    assert "extract run 4: 0 pages" in again.stderr
    assert set(pages(db)) == set(stored)


def test_kill_9_during_a_crawl_then_again_finishes_without_refetching_or_duplicates(tmp_path):
    db = tmp_path / "kill.db"
    with TestSite(articles=30, faults=False, delay=0.1) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        args = cli("crawl", "--db", db, "--sources", sources, "--base", site.base,
                   "--set", "CONCURRENT_REQUESTS=1", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        victim = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        stored_before = {}
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    stored_before = {u for u, r in pages(db).items() if r["kind"] == "article"}
                except sqlite3.OperationalError:
                    stored_before = set()
                if len(stored_before) >= 8:
                    break
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        stored_before = {u for u, r in pages(db).items() if r["kind"] == "article"}
        assert 8 <= len(stored_before) < 32, "the kill must land in the middle of the crawl"
        hits_before = dict(site.hits)
        assert [r["status"] for r in runs(db)] == ["running"]     # nobody has looked yet

        again = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        refetched = {p for p, n in site.hits.items() if n > hits_before.get(p, 0)}

    stored = pages(db)
    articles = {u for u, r in stored.items() if r["kind"] == "article"}
    assert len(articles) == 32                     # 30 from the home page, one from the feed, one from the sitemap
    assert not (stored_before & refetched)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT url) FROM pages").fetchone() == (len(stored), len(stored))
    statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
    conn.close()
    # The next run saw that the process of the first was gone: it never finished.
    assert statuses == ["interrupted", "ok"]


def test_a_broken_sources_file_fails_before_any_request_with_one_line(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[crawler]\ncontact = "mailto:a@b.c"\n[site.x]\nname = "X"\nstart = ["https://x.vn/"]\n'
                   "article = ['(']\n", encoding="utf-8")
    done = subprocess.run(cli("crawl", "--db", tmp_path / "x.db", "--sources", bad), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"parindex crawl: {bad}: site 'x': article: bad regular expression '(': "
        "missing ), unterminated subpattern at position 0"]


def test_a_database_that_is_not_one_fails_with_one_line(tmp_path):
    db = tmp_path / "broken.db"
    db.write_bytes(b"this is not sqlite" * 100)
    done = subprocess.run(cli("crawl", "--db", db, "--sources", "corpus"), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"parindex crawl: {db}: not a SQLite database, or a corrupt one"]
    assert db.read_bytes() == b"this is not sqlite" * 100


def test_an_unknown_site_name_is_refused(tmp_path):
    done = subprocess.run(cli("crawl", "--db", tmp_path / "x.db", "--site", "baotaynihn"), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and "no site named 'baotaynihn'" in done.stderr


def test_a_full_disk_stops_the_crawl_with_the_database_named_and_whole_pages_only(tmp_path):
    import resource

    from parindex import store

    db = tmp_path / "full.db"
    store.connect(db).close()

    def small_disk():  # every file this process writes stops at 400 kB, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    with TestSite(articles=200, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        done = subprocess.run(cli("crawl", "--db", db, "--sources", sources, "--base", site.base),
                              preexec_fn=small_disk, capture_output=True, text=True, timeout=120)
        requested = sum(site.hits.values())
    assert done.returncode == 1
    assert f"{db}: disk full (or file size limit reached)" in done.stderr
    assert "crawl run 1 failed" in done.stderr
    assert requested < 150                         # it stopped instead of fetching pages it cannot keep
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT count(*) FROM pages WHERE kind = 'article' AND body IS NOT NULL").fetchone()[0]
    conn.close()
    assert 0 < stored < 200


def test_the_page_cap_limits_articles_per_run_and_the_next_run_takes_the_rest(tmp_path):
    db = tmp_path / "cap.db"
    with TestSite(articles=8, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml", max_pages=5)
        first = crawl(db, site, sources)
        second = crawl(db, site, sources)
    assert first.returncode == second.returncode == 0
    capped, rest = runs(db)
    assert capped["counts"]["articles_relevant"] == 5 and capped["counts"]["skipped_cap"] == 5
    assert rest["counts"]["articles_relevant"] == 5 and rest["counts"]["skipped_known"] == 5
    assert len([u for u, r in pages(db).items() if r["kind"] == "article"]) == 10


def test_a_crawl_that_reaches_nothing_fails_with_one_line_for_the_site_and_one_for_the_run(tmp_path):
    with TestSite(articles=1, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        closed = site.base
    # The site is gone: its port now refuses connections. Before: 30 lines, 2 tracebacks.
    args = cli("crawl", "--db", tmp_path / "x.db", "--sources", sources, "--base", closed, "--set", "RETRY_TIMES=1")
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    site_line, summary = done.stderr.strip().splitlines()
    assert site_line.startswith("parindex crawl: site testsite: connection_refused: ")
    assert site_line.endswith("(4 requests, none answered)")   # robots.txt, feed, sitemap, home
    assert summary.startswith("parindex crawl: crawl run 1 failed: ") and "connection_refused 4" in summary
    assert runs(tmp_path / "x.db")[0]["status"] == "failed"
    # --debug: Scrapy's whole log, tracebacks included.
    debug = subprocess.run(args + ["--debug"], capture_output=True, text=True, timeout=60)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert "[scrapy.downloadermiddlewares.retry]" in debug.stderr


def test_a_scrapy_setting_scrapy_cannot_read_fails_before_any_request_with_one_line(tmp_path):
    with TestSite(articles=1, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        for value, reason in (("DOWNLOAD_TIMEOUT=abc", "not a number"), ("RETRY_TIMES=1.5", "expected a whole number"),
                              ("ROBOTSTXT_OBEY=maybe", "expected true or false")):
            done = subprocess.run(cli("crawl", "--db", tmp_path / "x.db", "--sources", sources, "--base", site.base,
                                      "--set", value), capture_output=True, text=True, timeout=60)
            assert done.returncode == 1
            assert done.stderr.strip().splitlines() == [f"parindex crawl: --set {value}: {reason}"]
        assert dict(site.hits) == {}


def test_progress_lines_on_stderr_when_it_is_not_a_terminal(tmp_path):
    with TestSite(articles=8, faults=False, delay=0.1) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        done = crawl(tmp_path / "p.db", site, sources, "--set", "PARINDEX_PROGRESS_EVERY=0.2",
                     "--set", "CONCURRENT_REQUESTS=1")
    progress = [line for line in done.stderr.splitlines() if line.startswith("parindex crawl: ") and "pages fetched" in line]
    assert progress and all(" pages fetched, " in line and "pages/min" in line for line in progress)


def test_the_scrapy_way_works_inside_crawler(tmp_path, repo):
    db = tmp_path / "scrapy.db"
    scrapy = Path(sys.executable).parent / "scrapy"
    with TestSite(articles=2, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        done = subprocess.run([scrapy, "crawl", "news", "-a", "site=testsite", "-a", f"sources={sources}",
                               "-a", f"base={site.base}", "-s", f"PARINDEX_DB={db}", "-L", "WARNING",
                               # `parindex crawl` relaxes these for a site on this machine; scrapy does not.
                               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                              cwd=repo / "crawler", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len([u for u, r in pages(db).items() if r["kind"] == "article"]) == 4
    assert runs(db)[0]["status"] == "ok"


def test_each_site_that_fails_gets_one_line_and_the_sites_that_answer_none(tmp_path):
    import socket

    closed = []
    for _ in range(2):
        with socket.socket() as s:      # a port nothing listens on once closed
            s.bind(("127.0.0.1", 0))
            closed.append(s.getsockname()[1])
    with TestSite(articles=2, faults=False) as site:
        sources = tmp_path / "sources.toml"
        site.write_sources(sources)
        with sources.open("a", encoding="utf-8") as out:
            for name, port in zip(("gone-a", "gone-b"), closed):
                out.write(f'\n[site.{name}]\nname = "{name}"\nstart = ["http://127.0.0.1:{port}/"]\n')
        done = crawl(tmp_path / "x.db", site, sources)
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("crawl: ")]  # progress
    # Before: a traceback and a retry message per request of each dead site.
    assert "Traceback" not in done.stderr
    assert [line.split(":")[1] for line in lines[:-1]] == [" site gone-a", " site gone-b"]
    for line in lines[:-1]:
        assert "connection_refused" in line and line.endswith("none answered)")
    # The sites that answered were crawled: the run is ok.
    assert done.returncode == 0
    assert lines[-1].startswith("parindex crawl: crawl run 1 ok: ") and "connection_refused" in lines[-1]
    assert {p for p, r in pages(tmp_path / "x.db").items() if r["relevant"] == 1 and r["kind"] == "article"}
