"""Items -> the pages table, one transaction per page (so a kill loses at most the page in hand)."""
import logging

from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter
from scrapy.utils.defer import deferred_from_coro

from parindex import store

logger = logging.getLogger(__name__)


class StorePipeline:
    """Keeps each page in the database of PARINDEX_DB, through a connection of its own."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.failure = None
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.db = store.connect(self.crawler.settings.get("PARINDEX_DB"))

    def close_spider(self, spider=None):
        if self.db is not None:
            self.db.close()

    def process_item(self, item, spider=None):
        if self.failure:
            raise DropItem(f"not stored: {self.failure}")
        try:
            store.pages.save_page(self.db, item["url"], final_url=item["final_url"],
                                  source=item["source"], kind=item["kind"], status=item["status"],
                                  content_type=item["content_type"], body=item["body"], etag=item["etag"],
                                  last_modified=item["last_modified"], relevant=item["relevant"],
                                  error=item["error"])
        except store.StoreError as err:
            # Disk full, file gone read-only: every further page would fail alike, and
            # fetching them would only mark them as seen by nobody. Stop the crawl.
            self.stop(err)
            raise DropItem(f"not stored: {err}") from None
        self.crawler.stats.inc_value("parindex/pages_stored")
        return item

    def stop(self, err):
        self.failure = str(err)
        logger.error("%s", err)
        self.crawler.stats.inc_value("parindex/errors/store")
        engine = self.crawler.engine
        if hasattr(engine, "close_spider_async"):
            deferred_from_coro(engine.close_spider_async(reason="store_error"))
        else:  # Scrapy < 2.13
            engine.close_spider(self.crawler.spider, "store_error")


class PageLogFormatter(LogFormatter):
    """Log a page by its URL, not as a dict with its whole body in it."""

    def scraped(self, item, response, spider):
        entry = super().scraped(item, response, spider)
        entry["msg"], entry["args"] = "Stored %(url)s", {"url": _url(item)}
        return entry

    def dropped(self, item, exception, response, spider=None):
        entry = super().dropped(item, exception, response, spider)
        # One line per page, and only the first after a store failure says why.
        entry["level"] = logging.DEBUG if "not stored" in str(exception) else entry["level"]
        entry["msg"], entry["args"] = "Not stored: %(url)s: %(exception)s", {"url": _url(item), "exception": exception}
        return entry


def _url(item):
    return item.get("final_url") or item.get("url") if isinstance(item, dict) else repr(item)
