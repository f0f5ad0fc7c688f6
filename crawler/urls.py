"""Canonical URLs: one spelling per page, so a page is stored and fetched once.

    canonical("https://Bao.vn/a-1.html?utm_source=fb#top")  -> "https://bao.vn/a-1.html"
    canonical(url, site.variants)                            # also folds print/AMP/mobile copies
"""
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Parameters that say where a reader came from, never which page they read.
# zarsrc/gidzl: Zalo, which most Vietnamese outlets share to.
TRACKING = re.compile(r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|"
                      r"zarsrc|gidzl|igshid|ref|ref_src|cmpid|at_medium|at_campaign|itm_[a-z_]+)$",
                      re.IGNORECASE)


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: where its robots.txt and sitemap.xml are."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def canonical(url: str, variants=()) -> str:
    """Lower-case host, no fragment, no tracking parameters, sorted query, then the
    site's declared duplicate shapes folded onto the article URL."""
    url = canonicalize_url(strip_tracking(url.strip()), keep_fragments=False)
    parts = urlsplit(url)
    if parts.hostname and parts.netloc != parts.netloc.lower():
        url = urlunsplit(parts._replace(netloc=parts.netloc.lower()))
    for variant in variants:
        url = variant.match.sub(variant.replace, url)
    return url
