"""Prepare a news page's DOM for trafilatura.

Three things trafilatura gets wrong on Vietnamese portals, fixed here before it runs:
- lists of other headlines ("Tin liên quan", "Các tin khác", "Cùng chuyên mục") inside the
  article's container, whose headlines carry ranks of other units;
- layout tables (portals built with <table>): trafilatura reads the whole page as one table;
- the lead (sapo) paragraph, which it drops although it often states the main result.
"""
import re

import lxml.html
from lxml import etree

from parindex.model.normalize import nfc

RELATED_HEADINGS = re.compile(
    r"^\s*(?:tin|bài viết|bài|tin tức)?\s*(?:liên quan|cùng chuyên mục|cùng chủ đề|khác|mới|mới nhất|đọc nhiều|"
    r"xem nhiều|nổi bật|tiêu điểm|cùng danh mục)\s*:?\s*$|^\s*(?:các|những)\s+(?:tin|bài)\s+(?:khác|đã đưa|liên quan|mới)"
    r"|^\s*(?:đọc|xem)\s+thêm\s*:?\s*$|^\s*tin\s+cùng\s+(?:chuyên mục|chủ đề|danh mục)|^\s*có thể bạn quan tâm",
    re.IGNORECASE)
LEAD_CLASS = re.compile(r"sapo|lead|summary|excerpt|tomtat|tom-tat|chapeau|description|intro|abstract|\bspo\b|desc\b",
                        re.IGNORECASE)
BLOCK = {"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "form", "br"}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def parse(html: str):
    """lxml tree of the page (text NFC-normalised first, so every offset later is NFC)."""
    html = nfc(html)
    # lxml refuses str input that declares an encoding, and control characters (text pasted from
    # a word processor brings \x0b): neither is article text
    html = _CONTROL.sub(" ", re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as err:
        raise ValueError(f"not parseable as HTML: {err}") from None


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _link_text_len(el) -> int:
    return sum(len(_text(a)) for a in el.iter("a"))


def remove_related(tree) -> None:
    """Drop blocks headed 'Tin liên quan', 'Các tin khác', ... and the headline lists after them."""
    labels = []
    for el in tree.iter():
        # the label is the element's own text ("<h3>Tin liên quan</h3>", "<td><b>Các tin khác</b>")
        own = (el.text or "").strip() if isinstance(el.tag, str) else ""
        if own and len(own) <= 40 and RELATED_HEADINGS.search(own):
            labels.append((el, own))
    for label, own in labels:
        if label.getparent() is None:
            continue
        node = label
        # climb while the ancestor is the label plus links (a related-news box)
        while node.getparent() is not None and node.getparent().tag not in ("body", "html"):
            parent = node.getparent()
            rest = len(_text(parent)) - len(own)
            if rest <= 0 or _link_text_len(parent) >= 0.5 * rest:
                node = parent
            else:
                break
        # siblings after the label that are headline links belong to the list too
        for sib in list(node.itersiblings()):
            if not isinstance(sib.tag, str):
                continue
            text = _text(sib)
            if not text or _link_text_len(sib) >= 0.5 * len(text):
                sib.drop_tree()
            else:
                break
        if node.getparent() is not None:
            node.drop_tree()


def _owner_table(el):
    anc = el.getparent()
    while anc is not None and anc.tag != "table":
        anc = anc.getparent()
    return anc


def _is_layout(table) -> bool:
    for cell in table.iter("td", "th"):
        if _owner_table(cell) is not table:
            continue
        if any(isinstance(c.tag, str) and c.tag in BLOCK - {"br"} for c in cell):
            return True
        if len(_text(cell)) > 250:
            return True
    return False


def unwrap_layout_tables(tree) -> None:
    """Turn tables used for page layout into divs; ranking tables (short cells) stay tables."""
    for table in list(tree.iter("table")):
        if _is_layout(table):
            own = [e for e in table.iter("tr", "td", "th", "tbody", "thead", "tfoot") if _owner_table(e) is table]
            for el in [table] + own:
                el.tag = "div"
                for attr in ("width", "height", "valign", "colspan", "rowspan", "cellpadding", "cellspacing"):
                    el.attrib.pop(attr, None)


def find_lead(tree) -> str | None:
    """The sapo: a short block with a lead-like class, or a long <h2> right after the <h1>."""
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "script", "style", "head", "title"):
            continue
        cls = (el.get("class") or "") + " " + (el.get("id") or "")
        if LEAD_CLASS.search(cls):
            text = _text(el)
            if 60 <= len(text) <= 800 and _link_text_len(el) < 0.3 * len(text):
                return text
    for h1 in tree.iter("h1"):
        nxt = h1.getnext()
        while nxt is not None and not (isinstance(nxt.tag, str) and _text(nxt)):
            nxt = nxt.getnext()
        if nxt is not None and nxt.tag in ("h2", "strong", "b") and len(_text(nxt)) >= 60:
            return _text(nxt)
    return None
