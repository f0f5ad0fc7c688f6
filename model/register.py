"""The official register of Vietnam's administrative units, before and after 1 July 2025.

The data is the one vietnamadminunits ships offline: its SQLite file (63 provinces, 696
districts, 10,035 communes before the reorganisation; 34 provinces, 3,321 communes after)
and its old-to-new conversion table. We read those two files directly, read-only, instead of
calling the package's functions, because:

- its parser returns one best guess for a full address and cannot list every unit that
  shares a name, which is what the linker needs to see an ambiguity;
- its converter returns only a default commune when an old commune was split (and geocodes
  over the network when a street is given), where we want every successor;
- importing the package compiles all its parser patterns and loads geopy and shapely
  (about 0.9 s) and its `database.query` opens the file read-write.

Loaded once per process, lazily (`get_register()`), then every lookup is a dict access.
"""
import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from parindex.model.cache import kept
from parindex.model.loading import collector_paused
from parindex.model.normalize import bare_key, match_key

LEGACY, CURRENT = "legacy", "current"

# Type words as the register writes them, by level.
PROVINCE_TYPES = {"tỉnh", "thành phố"}
DISTRICT_TYPES = {"huyện", "quận", "thị xã", "thành phố"}
COMMUNE_TYPES = {"xã", "phường", "thị trấn", "đặc khu"}


@dataclass(frozen=True)
class Unit:
    code: str
    register: str          # legacy | current
    level: str             # province | district | commune
    official: str          # "Xã Kim Anh", as the register writes it
    kind: str              # "xã", lower case
    name: str              # "Kim Anh"
    province_code: str
    province: str          # short name of its province in the same register: "Hải Dương"
    district_code: str | None = None
    district: str | None = None      # "Huyện Kim Thành" (legacy communes only)


@dataclass(eq=False)  # one instance per process: hashed by identity
class Register:
    units: dict = field(default_factory=dict)        # (register, level, code) -> Unit
    by_name: dict = field(default_factory=dict)      # (register, level, match_key(name)) -> [Unit]
    by_bare: dict = field(default_factory=dict)      # (register, level, bare_key(name)) -> [Unit]
    # Old names: for districts and communes these are mostly units merged into this one before
    # July 2025 ("xã Cổ Dũng" into "xã Vũ Dũng" of Kim Thành); the linker does not give them
    # the absorbing unit's code.
    by_alias: dict = field(default_factory=dict)     # (register, level, bare_key(old name)) -> [Unit]
    successors: dict = field(default_factory=dict)   # (level, legacy code) -> tuple of current codes
    province_successor: dict = field(default_factory=dict)  # legacy province code -> current code
    children: dict = field(default_factory=dict)     # legacy district code -> [commune Unit]
    _provinces: dict = field(default_factory=dict)
    _in_province: dict = field(default_factory=dict)

    def add(self, unit: Unit, aliases=()):
        key = (unit.register, unit.level, unit.code)
        if key in self.units:
            return
        self.units[key] = unit
        self.by_name.setdefault((unit.register, unit.level, match_key(unit.name)), []).append(unit)
        self.by_bare.setdefault((unit.register, unit.level, bare_key(unit.name)), []).append(unit)
        for alias in dict.fromkeys(aliases):
            if alias != bare_key(unit.name):
                self.by_alias.setdefault((unit.register, unit.level, alias), []).append(unit)

    def get(self, register: str, level: str, code: str) -> Unit | None:
        return self.units.get((register, level, code))

    def in_province(self, register: str, province_code: str) -> list:
        """Every unit of one register whose province has this code (the province included), in
        the order they were added: a province's districts and communes without reading all 14,000."""
        if not self._in_province:
            for (r, _, _), unit in self.units.items():
                self._in_province.setdefault((r, unit.province_code), []).append(unit)
        return self._in_province.get((register, province_code), [])

    def provinces(self, register: str) -> list:
        if register not in self._provinces:
            self._provinces[register] = [u for (r, lv, _), u in self.units.items()
                                         if r == register and lv == "province"]
        return self._provinces[register]


def _data_dir() -> Path:
    spec = find_spec("vietnamadminunits")  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("vietnamadminunits is not installed: pip install 'vietnamadminunits>=1.0,<2'")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _plain(short: str, kind: str) -> str:
    """The name without the package's tags: "Kỳ Anh (huyện)" -> "Kỳ Anh" (the type word tells
    them apart here), "Phường 1" -> "1" (numbered units keep their type word as short name)."""
    short = re.sub(r"\s*\([^)]*\)$", "", short)
    if short.lower().startswith(kind.lower() + " "):
        short = short[len(kind) + 1:]
    return short


def _aliases(*json_lists) -> list[str]:
    out = []
    for raw in json_lists:
        for key in json.loads(raw) if raw else []:
            out.append(key)
    return out


def _strip_type(key: str, types) -> str:
    for t in _bare_types(frozenset(types)):
        if key.startswith(t) and len(key) > len(t):
            return key[len(t):]
    return key


@lru_cache(maxsize=None)
def _bare_types(types: frozenset) -> list[str]:
    return sorted((bare_key(t) for t in types), key=len, reverse=True)


# Names the package does not know as aliases of a province: the province of Thừa Thiên Huế
# became the city of Huế on 1 January 2025, and the register is the one of mid-2025.
_PROVINCE_ALIASES = {"46": ["thuathienhue", "tthue"], "79": ["tphcm", "hcm", "saigon"],
                     "77": ["brvt"]}


def load_register(data_dir: Path | None = None) -> Register:
    data_dir = data_dir or _data_dir()
    reg = Register()
    con = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    try:
        legacy_rows = con.execute(
            "select provinceCode, province, provinceShort, provinceKey, provinceAlias, "
            "districtCode, district, districtShort, districtType, districtKey, districtAlias, "
            "wardCode, ward, wardShort, wardType, wardKey, wardAlias "
            "from admin_units_legacy order by provinceCode, districtCode, wardCode").fetchall()
        current_rows = con.execute(
            "select provinceCode, province, provinceShort, provinceKey, provinceAlias, "
            "wardCode, ward, wardShort, wardType, wardKey, wardAlias "
            "from admin_units order by provinceCode, wardCode").fetchall()
    finally:
        con.close()

    legacy_by_key = {}   # "provincekey_districtkey_wardkey" -> Unit (commune, or district for islands)
    legacy_province_by_key = {}
    for (pcode, prov, pshort, pkey, palias, dcode, dist, dshort, dtype, dkey, dalias,
         wcode, ward, wshort, wtype, wkey, walias) in legacy_rows:
        if pkey not in legacy_province_by_key:
            province = Unit(pcode, LEGACY, "province", prov, prov[:-len(pshort)].strip().lower(),
                            pshort, pcode, pshort)
            reg.add(province, [_strip_type(a, PROVINCE_TYPES) for a in _aliases(palias)]
                    + _PROVINCE_ALIASES.get(pcode, []))
            legacy_province_by_key[pkey] = province
        district = reg.get(LEGACY, "district", dcode)
        if district is None:
            district = Unit(dcode, LEGACY, "district", dist, dtype.lower(), _plain(dshort, dtype), pcode,
                            pshort)
            reg.add(district, [_strip_type(a, DISTRICT_TYPES) for a in _aliases(dalias)])
        if ward:
            commune = Unit(wcode, LEGACY, "commune", ward, wtype.lower(), _plain(wshort, wtype), pcode,
                           pshort, dcode, dist)
            reg.add(commune, [_strip_type(a, COMMUNE_TYPES) for a in _aliases(walias)])
            reg.children.setdefault(dcode, []).append(commune)
            legacy_by_key[f"{pkey}_{dkey}_{wkey}"] = commune
        else:
            legacy_by_key[f"{pkey}_{dkey}_"] = district  # island districts without communes

    current_by_key = {}
    current_province_by_key = {}
    for (pcode, prov, pshort, pkey, palias, wcode, ward, wshort, wtype, wkey, walias) in current_rows:
        if pkey not in current_province_by_key:
            province = Unit(pcode, CURRENT, "province", prov, prov[:-len(pshort)].strip().lower(),
                            pshort, pcode, pshort)
            reg.add(province, [_strip_type(a, PROVINCE_TYPES) for a in _aliases(palias)]
                    + _PROVINCE_ALIASES.get(pcode, []))
            current_province_by_key[pkey] = province
        commune = Unit(wcode, CURRENT, "commune", ward, wtype.lower(), _plain(wshort, wtype), pcode, pshort)
        reg.add(commune, [_strip_type(a, COMMUNE_TYPES) for a in _aliases(walias)])
        current_by_key[(pkey, wkey)] = commune

    conversion = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    for new_pkey, old_pkeys in conversion["DICT_PROVINCE"].items():
        for old_pkey in old_pkeys:
            reg.province_successor[legacy_province_by_key[old_pkey].code] = \
                current_province_by_key[new_pkey].code
    commune_succ: dict[str, set] = {}
    for new_pkey, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            new = current_by_key.get((new_pkey, new_wkey))
            for old_key in old_keys:
                old = legacy_by_key.get(old_key)
                if new and old:
                    commune_succ.setdefault((old.level, old.code), set()).add(new.code)
    for new_pkey, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            old = legacy_by_key.get(old_key)
            for item in news:
                new = current_by_key.get((new_pkey, item["newWardKey"]))
                if new and old:
                    commune_succ.setdefault((old.level, old.code), set()).add(new.code)
    for key, codes in commune_succ.items():
        reg.successors[key] = tuple(sorted(codes))
    for dcode, communes in reg.children.items():
        codes = set(reg.successors.get(("district", dcode), ()))
        for c in communes:
            codes.update(reg.successors.get(("commune", c.code), ()))
        reg.successors[("district", dcode)] = tuple(sorted(codes))
    for old, new in reg.province_successor.items():
        reg.successors[("province", old)] = (new,)
    return reg


@lru_cache(maxsize=1)
def get_register() -> Register:
    """The register, loaded on first use and kept for the life of the process; built from the
    package's data once, then read back from the user's cache (model/cache.py)."""
    data_dir = _data_dir()
    with collector_paused():
        return kept("register", [data_dir / "dataset.db", data_dir / "converter_2025.json"],
                    lambda: load_register(data_dir))
