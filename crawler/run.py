"""Run a crawl from Python, in this process (Scrapy's CrawlerProcess).

    from parindex.crawler.run import crawl
    summary = crawl("parindex.db", sites=["baotayninh"])
    summary = crawl("demo.db", sources="corpus")        # the bundled site, served on 127.0.0.1
    # -> {"run_id", "status", "counts": {...}, "errors": {...}}

Twisted's reactor runs once per process: call crawl() once, or in a fresh process each time
(`parindex watch` does the latter).
"""
import contextlib
import logging

from parindex import store
from parindex.crawler import settings as defaults
from parindex.crawler.extensions import run_status, run_summary
from parindex.crawler.localsite import CORPUS_SITE, CORPUS_SOURCES, serve_folder
from parindex.crawler.sources import DEFAULT_PATH, load_sources

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class CrawlSetupError(Exception):
    """Something the crawl needs is not there (a Redis server...): one line, fit for stderr."""


def check_redis(url: str) -> None:
    """Fail before the crawl, in one line, when the shared queue cannot be reached."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except ValueError as err:
        raise CrawlSetupError(f"--redis {url}: not a Redis URL ({err})") from None
    except redis.RedisError as err:
        raise CrawlSetupError(f"--redis {url}: cannot reach Redis: {str(err).splitlines()[0]}") from None


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
# Settings in seconds are read as decimals, whatever the type of their default.
_SECONDS = ("_DELAY", "_TIMEOUT", "_DELAY_MAX", "_EVERY", "_SECONDS", "_INTERVAL")


def check_overrides(overrides) -> dict:
    """Scrapy settings given on the command line (`--set NAME=VALUE`), each checked against
    the type of its default: a value Scrapy cannot read fails here, in one line, instead of
    as a traceback from inside Twisted once the crawl has started. Settings Scrapy does not
    know (an extension's own) pass as they are."""
    import json

    from scrapy.settings import default_settings

    out = {}
    for name, value in dict(overrides or {}).items():
        default = getattr(defaults, name, getattr(default_settings, name, None))
        text = str(value).strip()
        where = f"--set {name}={value}"
        if isinstance(default, bool):
            if text.lower() not in _TRUE | _FALSE:
                raise CrawlSetupError(f"{where}: expected true or false")
        elif isinstance(default, (int, float)):
            try:
                number = float(text)
            except ValueError:
                raise CrawlSetupError(f"{where}: not a number") from None
            if number < 0:
                raise CrawlSetupError(f"{where}: must not be negative")
            if isinstance(default, int) and not name.endswith(_SECONDS) and number != int(number):
                raise CrawlSetupError(f"{where}: expected a whole number")
        elif isinstance(default, dict):
            try:
                if not isinstance(json.loads(text), dict):
                    raise ValueError
            except ValueError:
                raise CrawlSetupError(f"{where}: expected a JSON object") from None
        out[name] = value
    return out


def scrapy_settings(db_path, *, sources, sites=(), base=None, redis_url=None, idle_close=30,
                    overrides=None, log_level="WARNING"):
    """The Scrapy settings of one crawl; the sources file is checked here (SourcesError), and
    the command line's settings (CrawlSetupError)."""
    from scrapy.settings import Settings

    overrides = check_overrides(overrides)
    config = load_sources(sources, base=base)
    chosen = config.select(list(sites))
    settings = Settings()
    settings.setmodule(defaults, priority="project")
    settings.set("PARINDEX_DB", str(db_path))
    settings.set("PARINDEX_SOURCES", str(sources))
    settings.set("PARINDEX_SITES", list(sites))
    settings.set("PARINDEX_BASE", base)
    settings.set("USER_AGENT", config.user_agent)
    settings.set("LOG_LEVEL", log_level)
    if all(set(site.domains) <= LOCAL_HOSTS for site in chosen):
        settings.update(defaults.LOCAL_SETTINGS)
    if redis_url:
        settings.update(defaults.redis_settings(redis_url, idle_close))
    settings.update(dict(overrides or {}), priority="cmdline")
    return settings


@contextlib.contextmanager
def resolve_sources(sources, base=None):
    """("corpus" | path | None, base) -> (sources file, base URL) for the length of the crawl.
    "corpus" serves the bundled site on a free port of 127.0.0.1 meanwhile."""
    if sources == "corpus":
        with serve_folder(CORPUS_SITE) as origin:
            yield CORPUS_SOURCES, origin
    else:
        yield (sources or DEFAULT_PATH), base


def crawl(db_path, *, sources=None, sites=(), base=None, redis_url=None, idle_close=30,
          overrides=None, log_level="WARNING", debug=False) -> dict:
    """Crawl the chosen sites into the database; return the run's id, status, counts, errors,
    and the sites that failed (`failing`: one (site, reason) each: none of its pages answered).

    Raises SourcesError (sources file), store.StoreError (database) or CrawlSetupError (Redis,
    a --set value) before any request. The log holds no traceback unless `debug`.
    """
    from scrapy.crawler import CrawlerProcess

    from parindex.crawler.spiders.news import NewsSpider

    store.connect(db_path).close()  # refuse a bad database before Scrapy starts
    if redis_url:
        check_redis(redis_url)
    with resolve_sources(sources, base) as (path, origin):
        settings = scrapy_settings(db_path, sources=path, sites=sites, base=origin, redis_url=redis_url,
                                   idle_close=idle_close, overrides=overrides,
                                   log_level="DEBUG" if debug else log_level)
        with scrapy_logging(log_level):
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(NewsSpider)
            run_quietly(process, crawler, log_level, debug)
    try:
        stats = crawler.stats.get_stats()
    except RuntimeError:  # the crawl never started (its own error is in the log)
        stats = {}
    counts, errors = run_summary(stats)
    run_id = counts.pop("run_id", None)
    failing = failing_sites(counts.get("sites") or {})
    if run_id is None:
        # The spider never opened (its own error is in the log).
        return {"run_id": None, "status": "failed", "counts": counts, "errors": errors, "failing": failing}
    return {"run_id": run_id, "status": run_status(counts, errors), "counts": counts, "errors": errors,
            "failing": failing}


def failing_sites(figures: dict) -> list[tuple[str, str]]:
    """(site, reason) of each site none of whose pages answered, the reason its most
    frequent error: "dns: DNS lookup failed: no results for hostname lookup: bao.vn (3 requests)"."""
    out = []
    for site, done in sorted(figures.items()):
        if not done.get("requests") or done.get("answered"):
            continue
        errors = done.get("errors") or {}
        messages = done.get("messages") or {}
        if errors:
            kind = max(errors, key=lambda k: (errors[k], k))
            reason = f"{kind}: {messages.get(kind, kind)}"
        elif "forbidden" in messages:
            reason = "every page asked for is forbidden by robots.txt"
        else:
            reason = "no page answered"
        requests = done["requests"]
        out.append((site, f"{reason} ({requests} request{'s' if requests != 1 else ''}, none answered)"))
    return out


class QuietFilter(logging.Filter):
    """The log of a crawl as a person reads it: no traceback (a one-line reason is in the
    record), and at the default level no line per failed page (each site that failed gets
    one line at the end, with the count of its errors). `--debug` shows everything."""

    # Scrapy's own lines for a page that failed: the spider counts the same failures.
    PER_PAGE = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt",
                "scrapy.core.scraper", "scrapy.core.engine")

    def __init__(self, per_page: bool):
        super().__init__()
        self.per_page = per_page

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.per_page and record.name.startswith(self.PER_PAGE) and record.levelno < logging.CRITICAL:
            return False
        if record.name.startswith("twisted") and "\n" in str(record.msg):
            # A Twisted failure arrives as its traceback in the text: its first and last lines.
            lines = [line for line in record.getMessage().splitlines() if line.strip()]
            record.msg, record.args = " ".join(dict.fromkeys([lines[0], lines[-1]])), ()
        if record.exc_info or record.exc_text:
            error = record.exc_info[1] if record.exc_info else None
            record.exc_info, record.exc_text, record.stack_info = None, None, None
            message = record.getMessage().splitlines()[0] if record.getMessage() else ""
            detail = str(error).strip().splitlines()[0] if error is not None and str(error).strip() else ""
            record.msg, record.args = (f"{message}: {detail}" if detail and detail not in message else message), ()
        return True


def run_quietly(process, crawler, log_level: str, debug: bool, **spider_args) -> None:
    """Run `crawler` in `process` with QuietFilter on Scrapy's log handler, the one of the
    process and the one the crawler installs as it starts."""
    from scrapy import signals

    quiet_handlers(log_level, debug)
    crawler.signals.connect(lambda *args, **kwargs: quiet_handlers(log_level, debug),
                            signal=signals.spider_opened, weak=False)
    process.crawl(crawler, **spider_args)
    process.start()


def quiet_handlers(log_level: str, debug: bool) -> None:
    """Put QuietFilter on the handler Scrapy just installed on the root logger (not in debug)."""
    if debug:
        return
    per_page = logging.getLevelName(log_level) <= logging.INFO if isinstance(log_level, str) else True
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, QuietFilter) for f in handler.filters):
            handler.addFilter(QuietFilter(per_page))




@contextlib.contextmanager
def scrapy_logging(level: str):
    """Scrapy opens the root logger to every level for its own handler. A handler some
    library installed at import (underthesea calls logging.basicConfig) would then print
    every debug line of every library: hold those to `level`, and put the root logger
    back as it was afterwards, for the extraction that follows in `parindex run`."""
    root = logging.getLogger()
    saved_level, saved_handlers = root.level, list(root.handlers)
    saved_handler_levels = [h.level for h in saved_handlers]
    for handler in saved_handlers:
        if handler.level == logging.NOTSET:
            handler.setLevel(level)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            if handler not in saved_handlers:
                root.removeHandler(handler)
            for found in [f for f in handler.filters if isinstance(f, QuietFilter)]:
                handler.removeFilter(found)
        for handler, handler_level in zip(saved_handlers, saved_handler_levels):
            handler.setLevel(handler_level)
        root.setLevel(saved_level)
