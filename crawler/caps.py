"""How many articles and listing pages a crawl has taken per site, against the caps of the
sources file (max_pages, max_listing_pages): counted in this process, or, when several
processes share one queue through Redis (`--redis`), counted once for all of them.

    caps = caps_for(settings)         # LocalCaps, or RedisCaps when the queue is shared
    caps.open()
    if caps.take("baotayninh", "listing", 100): ...  # False once 100 were taken by anyone
    caps.give_back("baotayninh", "listing")          # a request the shared seen-set dropped
    caps.close()

Articles are counted as they leave the scheduler (PageCap, a downloader middleware), so the
cap goes to the highest priorities; listing pages as they are scheduled.

In Redis the counters live under `parindex:caps:<site>:<what>` beside scrapy-redis's queue.
Each process registers itself on open; the last one to close deletes the counters, as the
queue is cleared, so the next crawl starts from zero. A counter also expires a day after
its last change, should every process be killed before it could clean up.
"""
from collections import Counter

from scrapy.exceptions import IgnoreRequest

PREFIX = "parindex:caps"
EXPIRE_SECONDS = 24 * 3600


class LocalCaps:
    shared = False

    def __init__(self):
        self.counts = Counter()

    def open(self):
        pass

    def close(self):
        pass

    def take(self, site: str, what: str, limit: int | None) -> bool:
        """Count one more; False (and nothing counted) when `limit` are taken already."""
        if limit is not None and self.counts[(site, what)] >= limit:
            return False
        self.counts[(site, what)] += 1
        return True

    def give_back(self, site: str, what: str) -> None:
        if self.counts[(site, what)] > 0:
            self.counts[(site, what)] -= 1

    def taken(self, site: str, what: str) -> int:
        return self.counts[(site, what)]


class RedisCaps:
    shared = True

    def __init__(self, url: str, prefix: str = PREFIX):
        import redis

        self.server = redis.Redis.from_url(url)
        self.prefix = prefix

    def key(self, site, what) -> str:
        return f"{self.prefix}:{site}:{what}"

    def open(self):
        processes = f"{self.prefix}:processes"
        self.server.incr(processes)
        self.server.expire(processes, EXPIRE_SECONDS)

    def close(self):
        left = self.server.decr(f"{self.prefix}:processes")
        if left <= 0:
            keys = list(self.server.scan_iter(match=f"{self.prefix}:*"))
            if keys:
                self.server.delete(*keys)

    def take(self, site: str, what: str, limit: int | None) -> bool:
        key = self.key(site, what)
        # INCR is atomic: two processes asking at once get different numbers.
        value = self.server.incr(key)
        self.server.expire(key, EXPIRE_SECONDS)
        if limit is not None and value > limit:
            self.server.decr(key)
            return False
        return True

    def give_back(self, site: str, what: str) -> None:
        self.server.decr(self.key(site, what))

    def taken(self, site: str, what: str) -> int:
        return int(self.server.get(self.key(site, what)) or 0)


def caps_for(settings):
    """RedisCaps when the crawl shares scrapy-redis's scheduler, else LocalCaps."""
    url = settings.get("REDIS_URL")
    if url and "scrapy_redis" in str(settings.get("SCHEDULER") or ""):
        return RedisCaps(url)
    return LocalCaps()


class OverCap(IgnoreRequest):
    """An article request dropped because its site's max_pages are all taken."""


class PageCap:
    """Downloader middleware: takes an article's place under its site's `max_pages` when the
    request leaves the scheduler, not when it is scheduled. The scheduler hands out the
    highest priority first (crawler/focus.py), so the cap is spent on the links that speak
    of the indexes, whatever order the pages listed them in."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = self.crawler.spider
        meta = request.meta
        sites = getattr(spider, "sites", None)
        if meta.get("kind") != "article" or meta.get("cap_taken") or not sites or meta.get("site") not in sites:
            return None
        site = sites[meta["site"]]
        if not spider.caps.take(site.key, "article", site.max_pages):
            raise OverCap(f"over the page cap of site {site.key!r} ({site.max_pages} articles a run)")
        meta["cap_taken"] = True    # a retry or a redirect of it does not take another place
        return None
