"""What to fetch first: links that speak of the indexes, listings that led to relevant articles.

    speaks_of_indexes("Huyện Kim Thành dẫn đầu chỉ số CCHC", url)   -> True  (the anchor text)
    speaks_of_indexes(None, "https://bao.vn/cai-cach-hanh-chinh/")   -> True  (the slug)
    article_priority(focus=True, productive=False)                   -> 40   (Scrapy fetches higher first)

The words are the topic's (model/topic.py: markers.topic of patterns/values.yaml, the test a
fetched page must pass to be kept), plus the verbs results are told with ("xếp thứ", "dẫn
đầu"), which a headline carries more often than the word "chỉ số". This decides only the
order of fetching: what is kept is decided after fetching, by the topic test alone.
"""
import functools
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from parindex.model.topic import about_indexes, compile_topic, topic_regex

# Headlines of results say who leads or which place a unit took.
RESULT_WORDS = "xếp thứ|dẫn đầu|đứng đầu|đứng thứ|tăng \\d+ bậc|giảm \\d+ bậc"
_MARKS = re.compile(r"[\u0300-\u036f]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Scrapy's scheduler takes the highest priority first.
SEED = 50                  # start pages, feeds, sitemaps: what the sources file names
FOCUS_ARTICLE = 40         # an article link that speaks of the indexes
FOCUS_LISTING = 30         # a listing whose name speaks of the indexes
PRODUCTIVE = 20            # added to a listing that led to relevant articles (this run or before)
ARTICLE_ON_PRODUCTIVE = 15  # another article of such a listing
ARTICLE = 10
LISTING = 0
NAVIGATION = -10           # a menu or footer link to a section that does not speak of the indexes


def _unaccented(text: str) -> str:
    """No diacritics, đ -> d, case kept (a regular expression's escapes such as \\B stay what they are)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return _MARKS.sub("", unicodedata.normalize("NFD", text))


@functools.lru_cache(maxsize=1)
def _anchor_regex() -> re.Pattern:
    return compile_topic(RESULT_WORDS)


@functools.lru_cache(maxsize=1)
def _slug_regex() -> re.Pattern:
    """The topic's words as a URL writes them: no accents, words between hyphens."""
    return re.compile(_unaccented(topic_regex().pattern) + "|" + _unaccented(RESULT_WORDS), re.IGNORECASE)


def slug_text(url: str) -> str:
    """The words of a URL's path and query, unaccented and space-separated:
    /cai-cach-hanh-chinh/Tin-tức?id=5 -> "cai cach hanh chinh tin tuc id 5"."""
    parts = urlsplit(url)
    text = _unaccented(unquote(parts.path + " " + parts.query)).lower()
    return _NOT_WORD.sub(" ", text).strip()


def speaks_of_indexes(anchor: str | None, url: str | None = None) -> bool:
    """Does the link's text or its URL name an index, its ranking or a result?"""
    if anchor and (about_indexes(anchor) or _anchor_regex().search(unicodedata.normalize("NFC", anchor))):
        return True
    return bool(url and _slug_regex().search(slug_text(url)))


def article_priority(focus: bool, productive: bool) -> int:
    if focus:
        return FOCUS_ARTICLE
    return ARTICLE_ON_PRODUCTIVE if productive else ARTICLE


def listing_priority(focus: bool, productive: bool, navigation: bool) -> int:
    value = FOCUS_LISTING if focus else (NAVIGATION if navigation else LISTING)
    return value + (PRODUCTIVE if productive else 0)
