"""How polite the crawler is to a misbehaving site, with and without its guards, in one run.

    .venv/bin/python bench/politeness.py [--delay 3] [--articles 20] [--trap 400]

1. Crawl-delay: the test site's robots.txt asks for --delay seconds; the site is served on
   127.0.0.2 so that the crawl keeps the settings meant for remote sites (DOWNLOAD_DELAY,
   AutoThrottle). Prints the median and smallest gap between two requests, and how many gaps
   were shorter than the Crawl-delay, with PARINDEX_CRAWL_DELAY off (as before) and on.
2. A listing trap: a pagination chain of --trap pages with one new article each, and a
   calendar of --trap pages that repeats known articles. Prints the requests of a first and a
   second run with the listing caps set out of reach and at their defaults (the end of a chain
   that brings no new article works in both: it is what keeps the second run short).
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parindex.crawler.testsite import TestSite, cli  # noqa: E402


def gaps(times):
    stamps = [t for t, path in times if path != "/robots.txt"]
    return [b - a for a, b in zip(stamps, stamps[1:])]


def crawl(db, site, sources, *extra):
    done = subprocess.run(cli("crawl", "--db", db, "--sources", sources, "--base", site.base, *extra),
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)


def crawl_delay(delay, articles, tmp):
    for label, setting in (("ignored (before)", "False"), ("honoured", "True")):
        with TestSite(articles=articles, faults=False, crawl_delay=delay, host="127.0.0.2") as site:
            sources = site.write_sources(tmp / "delay.toml")
            started = time.monotonic()
            crawl(tmp / f"delay-{setting}.db", site, sources, "--set", f"PARINDEX_CRAWL_DELAY={setting}")
            took = time.monotonic() - started
            found = gaps(site.times)
        short = sum(g < delay - 0.05 for g in found)
        print(f"Crawl-delay {delay} s {label}: {len(found) + 1} requests in {took:.0f} s, median gap "
              f"{statistics.median(found):.2f} s, smallest {min(found):.2f} s, "
              f"{short} of {len(found)} gaps more than 50 ms under {delay} s")


def trap(pages, tmp):
    for label, caps in (("listing caps out of reach", f"max_listing_pages = {pages * 10}\nmax_listing_depth = {pages * 10}\n"),
                        ("default caps", "")):
        with TestSite(articles=3, faults=False, trap=pages) as site:
            sources = site.write_sources(tmp / "trap.toml")
            sources.write_text(sources.read_text() + caps + "max_pages = 5000\n")
            db = tmp / f"trap-{bool(caps)}.db"
            counts = []
            for _ in range(2):
                before = sum(site.hits.values())
                started = time.monotonic()
                crawl(db, site, sources)
                counts.append((sum(site.hits.values()) - before, time.monotonic() - started))
        print(f"trap of {pages} pages, {label}: first run {counts[0][0]} requests ({counts[0][1]:.0f} s), "
              f"second run {counts[1][0]} requests ({counts[1][1]:.0f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=3.0)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--trap", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        crawl_delay(args.delay, args.articles, tmp)
        trap(args.trap, tmp)


if __name__ == "__main__":
    main()
