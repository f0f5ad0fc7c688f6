"""Bytes -> str using the charset the HTTP header or the page declares, sniffing otherwise."""
import codecs
import re

from parindex.extract.errors import ExtractError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)


def _codec(label):
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None = None):
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and _codec(m.group(1)):
            return _codec(m.group(1))
    if body[:3] == codecs.BOM_UTF8:
        return "utf-8"
    m = _META_CHARSET.search(body[:4096])
    if m:
        return _codec(m.group(1).decode("ascii", "ignore"))
    return None


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode with the declared charset; sniff (UTF-8, then Windows-1258/1252) when none is declared."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    if b"\x00" in body[:1024]:
        raise ExtractError("binary content, not a text or HTML page")
    charset = declared_charset(body, content_type)
    if charset:
        text = body.decode(charset, errors="replace")
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            if text.count("\ufffd") > max(10, len(text) // 200):
                text = body.decode("cp1258", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
