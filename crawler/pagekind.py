"""After fetching: is the page an article (one main text under a title, with a date) or a
listing (many teasers, no main text)? It overrules a guess made from the URL alone.

    kind, why = page_kind(response.selector)
    # ("article", "one main text of 2,310 characters under a title, dated")
    # ("listing", "24 teasers and no main text")
    # (None, "...")  : not sure either way; the URL's guess stands

Cheap on purpose (the crawler asks it of every page it fetched on a guess): the paragraphs
outside links and navigation, grouped by the element that holds them, and the links whose
text reads like a headline.
"""
import re

from parsel import Selector

MAIN_TEXT = 400            # characters in one block: an article's body, not a teaser's lead
LONG_TEXT = 1200           # an article even without a date we can see
TEASERS = 6                # headline links (outside the navigation) that make a listing
HEADLINE_WORDS = 5

_PARAGRAPHS = ("//p[not(ancestor::a or ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
               " or ancestor::form or ancestor::li)]")
_TEASERS = "//a[not(ancestor::nav or ancestor::header or ancestor::footer)]"
_DATE_META = ("//meta[@property='article:published_time' or @itemprop='datePublished' or @name='pubdate'"
              " or @name='publishdate' or @property='og:updated_time']/@content | //time/@datetime")
_DATE_TEXT = re.compile(r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}(?!\d)|(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)")


def main_text_length(root) -> int:
    """The characters of the largest block of paragraphs that share one parent element."""
    blocks = {}
    for p in root.xpath(_PARAGRAPHS):
        text = " ".join("".join(p.itertext()).split())
        if text:
            parent = p.getparent()
            blocks[parent] = blocks.get(parent, 0) + len(text) + 1
    return max(blocks.values(), default=0)


def teaser_count(root) -> int:
    count = 0
    for a in root.xpath(_TEASERS):
        if len("".join(a.itertext()).split()) >= HEADLINE_WORDS:
            count += 1
    return count


def has_title(root) -> bool:
    return any("".join(h.itertext()).strip() for h in root.xpath("//h1")) or \
        bool(root.xpath("//meta[@property='og:title']/@content"))


def has_date(root, text_sample: str) -> bool:
    return bool(root.xpath(_DATE_META)) or bool(_DATE_TEXT.search(text_sample))


def page_kind(selector: Selector) -> tuple[str | None, str]:
    root = selector.root
    if root is None or not hasattr(root, "xpath"):
        return None, "not an HTML page"
    main = main_text_length(root)
    teasers = teaser_count(root)
    if main >= MAIN_TEXT and has_title(root):
        body = root.find("body")
        sample = " ".join(" ".join(body.itertext()).split())[:4000] if body is not None else ""
        dated = has_date(root, sample)
        if dated or main >= LONG_TEXT:
            return "article", f"one main text of {main:,} characters under a title{', dated' if dated else ''}"
    if teasers >= TEASERS and main < MAIN_TEXT:
        return "listing", f"{teasers} teasers and no main text"
    return None, f"neither: {main:,} characters of main text, {teasers} teasers"
