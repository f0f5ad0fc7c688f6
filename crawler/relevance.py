"""Is a fetched article about the indexes? The crawler's question, answered by the one topic test.

    title, text = page_text(html)     # the words a reader sees, menus and links left out
    is_relevant(title, text)          # -> True / False (model/topic.py: about_indexes)

The test itself is the extractor's (parindex.model.topic): a page the crawler keeps is a page
the extractor reads, and a page it drops is one whose text never names an index. The crawler's
own part is which text it looks at: what a reader sees of the article, not the site's menus,
related-article links, forms or footers, which name the topic on every page of a portal.
"""
import unicodedata

from parsel import Selector

from parindex.model.topic import about_indexes

# Text inside these is chrome: menus, related-article lists, footers, scripts.
_CHROME = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "a", "select",
           "button", "template")
_TEXT_XPATH = "//body//text()[not({})]".format(" or ".join(f"ancestor::{t}" for t in _CHROME))


def is_relevant(title: str, text: str) -> bool:
    return about_indexes(title, text)


def page_text(html, selector: Selector | None = None) -> tuple[str, str]:
    """(title, visible text without chrome) of an HTML page; pass the response's selector
    to reuse its parsed tree."""
    sel = selector if selector is not None else Selector(text=html if isinstance(html, str)
                                                         else html.decode("utf-8", "replace"))
    title = " ".join(sel.xpath("//title//text() | //h1//text()").getall())
    text = " ".join(t for t in sel.xpath(_TEXT_XPATH).getall() if not t.isspace())
    return unicodedata.normalize("NFC", title), unicodedata.normalize("NFC", text)
