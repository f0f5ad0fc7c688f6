"""A page saved as plain text -> its title, publication date and article lines.

A text saved from a news site keeps the site around the article, in this order: the site's
name, a header line with today's date, menus ("Trang chủ | Thời sự | ..."), a breadcrumb
("Thời sự > Chính trị"), then the title, a byline or date line, the article, and after it
lists of other headlines ("Tin liên quan"), comment boxes and the footer. Portals and
aggregators leave out any of these, so each is recognised by its own shape, not by place.
"""
import re

from parindex.extract import dates
from parindex.extract.html import RELATED_HEADINGS
from parindex.extract.rules import load_rules
from parindex.model.normalize import fold_tones
from parindex.model.places import is_province

_WEEKDAY = re.compile(r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật|hôm nay)\b", re.IGNORECASE)
# a label or a control of the page, not article text
_CHROME = re.compile(
    r"^(?:lượt xem|số lượt xem|chia sẻ|in bài|cỡ chữ|gửi bài|lưu bài|(?:đọc|theo dõi) .{0,40}google news|"
    r"hotline|email|điện thoại|fax|địa chỉ|bản quyền|©|giấy phép|cơ quan chủ quản|liên kết website|"
    r"thống kê truy cập|lượt truy cập|đang online|trang chủ\s*[>|]|trang:\s*\d)", re.IGNORECASE)
# the article ends at a line that opens a list of other headlines, comments or tags
_END = re.compile(
    r"^(?:bình luận(?:\s*\(\d+\))?|ý kiến bạn đọc|gửi bình luận|hãy bình luận.*|viết bình luận|"
    r"tags?|từ khóa|từ khoá|chủ đề|tin bài cuối cùng|không còn dữ liệu.*|"
    r"(?:video|bài|tin|ảnh)\s+(?:khác|liên quan|cùng chuyên mục|cùng chủ đề)|cùng chủ đề|bài viết cùng chủ đề|"
    r"đọc nhiều(?: nhất)?.*|xem nhiều(?: nhất)?|tin mới(?: nhất)?|tiêu điểm|(?:tin )?cùng dòng sự kiện)\s*:?(?:\s.*)?$",
    re.IGNORECASE)
_SOURCE = re.compile(r"^(?:nguồn|theo)\s*:?\s*$", re.IGNORECASE)
# "Hà Nội (TTXVN 2/4/2024) Theo kết quả ...": the dateline of a wire story
_DATELINE = re.compile(r"^[^()\n]{0,40}\(\s*[A-ZĐ][\w.&-]{1,15}\s+(\d{1,2}/\d{1,2}/(?:19|20)\d\d)\s*\)")


# "BẮC GIANG - 14/03/2025 | 10:32", "Lâm Đồng | 22/01/2025": a date line that opens with the
# place the report is filed from
_PLACE_FIRST = re.compile(r"^\s*([^\W\d][^\W\d]*(?:[ .'-]+[^\W\d]+){0,4}?)\s*[-–|,]\s*\d{1,2}/\d{1,2}/(?:19|20)\d\d")


_BOX_HEADLINES = 6   # the most headlines a box inside an article lists


def _dateline_place(line: str) -> str | None:
    """The province a date line opens with, as the text names it (in its capitals), else None."""
    m = _PLACE_FIRST.match(line)
    if m is None or not is_province(m.group(1)):
        return None
    place = m.group(1)
    return place.title() if place.isupper() and "." not in place else place   # "TP.HCM" as written


def is_menu(line: str, next_line: str = "") -> bool:
    """'Trang chủ | Thời sự | Kinh tế': cells of words. A table's header row has cells of words
    too, but the row under it has as many cells, with numbers."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 3 and not line.startswith("☰"):
        return False
    if next_line.count("|") >= 2 and abs(next_line.count("|") - line.count("|")) <= 1 and re.search(r"\d", next_line):
        return False
    return all(len(c) <= 40 and not re.search(r"\d", c) for c in cells if c)


def is_breadcrumb(line: str) -> bool:
    return " > " in line and len(line) <= 120 and not re.search(r"[.;]\s", line)


def is_header_date(line: str) -> bool:
    """'Thứ Sáu, 28/05/2021', 'Hôm nay: Thứ Hai, 14/09/2015': the site's today, above the title."""
    return len(line) <= 90 and bool(dates.parse_date(line)) and bool(_WEEKDAY.search(line) or len(line) <= 25)


def is_chrome(line: str) -> bool:
    """A label or control of the page inside the article's stretch (menus are above it)."""
    return is_breadcrumb(line) or bool(_CHROME.match(line.strip(" •*-")))


def _is_date_line(line: str) -> bool:
    """A byline or date line: a full date and little else."""
    return len(line) <= 60 and bool(dates.parse_date(line)) and len(line.split()) <= 12


def _is_end(line: str) -> bool:
    bare = line.strip(" •*-:")
    return len(bare) <= 60 and bool(_END.match(bare) or RELATED_HEADINGS.search(bare) or _SOURCE.match(bare))


def _looks_like_title(line: str) -> bool:
    words = [w for w in line.split() if re.search(r"\w", w)]
    if len(words) < 5 or len(line) > 200 or line.startswith(("-", "•", "+")):
        return False
    if line.startswith(("(", "[")) and not re.match(r"[(\[][^()\[\]]{1,20}[)\]]\s*(?![-–])\w", line):
        return False   # "(Interactive) ...", "[Infographics] ..." open headlines; "(TTXVN) - ..." a lead
    if line.rstrip().endswith((".", ":", ";", ",")) and not line.rstrip().endswith("..."):
        return False   # a sentence of the article, not a headline
    if is_chrome(line) or is_menu(line) or _is_date_line(line):
        return False
    if line.isupper() and len(words) <= 6:
        return False   # a section's name: "DOANH NHÂN", "CHUYÊN MỤC TUYÊN TRUYỀN"
    return True


def find_title(lines: list[str]) -> int | None:
    """Index of the title: the first headline after the site's header block (name, date, menus)."""
    top = 0
    for i, line in enumerate(lines[:12]):
        if is_menu(line, lines[i + 1] if i + 1 < len(lines) else "") or is_breadcrumb(line):
            top = i + 1
        elif len(line) > 150:
            break   # the article has begun: menus below it are the footer's
    if top == 0:
        # no menu: a date line above the first headline is the header's today
        for i, line in enumerate(lines[:4]):
            if _looks_like_title(line):
                break
            if is_header_date(line):
                top = i + 1
    for i in range(top, min(len(lines), top + 15)):
        if _looks_like_title(lines[i]):
            return i
        if len(lines[i]) > 150 and not is_menu(lines[i]):
            return None   # the article began without a headline
    return None


def read_text_page(lines: list[str]) -> dict:
    """{'title', 'published', 'body'} of a page's normalised lines; body is a list of lines."""
    title_at = find_title(lines)
    start = title_at + 1 if title_at is not None else 0
    end = len(lines)
    boxes = set()   # the lines of boxes of other headlines inside the article
    for i in range(start, len(lines)):
        if i in boxes or not (i > start and _is_end(lines[i])):
            continue
        resume = _box_inside(lines, i)
        if resume is None:
            end = i
            break
        boxes.update(range(i, resume))
    published = _published(lines, title_at, end)
    body = []
    for i in range(start, end):
        line = lines[i]
        if i - start < 6 and _is_date_line(line) and _dateline_place(line):
            body.append(_dateline_place(line))   # "BẮC GIANG - 14/03/2025": the place the report is from
            continue
        if i in boxes or is_chrome(line) or (i - start < 6 and _is_date_line(line)):
            continue
        if body and line == body[-1]:
            continue   # a caption or a heading printed twice
        if title_at is not None and line == lines[title_at]:
            continue
        body.append(line)
    if title_at is not None:
        return {"title": lines[title_at], "published": published, "body": body}
    # no headline below the site's header block: a text saved with its headline first, above
    # the portal's name and menus ("Xã A xếp thứ ba ..." / "CỔNG THÔNG TIN ĐIỆN TỬ XÃ A" /
    # "Trang chủ > Tin tức"), has it on its first line (a site's name in capitals is none). The
    # date is still looked for as on a page without a headline: the header's today is no date
    # of the article's
    first = _headline_first(lines)
    if first is not None and body and body[0] == first:
        return {"title": first, "published": published, "body": body[1:]}
    return {"title": None, "published": published, "body": body}


def _box_inside(lines: list[str], at: int) -> int | None:
    """Where the article goes on after a box of other headlines set inside it, when the label at
    lines[at] ("Tin liên quan", "Xem thêm") opens one: a few headlines under it, then the
    article's prose again (as extract/html.py leaves such a box out of an HTML page). None: the
    label ends the article."""
    if not load_rules().markers["related_link"].match(fold_tones(lines[at])):
        return None
    for j in range(at + 1, min(len(lines), at + 2 + _BOX_HEADLINES)):
        if is_prose(lines[j]):
            return j if j > at + 1 else None   # prose right under the label: no box
        if _is_end(lines[j]) or len(lines[j]) > 200:
            return None
    return None


def _headline_first(lines: list[str]) -> str | None:
    """The first line, where it is a headline above a header block of menus or a breadcrumb."""
    if not lines or not _looks_like_title(lines[0]) or lines[0].isupper():
        return None
    if any(is_menu(line, lines[i + 1] if i + 1 < len(lines) else "") or is_breadcrumb(line)
           for i, line in enumerate(lines[1:12], start=1)):
        return lines[0]
    return None


def is_prose(line: str) -> bool:
    """A paragraph of an article, not a headline: long, and ending as a sentence ends."""
    return len(line) >= 120 and line.rstrip().endswith((".", "!", "?", ":", "…"))


def without_other_headlines(lines: list[str]) -> list[str]:
    """Lines of an article's text without the lists of other headlines that main-text extraction
    kept ("Cùng chuyên mục" and the headlines under it, in an HTML page): from such a heading
    to the next paragraph of prose."""
    out, skipping = [], False
    for line in lines:
        if out and _is_end(line):
            skipping = True
            continue
        if skipping and not is_prose(line):
            continue
        skipping = False
        out.append(line)
    return out


def _published(lines, title_at, end) -> str | None:
    """The first date line after the title, a wire dateline, else a labelled date before the lists."""
    article = lines[:end]
    if title_at is not None:
        chunks = [(line, None) for line in article[title_at:]]
        found = dates.from_chunks(chunks, article[title_at])
        if found:
            return found
    for line in article[(title_at or 0):]:
        m = _DATELINE.match(line)
        if m:
            found = dates.parse_date(m.group(1))
            if found:
                return found
    found = dates.from_chunks([(line, None) for line in article[(title_at or 0):]], None)
    if found:
        return found
    # Some sites print the date above the headline, below their menus; a page with neither
    # menu nor headline starts with its date.
    menus = [i for i, line in enumerate(lines[:12]) if is_menu(line) or is_breadcrumb(line)]
    first = menus[-1] + 1 if menus else 0
    # (no headline found: the date line right below the menus is the article's)
    last = title_at if title_at is not None else min(len(lines), max(3, first + 2))
    if menus or title_at is None:
        for line in lines[first:last]:
            if _is_date_line(line) and not dates._TODAY.search(line):
                return dates.parse_date(line)
    return None
