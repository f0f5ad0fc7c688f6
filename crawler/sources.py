"""The sources file: which sites to crawl and how, read and checked before any request.

    from parindex.crawler.sources import load_sources
    config = load_sources("crawler/sources.toml")           # -> Config(crawler=..., sites={...})
    config = load_sources("corpus/sources.toml", base="http://127.0.0.1:8123")

A file that cannot be used raises SourcesError with one line naming the file, the site and
the key ("crawler/sources.toml: site 'baotayninh': article: bad regular expression ...").
"""
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

DEFAULT_PATH = Path(__file__).resolve().parent / "sources.toml"
DEFAULT_MAX_PAGES = 500
# Listings: a pagination chain can be endless (a calendar, a trap, a bug). Per site and run,
# at most this many listing pages, and at most this many hops from a start page.
DEFAULT_MAX_LISTING_PAGES = 100
DEFAULT_MAX_LISTING_DEPTH = 20

SITE_KEYS = {"name", "province", "start", "sitemaps", "feeds", "article", "listing", "ignore", "variants",
             "domains", "max_pages", "follow_article_links", "kind", "robots_sitemaps",
             "max_listing_pages", "max_listing_depth"}
CRAWLER_KEYS = {"user_agent", "contact"}
SITE_KINDS = {"national", "provincial", "portal", "aggregator", "local"}


def host_key(url: str) -> tuple:
    """(host without www., port or None for 80/443): what makes two URLs one site's."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return ((parts.hostname or "").lower().removeprefix("www."), None if port in (None, 80, 443) else port)


class SourcesError(ValueError):
    """The sources file cannot be used; the message is one line, fit for stderr."""


@dataclass(frozen=True)
class Variant:
    """A URL shape that duplicates another (print, AMP, mobile host): `match` -> `replace`."""
    match: re.Pattern
    replace: str


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    start: tuple = ()
    sitemaps: tuple = ()
    feeds: tuple = ()
    # Optional overrides of the generic page classification (crawler/classify.py), for the
    # rare site it gets wrong: compiled patterns, searched in the canonical URL.
    article: tuple = ()
    listing: tuple = ()
    ignore: tuple = ()
    variants: tuple = ()
    domains: tuple = ()
    province: str | None = None
    kind: str | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    max_listing_depth: int = DEFAULT_MAX_LISTING_DEPTH
    follow_article_links: bool = False
    robots_sitemaps: bool = False    # also read the sitemaps that robots.txt names
    base: str | None = None      # the origin its site-relative URLs were resolved against
    hosts: tuple = ()            # host_key() of its URLs and of its `domains`

    def page_key(self, url: str) -> str:
        """The URL a page is stored under. A site given by site-relative URLs is served from
        a different port each run: its pages are keyed by http://<site>.local/<path>, so a
        second run knows them."""
        if self.base and url.startswith(self.base.rstrip("/") + "/"):
            return f"http://{self.key}.local{url[len(self.base.rstrip('/')):]}"
        return url

    def is_article(self, url: str) -> bool:
        return any(p.search(url) for p in self.article)

    def is_listing(self, url: str) -> bool:
        return any(p.search(url) for p in self.listing)

    def serves(self, url: str) -> bool:
        """Is `url` on one of this site's hosts (those of its start pages, feeds and sitemaps,
        and its `domains`)? `www.` or not, http or https: the same host; a port other than
        80 and 443 must be the one of the site's URLs (local sites share 127.0.0.1)."""
        return host_key(url) in self.hosts or (host_key(url)[0], None) in self.hosts


@dataclass(frozen=True)
class Config:
    path: str
    user_agent: str
    sites: dict = field(default_factory=dict)

    def select(self, keys) -> list:
        """The sites named in `keys` (all when empty); an unknown name is a SourcesError."""
        if not keys:
            return list(self.sites.values())
        unknown = [k for k in keys if k not in self.sites]
        if unknown:
            raise SourcesError(f"{self.path}: no site named {', '.join(map(repr, unknown))} "
                               f"(known: {', '.join(sorted(self.sites)[:8])}{', …' if len(self.sites) > 8 else ''})")
        return [self.sites[k] for k in keys]

    def site_for(self, url: str):
        """The site that serves `url` (by its host, as the crawler follows links: the hosts of
        its start pages, feeds and sitemaps and its `domains`), or None."""
        for site in self.sites.values():
            if site.serves(url):
                return site
        return None


def load_sources(path=DEFAULT_PATH, base: str | None = None) -> Config:
    """Read and check the sources file. `base` is the origin that site-relative URLs
    ("/rss.xml") resolve against; without it they are an error."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SourcesError(f"{path}: cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise SourcesError(f"{path}: not valid TOML: {err}") from None
    return parse_sources(data, str(path), base)


def parse_sources(data: dict, origin: str = "sources", base: str | None = None) -> Config:
    unknown = set(data) - {"crawler", "site"}
    if unknown:
        raise SourcesError(f"{origin}: unknown top-level key {sorted(unknown)[0]!r} "
                           "(expected [crawler] and [site.<name>] tables)")
    crawler = data.get("crawler", {})
    if not isinstance(crawler, dict):
        raise SourcesError(f"{origin}: crawler: must be a table")
    _no_unknown(origin, "[crawler]", crawler, CRAWLER_KEYS)
    contact = _string(origin, "[crawler]", crawler, "contact", required=True)
    agent = _string(origin, "[crawler]", crawler, "user_agent") or "parindex"
    # Site owners who see us in their logs must be able to reach a person.
    user_agent = f"{agent} (+{contact})"
    sites = data.get("site")
    if not isinstance(sites, dict) or not sites:
        raise SourcesError(f"{origin}: no [site.<name>] tables: nothing to crawl")
    parsed = {}
    for key, table in sites.items():
        where = f"site {key!r}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
            raise SourcesError(f"{origin}: {where}: the name must be lower-case letters, digits, - or _")
        if not isinstance(table, dict):
            raise SourcesError(f"{origin}: {where}: must be a table")
        parsed[key] = _site(origin, key, table, base)
    return Config(path=origin, user_agent=user_agent, sites=parsed)


def _site(origin, key, table, base) -> Site:
    where = f"site {key!r}"
    _no_unknown(origin, where, table, SITE_KEYS)
    start = _urls(origin, where, table, "start", base)
    sitemaps = _urls(origin, where, table, "sitemaps", base)
    feeds = _urls(origin, where, table, "feeds", base)
    relative = any(u.startswith("/") and not u.startswith("//")
                   for key_ in ("start", "sitemaps", "feeds") for u in _strings(origin, where, table, key_))
    if not (start or sitemaps or feeds):
        raise SourcesError(f"{origin}: {where}: start: at least one of start, sitemaps, feeds is needed")
    article = _patterns(origin, where, table, "article")
    listing = _patterns(origin, where, table, "listing")
    ignore = _patterns(origin, where, table, "ignore")
    variants = []
    raw = table.get("variants", [])
    if not isinstance(raw, list):
        raise SourcesError(f"{origin}: {where}: variants: must be a list of {{match, replace}} tables")
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"match", "replace"} or \
                not all(isinstance(v, str) for v in item.values()):
            raise SourcesError(f"{origin}: {where}: variants[{i}]: must be {{ match = '<regex>', replace = '<text>' }}")
        variants.append(Variant(_compile(origin, where, f"variants[{i}]", item["match"]), item["replace"]))
    hosts = {urlsplit(u).hostname for u in start + sitemaps + feeds}
    domains = _strings(origin, where, table, "domains")
    for domain in domains:
        if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}|127\.0\.0\.1|localhost", domain):
            raise SourcesError(f"{origin}: {where}: domains: {domain!r} is not a host name")
    max_pages = _count(origin, where, table, "max_pages", DEFAULT_MAX_PAGES, 1)
    max_listing_pages = _count(origin, where, table, "max_listing_pages", DEFAULT_MAX_LISTING_PAGES, 1)
    max_listing_depth = _count(origin, where, table, "max_listing_depth", DEFAULT_MAX_LISTING_DEPTH, 0)
    follow = _flag(origin, where, table, "follow_article_links")
    robots_sitemaps = _flag(origin, where, table, "robots_sitemaps")
    kind = _string(origin, where, table, "kind")
    if kind is not None and kind not in SITE_KINDS:
        raise SourcesError(f"{origin}: {where}: kind: {kind!r} is not one of {', '.join(sorted(SITE_KINDS))}")
    return Site(key=key, name=_string(origin, where, table, "name", required=True),
                province=_string(origin, where, table, "province"), kind=kind,
                start=start, sitemaps=sitemaps, feeds=feeds, article=article, listing=listing, ignore=ignore,
                variants=tuple(variants), domains=tuple(sorted(hosts | set(domains))),
                max_pages=max_pages, max_listing_pages=max_listing_pages,
                max_listing_depth=max_listing_depth, follow_article_links=follow, robots_sitemaps=robots_sitemaps,
                base=base if relative else None,
                hosts=tuple(sorted({host_key(u) for u in start + sitemaps + feeds}
                                   | {(d.removeprefix("www."), None) for d in domains}, key=str)))


def _count(origin, where, table, key, default, least) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise SourcesError(f"{origin}: {where}: {key}: must be a whole number >= {least}, not {value!r}")
    return value


def _no_unknown(origin, where, table, allowed):
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SourcesError(f"{origin}: {where}: {unknown[0]}: unknown key (allowed: {', '.join(sorted(allowed))})")


def _flag(origin, where, table, key) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise SourcesError(f"{origin}: {where}: {key}: must be true or false")
    return value


def _string(origin, where, table, key, required=False):
    value = table.get(key)
    if value is None:
        if required:
            raise SourcesError(f"{origin}: {where}: {key}: missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise SourcesError(f"{origin}: {where}: {key}: must be a non-empty string")
    return value.strip()


def _strings(origin, where, table, key) -> tuple:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesError(f"{origin}: {where}: {key}: must be a list of strings")
    return tuple(v.strip() for v in value)


def _urls(origin, where, table, key, base) -> tuple:
    out = []
    for value in _strings(origin, where, table, key):
        if value.startswith("/") and not value.startswith("//"):
            if not base:
                raise SourcesError(f"{origin}: {where}: {key}: {value!r} is relative and no base URL was given")
            value = urljoin(base, value)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourcesError(f"{origin}: {where}: {key}: {value!r} is not an http(s) URL")
        out.append(value)
    return tuple(out)


def _compile(origin, where, key, pattern) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise SourcesError(f"{origin}: {where}: {key}: bad regular expression {pattern!r}: {err}") from None


def _patterns(origin, where, table, key, required=False) -> tuple:
    values = _strings(origin, where, table, key)
    if required and not values:
        raise SourcesError(f"{origin}: {where}: {key}: at least one regular expression is needed")
    return tuple(_compile(origin, where, key, v) for v in values)
