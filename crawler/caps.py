"""How many articles and listing pages a crawl has taken per site, against the caps of the
sources file (max_pages, max_listing_pages): counted in this process, or, when several
processes share one queue through Redis (`--redis`), counted once for all of them.

    caps = caps_for(settings)         # LocalCaps, or RedisCaps when the queue is shared
    caps.open()
    if caps.take("baotayninh", "article", 500): ...   # False once 500 were taken by anyone
    caps.give_back("baotayninh", "article")          # a request the shared seen-set dropped
    caps.close()

In Redis the counters live under `parindex:caps:<site>:<what>` beside scrapy-redis's queue.
Each process registers itself on open; the last one to close deletes the counters, as the
queue is cleared, so the next crawl starts from zero. A counter also expires a day after
its last change, should every process be killed before it could clean up.
"""
from collections import Counter

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
