"""The one spider: every site of the sources file, discovered through its listings,
sitemaps and feeds.

    scrapy crawl news -a site=baotayninh -s PARINDEX_DB=../parindex.db    (inside crawler/)
    parindex crawl --db parindex.db --site baotayninh                      (the same, via the CLI)

Scrapy schedules, throttles, retries, follows redirects and obeys robots.txt; this spider
only decides what to fetch (canonical URL not yet stored, under the site's page cap) and
what a response is (listing, feed, sitemap, article; relevant or not). Items go to
crawler.pipelines.StorePipeline; counts go to Scrapy's stats under "parindex/".
"""
from collections import Counter
from urllib.parse import urlsplit

import scrapy
import scrapy.exceptions
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.defer import CancelledError
from twisted.internet.error import (ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
                                    TimeoutError)

from parindex import store
from parindex.crawler import failures
from parindex.crawler.relevance import is_relevant, page_text
from parindex.crawler.sources import DEFAULT_PATH, load_sources
from parindex.crawler.urls import canonical

# Recent Scrapy wraps Twisted's errors in its own; older versions raise Twisted's.
TIMEOUT_ERRORS = tuple(e for e in (TimeoutError, TCPTimedOutError,
                                   getattr(scrapy.exceptions, "DownloadTimeoutError", None)) if e)
TOO_LARGE_ERRORS = (getattr(scrapy.exceptions, "DownloadCancelledError", CancelledError),)
DNS_ERRORS = tuple(e for e in (DNSLookupError, getattr(scrapy.exceptions, "CannotResolveHostError", None)) if e)
REFUSED_ERRORS = tuple(e for e in (ConnectionRefusedError,
                                   getattr(scrapy.exceptions, "DownloadConnectionRefusedError", None)) if e)

# HTTP answers that will not change by asking again: the URL is remembered with its status.
PERMANENT_STATUSES = {400, 401, 403, 404, 405, 410, 451}


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, site=None, sources=None, base=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_arg = [s.strip() for s in (site or "").split(",") if s.strip()]
        self.sources_arg, self.base_arg = sources, base
        self.scheduled = Counter()   # articles requested per site in this run, for max_pages
        self.listings = Counter()    # listing pages requested per site in this run
        self.seen = set()            # canonical URLs already requested in this run

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        config = load_sources(spider.sources_arg or settings.get("PARINDEX_SOURCES") or DEFAULT_PATH,
                              base=spider.base_arg or settings.get("PARINDEX_BASE"))
        spider.config = config
        spider.sites = {s.key: s for s in config.select(spider.site_arg or settings.getlist("PARINDEX_SITES"))}
        spider.allowed_domains = sorted({d for s in spider.sites.values() for d in s.domains})
        # Its own connection, for what it asks before fetching (known? validators?); the
        # pipeline and the run recorder keep theirs. Each closes what it opened.
        spider.db = store.connect(settings.get("PARINDEX_DB"))
        crawler.signals.connect(spider.request_dropped, signal=scrapy.signals.request_dropped)
        crawler.signals.connect(spider.request_scheduled, signal=scrapy.signals.request_scheduled)
        return spider

    def closed(self, reason):
        self.db.close()

    @property
    def stats(self):
        return self.crawler.stats

    # ── what to fetch ───────────────────────────────────────────────────────

    async def start(self):
        for request in self.seed_requests():
            yield request

    def start_requests(self):  # Scrapy < 2.13
        yield from self.seed_requests()

    def seed_requests(self):
        for site in self.sites.values():
            if site.robots_sitemaps:
                for origin in sorted({_origin(u) for u in site.start + site.sitemaps + site.feeds}):
                    yield scrapy.Request(origin + "/robots.txt", callback=self.parse_robots, errback=self.failed,
                                         headers={"User-Agent": self.config.user_agent},
                                         meta={"site": site.key, "kind": "robots", "canonical": None})
            for kind, urls in (("feed", site.feeds), ("sitemap", site.sitemaps), ("listing", site.start)):
                for url in urls:
                    request = self.request(url, site, kind)
                    if request:
                        yield request

    def count(self, key, n=1):
        self.stats.inc_value(f"parindex/{key}", n)

    def request(self, url, site, kind, depth=0):
        """A request for `url` as `kind`, or None when it must not be fetched. `depth`: how
        many listing hops from a start page (0 for start pages, feeds and sitemaps)."""
        url = canonical(url, site.variants)
        key = site.page_key(url)
        if key in self.seen:
            return None
        self.seen.add(key)
        # The contact address from the sources file, on every request (robots.txt too).
        headers = {"User-Agent": self.config.user_agent}
        if kind == "article":
            if store.pages.is_known(self.db, key):
                self.count("skipped_known")
                return None
            if self.scheduled[site.key] >= site.max_pages:
                self.count("skipped_cap")
                return None
            self.scheduled[site.key] += 1
        else:
            if kind == "listing":
                self.listings[site.key] += 1
            # Listings, feeds and sitemaps change: asked again every run, conditionally.
            etag, last_modified = store.pages.validators(self.db, key)
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        callback = {"article": self.parse_article, "listing": self.parse_listing,
                    "feed": self.parse_feed, "sitemap": self.parse_sitemap}[kind]
        meta = {"site": site.key, "kind": kind, "canonical": key, "listing_depth": depth}
        if kind != "article":
            meta["handle_httpstatus_list"] = [304]
        return scrapy.Request(url, callback=callback, errback=self.failed, headers=headers, meta=meta)

    def is_new_article(self, url, site) -> bool:
        """Not requested in this run and not stored: what a listing page is worth following for."""
        key = site.page_key(canonical(url, site.variants))
        return key not in self.seen and not store.pages.is_known(self.db, key)

    def follow(self, urls, site, response, discovered_by):
        """Requests for the links of a listing, feed, sitemap (or article) that are articles
        or listings. Listing pages are capped per site and run (max_listing_pages) and in
        hops from a start page (max_listing_depth); and a listing page that is not a start
        page and brings no new article ends its chain: the pages after it are older still."""
        depth = response.meta.get("listing_depth", 0)
        new_articles, listings = 0, []
        for href in urls:
            href = (href or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            url = canonical(response.urljoin(href), site.variants)
            if not url.startswith(("http://", "https://")):
                continue
            if site.is_article(url):
                if self.is_new_article(url, site):
                    new_articles += 1
                request = self.request(url, site, "article", depth)
            elif discovered_by == "sitemap" and url.endswith((".xml", ".xml.gz")):
                request = self.request(url, site, "sitemap")
            elif discovered_by != "sitemap" and site.is_listing(url):
                listings.append(url)
                continue
            else:
                continue
            if request:
                yield request
        if not listings:
            return
        if discovered_by == "listing" and depth >= 1 and not new_articles:
            self.count("listing_chain_ended")
            return
        for url in listings:
            if depth + 1 > site.max_listing_depth:
                self.count("skipped_listing_depth")
                continue
            if self.listings[site.key] >= site.max_listing_pages:
                self.count("skipped_listing_cap")
                continue
            request = self.request(url, site, "listing", depth + 1)
            if request:
                yield request

    # ── what came back ──────────────────────────────────────────────────────

    def item(self, response, relevant=None, error=None, keep_body=True):
        meta = response.meta
        headers = response.headers
        return {
            "url": meta["canonical"], "final_url": response.url, "source": meta["site"],
            "kind": meta["kind"], "status": response.status,
            "content_type": _header(headers, b"Content-Type"),
            "body": response.body if keep_body else None,
            "etag": _header(headers, b"ETag"), "last_modified": _header(headers, b"Last-Modified"),
            "relevant": relevant, "error": error,
        }

    def unchanged_body(self, response):
        """A 304: the links are those of the copy stored last time."""
        self.count("not_modified")
        page_id = store.pages.get_page_id(self.db, response.meta["canonical"])
        body = store.pages.body(self.db, page_id) if page_id else None
        return body

    def parse_listing(self, response):
        site = self.sites[response.meta["site"]]
        if response.status == 304:
            body = self.unchanged_body(response)
            if not body:
                return
            response = HtmlResponse(response.url, body=body, request=response.request)
        else:
            self.count("listings")
            yield self.item(response)
        if not isinstance(response, TextResponse):
            return
        yield from self.follow(response.xpath("//a/@href").getall(), site, response, "listing")

    def parse_feed(self, response):
        site = self.sites[response.meta["site"]]
        if response.status == 304:
            body = self.unchanged_body(response)
            if not body:
                return
            response = scrapy.http.XmlResponse(response.url, body=body, request=response.request)
        else:
            self.count("feeds")
            yield self.item(response)
        selector = scrapy.Selector(text=response.body.decode(getattr(response, "encoding", "utf-8") or "utf-8",
                                                             "replace"), type="xml")
        selector.remove_namespaces()
        # RSS <link>, Atom <link href>; some feeds only carry a permalink <guid>.
        links = selector.xpath("//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
                               " | //item/guid[not(@isPermaLink='false')]/text()").getall()
        if not links:
            self.count_error("bad_feed")
            self.logger.warning("%s: not an RSS or Atom feed (no item links)", response.url)
        yield from self.follow(links, site, response, "feed")

    def parse_sitemap(self, response):
        site = self.sites[response.meta["site"]]
        if response.status == 304:
            body = self.unchanged_body(response)
            if not body:
                return
        else:
            self.count("sitemaps")
            yield self.item(response)
            body = response.body
        if gzip_magic_number(response) or body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:
                self.count_error("bad_sitemap")
                self.logger.warning("%s: a gzip sitemap that cannot be unpacked", response.url)
                return
        try:
            sitemap = Sitemap(body)
        except Exception:
            sitemap = None
        if sitemap is None or sitemap.type not in ("urlset", "sitemapindex"):
            self.count_error("bad_sitemap")
            self.logger.warning("%s: not a sitemap", response.url)
            return
        locs = [entry.get("loc") for entry in sitemap]
        if sitemap.type == "sitemapindex":
            for loc in locs:
                request = self.request(response.urljoin(loc), site, "sitemap") if loc else None
                if request:
                    yield request
        else:
            yield from self.follow(locs, site, response, "sitemap")

    def parse_robots(self, response):
        """The sitemaps a site names in its robots.txt (not stored: Scrapy reads robots.txt
        for its own rules anyway)."""
        site = self.sites[response.meta["site"]]
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            request = self.request(url, site, "sitemap")
            if request:
                yield request

    def parse_article(self, response):
        site = self.sites[response.meta["site"]]
        declared = (_header(response.headers, b"Content-Type") or "").lower()
        # Scrapy guesses the response class from the URL when the type is unknown to it:
        # a PDF at /tin-a1.html would pass for HTML. The declared type decides.
        if not isinstance(response, HtmlResponse) or (declared and "html" not in declared):
            # A PDF or an image behind an article-shaped URL: remembered, never read.
            self.count("not_html")
            kind = declared or "unknown type"
            yield self.item(response, relevant=0, error=f"not an HTML page ({kind})", keep_body=False)
            return
        title, text = page_text(None, selector=response.selector)
        if is_relevant(title, text):
            self.count("articles_relevant")
            yield self.item(response, relevant=1)
        else:
            # Remembered without its body, so it is neither fetched nor extracted again.
            self.count("articles_irrelevant")
            yield self.item(response, relevant=0, keep_body=False)
        if site.follow_article_links:
            yield from self.follow(response.xpath("//a/@href").getall(), site, response, "article")

    # ── what went wrong ─────────────────────────────────────────────────────

    def count_error(self, kind):
        self.stats.inc_value(f"parindex/errors/{kind}")

    def remembered(self, request, error, response=None) -> dict:
        """The item of a page that failed for good: no body, its reason, never fetched again."""
        if response is not None:
            return self.item(response, relevant=0, error=error, keep_body=False)
        meta = request.meta
        return {"url": meta["canonical"], "final_url": request.url, "source": meta["site"],
                "kind": meta["kind"], "status": None, "content_type": None, "body": None,
                "etag": None, "last_modified": None, "relevant": 0, "error": error}

    def failed(self, failure):
        request = failure.request
        meta = request.meta
        remember = None
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            found = failures.ignored(str(failure.value), bool(meta.get("redirect_urls")))
            if found is None:
                # robots.txt or an off-site link: a rule followed, not a failure.
                reason = str(failure.value).lower()
                self.count("robots_forbidden" if "robots" in reason else "ignored")
                return
            kind, error = found
            remember = self.remembered(request, error)
        elif meta.get("kind") == "robots" and failure.check(HttpError):
            return  # no robots.txt: nothing forbidden, no sitemap named
        elif failure.check(HttpError):
            response = failure.value.response
            kind = f"http_{response.status}"
            if response.status in PERMANENT_STATUSES:
                remember = self.item(response, error=f"HTTP {response.status}", keep_body=False)
        elif failure.check(*TIMEOUT_ERRORS):
            kind = "timeout"
        elif failure.check(*TOO_LARGE_ERRORS):
            # Over DOWNLOAD_MAXSIZE: asking again brings the same bytes.
            kind = "too_large"
            limit = meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            remember = self.remembered(request, failures.too_large(str(failure.value), limit))
        elif failure.check(*DNS_ERRORS):
            kind = "dns"
        elif failure.check(*REFUSED_ERRORS):
            kind = "connection_refused"
        else:
            kind = type(failure.value).__name__.lower()
        self.count_error(kind)
        self.logger.warning("%s: %s", request.url, _one_line(failure.value) or kind)
        if remember and meta.get("kind") == "article":
            yield remember

    def request_dropped(self, request, spider=None):
        """A redirect back to an address its chain came through is dropped by Scrapy's
        duplicate filter without a word: the page would be asked for again every run."""
        if request.url in (request.meta.get("redirect_urls") or []):
            self.remember_now(request, *failures.REDIRECT_LOOP)

    def request_scheduled(self, request, spider=None):
        """A redirect to another site is dropped by Scrapy's offsite filter as it is scheduled,
        without a word to the spider."""
        host = (urlsplit(request.url).hostname or "").lower()
        if request.meta.get("redirect_urls") and not request.dont_filter \
                and not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
            self.remember_now(request, "redirect_offsite", "redirects to another site")

    def remember_now(self, request, kind, error):
        """Store a page that failed for good outside a callback (no item can be returned there)."""
        meta = request.meta
        if meta.get("kind") != "article" or meta.get("canonical") is None:
            return
        self.count_error(kind)
        self.logger.warning("%s: %s", (meta.get("redirect_urls") or [request.url])[0], error)
        item = self.remembered(request, error)
        try:
            store.pages.save_page(self.db, item["url"], final_url=item["final_url"], source=item["source"],
                                  kind=item["kind"], status=None, content_type=None, body=None,
                                  relevant=0, error=error)
        except store.StoreError as err:
            self.logger.error("%s", err)
            return
        self.count("pages_stored")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _header(headers, name):
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _one_line(err) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else ""
