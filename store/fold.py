"""Accent folding for search: "Đồng Tháp" -> "dong thap"."""
import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]+")  # the combining marks NFD splits Vietnamese letters into


def fold(text: str | None) -> str | None:
    """Lower case without diacritics; đ -> d, which no Unicode decomposition does."""
    if text is None:
        return None
    return _MARKS.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d")))
