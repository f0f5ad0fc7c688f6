"""HTML or plain text -> the article: title, site, publication date and main text.

trafilatura does the main-text and metadata work; extract.html prepares the DOM for it and
extract.dates picks the publication date. The text that comes out is normalised (NFC,
whitespace) and is the text every fact's start/end offsets point into.
"""
import re

from parindex.extract import dates, html as pagehtml, textpage
from parindex.extract.encoding import decode
from parindex.extract.errors import ExtractError
from parindex.model.normalize import nfc
from parindex.model.topic import about
from parindex.extract.rules import load_rules

_HTML_HINT = re.compile(r"<(?:!doctype|html|head|body|div|p|table|article|meta)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# a row of a table laid out with spaces (<pre>): its column gaps are kept
_ALIGNED_ROW = re.compile(r"\S {3,}\S.* {3,}\S")
_ZERO_WIDTH = re.compile(r"[\u200c\u200d\u2060\ufeff\u00ad]")

def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:5000]))


def normalise_text(text: str) -> str:
    """NFC, one space between words, no empty lines; tone marks stay as written."""
    text = _ZERO_WIDTH.sub("", nfc(text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = (line.strip() if _ALIGNED_ROW.search(line) else _SPACES.sub(" ", line).strip()
             for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def read_article(content, url=None, content_type=None, name="") -> dict:
    """{'title', 'site', 'published', 'text'} of a page or a text file."""
    if isinstance(content, (bytes, bytearray)):
        if not content.strip():
            raise ExtractError("empty file")
        text = decode(bytes(content), content_type)
    else:
        text = content
    if not text or not text.strip():
        raise ExtractError("empty file")
    if "\ufffd" in text[:5000] and text[:5000].count("\ufffd") > 50:
        raise ExtractError("not text: undecodable bytes")
    if looks_like_html(text):
        return _read_html(text, url)
    return _read_text(text)


def _quick_title(tree) -> str | None:
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title", "twitter:title"):
            if meta.get("content"):
                return meta.get("content").strip()
    for h1 in tree.iter("h1"):
        text = re.sub(r"\s+", " ", h1.text_content()).strip()
        if text:
            return text
    title = tree.find(".//title")
    if title is not None and title.text:
        return re.split(r"\s+[|–—-]\s+", title.text.strip())[0]
    return None


def title_and_site(tree, url=None) -> tuple[str | None, str | None]:
    """The page's title and site name as trafilatura's metadata pass gives them, without the
    rest of that pass: meta tags and JSON-LD, else the <h1>/<title> (title) and the part of the
    <title> that looks like a host (site), else the host of the page's canonical URL or of
    `url` ("baohaiduong.vn")."""
    from trafilatura import metadata as trafilatura_metadata

    found = trafilatura_metadata.examine_meta(tree)
    try:
        found = trafilatura_metadata.extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001  (trafilatura guards its JSON-LD reading the same way)
        pass
    out = trafilatura_metadata.Document()
    out.title = found.title or trafilatura_metadata.extract_title(tree)
    site = found.sitename or trafilatura_metadata.extract_sitename(tree)
    if site:
        site = site.lstrip("@")   # a Twitter handle
        if site and "." not in site and not site[0].isupper():
            site = site.title()
    else:
        page_url = found.url or trafilatura_metadata.extract_url(tree, url)
        host = trafilatura_metadata.META_URL.match(page_url) if page_url else None
        site = host[1] if host else None
    out.sitename = site
    out.clean_and_trim()   # trafilatura's length limit, entities and spaces
    return out.title, out.sitename


def _read_html(page: str, url) -> dict:
    import trafilatura   # here: a text file does without it (0.15 s of a command's start)

    try:
        tree = pagehtml.parse(page)
    except ValueError as err:
        raise ExtractError(str(err)) from None
    guess = _quick_title(tree)
    chunks = dates.text_chunks(tree)
    published = dates.html_published(tree, guess, chunks)
    lead = None
    # The DOM repairs serve fact extraction only: a page that never names an index skips them.
    # (Its visible text: a URL such as "/chi-so-cchc-..." names nothing.)
    topic = load_rules().markers["topic"]
    on_topic = about(topic, " ".join(text for text, _ in chunks), guess)
    if on_topic:
        lead = pagehtml.find_lead(tree)
        pagehtml.remove_related(tree)
        pagehtml.unwrap_layout_tables(tree)
    page_title, site = title_and_site(tree, url)
    # with_metadata=False: its metadata pass (author, date, categories, tags, licence) costs
    # more than the rest of our work on an irrelevant page, and we keep only the title and site
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, include_comments=False,
                                      include_tables=True)
    if doc is None or not (doc.text or "").strip():
        raise ExtractError("no article text found")
    body = "\n".join(textpage.without_other_headlines(normalise_text(doc.text).split("\n")))
    if len(body) < 80 and len(body.split()) < 12:
        raise ExtractError("no article text found (only menus or links)")
    if lead:
        lead = normalise_text(lead)
        if lead[:60] not in body:
            body = lead + "\n" + body
    title = normalise_text(page_title or guess or "") or None
    if title and not body.startswith(title):
        body = title + "\n" + body   # titles state results too ("Huyện X dẫn đầu ...")
    return {"title": title, "site": site, "published": published, "text": body, "on_topic": on_topic}


def _read_text(raw: str) -> dict:
    """A saved text page: the title leads the article text, the site's chrome is left out."""
    page = textpage.read_text_page(normalise_text(raw).split("\n"))
    if not page["body"] and not page["title"]:
        raise ExtractError("no article text found")
    text = "\n".join(([page["title"]] if page["title"] else []) + page["body"])
    return {"title": page["title"], "site": None, "published": page["published"], "text": text, "on_topic": None}
