"""`parindex crawl`, `run` (crawl then extract) and `watch` (run on a schedule)."""
import datetime
import random
import re
import signal
import subprocess
import sys
import threading
import time

import click

from parindex.commands.options import db_option, fail, jobs_option, say


def crawl_options(func):
    """The options of every verb that crawls."""
    options = [
        click.option("--sources", default=None, metavar="FILE|corpus",
                     help="Sources file (default: crawler/sources.toml); `corpus` serves and crawls "
                          "the bundled offline site."),
        click.option("--site", "sites", multiple=True, metavar="NAME",
                     help="Crawl only this site of the sources file (repeatable)."),
        click.option("--base", default=None, metavar="URL",
                     help="Origin that site-relative URLs in the sources file resolve against."),
        click.option("--redis", "redis_url", default=None, metavar="URL",
                     help="Share the queue and the seen-set with other crawl processes "
                          "(redis://HOST:6379/0)."),
        click.option("--idle-close", default=30, show_default=True, type=click.IntRange(1),
                     help="With --redis: stop when the shared queue stayed empty this many seconds."),
        click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                     help="A Scrapy setting (DOWNLOAD_TIMEOUT=10, CONCURRENT_REQUESTS=4...)."),
        click.option("-v", "--verbose", count=True, help="Scrapy's log: -v info, -vv every request."),
        click.option("--debug", is_flag=True, help="Scrapy's whole log, with the traceback of every error."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings(verb, pairs) -> dict:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name.strip()):
            fail(verb, f"--set {pair!r}: expected NAME=VALUE with an upper-case Scrapy setting name")
        out[name.strip()] = value.strip()
    return out


def summary_line(result: dict) -> str:
    """`run 4 ok: 72 requests, 71 pages stored (35 relevant, 21 irrelevant), 0 known skipped; errors: none`."""
    c = result["counts"]
    errors = ", ".join(f"{k} {v}" for k, v in sorted(result["errors"].items())) or "none"
    extra = "".join(f", {c[k]} {label}" for k, label in (("not_modified", "not modified"),
                                                       ("robots_forbidden", "forbidden by robots.txt"),
                                                       ("skipped_cap", "over the page cap"))
                    if c.get(k))
    return (f"run {result['run_id']} {result['status']}: {c.get('requests', 0)} requests, "
            f"{c.get('pages_stored', 0)} pages stored ({c.get('articles_relevant', 0)} relevant, "
            f"{c.get('articles_irrelevant', 0)} irrelevant), {c.get('skipped_known', 0)} known skipped"
            f"{extra}; errors: {errors}")


def do_crawl(verb, db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, debug=False) -> dict:
    from parindex import store
    from parindex.crawler.run import CrawlSetupError, crawl
    from parindex.crawler.sources import SourcesError

    level = {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")
    try:
        result = crawl(db_path, sources=sources, sites=sites, base=base, redis_url=redis_url,
                       idle_close=idle_close,
                       overrides={"PARINDEX_PROGRESS": True, "PARINDEX_PROGRESS_LABEL": f"parindex {verb}",
                                  **_settings(verb, overrides)},
                       log_level=level, debug=debug)
    except (SourcesError, store.StoreError, CrawlSetupError, FileNotFoundError) as err:
        fail(verb, err)
    for site, reason in result.get("failing", ()):
        say(verb, f"site {site}: {reason}")
    say(verb, f"crawl {summary_line(result)}")
    return result


def crawl_then_extract(verb, db_path, sources, sites, base, redis_url, idle_close, overrides,
                       verbose, jobs=None, debug=False) -> tuple[dict, dict]:
    """What `run` does (and `demo` on the bundled site): the crawl's result, the extraction's counts.
    jobs: extraction's worker processes (None: one per core)."""
    from parindex import store

    result = do_crawl(verb, db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, debug)
    # Imported only now: the extractor's language models take seconds to load, which a run
    # that failed at its start should not wait for.
    from parindex.extract.jobs import WorkerLost
    from parindex.pipeline import extract_new_pages

    def on_error(name, reason):
        if verbose:
            say(verb, f"{name}: {reason}")

    try:
        db = store.connect(db_path)
        try:
            done = extract_new_pages(db, progress=sys.stderr.isatty(), on_error=on_error, jobs=jobs,
                                     label=f"parindex {verb}")
        finally:
            db.close()
    except (store.StoreError, WorkerLost) as err:
        fail(verb, err)
    say(verb, f"extract run {done['run_id']}: {done['pages']} pages, {done['pages_extracted']} extracted, "
              f"{done['facts_new']} new facts, {done['pages_failed']} not articles")
    return result, done


@click.command()
@db_option()
@crawl_options
def crawl(db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, debug):
    """Fetch new pages of the news sites into the database (pages table).

    \b
        parindex crawl --db parindex.db                    # every site of crawler/sources.toml
        parindex crawl --db parindex.db --site baotayninh  # one site
        parindex crawl --db parindex.db --redis redis://10.0.0.5:6379/0   # share the work

    Listings, feeds and sitemaps are read every time (conditionally); a known article is never
    fetched again. Exit status 1 when the crawl itself failed (bad sources file or database,
    interrupted); pages that fail are counted in the run and the crawl goes on.
    """
    result = do_crawl("crawl", db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, debug)
    sys.exit(0 if result["status"] == "ok" else 1)


@click.command()
@db_option()
@crawl_options
@jobs_option
def run(db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, debug, jobs):
    """Crawl, then extract the facts of the pages that are new or changed.

    \b
        parindex run --db parindex.db
        parindex run --db demo.db --sources corpus     # the bundled offline site, in seconds
    """
    result, _ = crawl_then_extract("run", db_path, sources, sites, base, redis_url, idle_close, overrides,
                                   verbose, jobs, debug)
    sys.exit(0 if result["status"] == "ok" else 1)


UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """"6h" -> 21600, "1h30m" -> 5400, "90s", "2d", "0.5s"; a bare number is seconds."""
    text = (text or "").strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)([smhd])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{text!r} is not an interval: use a number with s, m, h or d (6h, 30m, 1h30m)")
    seconds = sum(float(n) * UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r}: the interval must be longer than zero")
    return seconds


def jittered(seconds: float, jitter: float, rnd=random) -> float:
    """Spread runs so many installations do not hit a site at the same minute."""
    return max(0.0, seconds * (1 + rnd.uniform(-jitter, jitter)))


def wait_after_run(interval: float, jitter: float, run_seconds: float, rnd=random) -> float:
    """How long to sleep after a run so that runs START `interval` apart (give or take the
    jitter): a run that took longer than that is followed by the next one at once."""
    return max(0.0, jittered(interval, jitter, rnd) - run_seconds)


def _stamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_command(db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, jobs=None,
                debug=False) -> list:
    """`parindex run` with these options, as a command line for a fresh process (Scrapy's
    reactor cannot be started twice in one). `-P`: the working folder is not put on the
    module path, so a user's own extract.py or parindex.py there is never run instead."""
    args = [sys.executable, "-P", "-m", "parindex", "run", "--db", str(db_path)]
    if sources:
        args += ["--sources", str(sources)]
    for site in sites:
        args += ["--site", site]
    if base:
        args += ["--base", base]
    if redis_url:
        args += ["--redis", redis_url, "--idle-close", str(idle_close)]
    for pair in overrides:
        args += ["--set", pair]
    if verbose:
        args.append("-" + "v" * verbose)
    if debug:
        args.append("--debug")
    if jobs:
        args += ["--jobs", str(jobs)]
    return args


@click.command()
@db_option()
@click.option("--every", "every", default="6h", show_default=True,
              help="Time between the starts of two runs: 90s, 30m, 6h, 1d, 1h30m.")
@click.option("--jitter", default=0.1, show_default=True, type=click.FloatRange(0, 0.9),
              help="Vary each wait by up to this fraction of the interval.")
@click.option("--max-runs", default=0, type=click.IntRange(0),
              help="Stop after this many runs (0: until stopped).")
@crawl_options
@jobs_option
def watch(db_path, every, jitter, max_runs, sources, sites, base, redis_url, idle_close, overrides, verbose, debug,
          jobs):
    """Run (crawl, then extract) now, then again each interval after the last start, until stopped.

    \b
        parindex watch --db parindex.db --every 6h

    A run that takes longer than the interval is followed by the next one at once. A failed
    run is logged and the next one still happens. SIGTERM or Ctrl-C stops the
    watch once the current run has finished (a second Ctrl-C stops that run too).
    """
    try:
        interval = parse_interval(every)
    except ValueError as err:
        fail("watch", f"--every {err}")
    stop = threading.Event()

    def request_stop(signum, frame):
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        click.echo(f"{_stamp()} parindex watch: {signal.Signals(signum).name}: stopping after the current step",
                   err=True)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    command = run_command(db_path, sources, sites, base, redis_url, idle_close, overrides, verbose, jobs,
                          debug=debug)
    runs = 0
    while not stop.is_set():
        runs += 1
        click.echo(f"{_stamp()} parindex watch: run {runs} starting", err=True)
        started = time.monotonic()
        # Its own session: a terminal's Ctrl-C reaches the watch, which lets the run finish.
        child = subprocess.Popen(command, start_new_session=True)
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:
                child.send_signal(signal.SIGINT)
        outcome = "ok" if code == 0 else f"failed (exit status {code}); the next run still happens"
        click.echo(f"{_stamp()} parindex watch: run {runs} {outcome}", err=True)
        if max_runs and runs >= max_runs:
            break
        # --every is the time between two starts: the run's own time is part of it.
        wait = wait_after_run(interval, jitter, time.monotonic() - started)
        if not stop.is_set():
            click.echo(f"{_stamp()} parindex watch: next run in {wait:.0f}s", err=True)
        stop.wait(wait)
    click.echo(f"{_stamp()} parindex watch: stopped after {runs} run(s)", err=True)


COMMANDS = [crawl, run, watch]
