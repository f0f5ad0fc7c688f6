"""Crawl speed: pages per minute of a bare Scrapy spider and of `parindex crawl` (storing every
page and running the relevance test), one after the other in this process, on the same local
test site. The figure that matters is the ratio (target >= 0.7); absolute numbers depend on
the machine.

    .venv/bin/python bench/crawl.py [--articles 2000] [--rounds 3] [--generic]

--generic crawls the site with no article or listing pattern in its sources table: every
link is classified by the generic rules (crawler/classify.py), and every article fetched on
such a guess is looked at once more (crawler/pagekind.py).
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

from parindex.crawler import settings as defaults
from parindex.crawler.run import scrapy_settings
from parindex.crawler.spiders.news import NewsSpider
from parindex.crawler.testsite import SOURCES


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


def rate(crawler, pages) -> float:
    return pages / crawler.stats.get_value("elapsed_time_seconds") * 60


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1,
                        help="Pairs of crawls; the order alternates (bare first, then parindex first).")
    parser.add_argument("--generic", action="store_true",
                        help="No article or listing pattern in the sources table: the generic rules decide.")
    args = parser.parse_args()
    # The site runs in a process of its own: in this one it would take the crawler's CPU.
    # For the generic rules the home page's links read like headlines, as on a real site.
    server = subprocess.Popen([sys.executable, "-m", "parindex.crawler.testsite", str(args.articles)]
                              + (["headlines"] if args.generic else []), stdout=subprocess.PIPE, text=True)
    base = server.stdout.readline().strip()
    results = []   # (round, bare pages, bare rate, parindex pages, parindex rate)
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        text = SOURCES
        if args.generic:
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith(("article =", "listing =", "           '"))) + "\n"
        sources.write_text(text + f"max_pages = {args.articles * 2}\n", encoding="utf-8")
        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
        from twisted.internet import reactor

        from parindex import store

        configure_logging(settings_for_bare())

        @defer.inlineCallbacks
        def bare():
            runner = CrawlerRunner(settings_for_bare())
            crawler = runner.create_crawler(BareSpider)
            yield runner.crawl(crawler, base=base)
            pages = crawler.stats.get_value("bench/pages", 0)
            return pages, rate(crawler, pages)

        @defer.inlineCallbacks
        def ours(number):
            db = Path(tmp) / f"bench{number}.db"   # empty every time: nothing is known yet
            store.connect(db).close()
            runner = CrawlerRunner(scrapy_settings(db, sources=sources, base=base))
            crawler = runner.create_crawler(NewsSpider)
            yield runner.crawl(crawler)
            stats = crawler.stats
            pages = stats.get_value("parindex/articles_relevant", 0) + stats.get_value("parindex/articles_irrelevant", 0)
            return pages, rate(crawler, pages)

        @defer.inlineCallbacks
        def rounds():
            try:
                for number in range(args.rounds):
                    if number % 2 == 0:
                        b = yield bare()
                        o = yield ours(number)
                    else:
                        o = yield ours(number)
                        b = yield bare()
                    results.append((number + 1, *b, *o))
            finally:
                reactor.stop()

        reactor.callWhenRunning(rounds)
        reactor.run()
    server.terminate()
    server.wait()
    print(f"{'round':>5}  {'bare pages/min':>14}  {'parindex pages/min':>18}  {'ratio':>5}")
    for number, bare_pages, bare_rate, our_pages, our_rate in results:
        print(f"{number:>5}  {bare_rate:14.0f}  {our_rate:18.0f}  {our_rate / bare_rate:5.2f}"
              f"   ({bare_pages} and {our_pages} pages)")
    ratios = sorted(o / b for _, _, b, _, o in results)
    print(f"ratio parindex / bare (median of {len(ratios)}): {ratios[len(ratios) // 2]:.2f}  (target >= 0.7)")


if __name__ == "__main__":
    main()
