"""HTML or text -> article text, title, site, publication date (trafilatura)."""
import re

import trafilatura

from extract.encoding import decode
from extract.errors import ExtractError
from extract.normalize import nfc


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype" in head or "<body" in head or "<div" in head or "<p>" in head


def read_article(content, url=None, content_type=None, name="") -> dict:
    text = decode(content, content_type) if isinstance(content, (bytes, bytearray)) else content
    if not text or not text.strip():
        raise ExtractError("empty input")
    if looks_like_html(text):
        doc = trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, favor_precision=False)
        if doc is None or not (doc.text or "").strip():
            raise ExtractError("no article text found")
        return {"title": nfc(doc.title) if doc.title else None, "site": doc.sitename,
                "published": doc.date, "text": nfc(doc.text), "html": text}
    return {"title": None, "site": None, "published": None, "text": nfc(text), "html": None}
