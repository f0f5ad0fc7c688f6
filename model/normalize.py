"""Vietnamese text normalisation: NFC, one tone placement, whitespace, name keys."""
import functools
import re
import unicodedata

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# Old style "hòa/thủy" and new style "hoà/thuỷ": the tone of a closing oa, oe, uy goes on
# the second vowel (the form the evaluation scorer agrees on), never after q ("quý" stays).


def _tone_tables():
    """NFC letters with a tone: letter -> (bare letter, tone), and back."""
    split, join = {}, {}
    for base in "aeyAEY":
        for tone in _TONE_MARKS:
            join[(base, tone)] = unicodedata.normalize("NFC", base + tone)
    for base in "ouOU":
        for tone in _TONE_MARKS:
            split[unicodedata.normalize("NFC", base + tone)] = (base, tone)
    return split, join


_SPLIT, _JOIN = _tone_tables()
# In NFC: a toned o before a closing a/e, a toned u before a closing y (not after q)
_NFC_MOVE = re.compile("(?<![qQ])(?:([" + "".join(k for k, v in _SPLIT.items() if v[0] in "oO") + "])([aAeE])|(["
                       + "".join(k for k, v in _SPLIT.items() if v[0] in "uU") + "])([yY]))(?!\\w)")


def _move(m):
    toned, vowel = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    base, tone = _SPLIT[toned]
    return base + _JOIN[(vowel, tone)]


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """fold_tones for one token, cached: tokens repeat across sentences and pages."""
    return fold_tones(word)


def fold_tones(text: str) -> str:
    """`hòa` and `hoà` become one spelling, `hoà` (NFC in, NFC out, same length: offsets survive)."""
    return _NFC_MOVE.sub(_move, unicodedata.normalize("NFC", text))


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


@functools.lru_cache(maxsize=1 << 14)
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
