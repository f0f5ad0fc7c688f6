"""Who published an article: the publisher's name, and its home page on the public web."""
from urllib.parse import urlsplit


def site_of(url, site_name=None, source=None, article_id=None) -> str:
    """The publisher of an article: the site name the page states (trafilatura's sitename),
    else the host of its URL ("www." dropped), else the crawl source. The name comes first
    because a mirror or a local copy (the offline corpus on 127.0.0.1) hosts many publishers."""
    if site_name and site_name.strip():
        return " ".join(site_name.split())
    host = urlsplit(url).hostname if url else None
    if host:
        return host[4:] if host.startswith("www.") else host
    return source or f"article-{article_id}"


def site_home(url) -> str | None:
    """https://host/ of an article on the public web; None for a local or missing address."""
    parts = urlsplit(url) if url else None
    if not parts or not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    if parts.hostname in ("localhost", "::1") or parts.hostname.startswith("127."):
        return None
    return f"{parts.scheme}://{parts.hostname}/"
