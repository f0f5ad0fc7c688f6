"""Is a link an article, a listing, or neither? Decided without any pattern of the site's.

    classify("https://baotayninh.vn/kim-anh-dan-dau-a173904.html")
        -> Verdict(kind="article", reason="a headline ending in an id (-a173904)")
    classify("https://baodauthau.vn/chi-so-cai-cach-hanh-chinh-tag2225.html").kind     -> "listing"
    classify("https://nvsk.vnanet.vn/print/ten-bai-144407.vna")
        -> Verdict(kind="ignored", reason="a print copy", canonical="https://nvsk.vnanet.vn/ten-bai-144407.vna")
    classify(url, anchor="Huyện Kim Thành dẫn đầu chỉ số CCHC", place="body", site=site)

Articles are what the crawler fetches once and keeps when relevant; listings (home, section,
tag and category pages, their pagination) are what it reads for links, again on every run;
the rest (files, feeds, login and contact pages, print and AMP copies of articles, English
editions) it leaves alone. The rules, in the order they are tried:

1. the site's own `ignore`, `article` and `listing` patterns of sources.toml, when it has any
   (overrides for the rare site these rules get wrong);
2. what courlan (trafilatura's URL filter) knows: files, feeds, login and contact pages,
   navigation (tag, category, author, archive pages and pagination);
3. print and AMP copies, and the Vietnamese words for tags, sections, pagination, search,
   login, contact;
4. the article shapes of Vietnamese CMSs: a headline slug ending in an id with or without a
   letter prefix (`-a173904`, `-post224282`, `-5120467`), the id in a folder
   (`/243/245046/Ten-bai.aspx`), a dated folder (`/202311/`, `/2023/01/`, `/2023-4-24/`),
   the id in the query string (`View_Detail.aspx?ItemID=54`, `Default.aspx?tabid=212&ID=2417`,
   `?gd=4&cn=118&tc=40217`), Liferay (`/-/view-article/`, `/asset_publisher/…/content/`),
   SharePoint (`/Pages/2023-4-24/Ten-bai.aspx`), the extensions of one CMS each (`.epi`,
   `.vna`, `.vnp`, `.chn`, `.antd`, `.vov`), a long headline slug;
5. where the link sits and what it says, when known (a crawl knows; `sources check` does
   not): menu, breadcrumb, header and footer links are navigation; a body link whose anchor
   reads like a headline leads to an article;
6. what is left: a short name without an id is a section (a listing).

After fetching, the page itself may still overrule the URL (crawler/pagekind.py).
"""
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from courlan.filters import is_navigation_page, is_not_crawlable

from parindex.model.normalize import search_key

ARTICLE, LISTING, IGNORED = "article", "listing", "ignored"
# Where a link sits on its page; everything but "body" is the site's navigation.
NAVIGATION_PLACES = {"menu", "breadcrumb", "header", "footer"}


@dataclass(frozen=True)
class Verdict:
    kind: str                      # article | listing | ignored
    reason: str                    # why, for a person: "a headline ending in an id (-a173904)"
    canonical: str | None = None   # a print or AMP copy: the article it copies, when the URL says
    strong: bool = True            # False: decided by a headline's length alone (a menu link overrules it)


# ── words ────────────────────────────────────────────────────────────────────

# One CMS each, and only for its article pages (their tag pages are caught before).
ARTICLE_EXTENSIONS = {".epi": "Báo Mới", ".vna": "TTXVN", ".vnp": "VietnamPlus", ".chn": "VCCorp (CafeF, Soha)",
                      ".antd": "An ninh Thủ đô", ".vov": "VOV", ".ldo": "Lao Động", ".tpo": "Tiền Phong"}
PAGE_EXTENSIONS = {"", ".html", ".htm", ".shtml", ".aspx", ".asp", ".php", ".jsp", ".do", ".cfm"} | set(ARTICLE_EXTENSIONS)
FILE_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf", ".zip", ".rar",
                   ".7z", ".gz", ".tar", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".tif",
                   ".tiff", ".ico", ".mp3", ".mp4", ".m4a", ".avi", ".mov", ".wmv", ".flv", ".webm", ".ogg",
                   ".css", ".js", ".json", ".xml", ".txt", ".csv", ".swf", ".woff", ".woff2", ".ttf", ".eot",
                   ".exe", ".apk", ".dmg"}
# Path segments of tag, topic and category pages (unaccented, as slugs are).
TAG_SEGMENTS = {"tag", "tags", "hashtag", "hashtags", "tu-khoa", "tukhoa", "keyword", "keywords", "topic", "topics",
                "chu-de", "chude", "category", "categories", "cat", "chuyen-muc", "chuyenmuc", "danh-muc",
                "danhmuc", "author", "tac-gia", "tacgia", "archive", "archives", "luu-tru",
                "timeline"}
TAG_NAME = re.compile(r"(?:^|[-_])(?:tag|tags|hashtag|topic|chu-?de|tp)-?\d+$|(?:^|[-_])news-tag\d*$|^tag-", re.I)
PAGINATION_KEYS = {"page", "trang", "pageindex", "pagenum", "pagenumber", "pageno", "page_no", "pg", "paged",
                   "cur", "_cur", "currentpage", "curpage", "offset", "start", "p_page", "pagesize", "paging"}
PAGINATION_SEGMENT = re.compile(r"^(?:page|trang|p)[-_:]?\d+$|^page:\d+$", re.I)
SEARCH_OR_ACCOUNT = {"tim-kiem", "timkiem", "search", "ket-qua-tim-kiem", "dang-nhap", "dangnhap", "dang-ky",
                     "dangky", "login", "logout", "register", "signin", "sign-in", "signup", "tai-khoan", "taikhoan",
                     "account", "user", "users", "admin", "wp-admin", "wp-login.php", "lien-he", "lienhe", "contact",
                     "gop-y", "gopy", "hoi-dap", "quang-cao", "quangcao", "advertise", "so-do-trang", "sodotrang",
                     "so-do-site", "sitemap", "gioi-thieu", "gioithieu", "about", "about-us", "toa-soan",
                     "bao-in", "e-paper", "epaper", "thoi-tiet", "weather", "lich-phat-song", "rss", "feed",
                     "feeds", "share", "sharer", "print-view", "comment", "comments", "binh-luan", "download",
                     "uploads", "upload", "images", "image", "media", "files", "documents", "static", "assets"}
LISTING_PAGE_NAMES = re.compile(r"^(?:allitems|list|danh-?sach|category|cat|chuyen-?muc|tin-?tuc|news|"
                                r"trang-?chu|home|default|index|main)$", re.I)
DETAIL_PAGE_NAMES = re.compile(r"detail|chi-?tiet|chitiet|view|xem|read|doc-?tin|post|article|bai-?viet|"
                               r"noi-?dung|newsdetail|dispform|display|show", re.I)
# Query parameters that name one item (an article) and ones that name a group (a listing).
ITEM_KEYS = {"id", "itemid", "newsid", "newid", "nid", "articleid", "article_id", "postid", "post_id", "idnews",
             "news_id", "tinid", "idtin", "baivietid", "contentid", "content_id", "docid", "ddocname", "tc",
             "dinhdanh", "mabai", "item", "newsdetailid", "idbaiviet", "aid", "bid"}
GROUP_KEYS = {"tabid", "cat", "cate", "catid", "categoryid", "category", "cid", "cn", "gd", "chuyenmuc", "l", "lv",
              "menu", "menuid", "mid", "zone", "zoneid", "type", "tag", "topic", "y", "year", "nam", "lang"}
ENGLISH = re.compile(r"^(?:en|eng|english|en-us|en-gb)$", re.I)

ID_TOKEN = re.compile(r"^[a-z]{0,5}\d{4,}[a-z]{0,2}$|^\d{3,}$", re.I)      # a173904, post224282, 5120467, ct3572
HEX_TOKEN = re.compile(r"^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}$", re.I)   # 9ca5fbd, CB4D2D7C
YEAR_MONTH = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:\d{2})?$")               # 202311, 20231105
DATE_SEGMENT = re.compile(r"^(?:19|20)\d{2}-\d{1,2}-\d{1,2}$")                        # 2023-4-24
YEAR = re.compile(r"^(?:19|20)\d{2}$")
ID_SEGMENT = re.compile(r"^(?=[a-z0-9]*\d{3})[a-z0-9]+$", re.I)                          # 245046, 144219p1c25
NUMBER = re.compile(r"^\d+$")
WORD_SPLIT = re.compile(r"[-_+.!,;~]+")
EXT = re.compile(r"(\.[a-z][a-z0-9]{1,5})$", re.I)
# A headline: this many words (syllables, in Vietnamese) in one segment; a section's name is shorter.
HEADLINE_WORDS = 7
HEADLINE_WORDS_WITH_ID = 2
ANCHOR_HEADLINE_WORDS = 6


# ── the URL taken apart ─────────────────────────────────────────────────────

@dataclass(frozen=True)
class Parts:
    host: str
    segments: tuple          # path segments, percent-decoded, in order
    ext: str                 # of the last segment, lower case ("" when none)
    stem: str                # the last segment without its extension
    query: dict              # lower-case keys -> values
    trailing_slash: bool


def parts_of(url: str) -> Parts:
    split = urlsplit(url)
    path = unquote(split.path)
    segments = tuple(s for s in path.split("/") if s)
    last = segments[-1] if segments else ""
    found = EXT.search(last)
    ext = found.group(1).lower() if found and not NUMBER.match(found.group(1)[1:]) else ""
    stem = last[: -len(ext)] if ext else last
    query = {k.lower(): v for k, v in parse_qsl(split.query, keep_blank_values=True)}
    return Parts(host=(split.hostname or "").lower(), segments=segments, ext=ext, stem=stem, query=query,
                 trailing_slash=path.endswith("/"))


def words(segment: str) -> list[str]:
    return [w for w in WORD_SPLIT.split(segment) if w]


def _slug(segment: str) -> str:
    return search_key(segment) or ""


# ── the rules ───────────────────────────────────────────────────────────────

def classify(url: str, anchor: str | None = None, place: str | None = None, site=None) -> Verdict:
    """The kind of page behind `url`, and why. `anchor` (the link's text) and `place` (body,
    menu, breadcrumb, header, footer) when the link was seen on a page; `site` (a
    crawler.sources.Site) for its override patterns."""
    if site is not None:
        found = site_override(site, url)
        if found:
            return found
    split = urlsplit(url)
    if split.scheme not in ("http", "https") or not split.hostname:
        return Verdict(IGNORED, "not an http(s) URL")
    p = parts_of(url)
    verdict = (_not_a_page(url, p) or _copy(url, p) or _listing_marks(url, p) or _article_shape(p))
    if verdict is None:
        verdict = _by_anchor(anchor, place) or _fallback(p)
    elif verdict.kind == ARTICLE and not verdict.strong and place in NAVIGATION_PLACES:
        verdict = Verdict(LISTING, f"a {place} link (navigation), though its name is long")
    elif verdict.kind == LISTING and place in NAVIGATION_PLACES and verdict.reason.startswith("a section"):
        verdict = Verdict(LISTING, f"a {place} link (navigation)")
    return verdict


def site_override(site, url: str) -> Verdict | None:
    """The site's own patterns, which win over every generic rule."""
    if any(p.search(url) for p in getattr(site, "ignore", ())):
        return Verdict(IGNORED, f"matches the ignore pattern of site {site.key!r}")
    if site.is_article(url):
        return Verdict(ARTICLE, f"matches the article pattern of site {site.key!r}")
    if site.is_listing(url):
        return Verdict(LISTING, f"matches the listing pattern of site {site.key!r}")
    return None


def _not_a_page(url: str, p: Parts) -> Verdict | None:
    if p.ext in FILE_EXTENSIONS:
        return Verdict(IGNORED, f"a file ({p.ext}), not a page")
    if p.ext in (".rss", ".atom") or p.stem.lower() in ("rss", "feed", "atom") and p.ext in ("", ".xml", ".html", ".aspx") \
            or (p.segments and p.segments[0].lower() in ("rss", "feed", "feeds")):
        return Verdict(IGNORED, "a feed (give it under `feeds` to read it)")
    if is_not_crawlable(url):
        return Verdict(IGNORED, "a login or contact page (courlan)")
    for segment in p.segments:
        slug = _slug(segment)
        base = EXT.sub("", slug)
        if slug in SEARCH_OR_ACCOUNT or base in SEARCH_OR_ACCOUNT:
            return Verdict(IGNORED, f"a search, account, contact or service page (/{segment})")
    if any(k in p.query for k in ("q", "keyword", "keywords", "search", "tukhoa", "s")) and not _item_key(p):
        return Verdict(IGNORED, "a search page (a query in the URL)")
    if p.host.startswith(("en.", "english.", "betaen.")) or (p.segments and ENGLISH.match(p.segments[0])):
        return Verdict(IGNORED, "an English edition")
    return None


def _copy(url: str, p: Parts) -> Verdict | None:
    """A print or AMP copy of an article: never fetched; its canonical URL when the URL tells."""
    lowered = [s.lower() for s in p.segments]
    split = urlsplit(url)
    for what in ("print", "amp"):
        names = {"print": ("print", "in-bai", "printpreview", "print-preview", "inbai"), "amp": ("amp",)}[what]
        if any(s in names for s in lowered[:-1]) or (lowered and lowered[-1] in names and not p.query):
            kept = [s for s in split.path.split("/") if s.lower() not in names]
            return Verdict(IGNORED, f"{'a print' if what == 'print' else 'an AMP'} copy",
                           canonical=urlunsplit(split._replace(path="/".join(kept) or "/")))
        if p.stem.lower() in names or p.stem.lower() in (f"{what}preview", f"{what}-view", f"{what}view"):
            return Verdict(IGNORED, f"{'a print' if what == 'print' else 'an AMP'} copy")
        flags = {"print": ("print", "printable", "in"), "amp": ("amp", "outputtype")}[what]
        for key in flags:
            value = p.query.get(key)
            if value is not None and (value.lower() in ("", "1", "true", "yes", "on", what) or key == "amp"):
                if key == "in" and value.lower() not in ("1", "true"):
                    continue
                kept = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if k.lower() != key]
                return Verdict(IGNORED, f"{'a print' if what == 'print' else 'an AMP'} copy",
                               canonical=urlunsplit(split._replace(query=urlencode(kept))))
        # ?view=print, ?layout=amp, Liferay's ?..._viewMode=print
        if any(v.lower() == what for k, v in p.query.items() if k.endswith(("view", "type", "layout", "mode", "format"))):
            kept = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True)
                    if v.lower() != what and k.lower() not in ("p_p_state",)]
            return Verdict(IGNORED, f"{'a print' if what == 'print' else 'an AMP'} copy",
                           canonical=urlunsplit(split._replace(query=urlencode(kept))))
    if p.ext == ".amp":
        return Verdict(IGNORED, "an AMP copy", canonical=urlunsplit(split._replace(path=split.path[:-4] + ".html")))
    if p.host.startswith("amp."):
        return Verdict(IGNORED, "an AMP copy", canonical=urlunsplit(split._replace(netloc=split.netloc[4:])))
    return None


def _pagination(p: Parts) -> str | None:
    for key, value in p.query.items():
        if (key in PAGINATION_KEYS or key.endswith(("_cur", "_page", "pageindex"))) and NUMBER.match(value or "x"):
            return f"{key}={value}"
        if key == "p" and NUMBER.match(value or "x") and p.segments and int(value) < 1000:
            return f"{key}={value}"
    # Only the last segment: portals keep state in segments such as /p0/ further up.
    if p.segments and (PAGINATION_SEGMENT.match(p.segments[-1]) or PAGINATION_SEGMENT.match(p.stem)):
        return p.segments[-1]
    lowered = [s.lower() for s in p.segments]
    for i, segment in enumerate(lowered[:-1]):
        if segment in ("page", "trang") and NUMBER.match(lowered[i + 1]):
            return f"{segment}/{lowered[i + 1]}"
    return None


def _listing_marks(url: str, p: Parts) -> Verdict | None:
    found = _pagination(p)
    if found:
        return Verdict(LISTING, f"a page of a listing ({found})")
    for i, segment in enumerate(p.segments):
        slug = _slug(segment)
        if slug in TAG_SEGMENTS and (i < len(p.segments) - 1 or p.query):
            return Verdict(LISTING, f"a tag, topic or category page (/{segment}/)")
        if TAG_NAME.search(EXT.sub("", slug)):
            return Verdict(LISTING, f"a tag page ({segment})")
    if p.ext == ".tag":
        return Verdict(LISTING, "a tag page (.tag)")
    if not p.segments and NUMBER.match(p.query.get("p", "x")):
        return Verdict(ARTICLE, f"a WordPress post (?p={p.query['p']})")
    if is_navigation_page(url):
        return Verdict(LISTING, "a navigation page: tag, category, author, archive or pagination (courlan)")
    if not p.segments and not _item_key(p) and not NUMBER.match(p.query.get("p", "x")):
        return Verdict(LISTING, "the home page")
    return None


def _item_key(p: Parts) -> str | None:
    """A query parameter that names one item: ItemID=54, ID=2417, tc=40217, dinhdanh=5496."""
    for key, value in p.query.items():
        if key in ITEM_KEYS and value and (NUMBER.match(value) or key == "ddocname" or HEX_TOKEN.match(value)):
            return f"{key}={value}"
    return None


def _article_shape(p: Parts) -> Verdict | None:
    segments = list(p.segments)
    lowered = [s.lower() for s in segments]
    # A page named index or default inside an article's folder: the folder is the article.
    if len(segments) > 1 and EXT.sub("", lowered[-1]) in ("index", "default") and not p.query:
        inner = Parts(p.host, tuple(segments[:-1]), "", segments[-2], {}, True)
        return _article_shape(inner)
    item = _item_key(p)
    page = EXT.sub("", lowered[-1]) if lowered else ""
    # Liferay, WebSphere Portal, Oracle WebCenter, SharePoint lists, DNN.
    joined = "/" + "/".join(lowered) + "/"
    if "/-/view-article/" in joined or re.search(r"/asset_publisher/[^/]+/content/", joined) or \
            re.search(r"/content/id/\d+/", joined):
        return Verdict(ARTICLE, "a Liferay article (view-article, asset_publisher content)")
    for i, segment in enumerate(lowered[:-1]):
        if segment in ("itemid", "articleid", "newsid", "id", "postid") and NUMBER.match(lowered[i + 1]):
            return Verdict(ARTICLE, f"the id in the path (/{segments[i]}/{segments[i + 1]}/)")
    if item and (DETAIL_PAGE_NAMES.search(page) or "tabid" in p.query or item.split("=")[0] not in ("id", "item")):
        return Verdict(ARTICLE, f"the id in the query string ({item})")
    if item and p.ext in (".aspx", ".asp", ".php", ".jsp", ".do", ""):
        return Verdict(ARTICLE, f"the id in the query string ({item})")
    if any(s in ("chi-tiet", "chitiet", "detail", "details", "view-detail") for s in lowered[:-1]) and len(segments) > 1:
        return Verdict(ARTICLE, "a detail page (/chi-tiet/)")
    if DETAIL_PAGE_NAMES.search(page) and any(k not in GROUP_KEYS and v for k, v in p.query.items()):
        return Verdict(ARTICLE, f"a detail page with its item in the query string ({segments[-1]}?…)")
    for i, segment in enumerate(lowered[:-1]):
        if segment == "node" and NUMBER.match(lowered[i + 1]):
            return Verdict(ARTICLE, f"a Drupal node (/node/{lowered[i + 1]})")
    if "pages" in lowered[:-1]:
        i = lowered.index("pages")
        if any(DATE_SEGMENT.match(s) or YEAR_MONTH.match(s) for s in lowered[i + 1:-1]):
            return Verdict(ARTICLE, "a SharePoint page in a dated folder (/Pages/2023-4-24/)")
    # Their sections use the extension too (/xa-hoi.epi): an article has an id.
    if p.ext in ARTICLE_EXTENSIONS and (any(ID_TOKEN.match(w) for w in words(p.stem))
                                        or len(words(p.stem)) >= HEADLINE_WORDS):
        return Verdict(ARTICLE, f"a {p.ext} page ({ARTICLE_EXTENSIONS[p.ext]}'s article pages)")
    if p.ext not in PAGE_EXTENSIONS:
        return None
    # The headline: the last segment, or the one before a bare id (/<slug>/63834.vna, /<slug>/265875).
    headline_at = len(segments) - 1
    if segments and NUMBER.match(p.stem) and len(segments) > 1 and len(words(segments[-2])) >= HEADLINE_WORDS_WITH_ID + 1:
        if len(p.stem) >= 3:
            return Verdict(ARTICLE, f"a headline with its id in the next segment (/{p.stem})")
    if not segments:
        return None
    slug_words = words(p.stem if headline_at == len(segments) - 1 else segments[headline_at])
    if not slug_words:
        return None
    last = slug_words[-1]
    named = [w for w in slug_words if not NUMBER.match(w)]
    dated = [s for s in lowered[:-1] if YEAR_MONTH.match(s) or DATE_SEGMENT.match(s)]
    if not dated:
        for i in range(len(lowered) - 2):
            if YEAR.match(lowered[i]) and NUMBER.match(lowered[i + 1]) and 1 <= int(lowered[i + 1]) <= 12:
                dated = [f"{segments[i]}/{segments[i + 1]}"]
                break
    has_id = bool(ID_TOKEN.match(last) or HEX_TOKEN.match(last))
    if dated and (len(slug_words) >= 3 or any(ID_TOKEN.match(w) or HEX_TOKEN.match(w) for w in slug_words)):
        return Verdict(ARTICLE, f"a headline in a dated folder (/{dated[-1]}/)")
    if has_id and len(slug_words) - 1 >= HEADLINE_WORDS_WITH_ID and len(named) >= 2:
        return Verdict(ARTICLE, f"a headline ending in an id (-{last})")
    ids_before = [s for s in lowered[:-1] if not YEAR.match(s) and ID_SEGMENT.match(s)]
    if ids_before and len(slug_words) >= 3:
        return Verdict(ARTICLE, f"a headline in an id's folder (/{ids_before[-1]}/)")
    if len(slug_words) >= HEADLINE_WORDS:
        return Verdict(ARTICLE, f"a headline slug ({len(slug_words)} words)", strong=False)
    if ID_TOKEN.match(last) and re.match(r"^\d", last) and len(slug_words) >= 4 and p.ext in (".html", ".htm", ""):
        return Verdict(ARTICLE, f"a headline ending in an id (-{last})", strong=False)
    return None


def _by_anchor(anchor: str | None, place: str | None) -> Verdict | None:
    if place in NAVIGATION_PLACES:
        return Verdict(LISTING, f"a {place} link (navigation)")
    if anchor and place == "body" and len(anchor.split()) >= ANCHOR_HEADLINE_WORDS:
        return Verdict(ARTICLE, f"a headline link ({len(anchor.split())} words) to a page without listing marks",
                       strong=False)
    return None


def _fallback(p: Parts) -> Verdict:
    if p.ext in PAGE_EXTENSIONS or p.ext == ".tag":
        name = p.stem or (p.segments[-1] if p.segments else "")
        if not any(ID_TOKEN.match(w) for w in words(name)) or LISTING_PAGE_NAMES.match(EXT.sub("", name.lower())):
            return Verdict(LISTING, f"a section: a short name without an id ({name or '/'})")
    return Verdict(IGNORED, "neither an article nor a listing shape")
