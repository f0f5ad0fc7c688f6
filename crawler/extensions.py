"""Scrapy extensions: the `runs` row of each crawl, and stopping when a shared queue stays empty."""
import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

from parindex import store

logger = logging.getLogger(__name__)

# Scrapy stats copied into the run's counts, under shorter names.
SCRAPY_COUNTS = {"downloader/request_count": "requests", "downloader/response_count": "responses",
                 "retry/count": "retries"}


def run_summary(stats: dict) -> tuple[dict, dict]:
    """(counts, errors) of a crawl from Scrapy's stats: what the runs row records."""
    counts = {name: stats.get(key, 0) for key, name in SCRAPY_COUNTS.items()}
    errors = {}
    for key, value in stats.items():
        if key.startswith("parindex/errors/"):
            errors[key.removeprefix("parindex/errors/")] = value
        elif key.startswith("parindex/"):
            counts[key.removeprefix("parindex/")] = value
    for name in ("pages_stored", "articles_relevant", "articles_irrelevant", "skipped_known"):
        counts.setdefault(name, 0)
    counts["finish_reason"] = stats.get("finish_reason")
    return counts, errors


def run_status(counts: dict, errors: dict) -> str:
    """ok, or failed: stopped before the end, or nothing at all could be fetched."""
    if counts.get("finish_reason") != "finished":
        return "failed"
    if errors and not counts.get("responses"):
        return "failed"
    return "ok"


class RunRecorder:
    """One `runs` row per crawl: `running` at the start, its counts and errors at the end.
    A crawl killed outright stays `running`: the log then shows it never finished."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.run_id = None
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.db = store.connect(self.crawler.settings.get("PARINDEX_DB"))
        self.run_id = store.runs.start_run(self.db, "crawl", source=",".join(spider.sites))
        self.crawler.stats.set_value("parindex/run_id", self.run_id)

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        counts, errors = run_summary(stats)
        counts.pop("run_id", None)
        status = run_status(counts, errors)
        try:
            store.runs.finish_run(self.db, self.run_id, status, counts, errors)
        except store.StoreError as err:
            # The failure that stopped the crawl may refuse this last write too: the row
            # then stays `running`, which says the same.
            logger.error("%s", err)
        finally:
            self.db.close()


class IdleClose:
    """Keep a spider that shares its queue (scrapy-redis) open until the queue has been empty
    for PARINDEX_IDLE_CLOSE seconds: another process may still add to it."""

    POLL_SECONDS = 1.0

    def __init__(self, crawler, seconds):
        self.crawler = crawler
        self.seconds = seconds
        self.idle_since = None

    @classmethod
    def from_crawler(cls, crawler):
        seconds = crawler.settings.getfloat("PARINDEX_IDLE_CLOSE")
        if seconds <= 0:
            raise NotConfigured
        ext = cls(crawler, seconds)
        crawler.signals.connect(ext.busy, signal=signals.request_scheduled)
        crawler.signals.connect(ext.busy, signal=signals.response_received)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        return ext

    def busy(self, *args, **kwargs):
        self.idle_since = None

    def idle(self, spider):
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.seconds:
            # An idle engine looks at its scheduler again only every 5 s (its heartbeat);
            # another process may fill the shared queue any moment, so look sooner.
            from twisted.internet import reactor
            reactor.callLater(self.POLL_SECONDS, self.poll)
            raise DontCloseSpider

    def poll(self):
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()


class Progress:
    """What the crawl has done so far, on stderr: one line rewritten in place on a terminal,
    a plain line every PARINDEX_PROGRESS_EVERY seconds elsewhere (logs, cron mail)."""

    def __init__(self, crawler, stream, tty, every, label="parindex crawl"):
        self.crawler, self.stream, self.tty, self.every = crawler, stream, tty, every
        self.label = label  # the command the person typed: `parindex crawl` or `parindex run`
        self.started = time.monotonic()
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        import sys

        if not crawler.settings.getbool("PARINDEX_PROGRESS"):
            raise NotConfigured
        tty = sys.stderr.isatty()
        every = 0.5 if tty else crawler.settings.getfloat("PARINDEX_PROGRESS_EVERY", 10.0)
        ext = cls(crawler, sys.stderr, tty, every,
                  crawler.settings.get("PARINDEX_PROGRESS_LABEL") or "parindex crawl")
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats
        elapsed = max(time.monotonic() - self.started, 1e-9)
        done = stats.get_value("downloader/response_count", 0)
        return (f"{self.label}: {done} pages fetched, {stats.get_value('parindex/pages_stored', 0)} stored, "
                f"{stats.get_value('parindex/skipped_known', 0)} known skipped, "
                f"{done / elapsed * 60:.0f} pages/min")

    def show(self):
        if self.tty:
            self.stream.write("\r" + self.line() + "\033[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def opened(self, spider):
        from twisted.internet import task

        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.every, now=False)

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.tty and time.monotonic() - self.started >= self.every:
            self.stream.write("\r\033[K")
            self.stream.flush()
