"""Honour the `Crawl-delay` of a site's robots.txt: Scrapy reads the rules but not the delay.

Government portals set it, and mean it. For each host whose robots.txt gives our user agent
(or `*`) a Crawl-delay, its download slot waits at least that long between two requests:
no random jitter below it, whatever the concurrency, and AutoThrottle may lengthen the wait
but not shorten it. A delay over PARINDEX_CRAWL_DELAY_MAX seconds is held to that maximum
(a site asking for a day between pages would never be crawled) and said in the log.

Off when ROBOTSTXT_OBEY is off or PARINDEX_CRAWL_DELAY is False.
"""
import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class CrawlDelay:
    def __init__(self, crawler, user_agent: str, maximum: float):
        self.crawler = crawler
        self.user_agent = user_agent
        self.maximum = maximum
        self.delays: dict[str, float] = {}   # download slot (host) -> seconds

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY") or not settings.getbool("PARINDEX_CRAWL_DELAY", True):
            raise NotConfigured
        agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        ext = cls(crawler, agent, settings.getfloat("PARINDEX_CRAWL_DELAY_MAX", 60.0))
        crawler.signals.connect(ext.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(ext.apply, signal=signals.request_reached_downloader)
        # Connected after AutoThrottle's handler (extensions are built in order), so
        # whatever it made of the slot's delay is raised back to the site's minimum.
        crawler.signals.connect(ext.apply, signal=signals.response_downloaded)
        return ext

    def robots_parsed(self, robotparser, request):
        delay = robotparser.crawl_delay(request.headers.get(b"User-Agent") or self.user_agent)
        if not delay or delay <= 0:
            return
        host = urlparse_cached(request).hostname or ""
        if delay > self.maximum:
            logger.warning("%s asks for a Crawl-delay of %s s; waiting %s s between its pages",
                           host, delay, self.maximum)
            delay = self.maximum
        self.delays[host] = float(delay)
        self.crawler.stats.set_value(f"parindex/crawl_delay/{host}", float(delay))

    def apply(self, request, spider=None, response=None):
        """Before a request joins its slot's queue (and after every response): the slot of a
        host with a Crawl-delay waits at least that long, without jitter below it."""
        downloader = self.crawler.engine.downloader
        key = request.meta.get(downloader.DOWNLOAD_SLOT) or downloader.get_slot_key(request)
        delay = self.delays.get(key)
        slot = downloader.slots.get(key)
        if delay is None or slot is None:
            return
        if slot.delay < delay:
            slot.delay = delay
        slot.jitter = 0.0
