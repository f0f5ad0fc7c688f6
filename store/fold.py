"""Accent folding for search: "Đồng Tháp" -> "dong thap"."""
import unicodedata


def fold(text: str | None) -> str | None:
    """Lower case without diacritics; đ -> d, which no Unicode decomposition does."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
