"""Is a fetched article about administrative reform or governance indexes? A cheap test.

    relevance("Chỉ số CCHC năm 2023", text)   -> ["chi so cchc", ...]   (the phrases found)
    is_relevant(title, text)                   -> True / False
    title, text = page_text(html)              # the words a reader sees, menus and links left out

It runs on every fetched article, so it is phrases on accent-folded text, not extraction:
a page it keeps that holds no fact costs one failed extraction; a page it drops is lost,
so it leans towards keeping.
"""
import re
import unicodedata

from parsel import Selector

from parindex.store.fold import fold as search_fold

# One of these alone makes a page relevant: they name an index or its ranking.
INDEX_PHRASES = [
    r"chi so (cai cach|cc) ?(thu tuc )?hanh chinh", r"chi so cchc", r"par ?index", r"sipas", r"papi",
    r"pci", r"ddci", r"chi so hai long", r"nang luc canh tranh cap (tinh|huyen|so)",
    r"hieu qua quan tri va hanh chinh cong", r"quan tri (va )?hanh chinh cong",
    r"(xep hang|ket qua xac dinh|cong bo) chi so",
]
# The topic: relevant when it recurs (a passing mention in a sport story is not enough).
TOPIC_PHRASES = [r"cai cach hanh chinh", r"cchc", r"cai cach thu tuc hanh chinh", r"so noi vu",
                 r"mot cua", r"dich vu cong truc tuyen"]
TOPIC_MIN_HITS = 2

_INDEX = [(p, re.compile(rf"\b{p}\b")) for p in INDEX_PHRASES]
_TOPIC = [(p, re.compile(rf"\b{p}\b")) for p in TOPIC_PHRASES]

# Text inside these is chrome: menus, related-article lists, footers, scripts.
_CHROME = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "a", "select",
           "button", "template")
_TEXT_XPATH = "//body//text()[not({})]".format(" or ".join(f"ancestor::{t}" for t in _CHROME))


def fold(text: str) -> str:
    """store's search folding with one space: "Chỉ số  CCHC" -> "chi so cchc".
    Tone placement (hoà/hòa) and composed or decomposed input all fold to one spelling."""
    return re.sub(r"\s+", " ", search_fold(text)).strip()


def relevance(title: str, text: str) -> list[str]:
    """The (folded) phrases that make the page relevant; empty when it is not."""
    folded_title, folded_text = fold(title or ""), fold(text or "")
    both = f"{folded_title} \n {folded_text}"
    found = {m.group(0) for _, rx in _INDEX for m in rx.finditer(both)}
    if found:
        return sorted(found)
    in_title = {m.group(0) for _, rx in _TOPIC for m in rx.finditer(folded_title)}
    in_text = [m.group(0) for _, rx in _TOPIC for m in rx.finditer(folded_text)]
    if in_title or len(in_text) >= TOPIC_MIN_HITS:
        return sorted(in_title | set(in_text))
    return []


def is_relevant(title: str, text: str) -> bool:
    return bool(relevance(title, text))


def page_text(html, selector: Selector | None = None) -> tuple[str, str]:
    """(title, visible text without chrome) of an HTML page; pass the response's selector
    to reuse its parsed tree."""
    sel = selector if selector is not None else Selector(text=html if isinstance(html, str)
                                                         else html.decode("utf-8", "replace"))
    title = " ".join(sel.xpath("//title//text() | //h1//text()").getall())
    text = " ".join(t for t in sel.xpath(_TEXT_XPATH).getall() if not t.isspace())
    return unicodedata.normalize("NFC", title), unicodedata.normalize("NFC", text)
