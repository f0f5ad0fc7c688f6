"""The links of a fetched page, each with its anchor text and where it sits on the page.

    for link in page_links(response.selector):
        link.href, link.anchor, link.place     # "/tin-a1.html", "Huyện X dẫn đầu ...", "body"

`place` is "menu", "breadcrumb", "header" or "footer" for the site's navigation (a <nav>,
<header> or <footer>, or an element whose class or id says menu, breadcrumb, header,
footer), else "body". Read once per page with lxml: a home page has hundreds of links.
"""
import re
from dataclasses import dataclass

from parsel import Selector

_CHROME = re.compile(r"breadcrumb|menu|navbar|\bnav\b|footer|header|topbar|sitemap", re.IGNORECASE)
_CHROME_TAGS = {"nav": "menu", "header": "header", "footer": "footer"}
_SKIP = ("javascript:", "mailto:", "tel:", "#", "data:", "sms:", "zalo:")


@dataclass(frozen=True)
class Link:
    href: str
    anchor: str | None = None
    place: str | None = None      # None: not seen on a page (a feed or sitemap entry)


def _place_of(element) -> str | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _CHROME_TAGS:
        return _CHROME_TAGS[tag]
    names = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"))))
    if not names:
        return None
    found = _CHROME.search(names)
    if not found:
        return None
    word = found.group(0).lower()
    if word == "breadcrumb":
        return "breadcrumb"
    if word in ("footer", "header"):
        return word
    return "menu"


def page_links(selector: Selector) -> list[Link]:
    root = selector.root
    if root is None or not hasattr(root, "iter"):
        return []
    places = {}   # element -> place, for every ancestor already looked at
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP):
            continue
        place = "body"
        for ancestor in a.iterancestors():
            if ancestor not in places:
                places[ancestor] = _place_of(ancestor)
            if places[ancestor]:
                place = places[ancestor]
                break
        text = " ".join(" ".join(a.itertext()).split()) or (a.get("title") or "").strip() or None
        out.append(Link(href, text, place))
    return out
