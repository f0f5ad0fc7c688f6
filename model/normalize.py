"""Vietnamese text and unit names: the one set of keys every part of parindex compares by.

    fold_tones("Hòa Bình")            -> "Hoà Bình"     one tone placement, accents kept, same length
    match_key("Thừa Thiên-Huế")       -> "thừa thiên huế" lower case, one tone placement, dashes as spaces
    bare_key("Đăk Lăk")               -> "daklak"       no accents, no spaces (as the register's own keys)
    search_key("Đồng Tháp")           -> "dong thap"    no accents, đ as d: what people type in a search box
    unit_key("UBND thị xã Kỳ Anh")    -> "kỳ anh"       the unit without type word or UBND: a fact's identity
    split_unit("UBND thị xã Kỳ Anh")  -> ("thị xã", "kỳ anh")
"""
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


@functools.lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """Accented comparison key: NFC, lower case, one tone placement, dashes as spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[-–—]", " ", norm_text(text))).strip()


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=65536)
def bare_key(text: str) -> str:
    """Unaccented key without spaces ("Đăk Lăk" and "Dak Lak" -> "daklak"), as the register's own keys."""
    ascii_ = unicodedata.normalize("NFD", text.lower().replace("đ", "d")).encode("ascii", "ignore")
    return _NOT_ALNUM.sub("", ascii_.decode())


_MARKS = re.compile(r"[\u0300-\u036f]+")  # the combining marks NFD splits Vietnamese letters into


def search_key(text: str | None) -> str | None:
    """Lower case without diacritics, đ -> d (which no Unicode decomposition does): what the
    full-text index of articles holds and what a search box is matched by."""
    if text is None:
        return None
    return _MARKS.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d")))


# Type words as a text writes them, with the word they stand for (split_unit, the linker).
TYPE_WORDS = [("thành phố", "thành phố"), ("tp.", "thành phố"), ("tp", "thành phố"),
              ("t.p.", "thành phố"), ("thị xã", "thị xã"), ("tx.", "thị xã"), ("tx", "thị xã"),
              ("thị trấn", "thị trấn"), ("tt.", "thị trấn"), ("huyện", "huyện"), ("h.", "huyện"),
              ("q.", "quận"),
              ("quận", "quận"), ("xã", "xã"), ("phường", "phường"), ("p.", "phường"), ("tỉnh", "tỉnh"),
              ("đặc khu", "đặc khu")]

# The type words of a province-level unit, as texts write them before its name ("tỉnh Hà
# Tĩnh", "TP. Hồ Chí Minh"): what a province's name is read without (extract: province_name, the
# check that a typed province is one of the provinces)
_PROVINCE_TYPE = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s*", re.IGNORECASE)


def without_province_type(unit_text: str) -> str:
    """`tỉnh Hà Tĩnh` -> `Hà Tĩnh`, `TP.HCM` -> `HCM`: the name after a province's type word."""
    return _PROVINCE_TYPE.sub("", unit_text)


# What unit_key drops from the front of a name: UBND, the type words as texts write them
# (TYPE_WORDS above, abbreviations included: "H. Vân Canh" is huyện Vân Canh) and "sở", "bộ".
# The evaluation scorer's list (FACTS.md, "Scoring") is a subset: it lacks the rare
# abbreviations "h.", "q.", "p.", "tt.", "t.p.", which only an abbreviated mention's key tells apart.
def _unit_prefixes():
    words = {"ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "sở", "bộ"} | {word for word, _ in TYPE_WORDS}
    return sorted(words, key=len, reverse=True)


_UNIT_PREFIXES = _unit_prefixes()

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

    The evaluation scorer's rule, with the rare abbreviations too, so a fact keeps its identity
    across spellings ("TX Kỳ Anh", "thị xã Kỳ Anh", "Thị xã Kỳ Anh", "H. Vân Canh", "huyện Vân Canh").
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


# "Ủy ban nhân dân" spelt out, in either tone placement, or as UBND
UBND = re.compile(r"\b(?:ubnd|(?:ủy|uỷ) ban nhân dân)\b", re.IGNORECASE)
_UBND_HEAD = re.compile(r"^(?:ubnd|(?:ủy|uỷ) ban nhân dân)\s+")
_OLD = re.compile(r"\s*\((?:cũ|trước đây|nay là[^)]*)\)\s*$")


@functools.lru_cache(maxsize=16384)   # a page's units are looked up many times over (linker, context)
def split_unit(unit: str) -> tuple[str | None, str]:
    """`UBND thị xã Kỳ Anh` -> ("thị xã", "kỳ anh"): the type word and the name's unit key."""
    text = _OLD.sub("", match_key(unit or ""))
    text = _UBND_HEAD.sub("", text)
    kind = None
    for word, canonical in TYPE_WORDS:
        if text.startswith(word + " ") or (word.endswith(".") and text.startswith(word)):
            kind, text = canonical, text[len(word):].strip()
            break
    name = unit_key(text) if text else ""
    return kind, name


def display_name(unit: str | None) -> str | None:
    """`tỉnh Thừa Thiên Huế` -> `Thừa Thiên Huế`: the name without its type word, keeping the
    text's capitals and accents."""
    if not unit:
        return None
    text = re.sub(r"\s+", " ", unit).strip()
    lowered = match_key(text)
    for word, _ in TYPE_WORDS:
        if lowered.startswith(word + " "):
            return text[len(word):].strip()
    return text
