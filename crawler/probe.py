"""Look at a new site once, with Scrapy, and say what a crawl of it should start from.

    from parindex.crawler.probe import probe
    found = probe("https://baoxyz.vn/", user_agent="parindex/0.1 (+mailto:me@example.org)")
    found["home"], found["sitemaps"], found["feeds"], found["sections"], found["error"]

As polite as a crawl (robots.txt, its Crawl-delay, the delays meant for remote sites) and
short: a dozen requests. Twisted's reactor runs once per process, as for crawl().
"""
from urllib.parse import urlsplit

from parindex.crawler import settings as defaults
from parindex.crawler.run import LOCAL_HOSTS, check_overrides, run_quietly, scrapy_logging
from parindex.crawler.spiders.probe import MAX_FEEDS, MAX_SECTIONS, ProbeSpider


class ProbeError(Exception):
    """The site cannot be looked at (its home page does not answer): one line."""


def probe_settings(url: str, user_agent: str, overrides=None, log_level="WARNING"):
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule(defaults, priority="project")
    settings.set("USER_AGENT", user_agent)
    settings.set("LOG_LEVEL", log_level)
    # Nothing is stored: no pipeline, no run row; the site's Crawl-delay is kept.
    settings.set("ITEM_PIPELINES", {})
    settings.set("EXTENSIONS", {"parindex.crawler.crawldelay.CrawlDelay": 530})
    settings.set("RETRY_TIMES", 1)
    settings.set("DOWNLOAD_TIMEOUT", 20)
    if urlsplit(url).hostname in LOCAL_HOSTS:
        settings.update(defaults.LOCAL_SETTINGS)
    settings.update(check_overrides(overrides), priority="cmdline")
    return settings


def probe(url: str, *, user_agent: str, overrides=None, log_level="WARNING") -> dict:
    """What the site offers: see crawler/spiders/probe.py. Raises ProbeError when its home
    page cannot be fetched."""
    from scrapy.crawler import CrawlerProcess

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProbeError(f"{url}: not an http(s) URL")
    found = {}
    with scrapy_logging(log_level):
        process = CrawlerProcess(probe_settings(url, user_agent, overrides, log_level))
        run_quietly(process, process.create_crawler(ProbeSpider), log_level, False, url=url, found=found)
    if not found.get("home"):
        raise ProbeError(f"{url}: the home page cannot be fetched: {found.get('error') or 'no answer'}")
    return chosen(found)


def chosen(found: dict) -> dict:
    """Keep what a crawl should start from: every sitemap (once), the feeds the home page
    announces and those about the indexes, the sections about the indexes."""
    from parindex.crawler.focus import speaks_of_indexes

    named = set(found["robots"])
    sitemaps = list({url: (url, "named in robots.txt" if url in named else how, kind, n)
                     for url, how, kind, n in found["sitemaps"]}.values())
    # The home page's own feeds; of a page listing a feed per section, those about the
    # indexes (or the first, when none is).
    home = [f for f in found["feeds"] if not f[3]]
    listed = [f for f in found["feeds"] if f[3]]
    about = [f for f in listed if speaks_of_indexes(f[1], f[0])]
    feeds = (home + (about or listed[:1]))[:MAX_FEEDS]
    sections = found["sections"][:MAX_SECTIONS]
    return {**found, "sitemaps": sitemaps, "feeds": feeds, "sections": sections}
