"""Vietnamese text normalisation: NFC, one tone placement, whitespace, name keys."""
import functools
import re
import unicodedata

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# Old style "hòa/thủy" and new style "hoà/thuỷ": put the tone of a closing oa, oe, uy
# on the second vowel (the agreed form of the scorer), never after q ("quý" stays).
_TONE_MOVE = re.compile(r"(?<![qQ])(?:([oO])([" + _TONE_MARKS + r"])([aAeE])|([uU])([" + _TONE_MARKS + r"])([yY]))(?!\w)")


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """fold_tones for one token, cached: tokens repeat across sentences and pages."""
    return fold_tones(word)


def fold_tones(text: str) -> str:
    """`hòa` and `hoà` become one spelling (same length, so offsets survive)."""
    nfd = unicodedata.normalize("NFD", text)
    if not any(m in nfd for m in _TONE_MARKS):
        return unicodedata.normalize("NFC", nfd)
    nfd = _TONE_MOVE.sub(lambda m: (m.group(1) + m.group(3) + m.group(2)) if m.group(1)
                         else (m.group(4) + m.group(6) + m.group(5)), nfd)
    return unicodedata.normalize("NFC", nfd)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_UNIT_PREFIXES = sorted(
    ["ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "thành phố", "tp.", "tp", "thị xã", "tx.",
     "tx", "thị trấn", "huyện", "quận", "xã", "phường", "tỉnh", "sở", "bộ", "đặc khu"],
    key=len, reverse=True)

_NAME_ALIASES = {
    "đăk lăk": "đắk lắk", "đắc lắc": "đắk lắk", "đaklak": "đắk lắk", "đắk lăk": "đắk lắk",
    "đăk nông": "đắk nông", "đắc nông": "đắk nông", "kontum": "kon tum",
    "hcm": "hồ chí minh", "tphcm": "hồ chí minh", "thừa thiên-huế": "thừa thiên huế",
    "brvt": "bà rịa vũng tàu",
}


def norm_text(text: str) -> str:
    text = nfc(str(text)).lower()
    text = re.sub(r"\s+", " ", text).strip(" .,;:")
    return fold_tones(text)


def unit_key(unit: str) -> str:
    """The name of a unit without its type word: `UBND thị xã Kỳ Anh` -> `kỳ anh`.

    Same rule as the evaluation scorer, so a fact keeps its identity across
    spellings ("TX Kỳ Anh", "thị xã Kỳ Anh", "Thị xã Kỳ Anh").
    """
    name = re.sub(r"\s*[-–—]\s*", " ", norm_text(unit))
    name = re.sub(r"\b(?:uỷ|ủy) ban nhân dân\b", "ubnd", name)
    changed = True
    while changed:
        changed = False
        for prefix in _UNIT_PREFIXES:
            if name.startswith(prefix + " ") or (prefix.endswith(".") and name.startswith(prefix)):
                name = name[len(prefix):].strip()
                changed = True
                break
    return _NAME_ALIASES.get(name, name)
