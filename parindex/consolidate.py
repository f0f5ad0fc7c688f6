"""Many articles' facts about one unit, index and year -> one ranking row.

Pure: facts in (dicts as read from the database, each with its article's `site`, `url`,
`published`), rows out. The rules, per value (rank, rank_total, rank_change, score, score_min):

1. rejected facts never count;
2. a reviewed value (accepted or corrected) wins;
3. else a value that independent articles (different sites) agree on wins over the others;
4. else the value of the most recent article wins;
and whenever unreviewed articles disagree the row is flagged as a conflict with the competing
values listed: nothing is averaged away.
"""
from collections import Counter

from parindex.model.catalogue import DEFAULT_INDEX, LEVELS, STANDING, rounded
from parindex.model.linker import AGENCY_LEVELS, current_province_code, province_name
from parindex.model.normalize import bare_key, match_key

VALUE_FIELDS = STANDING
REVIEWED = ("accepted", "corrected")
LEVEL_ORDER = {lv: i for i, lv in enumerate(LEVELS)}
# Provinces, districts and communes were reorganised on 1 July 2025: a 2025 rank is not
# comparable with a 2024 one, so a change across the break is left empty.
BREAK_YEAR = 2025

COLUMNS = ["index", "level", "year", "unit", "unit_code", "register", "province", "province_code",
           "province_2025", "province_code_2025", "successor_codes", "parent", "rank",
           "rank_total", "rank_change", "score", "score_min", "percentile", "n_sources",
           "source_urls", "first_published", "review_status", "conflict", "conflict_values",
           "unit_ambiguous", "candidates"]
LIST_SEPARATOR = " | "


def unit_identity(fact: dict) -> tuple:
    """What makes two facts speak of the same unit: its register code when linked, else its name."""
    level = fact.get("level") or ""
    if fact.get("unit_code"):
        return ("code", level, fact.get("register") or "", fact["unit_code"])
    province = fact.get("province_code") or bare_key(fact.get("province") or "")
    if level in AGENCY_LEVELS:
        return ("agency", level, province, bare_key(fact.get("unit_official") or fact.get("unit_key") or ""))
    return ("name", level, province, fact.get("unit_key") or bare_key(fact.get("unit") or ""))


def group_key(fact: dict) -> tuple:
    return (fact.get("index") or DEFAULT_INDEX, fact.get("year")) + unit_identity(fact)


def _norm(field: str, value):
    return rounded(field, value)


def _recency(fact: dict) -> tuple:
    return (fact.get("published") or "", fact.get("article_id") or 0, fact.get("id") or "")


def choose(field: str, facts: list[dict]) -> tuple:
    """(value, conflict, competing values) for one field of one group of non-rejected facts."""
    stated = [(_norm(field, f.get(field)), f) for f in facts if f.get(field) is not None]
    if not stated:
        return None, False, []
    reviewed = [(v, f) for v, f in stated if f.get("status") in REVIEWED]
    if reviewed:
        values = sorted({v for v, _ in reviewed})
        if len(values) == 1:
            return values[0], False, []
        return max(reviewed, key=lambda vf: _recency(vf[1]))[0], True, values
    values = sorted({v for v, _ in stated})
    if len(values) == 1:
        return values[0], False, []
    sites = {v: len({f.get("site") for vv, f in stated if vv == v}) for v in values}
    best = max(sites.values())
    agreed = [v for v in values if sites[v] == best]
    if best >= 2 and len(agreed) == 1:
        return agreed[0], True, values
    return max(stated, key=lambda vf: _recency(vf[1]))[0], True, values


def _most_common(values) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _percentile(rank, total):
    if rank is None or total is None or total <= 1 or not 1 <= rank <= total:
        return None
    return round((total - rank) / (total - 1), 4)


def build_row(facts: list[dict]) -> dict:
    """One ranking row from the non-rejected facts of one group."""
    first = facts[0]
    values, conflicts = {}, []
    for field in VALUE_FIELDS:
        value, conflict, competing = choose(field, facts)
        values[field] = value
        if conflict:
            conflicts.append(f"{field}: " + LIST_SEPARATOR.join(_fmt(v) for v in competing))
    year = first.get("year")
    if year == BREAK_YEAR:
        values["rank_change"] = None
    register, province_code = first.get("register"), first.get("province_code")
    linked = bool(first.get("unit_code"))
    if linked and first.get("level") not in AGENCY_LEVELS:
        province = province_name(register, province_code)
    else:
        province = _most_common(f.get("province") for f in facts)
    code_2025, province_2025 = None, None
    if province_code and register == "legacy":
        code_2025 = current_province_code(province_code)
        province_2025 = province_name("current", code_2025)
    elif province_code and register == "current":
        code_2025, province_2025 = province_code, province_name("current", province_code)
    reviewed = sum(1 for f in facts if f.get("status") in REVIEWED)
    unit = first.get("unit_official") if linked or first.get("level") in AGENCY_LEVELS else None
    return {
        "index": first.get("index") or DEFAULT_INDEX, "level": first.get("level"), "year": year,
        "unit": unit or _most_common(f.get("unit") for f in facts),
        "unit_code": first.get("unit_code"), "register": register, "province": province,
        "province_code": province_code, "province_2025": province_2025,
        "province_code_2025": code_2025,
        "successor_codes": LIST_SEPARATOR.join(first.get("successors") or []) or None,
        "parent": _most_common(f.get("parent") for f in facts),
        **values, "percentile": _percentile(values["rank"], values["rank_total"]),
        "n_sources": len({f.get("article_id") for f in facts}),
        "source_urls": LIST_SEPARATOR.join(sorted({f["url"] for f in facts if f.get("url")})) or None,
        "first_published": min((f["published"] for f in facts if f.get("published")), default=None),
        "review_status": "all" if reviewed == len(facts) else ("some" if reviewed else "none"),
        "conflict": bool(conflicts), "conflict_values": "; ".join(conflicts) or None,
        "unit_ambiguous": bool(first.get("unit_ambiguous")),
        "candidates": LIST_SEPARATOR.join(first.get("candidates") or []) or None
        if first.get("unit_ambiguous") else None,
    }


def _row_order(row: dict) -> tuple:
    return (row["index"], LEVEL_ORDER.get(row["level"], 99), match_key(row["province"] or "~"),
            match_key(row["parent"] or ""), row["year"] or 0,
            row["rank"] if row["rank"] is not None else 10**9, match_key(row["unit"] or ""),
            row["unit_code"] or "")


def consolidate(facts: list[dict]) -> list[dict]:
    """Ranking rows, in a fixed order, from facts of any number of articles."""
    groups: dict[tuple, list] = {}
    for fact in facts:
        if fact.get("status") == "rejected":
            continue
        groups.setdefault(group_key(fact), []).append(fact)
    rows = [build_row(sorted(group, key=_recency)) for group in groups.values()]
    return sorted(rows, key=_row_order)
