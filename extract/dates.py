"""The article's own publication date (FACTS.md convention 11).

Not the page header's "today" ("Thứ sáu, 14/06/2024" above the menu, "Hôm nay, ..."), not
an event date in the body ("Ngày 20/3/2023, Chủ tịch UBND tỉnh ký ..."), not the date of a
related headline ("(15/03/2023)"), not a comment's time. In order of trust:
1. the page's metadata (article:published_time, JSON-LD datePublished, <time datetime>);
2. the first date line after the title (a byline, "Ngày đăng:", "Cập nhật ngày", a dateline);
3. a labelled date anywhere ("Ngày đăng", "Xuất bản", "Cập nhật").
"""
import datetime as dt
import json
import re

_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)(?![\d/])")
_YEAR = re.compile(r"(?:19|20)\d\d")
_ISO = re.compile(r"((?:19|20)\d\d)-(\d{2})-(\d{2})")
_WORDY = re.compile(r"\d{1,2}\s+tháng\s+(?:\d{1,2}|một|hai|ba|tư|năm|sáu|bảy|tám|chín|mười|mười một|mười hai)\s*,?\s*(?:năm\s+)?(?:19|20)\d\d",
                    re.IGNORECASE)
_LABEL = re.compile(r"ngày đăng|ngày xuất bản|xuất bản|đăng ngày|đăng lúc|cập nhật|ngày cập nhật|posted|published|tin đăng lúc",
                    re.IGNORECASE)
# a site's "today" line: labelled so, or beside the weather ("Thứ Hai, 12/05/2025 | Hà Nội 27°C")
_POSTED = re.compile(r"ngày đăng|đăng ngày|đăng lúc|ngày xuất bản|xuất bản|tin đăng lúc", re.IGNORECASE)
_WEEKDAY_DATE = re.compile(r"^\s*(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|cn)\s*,?\s*(?:ngày\s+)?\d", re.IGNORECASE)
_TODAY = re.compile(r"hôm nay|\d\s*°\s*[CF]\b", re.IGNORECASE)
_TODAY_CLASS = re.compile(r"today|\bnow\b|date-now|dt-now|current|hien-tai|hom-nay|topbar|header-date|curdate|cur-date",
                          re.IGNORECASE)
_EVENT = re.compile(r"^\s*(?:sáng|chiều|tối|trưa)?\s*(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?\s*,", re.IGNORECASE)
META_KEYS = ("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate",
             "dc.date.issued", "dcterms.created", "date", "sailthru.date", "parsely-pub-date")


def _valid(y, m, d):
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """First full date in text, as YYYY-MM-DD: d/m/yyyy (day first), ISO, or Vietnamese words."""
    if not text or not _YEAR.search(text):
        return None   # most pieces of a page hold no year: one cheap test instead of four
    m = _ISO.search(text)
    if m:
        return _valid(*m.groups())
    m = _NUMERIC.search(text)
    if m:
        return _valid(m.group(3), m.group(2), m.group(1))
    m = _WORDY.search(text)
    if m:
        import dateparser  # imported late: about 100 ms to load, rarely needed
        found = dateparser.parse(m.group(0), languages=["vi"], settings={"DATE_ORDER": "DMY"})
        return found.date().isoformat() if found else None
    if re.search(r"tháng\s+(?:một|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)", text, re.IGNORECASE) and re.search(r"(?:19|20)\d\d", text):
        import dateparser
        found = dateparser.parse(text.strip(), languages=["vi"], settings={"DATE_ORDER": "DMY"})
        return found.date().isoformat() if found else None
    return None


def from_metadata(tree) -> str | None:
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in META_KEYS:
            found = parse_date(meta.get("content") or "")
            if found:
                return found
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                found = parse_date(str(item["datePublished"]))
                if found:
                    return found
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("itemprop", "").lower() == "datepublished" and (el.get("datetime") or el.get("content")):
            found = parse_date(el.get("datetime") or el.get("content"))
            if found:
                return found
    for time in tree.iter("time"):
        if time.get("datetime") and not _in_today_block(time):
            found = parse_date(time.get("datetime"))
            if found:
                return found
    return None


def _in_today_block(el) -> bool:
    node = el
    for _ in range(4):
        if node is None or not isinstance(node.tag, str):
            break
        if _TODAY_CLASS.search((node.get("class") or "") + " " + (node.get("id") or "")):
            return True
        node = node.getparent()
    return False


VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::select or ancestor::textarea)]"


def text_chunks(tree):
    """(text, element) of every piece of visible text of the body, in document order."""
    out = []
    for piece in tree.xpath(VISIBLE_TEXT):
        text = piece.strip()
        if text:
            out.append((text, piece.getparent()))
    return out


def _norm(text):
    return re.sub(r"\W+", " ", text or "").strip().lower()


def _date_of_chunk(chunks, i) -> str | None:
    """The article date in chunk i, if the chunk is a date line and not a header, event or list date."""
    text, el = chunks[i]
    found = parse_date(text)
    if not found:
        return None
    label_before = i > 0 and len(chunks[i - 1][0]) < 30 and _LABEL.search(chunks[i - 1][0])
    if _TODAY.search(text) or _in_today_block(el):
        return None
    if len(text) > 90 and not _LABEL.search(text[:30]):
        return None   # a date inside prose: an event, a decision
    if _EVENT.match(text) and not label_before:
        return None
    if re.fullmatch(r"\(\s*[\d/.\- ]+\)", text):
        return None   # "(15/03/2023)": a related headline's date
    return found


def from_chunks(chunks, title: str | None) -> str | None:
    """Rule 2 then rule 3 over the page's text pieces (HTML) or lines (plain text)."""
    start = None
    if title:
        t = _norm(title)
        for i, (text, el) in enumerate(chunks):
            n = _norm(text)
            if n and (n == t or (len(n) >= 20 and (t.startswith(n) or n.startswith(t)))):
                start = i
                if getattr(el, "tag", None) in ("h1", "h2") or start is not None:
                    break
    if start is not None:
        for i in range(start + 1, min(len(chunks), start + 40)):
            found = _date_of_chunk(chunks, i)
            if found:
                # "Thứ Sáu, 23/02/2024 | Tên báo" then "Đăng ngày: 20/02/2024": a weekday's date
                # may be the site's today; the date the page says it posted is the article's
                if _WEEKDAY_DATE.match(chunks[i][0]):
                    for j in range(i + 1, min(len(chunks), i + 4)):
                        if _POSTED.search(chunks[j][0][:30]) or (_POSTED.search(chunks[j - 1][0]) and len(chunks[j - 1][0]) < 30):
                            posted = _date_of_chunk(chunks, j)
                            if posted:
                                return posted
                return found
    for i, (text, el) in enumerate(chunks):
        labelled = _LABEL.search(text[:30]) or (i > 0 and len(chunks[i - 1][0]) < 30 and _LABEL.search(chunks[i - 1][0]))
        if labelled:
            found = _date_of_chunk(chunks, i)
            if found:
                return found
    return None


def html_published(tree, title: str | None, chunks=None) -> str | None:
    """chunks: text_chunks(tree), when the caller has them already."""
    return from_metadata(tree) or from_chunks(chunks if chunks is not None else text_chunks(tree), title)
