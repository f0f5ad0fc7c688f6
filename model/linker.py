"""Link each fact's unit to the official register of administrative units.

    from parindex.model.linker import link_facts
    linked = link_facts(facts, context={"province": "Hải Dương"})

Pure: the register is the one vietnamadminunits ships (model/register.py), loaded once.
Each returned fact is a new dict with the link fields of docs/CONTRACTS.md:

    unit_code, unit_official, register ("legacy" | "current" | None), successors (current
    codes that replaced a legacy unit), province_code, unit_ambiguous, candidates

The evaluated year picks the register: before 2025 the units as they were (63 provinces,
districts, communes); from 2026 the units of the reorganisation of 1 July 2025; in 2025 either,
decided by the name (a district or a province that no longer exists is legacy). An old name is
never looked up in the new register alone: "xã Kim Anh" of Hải Dương (legacy) and "xã Kim Anh"
of Hà Nội (current) are different communes.

Among units that share a name the linker narrows by what the text says: the fact's province,
its parent, then the other units and provinces of the same article. When more than one unit is
left, the fact is marked ``unit_ambiguous`` with the ``candidates``: it never guesses.
"""
import re
from functools import lru_cache

from parindex.model.normalize import bare_key, display_name, match_key, split_unit
from parindex.model.register import CURRENT, LEGACY, COMMUNE_TYPES, DISTRICT_TYPES, get_register
from parindex.model.register_agencies import official_agency_name

LINK_FIELDS = ("unit_code", "unit_official", "register", "successors", "province_code",
               "unit_ambiguous", "candidates")
ADMIN_LEVELS = ("province", "district", "commune")
AGENCY_LEVELS = ("department", "central_agency", "ministry")


def _level_of(kind: str | None, name: str, level: str | None) -> str | None:
    if level:
        return level
    if kind == "tỉnh":
        return "province"
    if kind in ("huyện", "quận", "thị xã"):
        return "district"
    if kind in COMMUNE_TYPES:
        return "commune"
    if kind == "thành phố":
        reg = get_register()
        return "province" if _lookup(reg, LEGACY, "province", name) else "district"
    return None


def _lookup(reg, register: str, level: str, name: str) -> list:
    """Units of one register and level with this name: exact (accents), then unaccented."""
    if not name:
        return []
    found = reg.by_name.get((register, level, name))
    if found:
        return list(found)
    found = reg.by_bare.get((register, level, bare_key(name)))
    if found:
        return list(found)
    if level == "province":
        return list(reg.by_alias.get((register, level, bare_key(name))) or [])
    return []


def _lookup_merged(reg, register: str, level: str, name: str) -> list:
    """Units that absorbed a district or commune of this name before July 2025."""
    return list(reg.by_alias.get((register, level, bare_key(name))) or []) if name else []


def _by_kind(units: list, kind: str | None) -> list:
    if not kind or kind == "tỉnh":
        return units
    same = [u for u in units if u.kind == kind]
    return same or units


def _province_codes(reg, register: str, province: str | None) -> set:
    """Codes, in `register`, of the province a text names (an old name maps to its successor)."""
    if not province:
        return set()
    _, name = split_unit(province)
    codes = {u.code for u in _lookup(reg, register, "province", name)}
    if not codes and register == CURRENT:
        codes = {reg.province_successor[u.code] for u in _lookup(reg, LEGACY, "province", name)}
    return codes


def _is_legacy_only_province(reg, province: str | None) -> bool:
    if not province:
        return False
    _, name = split_unit(province)
    return bool(_lookup(reg, LEGACY, "province", name)) and not _lookup(reg, CURRENT, "province", name)


def _narrow(units: list, keep) -> list:
    """Apply a filter only when it leaves something: a hint that matches nothing is no evidence."""
    kept = [u for u in units if keep(u)]
    return kept if kept else units


class _Merged:
    """A unit merged into `into` before July 2025: it has no code of its own in the register."""

    def __init__(self, into):
        self.into = into

    def __getattr__(self, attr):
        return getattr(self.into, attr)


class _Context:
    """What the article says around one fact: provinces and districts it names."""

    def __init__(self, facts: list[dict], context: dict | None):
        context = context or {}
        self.province = context.get("province")
        self.parent = context.get("parent")
        names = list(context.get("units") or [])
        for fact in list(facts) + list(context.get("facts") or []):
            names += [fact.get("unit"), fact.get("parent")]
            if fact.get("province"):
                names.append("tỉnh " + fact["province"])
        self.province_names, self.district_names = set(), set()
        for raw in filter(None, names):
            kind, name = split_unit(raw)
            if kind in ("tỉnh", "thành phố"):
                self.province_names.add(name)
            if kind in DISTRICT_TYPES:
                self.district_names.add(name)
        if self.province:
            self.province_names.add(split_unit(self.province)[1])


def _candidates(reg, register: str, level: str, kind, name: str, fact: dict, ctx: _Context):
    """(units matching the name in the register, units left after the text's hints)."""
    named = _lookup(reg, register, level, name)
    found = _by_kind(named, kind)
    if not found and register == LEGACY:
        found = [_Merged(u) for u in _lookup_merged(reg, register, level, name)]
    left = found
    parent = fact.get("parent") or ctx.parent
    pkind, pname = split_unit(parent) if parent else (None, "")
    if fact.get("province") and level != "province":
        # The fact's own province is a statement: a unit outside it is not this unit.
        codes = _province_codes(reg, register, fact["province"])
        if codes:
            left = _inside(reg, register, level, name, kind, named, found, codes, pname)
    if len(left) > 1 and pname and level == "commune" and register == LEGACY:
        left = _narrow(left, lambda u: split_unit(u.district)[1] == pname
                       and (pkind in (None, split_unit(u.district)[0])))
    if len(left) > 1 and pname and pkind in (None, "tỉnh", "thành phố") and level != "province":
        codes = _province_codes(reg, register, parent)
        if codes:
            left = _narrow(left, lambda u: u.province_code in codes)
    if len(left) > 1 and ctx.province and level != "province":
        codes = _province_codes(reg, register, ctx.province)
        left = _narrow(left, lambda u: u.province_code in codes)
    if len(left) > 1 and ctx.district_names and level == "commune" and register == LEGACY:
        left = _narrow(left, lambda u: split_unit(u.district)[1] in ctx.district_names)
    if len(left) > 1 and ctx.province_names and level != "province":
        codes = set()
        for province_name in ctx.province_names:
            codes |= _province_codes(reg, register, "tỉnh " + province_name)
        left = _narrow(left, lambda u: u.province_code in codes)
    return found, left


def _inside(reg, register, level, name, kind, named, found, codes, pname) -> list:
    """The units of `found` in the stated province; when there are none, what a misread
    detail hides: another type word ("xã Hiệp An" for the ward of Kinh Môn), a unit merged
    before July 2025 in that province, or (a misread province) the one unit of the stated
    parent district."""
    inside = [u for u in found if u.province_code in codes]
    if not inside:
        inside = _by_kind([u for u in named if u.province_code in codes], kind)
    if not inside and register == LEGACY:
        inside = [_Merged(u) for u in _lookup_merged(reg, register, level, name)
                  if u.province_code in codes]
    if not inside and pname and level == "commune" and register == LEGACY:
        inside = [u for u in found if split_unit(u.district)[1] == pname]
        inside = inside if len(inside) == 1 else []
    return inside


def _registers(year, level: str, fact: dict, ctx: _Context, reg) -> list[str]:
    if level == "district":
        return [LEGACY]  # districts were abolished on 1 July 2025
    province = fact.get("province") or ctx.province
    if isinstance(year, int) and year < 2025:
        return [LEGACY]
    if _is_legacy_only_province(reg, province):
        return [LEGACY]  # "tỉnh Hải Dương" names the units as they were
    if isinstance(year, int) and year >= 2026:
        return [CURRENT]
    return [CURRENT, LEGACY]  # 2025 or unknown: the name decides


def _same_unit(reg, legacy_unit, current_unit) -> bool:
    """A unit the 2025 reorganisation left as it was: same name, succeeded by itself."""
    return (current_unit.code in reg.successors.get((legacy_unit.level, legacy_unit.code), ())
            and match_key(legacy_unit.name) == match_key(current_unit.name))


def _empty_link() -> dict:
    return {"unit_code": None, "unit_official": None, "register": None, "successors": [],
            "province_code": None, "unit_ambiguous": False, "candidates": []}


def _link_admin(reg, fact: dict, ctx: _Context) -> tuple[dict, str | None]:
    """The link fields and, when the register alone makes it certain, the unit's province."""
    kind, name = split_unit(fact.get("unit") or "")
    level = _level_of(kind, name, fact.get("level"))
    link = _empty_link()
    if level not in ADMIN_LEVELS:
        return link, None
    registers = _registers(fact.get("year"), level, fact, ctx, reg)
    results = {r: _candidates(reg, r, level, kind, name, fact, ctx) for r in registers}
    if len(registers) == 2:
        (cur_all, cur_left), (old_all, old_left) = results[CURRENT], results[LEGACY]
        if cur_left and old_left and not all(
                any(_same_unit(reg, o, c) for c in cur_left) for o in old_left):
            # 2025 and the name exists in both registers as different units: say so.
            link.update(unit_ambiguous=True, candidates=sorted(
                {u.code for u in cur_left} | {u.code for u in old_left}))
            return link, None
        register = CURRENT if cur_left else LEGACY
    else:
        register = registers[0]
    found, left = results[register]
    if not left:
        return link, None
    provinces = {u.province_code for u in found}
    certain_province = province_as_of(found[0], fact.get("year")) if len(provinces) == 1 else None
    if len(left) > 1:
        link.update(register=register, unit_ambiguous=True, candidates=sorted(u.code for u in left))
        if len({u.province_code for u in left}) == 1:
            link["province_code"] = left[0].province_code
        return link, certain_province
    unit = left[0]
    if isinstance(unit, _Merged):
        # Its ranks are its own, not those of the unit that absorbed it: no unit_code, the
        # absorbing unit as the only candidate, and that unit's successors for joins.
        link.update(register=register, province_code=unit.province_code, candidates=[unit.code],
                    unit_official=_official_as_written(fact.get("unit"), unit.kind),
                    successors=list(reg.successors.get((unit.level, unit.code), ())))
        return link, certain_province
    link.update(unit_code=unit.code, unit_official=unit.official, register=register,
                province_code=unit.province_code, candidates=[unit.code],
                successors=list(reg.successors.get((unit.level, unit.code), ()))
                if register == LEGACY else [])
    if level == "province":
        # A province-level unit's province is its own name as written ("Thừa Thiên Huế").
        return link, display_name(fact.get("unit"))
    return link, certain_province


def _official_as_written(unit: str | None, kind: str) -> str:
    name = display_name(unit) or ""
    return f"{kind.capitalize()} {name}".strip()


@lru_cache(maxsize=1)
def _province_names(reg) -> tuple:
    return tuple(match_key(u.name) for u in reg.provinces(LEGACY) + reg.provinces(CURRENT))


def _link_agency(reg, fact: dict, ctx: _Context) -> dict:
    link = _empty_link()
    level = fact.get("level")
    province_names = _province_names(reg)
    link["unit_official"] = official_agency_name(fact.get("unit") or "", level, province_names)
    if level == "ministry":
        return link
    province = fact.get("province") or ctx.province
    year = fact.get("year")
    register = LEGACY if (isinstance(year, int) and year < 2025) or _is_legacy_only_province(reg, province) \
        else CURRENT
    codes = _province_codes(reg, register, province)
    if len(codes) == 1:
        link.update(province_code=codes.pop(), register=register)
    return link


def link_fact(fact: dict, context: dict | None = None, _ctx: _Context | None = None) -> dict:
    """One fact with its link fields (a new dict); see link_facts."""
    reg = get_register()
    ctx = _ctx or _Context([fact], context)
    out = dict(fact)
    if fact.get("level") in AGENCY_LEVELS:
        out.update(_link_agency(reg, fact, ctx))
        return out
    link, province = _link_admin(reg, fact, ctx)
    out.update(link)
    if not fact.get("province") and province:
        out["province"] = province
    return out


def link_facts(facts: list[dict], context: dict | None = None) -> list[dict]:
    """Link every fact of one article; the other facts of the article are its context.

    context (optional): {"province": the province the article is about, "parent": a unit they
    are ranked within, "units": other unit names the article mentions, "facts": more facts}.
    """
    ctx = _Context(facts, context)
    return [link_fact(f, context, ctx) for f in facts]





# Units are raised, not lowered: a "huyện" an article of 2023 names may be a "thị xã" in the
# register of mid-2025 (huyện Phong Điền of Thừa Thiên Huế), so a name is in every province where
# a unit of that name has the kind written or one it may have become since.
_MAY_HAVE_BECOME = {"huyện": {"huyện", "thị xã", "thành phố", "quận"}, "thị xã": {"thị xã", "thành phố", "quận"},
                    "xã": {"xã", "thị trấn", "phường"}, "thị trấn": {"thị trấn", "phường"}}


def province_of_names(units: list[str], year: int | None = None) -> str | None:
    """The one province that districts and communes named with their type word belong to, when
    each such name exists in one province only (FACTS.md 12: "Quận 3", "huyện Kim Thành")."""
    reg = get_register()
    register = CURRENT if isinstance(year, int) and year >= 2026 else LEGACY
    provinces = {"district": set(), "commune": set()}
    for unit in units:
        kind, name = split_unit(unit)
        level = "district" if kind in ("huyện", "quận", "thị xã") else "commune" if kind in COMMUNE_TYPES else None
        if level is None:
            continue
        named = _lookup(reg, register, level, name)
        found = [u for u in named if u.kind in _MAY_HAVE_BECOME.get(kind, {kind})] or named
        if not found and level == "district":
            # a district merged away before the register was made ("huyện Lộc Hà", into Thạch Hà
            # in 2025) mostly leaves its seat, the town of its name ("thị trấn Lộc Hà")
            found = [u for u in _lookup(reg, register, "commune", name) if u.kind == "thị trấn"]
        if len({u.province_code for u in found}) == 1:
            provinces[level].add(province_as_of(found[0], year))
    # The districts speak first: a commune merged away before the register was made may live on
    # under its name only in another province ("xã Hợp Thịnh" of huyện Tam Dương, Vĩnh Phúc, is
    # now part of xã Hội Thịnh; the register's only "xã Hợp Thịnh" is in Bắc Giang).
    for level in ("district", "commune"):
        if provinces[level]:
            return provinces[level].pop() if len(provinces[level]) == 1 else None
    return None


# The legacy register is the one of mid-2025, when Thừa Thiên Huế had already become the city of
# Huế (1 January 2025): a unit evaluated before 2025 was in the province of Thừa Thiên Huế.
_RENAMED = {"46": (2025, "Thừa Thiên Huế")}


def province_as_of(unit, year: int | None) -> str:
    """The name of a unit's province in its evaluated year."""
    renamed = _RENAMED.get(unit.province_code)
    if renamed and unit.register == LEGACY and (not isinstance(year, int) or year < renamed[0]):
        return renamed[1]
    return unit.province


def province_named_as_of(province: str | None, year: int | None) -> str | None:
    """A province's name in the evaluated year: an article of 2023 about "thành phố Huế" is
    about the province of Thừa Thiên Huế, which became the city of Huế in 2025."""
    if not province or not isinstance(year, int):
        return province
    for unit in _lookup(get_register(), LEGACY, "province", split_unit(province)[1] or province):
        if unit.code in _RENAMED:
            return province_as_of(unit, year)
    return province


def is_district_name(unit: str) -> bool:
    """Does a district (or, since 2025, a commune or a province-level city) of this name exist?
    "TP. Ngôi" (a sentence's "tỉnh, TP." before "Ngôi quán quân ...") does not."""
    reg = get_register()
    kind, name = split_unit(unit)
    if not name:
        return False
    return any(_lookup(reg, register, level, name) or _lookup_merged(reg, register, level, name)
               for register in (LEGACY, CURRENT) for level in ("district", "commune", "province"))


@lru_cache(maxsize=1024)
def is_numbered_name(unit: str) -> bool:
    """Is a name ending in a number one the register holds ("phường Hà Giang 1", "phường Móng
    Cái 2", "xã Đam Rông 3"), so that the number belongs to it? In "xã Tân Hưng 2 năm liền dẫn
    đầu" it does not."""
    reg = get_register()
    kind, name = split_unit(unit)
    if not name or not re.search(r"\D\s+\d+$", name):
        return False
    return any(_lookup(reg, register, level, name) for register in (LEGACY, CURRENT)
               for level in ("district", "commune"))


@lru_cache(maxsize=256)
def local_unit_names(province: str, year: int | None = None) -> dict:
    """Districts (and, from 2025, communes) of a province by folded name -> (type word, level):
    what lets a bare name in a list of that province's results be read as its unit."""
    reg = get_register()
    out = {}
    registers = [LEGACY] if not isinstance(year, int) or year < 2025 else [LEGACY, CURRENT]
    for register in registers:
        for code in sorted(_province_codes(reg, register, province)):
            for unit in reg.in_province(register, code):
                if unit.level == "district" or (unit.level == "commune" and register == CURRENT):
                    out.setdefault(match_key(unit.name), (unit.kind, unit.level))
    return out


def current_province_code(legacy_code: str | None) -> str | None:
    """The province that succeeded a legacy province on 1 July 2025 ("30" Hải Dương -> "31")."""
    return get_register().province_successor.get(legacy_code) if legacy_code else None


def province_name(register: str | None, code: str | None) -> str | None:
    """Short name of a province in a register: ("legacy", "30") -> "Hải Dương"."""
    unit = get_register().get(register, "province", code) if register and code else None
    return unit.name if unit else None

__all__ = ["LINK_FIELDS", "current_province_code", "is_district_name", "link_fact", "link_facts", "local_unit_names",
           "province_name", "province_of_names", "split_unit"]
