"""What a site offers a crawler, read from its home page, robots.txt, sitemaps and feeds; and
the [site.…] table that tells parindex to crawl it.

    feed_candidates(links, home)      -> feed URLs linked from the home page
    topic_sections(links, home)       -> [(url, anchor)] sections and tags about the indexes
    feed_items(body)                  -> how many items an RSS or Atom feed lists (None: not a feed)
    sitemap_size(body)                -> ("urlset" | "sitemapindex", entries) or None
    site_name(selector), site_key(url, taken)
    site_table(key, found)            -> the TOML text of one [site.<key>] table
    append_site(path, key, text)      -> the sources file with the table added (checked first)

Pure functions of what was fetched; crawler/probe.py does the fetching (with Scrapy).
"""
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from parindex.crawler.classify import LISTING, classify
from parindex.crawler.focus import speaks_of_indexes
from parindex.crawler.sources import DEFAULT_PATH, SourcesError, load_sources, parse_sources

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
_FEED_HREF = re.compile(r"(?:\.rss|\.atom|/rss(?:\.xml|\.aspx|\.html?)?|/feed/?|rss\.xml|/rss/[^?#]*)$", re.I)
_RSS_INDEX = re.compile(r"/rss(?:\.html?|\.aspx)?/?$|/rss-feeds?/?$|/tien-ich/rss", re.I)
# Vietnamese public suffixes, longest first: baotayninh.vn -> "baotayninh".
_SUFFIXES = ("com.vn", "net.vn", "org.vn", "gov.vn", "edu.vn", "info.vn", "int.vn", "ac.vn", "health.vn",
             "dcs.vn", "vn", "com", "net", "org", "info", "biz")


def same_host(url: str, home: str) -> bool:
    a = (urlsplit(url).hostname or "").removeprefix("www.")
    b = (urlsplit(home).hostname or "").removeprefix("www.")
    return a == b and urlsplit(url).port == urlsplit(home).port


def feed_candidates(selector: Selector, links, home: str) -> list[str]:
    """Feeds the home page announces (<link rel="alternate">) or links to, on the site."""
    found = []
    for node in selector.xpath("//link[@rel='alternate' and @href]"):
        kind = (node.attrib.get("type") or "").lower()
        if kind in FEED_TYPES or "rss" in kind or "atom" in kind:
            found.append(urljoin(home, node.attrib["href"].strip()))
    for link in links:
        url = urljoin(home, link.href)
        if _FEED_HREF.search(urlsplit(url).path) and not _RSS_INDEX.search(urlsplit(url).path):
            found.append(url)
    return [u for u in dict.fromkeys(found) if same_host(u, home) and "comment" not in u.lower()]


def rss_index_pages(links, home: str) -> list[str]:
    """Pages that list a site's feeds (/rss.html, /rss): Vietnamese papers keep one per section there."""
    found = [urljoin(home, link.href) for link in links if _RSS_INDEX.search(urlsplit(urljoin(home, link.href)).path)]
    return [u for u in dict.fromkeys(found) if same_host(u, home)]


def topic_sections(links, home: str) -> list[tuple[str, str | None]]:
    """Sections, categories and tags whose name speaks of the indexes or of administrative
    reform: the listings worth reading first, as start pages."""
    out = {}
    for link in links:
        url = urljoin(home, link.href)
        if not same_host(url, home) or url in out:
            continue
        if classify(url, link.anchor, link.place).kind != LISTING:
            continue
        if speaks_of_indexes(link.anchor, url):
            out[url] = link.anchor
    return list(out.items())


def feed_items(body: bytes) -> int | None:
    """How many items an RSS or Atom feed lists; None when the body is not a feed."""
    head = body[:2000].lstrip().lower()
    if b"<rss" not in head and b"<feed" not in head and b"<rdf" not in head:
        return None
    selector = Selector(text=body.decode("utf-8", "replace"), type="xml")
    selector.remove_namespaces()
    return len(selector.xpath("//item | //entry"))


def sitemap_size(body: bytes) -> tuple[str, int] | None:
    from scrapy.utils.sitemap import Sitemap

    try:
        sitemap = Sitemap(body)
    except Exception:
        return None
    if sitemap.type not in ("urlset", "sitemapindex"):
        return None
    return sitemap.type, sum(1 for _ in sitemap)


def site_name(selector: Selector) -> str | None:
    """og:site_name, else the home page's title up to its first separator."""
    name = (selector.xpath("//meta[@property='og:site_name']/@content").get() or "").strip()
    if name:
        return " ".join(name.split())
    title = " ".join(" ".join(selector.xpath("//title//text()").getall()).split())
    if not title:
        return None
    parts = [p.strip() for p in re.split(r"\s+[-|–—:]\s+", title) if p.strip()]
    named = [p for p in parts if p.lower() not in ("trang chủ", "home", "trang chu")]
    return (named or parts)[0][:80]


def site_key(url: str, taken=()) -> str:
    """A name for the [site.<name>] table from the host: baotayninh.vn -> baotayninh,
    sonoivu.angiang.gov.vn -> sonoivu-angiang, 127.0.0.1:8123 -> site-8123."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").lower()
    if re.fullmatch(r"[\d.]+|localhost|\[?[0-9a-f:]+\]?", host):
        base = f"site-{parts.port or 80}"
    else:
        host = re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host)
        for suffix in _SUFFIXES:
            if host.endswith("." + suffix):
                host = host[: -len(suffix) - 1]
                break
        base = re.sub(r"[^a-z0-9]+", "-", host).strip("-") or "site"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _q(text: str) -> str:
    """A TOML basic string."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in text) + '"'


def _list(urls) -> str:
    return "[" + ", ".join(_q(u) for u in urls) + "]"


def site_table(key: str, found: dict) -> str:
    """The TOML of one [site.<key>] table from a probe's findings: start pages (the home page
    and the sections about the indexes), sitemaps, feeds. No pattern: the generic rules
    classify its pages."""
    lines = [f"[site.{key}]", f"name = {_q(found.get('name') or key)}"]
    if found.get("province"):
        lines.append(f"province = {_q(found['province'])}")
    if found.get("kind"):
        lines.append(f"kind = {_q(found['kind'])}")
    start = [found["home"]] + [url for url, *_ in found.get("sections", [])]
    lines.append(f"start = {_list(dict.fromkeys(start))}")
    if found.get("sitemaps"):
        lines.append(f"sitemaps = {_list(url for url, *_ in found['sitemaps'])}")
    if found.get("feeds"):
        lines.append(f"feeds = {_list(url for url, *_ in found['feeds'])}")
    if found.get("domains"):
        lines.append(f"domains = {_list(found['domains'])}")
    return "\n".join(lines) + "\n"


CRAWLER_TABLE = '''[crawler]
user_agent = "parindex/0.1"
# Who a site owner can write to when the crawler bothers them.
contact = {contact}
'''


def shipped_contact() -> str:
    """The contact address of the shipped sources file."""
    return load_sources(DEFAULT_PATH).user_agent.rsplit("(+", 1)[-1].rstrip(")")


def new_sources_text(contact: str | None) -> str:
    """The head of a new sources file: the [crawler] table, with the contact given or the
    shipped file's."""
    contact = contact or shipped_contact()
    return ("# Sites for parindex to crawl (see crawler/sources.toml for every key).\n\n"
            + CRAWLER_TABLE.format(contact=_q(contact)))


def append_site(path, key: str, table: str, contact: str | None = None) -> str:
    """Add `table` to the sources file at `path` (created with a [crawler] table when missing);
    the whole file is checked before it is written, and written whole or not at all.
    Returns the new text. Raises SourcesError."""
    path = Path(path)
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise SourcesError(f"{path}: cannot read: {err}") from None
    else:
        text = new_sources_text(contact)
    new = text.rstrip("\n") + "\n\n" + table
    import tomllib

    try:
        parse_sources(tomllib.loads(new), str(path))
    except tomllib.TOMLDecodeError as err:
        raise SourcesError(f"{path}: the table for {key!r} would not be valid TOML: {err}") from None
    folder = path.resolve().parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".sources-", suffix=".toml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(new)
        os.replace(temporary, path)
    except OSError as err:
        raise SourcesError(f"{path}: cannot write: {err.strerror or err}") from None
    return new
