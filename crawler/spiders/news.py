"""The one spider: every site of the sources file, discovered through its listings,
sitemaps and feeds.

    scrapy crawl news -a site=baotayninh -s PARINDEX_DB=../parindex.db    (inside crawler/)
    parindex crawl --db parindex.db --site baotayninh                      (the same, via the CLI)

Scrapy schedules, throttles, retries, follows redirects and obeys robots.txt; this spider
only decides what to fetch (canonical URL not yet stored, under the site's caps), in which
order (crawler/focus.py: links that speak of the indexes first), and what a response is
(listing, feed, sitemap, article; relevant or not). Which links are articles and which are
listings is decided by crawler/classify.py from the URL, the anchor text and the link's
place, with no pattern of the site's (its patterns in sources.toml, when it has any, are
overrides); a page fetched on such a guess may be turned over by what it holds
(crawler/pagekind.py). Items go to crawler.pipelines.StorePipeline; counts go to Scrapy's
stats under "parindex/", each site's own under "parindex/sites".
"""
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
from parindex.crawler import failures, focus
from parindex.crawler.caps import OverCap, caps_for
from parindex.crawler.classify import ARTICLE, LISTING, classify
from parindex.crawler.links import Link, page_links
from parindex.crawler.pagekind import page_kind
from parindex.crawler.relevance import is_relevant, page_text
from parindex.crawler.sources import DEFAULT_PATH, load_sources
from parindex.crawler.spiders import SeededSpider
from parindex.crawler.urls import canonical, origin

# Recent Scrapy wraps Twisted's errors in its own; older versions raise Twisted's.
TIMEOUT_ERRORS = tuple(e for e in (TimeoutError, TCPTimedOutError,
                                   getattr(scrapy.exceptions, "DownloadTimeoutError", None)) if e)
TOO_LARGE_ERRORS = (getattr(scrapy.exceptions, "DownloadCancelledError", CancelledError),)
DNS_ERRORS = tuple(e for e in (DNSLookupError, getattr(scrapy.exceptions, "CannotResolveHostError", None)) if e)
REFUSED_ERRORS = tuple(e for e in (ConnectionRefusedError,
                                   getattr(scrapy.exceptions, "DownloadConnectionRefusedError", None)) if e)

_UNKNOWN = object()   # request(): the stored state was not looked up yet

# HTTP answers that will not change by asking again: the URL is remembered with its status.
PERMANENT_STATUSES = {400, 401, 403, 404, 405, 410, 451}


class NewsSpider(SeededSpider):
    name = "news"

    def __init__(self, site=None, sources=None, base=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_arg = [s.strip() for s in (site or "").split(",") if s.strip()]
        self.sources_arg, self.base_arg = sources, base
        self.seen = set()            # canonical URLs already requested in this run
        self.productive = set()      # listings that led to a relevant article in this run
        self.figures = {}            # site -> what this run did there (parindex/sites)

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
        # Articles and listing pages taken per site: in this process, or in Redis for all
        # the processes that share the queue.
        spider.caps = caps_for(settings)
        spider.caps.open()
        spider.focus_order = settings.getbool("PARINDEX_FOCUS", True)
        spider.figures = {key: _new_figures() for key in spider.sites}
        crawler.signals.connect(spider.opened, signal=scrapy.signals.spider_opened)
        crawler.signals.connect(spider.request_dropped, signal=scrapy.signals.request_dropped)
        crawler.signals.connect(spider.request_scheduled, signal=scrapy.signals.request_scheduled)
        return spider

    def opened(self, spider=None):
        # The run's counts carry each site's figures: the same dict, filled as the crawl goes.
        self.stats.set_value("parindex/sites", self.figures)

    def closed(self, reason):
        try:
            self.caps.close()
        except Exception as err:   # Redis gone by now: its counters expire by themselves
            self.logger.info("could not clear the shared caps: %s", _one_line(err))
        self.db.close()

    @property
    def stats(self):
        return self.crawler.stats

    # ── what to fetch ───────────────────────────────────────────────────────

    def seed_requests(self):
        for site in self.sites.values():
            if site.robots_sitemaps:
                for home in sorted({origin(u) for u in site.start + site.sitemaps + site.feeds}):
                    self.figures[site.key]["requests"] += 1
                    yield scrapy.Request(home + "/robots.txt", callback=self.parse_robots, errback=self.failed,
                                         headers={"User-Agent": self.config.user_agent}, priority=focus.SEED,
                                         meta={"site": site.key, "kind": "robots", "canonical": None})
            for kind, urls in (("feed", site.feeds), ("sitemap", site.sitemaps), ("listing", site.start)):
                for url in urls:
                    request = self.request(url, site, kind, seed=True)
                    if request:
                        yield request

    def count(self, key, n=1):
        self.stats.inc_value(f"parindex/{key}", n)

    def request(self, url, site, kind, depth=0, *, seed=False, guessed=False, focused=False,
                productive=False, navigation=False, via=None, state=_UNKNOWN):
        """A request for `url` as `kind`, or None when it must not be fetched.

        depth: listing hops from a start page (0 for start pages, feeds and sitemaps);
        guessed: the kind comes from the generic rules, not the site's own patterns, so the
        fetched page may turn it over; focused: the link speaks of the indexes; productive:
        found on a listing that leads to relevant articles; navigation: a menu or footer
        link; via: the listing it was found on (told when the article proves relevant);
        state: what store.pages.page_state said of it, when the caller asked already."""
        url = canonical(url, site.variants)
        key = site.page_key(url)
        if key in self.seen:
            return None
        self.seen.add(key)
        if state is _UNKNOWN:
            state = store.pages.page_state(self.db, key)
        if state and guessed and kind != state["kind"] and state["kind"] in (ARTICLE, LISTING):
            # Fetched before on the same guess, and the page said otherwise.
            kind = state["kind"]
        # The contact address from the sources file, on every request (robots.txt too).
        headers = {"User-Agent": self.config.user_agent}
        if kind == "article":
            if state:
                self.count("skipped_known")
                return None
            # Its place under max_pages is taken as it leaves the scheduler (caps.PageCap).
            priority = focus.article_priority(focused, productive)
        else:
            if kind == "listing":
                if seed:
                    self.caps.take(site.key, "listing", None)
                elif not self.caps.take(site.key, "listing", site.max_listing_pages):
                    self.count("skipped_listing_cap")
                    return None
                # A listing that led to relevant articles before is read first.
                productive = productive or bool(state and state["relevant"])
            # Listings, feeds and sitemaps change: asked again every run, conditionally.
            if state and state["etag"]:
                headers["If-None-Match"] = state["etag"]
            if state and state["last_modified"]:
                headers["If-Modified-Since"] = state["last_modified"]
            if seed:
                priority = focus.SEED + (focus.PRODUCTIVE if productive else 0)
            else:
                priority = focus.listing_priority(focused, productive, navigation)
        callback = {"article": self.parse_article, "listing": self.parse_listing,
                    "feed": self.parse_feed, "sitemap": self.parse_sitemap}[kind]
        meta = {"site": site.key, "kind": kind, "canonical": key, "listing_depth": depth, "seed": seed,
                "guessed": guessed, "focused": focused, "productive": productive, "via": via,
                "relevant_before": state["relevant"] if state else None, "capped": kind == "listing"}
        if kind != "article":
            meta["handle_httpstatus_list"] = [304]
        self.figures[site.key]["requests"] += 1
        return scrapy.Request(url, callback=callback, errback=self.failed, headers=headers, meta=meta,
                              priority=priority if self.focus_order else 0)

    def follow(self, links, site, response, discovered_by, productive=False):
        """Requests for the links of a listing, feed, sitemap (or article) that are articles
        or listings of the site. Listing pages are capped per site and run
        (max_listing_pages) and in hops from a start page (max_listing_depth); and a listing
        page that is not a start page and brings no new article ends its chain: the pages
        after it are older still. `productive`: the page leads to relevant articles."""
        depth = response.meta.get("listing_depth", 0)
        via = response.meta.get("canonical") if discovered_by == "listing" else None
        new_articles, listings = 0, []
        for link in links:
            href = (link.href or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            url = canonical(response.urljoin(href), site.variants)
            if not url.startswith(("http://", "https://")) or not site.serves(url):
                continue
            key = site.page_key(url)
            if key in self.seen:      # asked for in this run already: nothing new to decide
                continue
            if discovered_by == "sitemap" and url.endswith((".xml", ".xml.gz")):
                request = self.request(url, site, "sitemap")
                if request:
                    yield request
                continue
            verdict = classify(url, link.anchor, link.place, site)
            # The kind comes from the generic rules, not the site's patterns: the page may overrule it.
            guessed = not verdict.reason.startswith("matches the ")
            if verdict.kind == ARTICLE:
                # Not stored before: what a listing page is worth following for.
                state = store.pages.page_state(self.db, key)
                new_articles += state is None
                request = self.request(url, site, "article", depth, guessed=guessed, state=state, via=via,
                                       focused=focus.speaks_of_indexes(link.anchor, url), productive=productive)
                if request:
                    yield request
            elif verdict.kind == LISTING and discovered_by != "sitemap":
                listings.append((url, guessed, focus.speaks_of_indexes(link.anchor, url),
                                 link.place not in (None, "body")))
        if not listings:
            return
        if discovered_by == "listing" and depth >= 1 and not new_articles:
            self.count("listing_chain_ended")
            return
        for url, guessed, focused, navigation in listings:
            if site.page_key(url) in self.seen:
                continue
            if depth + 1 > site.max_listing_depth:
                self.count("skipped_listing_depth")
                continue
            request = self.request(url, site, "listing", depth + 1, guessed=guessed, focused=focused,
                                   productive=productive, navigation=navigation)
            if request:
                yield request

    # ── what came back ──────────────────────────────────────────────────────

    def item(self, response, relevant=None, error=None, keep_body=True, kind=None):
        meta = response.meta
        headers = response.headers
        self.figures[meta["site"]]["pages"] += 1
        return {
            "url": meta["canonical"], "final_url": response.url, "source": meta["site"],
            "kind": kind or meta["kind"], "status": response.status,
            "content_type": _header(headers, b"Content-Type"),
            "body": response.body if keep_body else None,
            "etag": _header(headers, b"ETag"), "last_modified": _header(headers, b"Last-Modified"),
            "relevant": relevant, "error": error,
        }

    def answered(self, response):
        self.figures[response.meta["site"]]["answered"] += 1

    def unchanged_body(self, response):
        """A 304: the links are those of the copy stored last time."""
        self.count("not_modified")
        page_id = store.pages.get_page_id(self.db, response.meta["canonical"])
        body = store.pages.body(self.db, page_id) if page_id else None
        return body

    def parse_listing(self, response):
        self.answered(response)
        site = self.sites[response.meta["site"]]
        meta = response.meta
        if response.status == 304:
            body = self.unchanged_body(response)
            if not body:
                return
            response = HtmlResponse(response.url, body=body, request=response.request)
        else:
            if isinstance(response, HtmlResponse) and meta.get("guessed") and not meta.get("seed"):
                kind, why = page_kind(response.selector)
                if kind == ARTICLE:
                    # Its URL looked like a section's; the page is one article.
                    self.count("listings_read_as_articles")
                    self.logger.debug("%s: an article after all: %s", response.url, why)
                    yield from self.read_article(response, site, kind=ARTICLE)
                    return
            self.count("listings")
            yield self.item(response, relevant=1 if meta.get("relevant_before") else None)
        if not isinstance(response, TextResponse):
            return
        yield from self.read_listing(response, site)

    def read_listing(self, response, site):
        """Follow the links of a listing page. It leads to relevant articles (so its own
        further pages and its other articles come first) when it did on an earlier run, when
        its name speaks of the indexes, or when the listing it was found on did."""
        links = page_links(response.selector)
        meta = response.meta
        # A start page (a home page) links to everything: it passes nothing on.
        productive = not meta.get("seed") and bool(meta.get("productive") or meta.get("relevant_before")
                                                   or meta.get("focused"))
        yield from self.follow(links, site, response, "listing", productive=productive)

    def parse_feed(self, response):
        self.answered(response)
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
        # RSS <link>, Atom <link href>; some feeds only carry a permalink <guid>. The item's
        # title is the link's anchor text.
        links = []
        for entry in selector.xpath("//item | //entry"):
            title = " ".join(" ".join(entry.xpath("./title//text()").getall()).split()) or None
            for href in entry.xpath("./link/text() | ./link[not(@rel) or @rel='alternate']/@href"
                                    " | ./guid[not(@isPermaLink='false')]/text()").getall():
                links.append(Link(href.strip(), title))
        if not links:
            self.count_error("bad_feed", site.key, "not an RSS or Atom feed")
            self.logger.warning("%s: not an RSS or Atom feed (no item links)", response.url)
        yield from self.follow(links, site, response, "feed")

    def parse_sitemap(self, response):
        self.answered(response)
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
                self.count_error("bad_sitemap", site.key, "a gzip sitemap that cannot be unpacked")
                self.logger.warning("%s: a gzip sitemap that cannot be unpacked", response.url)
                return
        try:
            sitemap = Sitemap(body)
        except Exception:
            sitemap = None
        if sitemap is None or sitemap.type not in ("urlset", "sitemapindex"):
            self.count_error("bad_sitemap", site.key, "not a sitemap")
            self.logger.warning("%s: not a sitemap", response.url)
            return
        locs = [entry.get("loc") for entry in sitemap]
        if sitemap.type == "sitemapindex":
            for loc in locs:
                request = self.request(response.urljoin(loc), site, "sitemap") if loc else None
                if request:
                    yield request
        else:
            yield from self.follow([Link(loc) for loc in locs if loc], site, response, "sitemap")

    def parse_robots(self, response):
        """The sitemaps a site names in its robots.txt (not stored: Scrapy reads robots.txt
        for its own rules anyway)."""
        self.answered(response)
        site = self.sites[response.meta["site"]]
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            request = self.request(url, site, "sitemap")
            if request:
                yield request

    def parse_article(self, response):
        self.answered(response)
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
        if response.meta.get("guessed"):
            kind, why = page_kind(response.selector)
            if kind == LISTING:
                # Its URL looked like an article's; the page is a list of teasers.
                self.count("articles_read_as_listings")
                self.logger.debug("%s: a listing after all: %s", response.url, why)
                depth = response.meta.get("listing_depth", 0)
                if depth + 1 > site.max_listing_depth:
                    self.count("skipped_listing_depth")
                    return
                yield self.item(response, kind=LISTING)
                response.meta["listing_depth"] = depth + 1
                yield from self.read_listing(response, site)
                return
        yield from self.read_article(response, site)

    def read_article(self, response, site, kind=None):
        """Keep an article when it passes the topic test; remember it without its body when not."""
        title, text = page_text(None, selector=response.selector)
        figures = self.figures[site.key]
        if is_relevant(title, text):
            self.count("articles_relevant")
            figures["articles_relevant"] += 1
            yield self.item(response, relevant=1, kind=kind)
            via = response.meta.get("via")
            if via and via not in self.productive:
                # The listing it came from is read first next time.
                self.productive.add(via)
                try:
                    store.pages.mark_listing_relevant(self.db, via)
                except store.StoreError as err:
                    self.logger.error("%s", err)
        else:
            # Remembered without its body, so it is neither fetched nor extracted again.
            self.count("articles_irrelevant")
            figures["articles_irrelevant"] += 1
            yield self.item(response, relevant=0, keep_body=False, kind=kind)
        if site.follow_article_links:
            yield from self.follow(page_links(response.selector), site, response, "article")

    # ── what went wrong ─────────────────────────────────────────────────────

    def count_error(self, kind, site=None, message=None):
        self.stats.inc_value(f"parindex/errors/{kind}")
        if site in self.figures:
            figures = self.figures[site]
            figures["errors"][kind] = figures["errors"].get(kind, 0) + 1
            if message:
                figures["messages"].setdefault(kind, message)

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
        if failure.check(OverCap):
            self.count("skipped_cap")
            self.figures[meta["site"]]["requests"] -= 1
            return
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            found = failures.ignored(str(failure.value), bool(meta.get("redirect_urls")))
            if found is None:
                # robots.txt or an off-site link: a rule followed, not a failure.
                reason = str(failure.value).lower()
                self.count("robots_forbidden" if "robots" in reason else "ignored")
                if meta.get("site") in self.figures:
                    self.figures[meta["site"]]["messages"].setdefault("forbidden", "forbidden by robots.txt")
                return
            kind, error = found
            remember = self.remembered(request, error)
        elif meta.get("kind") == "robots" and failure.check(HttpError):
            self.figures[meta["site"]]["answered"] += 1
            return  # no robots.txt: nothing forbidden, no sitemap named
        elif failure.check(HttpError):
            response = failure.value.response
            if meta.get("site") in self.figures:
                self.figures[meta["site"]]["answered"] += 1
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
        message = _one_line(failure.value) or kind
        self.count_error(kind, meta.get("site"), message)
        # Counted per site and summed up at the end (one line per site that failed): the
        # pages one by one are for -v.
        self.logger.info("%s: %s", request.url, message)
        if remember and meta.get("kind") == "article":
            yield remember

    def request_dropped(self, request, spider=None):
        """A redirect back to an address its chain came through is dropped by Scrapy's
        duplicate filter without a word: the page would be asked for again every run.
        A fresh request the (shared) seen-set drops was asked for by another process: it
        does not count against this site's caps."""
        meta = request.meta
        if request.url in (meta.get("redirect_urls") or []):
            self.remember_now(request, *failures.REDIRECT_LOOP)
        elif meta.get("capped") and not meta.get("redirect_urls") and meta.get("site") in self.sites:
            self.caps.give_back(meta["site"], meta["kind"])
            self.figures[meta["site"]]["requests"] -= 1

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
        self.count_error(kind, meta.get("site"), error)
        self.logger.info("%s: %s", (meta.get("redirect_urls") or [request.url])[0], error)
        item = self.remembered(request, error)
        try:
            store.pages.save_page(self.db, item["url"], final_url=item["final_url"], source=item["source"],
                                  kind=item["kind"], status=None, content_type=None, body=None,
                                  relevant=0, error=error)
        except store.StoreError as err:
            self.logger.error("%s", err)
            return
        self.count("pages_stored")


def _new_figures() -> dict:
    """What one run did on one site: the `sites` entry of the run's counts."""
    return {"requests": 0, "answered": 0, "pages": 0, "articles_relevant": 0, "articles_irrelevant": 0,
            "errors": {}, "messages": {}}


def _header(headers, name):
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _one_line(err) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else ""
