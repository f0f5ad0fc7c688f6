"""Who published an article: the publisher's name, and its home page on the public web."""
import re
import tomllib
from urllib.parse import urlsplit

# Sites of these kinds (sources.toml) carry many publishers' articles: their own name says
# nothing of who wrote an article.
MANY_PUBLISHERS = {"local", "aggregator"}
# "Báo Nghệ An điện tử" is "Báo Nghệ An": what a paper calls its web edition.
_HOSTLIKE = re.compile(r"[\w.-]+\.[\w-]+(?::\d+)?|localhost(?::\d+)?")
_EDITION = re.compile(r"\s*[-–|:]?\s*(?:điện tử|online|trực tuyến|\(online\))\s*$", re.IGNORECASE)


def publishers(paths=None) -> dict:
    """{site key of a sources file: (its name, its kind)} from parindex's own sources file and
    the bundled demo site's (or the files given). A file that cannot be read adds nothing: the
    publisher is then told by the page itself."""
    if paths is None:
        from parindex.crawler.localsite import CORPUS_SOURCES
        from parindex.crawler.sources import DEFAULT_PATH
        paths = [DEFAULT_PATH, CORPUS_SOURCES]
    out = {}
    for path in paths:
        try:
            with open(path, "rb") as handle:
                sites = tomllib.load(handle).get("site") or {}
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for key, table in sites.items():
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                out.setdefault(key, (table["name"], table.get("kind")))
    return out


def publisher_name(name: str | None, title: str | None = None) -> str | None:
    """A site name as a page states it, or None when it is no name: whitespace made single,
    "điện tử"/"Online" editions folded into their paper, an article's title (which some
    pages put where the site name goes) dropped."""
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    if _HOSTLIKE.fullmatch(name):  # some pages give their host ("127.0.0.1:8000") as the name
        return _public_host(f"http://{name}/")
    if title and (name == " ".join(title.split()) or len(name) > 80):
        return None
    return _EDITION.sub("", name) or name


def _public_host(url) -> str | None:
    parts = urlsplit(url) if url else None
    if not parts or not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    host = parts.hostname
    if host in ("localhost", "::1") or host.startswith("127."):
        return None
    return host[4:] if host.startswith("www.") else host


def site_of(url, site_name=None, source=None, article_id=None, title=None, publishers=None) -> str:
    """The publisher of an article, in this order:

    1. the name in sources.toml of the site it was crawled from ("Báo Tây Ninh"), unless that
       site carries many publishers' articles (an aggregator, the bundled demo site);
    2. the site name the page states, cleaned (publisher_name);
    3. the host of its URL on the public web ("www." dropped);
    4. the name of a site on this machine in sources.toml, else the crawl source.
    """
    known = (publishers or {}).get(source)
    if known and known[1] not in MANY_PUBLISHERS:
        return known[0]
    stated = publisher_name(site_name, title)
    if stated:
        return stated
    host = _public_host(url)
    if host:
        return host
    if known:
        return known[0]
    return source or f"article-{article_id}"


def site_home(url) -> str | None:
    """https://host/ of an article on the public web; None for a local or missing address."""
    host = _public_host(url)
    if not host:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/"
