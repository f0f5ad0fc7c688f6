"""Crawl speed: pages per minute of a bare Scrapy spider and of `parindex crawl` (storing every
page and running the relevance test), one after the other in this process, on the same local
test site. The figure that matters is the ratio (target >= 0.7); absolute numbers depend on
the machine.

    .venv/bin/python bench/crawl.py [--articles 2000]
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.log import configure_logging
from scrapy.utils.reactor import install_reactor
from twisted.internet import defer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler import settings as defaults  # noqa: E402
from crawler.run import scrapy_settings  # noqa: E402
from crawler.spiders.news import NewsSpider  # noqa: E402
from crawler.testsite import SOURCES  # noqa: E402


class BareSpider(scrapy.Spider):
    """The baseline: the same links followed, nothing kept, nothing judged."""
    name = "bare"

    def __init__(self, base, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base

    async def start(self):
        for path in ("/", "/rss.xml", "/sitemap.xml"):
            yield scrapy.Request(self.base + path, callback=self.parse if path == "/" else self.ignore)

    def parse(self, response):
        for href in response.xpath("//a/@href").getall():
            if "-a" in href:
                yield response.follow(href, callback=self.ignore)

    def ignore(self, response):
        self.crawler.stats.inc_value("bench/pages")


def settings_for_bare() -> Settings:
    """Scrapy's defaults with the same limits and politeness as ours, and none of our parts."""
    settings = Settings()
    for name in ("ROBOTSTXT_OBEY", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "RETRY_TIMES", "COOKIES_ENABLED",
                 "TELNETCONSOLE_ENABLED", "REMOTE_CONTROL_ENABLED"):
        settings.set(name, getattr(defaults, name))
    settings.update(defaults.LOCAL_SETTINGS)
    settings.set("LOG_LEVEL", "WARNING")
    return settings


def pages_per_minute(crawler, pages_key) -> tuple[int, float]:
    stats = crawler.stats.get_stats()
    pages = stats.get(pages_key, 0)
    return pages, pages / stats["elapsed_time_seconds"] * 60


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    # The site runs in a process of its own: in this one it would take the crawler's CPU.
    server = subprocess.Popen([sys.executable, "-m", "crawler.testsite", str(args.articles)],
                              stdout=subprocess.PIPE, text=True)
    base = server.stdout.readline().strip()
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        sources.write_text(SOURCES + f"max_pages = {args.articles * 2}\n", encoding="utf-8")
        ours = scrapy_settings(Path(tmp) / "bench.db", sources=sources, base=base)
        import store
        store.connect(Path(tmp) / "bench.db").close()
        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
        from twisted.internet import reactor
        configure_logging(ours)
        crawlers = {}

        @defer.inlineCallbacks
        def one_after_the_other():
            try:
                bare_runner, news_runner = CrawlerRunner(settings_for_bare()), CrawlerRunner(ours)
                crawlers["bare"] = bare_runner.create_crawler(BareSpider)
                yield bare_runner.crawl(crawlers["bare"], base=base)
                crawlers["news"] = news_runner.create_crawler(NewsSpider)
                yield news_runner.crawl(crawlers["news"])
            finally:
                reactor.stop()

        reactor.callWhenRunning(one_after_the_other)
        reactor.run()
        bare_pages, bare_rate = pages_per_minute(crawlers["bare"], "bench/pages")
        stats = crawlers["news"].stats.get_stats()
        news_pages = stats.get("parindex/articles_relevant", 0) + stats.get("parindex/articles_irrelevant", 0)
        news_rate = news_pages / stats["elapsed_time_seconds"] * 60
    server.terminate()
    server.wait()
    print(f"bare Scrapy spider:                  {bare_pages:6d} pages  {bare_rate:9.0f} pages/min")
    print(f"parindex crawl (store + relevance):  {news_pages:6d} pages  {news_rate:9.0f} pages/min")
    print(f"ratio parindex / bare:               {news_rate / bare_rate:.2f}  (target >= 0.7)")


if __name__ == "__main__":
    main()
