"""Bytes -> str using the charset the HTTP header or the page declares, sniffing otherwise.

A declaration can be wrong: a server's default "charset=ISO-8859-1" header, a template's
"windows-1252" meta tag left over a UTF-8 body, a "utf-8" meta over a page saved in Windows-1258.
Vietnamese text decoded with the wrong one is lost whole ("Chá»‰ sá»'"): no rule reads it. The bytes
settle it where they can: text of any length in a legacy single-byte charset is almost never valid
UTF-8 with multi-byte sequences, so such bytes are UTF-8 whatever was declared; and UTF-8 that does
not decode is sniffed like an undeclared page.
"""
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


def _is_utf8(body: bytes) -> bool:
    """Valid UTF-8 with at least one multi-byte sequence (pure ASCII proves nothing)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sniffed(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 200):
        text = body.decode("cp1258", errors="replace")
    return text


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode with the declared charset unless the bytes contradict it (module doc); sniff (UTF-8,
    then Windows-1258) when none is declared."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    if b"\x00" in body[:1024]:
        raise ExtractError("binary content, not a text or HTML page")
    charset = declared_charset(body, content_type)
    if charset and charset != "utf-8" and not charset.startswith("utf-16") and _is_utf8(body):
        charset = "utf-8"
    if charset == "utf-8":
        text = _sniffed(body)
    elif charset:
        text = body.decode(charset, errors="replace")
    else:
        text = _sniffed(body)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text
