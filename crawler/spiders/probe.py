"""A short look at a new site (`parindex sources add URL`): its home page, robots.txt and the
sitemaps it names, /sitemap.xml, the feeds the home page announces (and those of its RSS
page), and the sections and tags whose names speak of the indexes. A dozen requests or so,
as politely as a crawl; nothing is stored. What it finds goes into the dict `found`:

    {"home": final URL, "name": ..., "status": 200, "robots": [sitemaps named],
     "sitemaps": [(url, how, type, entries)], "feeds": [(url, title, items, from the RSS page)],
     "sections": [(url, anchor, article links)], "error": None or why the home page failed}
"""
from urllib.parse import urljoin

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots

from parindex.crawler import discover, urls
from parindex.crawler.classify import ARTICLE, classify
from parindex.crawler.focus import speaks_of_indexes
from parindex.crawler.spiders import SeededSpider
from parindex.crawler.links import page_links
from parindex.crawler.pagekind import page_kind

MAX_SECTIONS = 6
MAX_FEEDS = 5


class ProbeSpider(SeededSpider):
    name = "probe"

    def __init__(self, url=None, found=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.found = found if found is not None else {}
        self.found.update({"home": None, "name": None, "status": None, "robots": [], "sitemaps": [], "feeds": [],
                           "sections": [], "error": None})
        self.asked = set()

    def ask(self, url, callback, **meta):
        if url in self.asked:
            return None
        self.asked.add(url)
        return scrapy.Request(url, callback=callback, errback=self.failed, meta=meta, dont_filter=True)

    def seed_requests(self):
        origin = urls.origin(self.url)
        yield self.ask(self.url, self.parse_home, what="home")
        yield self.ask(origin + "/robots.txt", self.parse_robots, what="robots")
        yield self.ask(origin + "/sitemap.xml", self.parse_sitemap, what="sitemap", how="/sitemap.xml")

    def failed(self, failure):
        meta = failure.request.meta
        if meta.get("what") == "home":
            if failure.check(HttpError):
                self.found["status"] = failure.value.response.status
                self.found["error"] = f"HTTP {failure.value.response.status}"
            else:
                text = str(failure.value).strip()
                self.found["error"] = text.splitlines()[0] if text else type(failure.value).__name__

    def parse_robots(self, response):
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            self.found["robots"].append(url)
            request = self.ask(url, self.parse_sitemap, what="sitemap", how="named in robots.txt")
            if request:
                yield request

    def parse_sitemap(self, response):
        size = discover.sitemap_size(response.body)
        if size:
            self.found["sitemaps"].append((response.url, response.meta["how"], *size))

    def parse_home(self, response):
        self.found.update(home=response.url, status=response.status)
        if not isinstance(response, scrapy.http.HtmlResponse):
            self.found["error"] = "the home page is not an HTML page"
            return
        self.found["name"] = discover.site_name(response.selector)
        links = page_links(response.selector)
        feeds = discover.feed_candidates(response.selector, links, response.url)
        for url in feeds[: MAX_FEEDS * 2]:
            request = self.ask(url, self.parse_feed, what="feed", title=None, listed=False)
            if request:
                yield request
        for url in discover.rss_index_pages(links, response.url)[:2]:
            request = self.ask(url, self.parse_rss_index, what="rss index")
            if request:
                yield request
        for url, anchor in discover.topic_sections(links, response.url)[: MAX_SECTIONS * 2]:
            request = self.ask(url, self.parse_section, what="section", anchor=anchor)
            if request:
                yield request

    def parse_rss_index(self, response):
        """A page that lists the site's feeds: those about the indexes, else the first ones."""
        if not isinstance(response, scrapy.http.HtmlResponse):
            return
        links = page_links(response.selector)
        feeds = discover.feed_candidates(response.selector, links, response.url)
        anchors = {urljoin(response.url, link.href): link.anchor for link in links}
        ranked = sorted(feeds, key=lambda u: not speaks_of_indexes(anchors.get(u), u))
        for url in ranked[:MAX_FEEDS]:
            request = self.ask(url, self.parse_feed, what="feed", title=anchors.get(url), listed=True)
            if request:
                yield request

    def parse_feed(self, response):
        items = discover.feed_items(response.body)
        if items:
            self.found["feeds"].append((response.url, response.meta.get("title"), items, response.meta.get("listed")))

    def parse_section(self, response):
        if not isinstance(response, scrapy.http.HtmlResponse) or page_kind(response.selector)[0] == ARTICLE:
            return   # an article behind a section's URL: not a start page
        articles = sum(1 for link in page_links(response.selector)
                       if discover.same_host(urljoin(response.url, link.href), response.url)
                       and classify(urljoin(response.url, link.href), link.anchor, link.place).kind == ARTICLE)
        if articles:
            self.found["sections"].append((response.url, response.meta.get("anchor"), articles))
