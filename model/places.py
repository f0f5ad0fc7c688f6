"""Place names as people type them into a filter, matched with the names the facts hold.

    province_key("Hai Duong") == province_key("tỉnh Hải Dương") == "haiduong"
    province_key("TP.HCM") == province_key("HCM") == province_key("Hồ Chí Minh") == "hochiminh"
    province_key("Ba Ria Vung Tau") == province_key("Bà Rịa - Vũng Tàu") == "bariavungtau"
    is_province("Hai Duongg") -> False;  closest_provinces("Hai Duongg") -> ["Hải Dương", ...]
    unit_matcher("Ky Anh")("kỳ anh") -> True;  unit_matcher("Kỳ Anh")("kỷ anh") -> False

The keys are those of model/normalize.py (split_unit, bare_key, search_key) and the names and
aliases those of the register (model/register.py): no folding of its own.
"""
import difflib
import unicodedata
from functools import lru_cache

from parindex.model.normalize import TYPE_WORDS, bare_key, search_key, split_unit, unit_key
from parindex.model.register import CURRENT, LEGACY, get_register

# Type words typed without accents ("thanh pho", "tx", "huyen"): longest first.
_BARE_TYPE_WORDS = sorted({search_key(word) for word, _ in TYPE_WORDS}, key=len, reverse=True)


def _name(text: str) -> str:
    """The name without its type word, with or without accents: "thanh pho ho chi minh" ->
    "ho chi minh", "tỉnh Hải Dương" -> "hải dương", "TP.HCM" -> "hồ chí minh"."""
    kind, name = split_unit(text)
    if kind is None and _unaccented(text):
        folded = " ".join(search_key(text).split())
        for word in _BARE_TYPE_WORDS:
            if folded.startswith(word + " ") or (word.endswith(".") and folded.startswith(word)):
                return unit_key(folded[len(word):].strip())
    return name


@lru_cache(maxsize=4096)
def _register_province(text: str):
    """The register's province a name stands for (legacy first, then current), or None."""
    reg = get_register()
    key = bare_key(_name(text))
    if not key:
        return None
    for register in (LEGACY, CURRENT):
        found = reg.by_bare.get((register, "province", key)) or reg.by_alias.get((register, "province", key))
        if found:
            return found[0]
    return None


@lru_cache(maxsize=4096)
def province_key(text: str | None) -> str:
    """The key two spellings of one province share: the register's name without accents,
    spaces or type word; a name the register does not know keeps its own such key."""
    if not text:
        return ""
    unit = _register_province(text)
    return bare_key(unit.name) if unit else bare_key(_name(text))


def is_province(text: str | None) -> bool:
    return bool(text) and _register_province(text) is not None


@lru_cache(maxsize=1)
def _province_names() -> tuple:
    reg = get_register()
    return tuple(dict.fromkeys(u.name for u in reg.provinces(LEGACY) + reg.provinces(CURRENT)))


def closest_provinces(text: str, n: int = 3) -> list[str]:
    """Provinces whose name is nearest to a name the register does not know, best first."""
    names = _province_names()
    by_key = {}
    for name in names:
        by_key.setdefault(search_key(name), name)
    typed = search_key(_name(text) or text)
    return [by_key[k] for k in difflib.get_close_matches(typed, list(by_key), n=n, cutoff=0.6)]


def _unaccented(text: str) -> bool:
    return search_key(text) == text.lower()


def unit_matcher(typed: str):
    """A test of stored unit keys against a name typed with or without its type word: typed
    with accents it must be that name ("Kỳ Anh" is not "Kỷ Anh"); typed without, any
    accents do ("Ky Anh" finds "Kỳ Anh")."""
    if not _unaccented(typed):
        wanted = unit_key(typed)
        return lambda stored: stored == wanted
    folded = search_key(_name(typed))
    return lambda stored: stored is not None and search_key(stored) == folded


def unit_key_prefixes(typed: str, letters: int = 2) -> list[str] | None:
    """The beginnings a stored unit key of a name typed without accents may have: each of its
    first letters with any of the accents it may bear ("ky anh" -> "ky", "kỳ", "kỷ", ...), to
    read the few candidate keys from the index rather than every key. None when typed with
    accents (then only unit_key(typed) matches)."""
    if not _unaccented(typed):
        return None
    folded = search_key(_name(typed)) or ""
    variants = _letter_variants()
    out = [""]
    for letter in folded[:letters]:
        out = [p + v for p in out for v in variants.get(letter, (letter,))]
    return out


# grave, acute, tilde, hook above, dot below (the tones); breve, circumflex, horn (the vowels)
_VIETNAMESE_MARKS = set("\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b")


@lru_cache(maxsize=1)
def _letter_variants() -> dict:
    """Every lower-case Vietnamese letter by the plain one it folds to: "a" -> "aàáảãạăằ..."."""
    table = {}
    for code in list(range(0x61, 0x7B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        if char != char.lower():
            continue
        folded = search_key(char)
        marks = unicodedata.normalize("NFD", char)[1:]
        if len(folded) == 1 and folded.isascii() and folded.isalpha() and set(marks) <= _VIETNAMESE_MARKS:
            table.setdefault(folded, []).append(unicodedata.normalize("NFC", char))
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}



@lru_cache(maxsize=65536)
def unit_matches(stored: str | None, typed: str | None) -> bool:
    """unit_matcher as one call (the SQL function of the Datasette queries)."""
    return bool(stored and typed) and unit_matcher(typed)(stored)
