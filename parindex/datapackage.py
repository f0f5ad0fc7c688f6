"""datapackage.json: a Frictionless Data Package describing every file and column of the export."""
from parindex.consolidate import COLUMNS as RANKING_COLUMNS
from parindex.consolidate import LIST_SEPARATOR

LIST = f"list separated by '{LIST_SEPARATOR}'"
RANKING_FIELDS = {
    "index": "Index: PAR (Chỉ số cải cách hành chính), SIPAS, PAPI, PCI, DDCI or OTHER.",
    "level": "province, district, commune, department, central_agency or ministry.",
    "year": "The evaluated year (not the publication year).",
    "unit": "Official name of the unit when linked to the register, else the name as written.",
    "unit_code": "GSO code of the unit in its register (see `register`); empty when not linked.",
    "register": "legacy: units as they were before 1 July 2025 (63 provinces); current: after "
                "the 2025 reorganisation (34 provinces, 3,321 communes).",
    "province": "The province the unit belonged to in that year's register.",
    "province_code": "GSO code of that province in `register`.",
    "province_2025": "The province that succeeded it on 1 July 2025 (the same one if unchanged).",
    "province_code_2025": "GSO code of the 2025 successor province.",
    "successor_codes": f"Current-register codes of the units that succeeded a legacy unit ({LIST}).",
    "parent": "The unit it is ranked within, as the articles state it.",
    "rank": "Position in the ranked group (1 = best).",
    "rank_total": "Size of the ranked group.",
    "rank_change": "Places moved since the previous evaluation (positive = up); empty for 2025, "
                   "the first year after the reorganisation.",
    "score": "Index value as published (percent or points).",
    "score_min": "Lower bound when only a band is published ('trên 90%').",
    "percentile": "(rank_total - rank) / (rank_total - 1): 1 = first, 0 = last.",
    "n_sources": "Number of articles that state a value for this row.",
    "source_urls": f"URLs of those articles ({LIST}).",
    "first_published": "Earliest publication date among those articles.",
    "review_status": "all, some or none of the supporting facts reviewed by a person.",
    "conflict": "True when unreviewed articles give different values.",
    "conflict_values": "The competing values, per field ('rank: 3 | 5').",
    "unit_ambiguous": "True when the name matches several units and the text does not say which.",
    "candidates": f"Codes of the units an ambiguous name may be ({LIST}).",
}
FACT_FIELDS = {
    "fact_id": "Stable id of the fact (article text, index, level, unit, year).",
    "status": "pending, accepted, corrected or rejected (rejected facts never count in rankings).",
    "unit_official": "Official or normalised name of the unit.",
    "evidence": "The sentence of the article that states the fact.",
    "url": "The article.", "site": "Host name of the article's site.",
    "published": "The article's publication date.", "title": "The article's title.",
    "reviewed_by": "Who reviewed the fact.",
    **{k: v for k, v in RANKING_FIELDS.items()
       if k in ("index", "level", "year", "unit_code", "register", "province", "province_code",
                "parent", "rank", "rank_total", "rank_change", "score", "score_min",
                "unit_ambiguous", "candidates")},
    "unit": "The unit as written in the article.",
}
UNITS = {"score": "percent or points, as published", "score_min": "percent or points, as published",
         "rank": "position", "rank_total": "units", "rank_change": "places", "year": "year"}


def _schema(columns, descriptions, primary_key=None):
    from parindex.export import TYPES

    fields = []
    for name in columns:
        field = {"name": name, "type": TYPES.get(name, "string"), "description": descriptions[name]}
        if name in UNITS:
            field["unit"] = UNITS[name]
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def build_datapackage(rankings, facts, chart_files, reviewed_only=False, excel=False) -> dict:
    from parindex.export import FACT_COLUMNS

    encoding = "utf-8-sig" if excel else "utf-8"
    from parindex.export import site_home

    homes: dict[str, set] = {}
    for f in facts:
        homes.setdefault(f["site"], set()).add(site_home(f.get("url")))
    ranking_schema = _schema(RANKING_COLUMNS, RANKING_FIELDS)
    json_schema = dict(ranking_schema)
    json_schema.pop("missingValues")
    resources = [
        {"name": "rankings", "path": "rankings.csv", "format": "csv", "mediatype": "text/csv",
         "encoding": encoding,
         "description": "One row per index, unit and evaluated year, consolidated across articles.",
         "schema": ranking_schema},
        {"name": "rankings-json", "path": "rankings.json", "format": "json",
         "mediatype": "application/json", "description": "The same rows as rankings.csv.",
         "schema": json_schema},
        {"name": "rankings-parquet", "path": "rankings.parquet", "type": "file",
         "format": "parquet", "mediatype": "application/vnd.apache.parquet",
         "description": "The same rows and columns as rankings.csv, typed (integers, numbers, "
                        "booleans; dates as ISO strings)."},
        {"name": "facts", "path": "facts.csv", "format": "csv", "mediatype": "text/csv",
         "encoding": encoding,
         "description": "Every fact with its evidence sentence, article and review status.",
         "schema": _schema(FACT_COLUMNS, FACT_FIELDS, primary_key=["fact_id"])},
    ]
    for name in chart_files:
        resources.append({"name": "chart-" + name.rsplit(".", 1)[0].lower().replace("_", "-"),
                          "path": f"charts/{name}", "type": "file", "format": "png",
                          "mediatype": "image/png", "description": _chart_description(name)})
    return {
        "name": "parindex-rankings",
        "title": "Vietnam administrative-reform rankings gathered from local news (parindex)",
        "description": "Ranks and scores of Vietnamese provinces, districts, communes, "
                       "departments and ministries on the PAR Index and related indexes, "
                       "extracted from news articles with their evidence"
                       + (", reviewed facts only." if reviewed_only else "."),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [_source(site, homes[site]) for site in sorted(homes)],
        "resources": resources,
    }


def _source(site: str, homes: set) -> dict:
    found = sorted(h for h in homes if h)
    return {"title": site, "path": found[0]} if found else {"title": site}


def _chart_description(name: str) -> str:
    if name.startswith("districts_"):
        return "Ranks of a province's districts by evaluated year."
    if name.startswith("provinces_"):
        return "Heatmap of provinces' national ranks by evaluated year."
    return "Number of facts each source site contributed."
