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


def scrapy_settings(db_path, *, sources, sites=(), base=None, redis_url=None, idle_close=30,
                    overrides=None, log_level="WARNING"):
    """The Scrapy settings of one crawl; the sources file is checked here (SourcesError)."""
    from scrapy.settings import Settings

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
          overrides=None, log_level="WARNING") -> dict:
    """Crawl the chosen sites into the database; return the run's id, status, counts, errors.

    Raises SourcesError (sources file), store.StoreError (database) or CrawlSetupError (Redis)
    before any request.
    """
    from scrapy.crawler import CrawlerProcess

    from parindex.crawler.spiders.news import NewsSpider

    store.connect(db_path).close()  # refuse a bad database before Scrapy starts
    if redis_url:
        check_redis(redis_url)
    with resolve_sources(sources, base) as (path, origin):
        settings = scrapy_settings(db_path, sources=path, sites=sites, base=origin, redis_url=redis_url,
                                   idle_close=idle_close, overrides=overrides, log_level=log_level)
        with scrapy_logging(log_level):
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(NewsSpider)
            process.crawl(crawler)
            process.start()
    try:
        stats = crawler.stats.get_stats()
    except RuntimeError:  # the crawl never started (its own error is in the log)
        stats = {}
    counts, errors = run_summary(stats)
    run_id = counts.pop("run_id", None)
    if run_id is None:
        # The spider never opened (its own error is in the log).
        return {"run_id": None, "status": "failed", "counts": counts, "errors": errors}
    return {"run_id": run_id, "status": run_status(counts, errors), "counts": counts, "errors": errors}




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
        for handler, handler_level in zip(saved_handlers, saved_handler_levels):
            handler.setLevel(handler_level)
        root.setLevel(saved_level)
