"""datapackage.json: a Frictionless Data Package describing every file and column of the export.

The columns of facts.csv are the catalogue's fields (model/catalogue.py) between a few about
the review and the article; their types, units and meanings are the catalogue's. The ranking
rows are built by consolidation (parindex/consolidate.py): a column that carries a fact field
keeps its meaning, the others are described here.
"""
from parindex.consolidate import COLUMNS as RANKING_COLUMNS
from parindex.consolidate import LIST_SEPARATOR
from parindex.model.catalogue import FIELD, NAMES
from parindex.sites import site_home

LIST = f"list separated by '{LIST_SEPARATOR}'"
_FRICTIONLESS = {int: "integer", float: "number", bool: "boolean", str: "string", list: "string"}

# facts.csv: the review and article columns around the catalogue's fields
FACT_COLUMNS = ["fact_id", "status", *NAMES, "url", "site", "published", "title", "reviewed_by"]
FACT_EXTRA = {
    "fact_id": "Stable id of the fact (article text, index, level, unit, year).",
    "status": "pending, accepted, corrected or rejected (rejected facts never count in rankings).",
    "url": "The article.", "site": "The publisher of the article (its stated site name, else its host).",
    "published": "The article's publication date.", "title": "The article's title.",
    "reviewed_by": "Who reviewed the fact.",
}

# rankings.csv: what consolidation means by the columns that are not simply a fact field
RANKING_EXTRA = {
    "unit": "Official name of the unit when linked to the register, else the name as written.",
    "province": "The province the unit belonged to in that year's register.",
    "province_2025": "The province that succeeded it on 1 July 2025 (the same one if unchanged).",
    "province_code_2025": "GSO code of the 2025 successor province.",
    "successor_codes": f"Current-register codes of the units that succeeded a legacy unit ({LIST}).",
    "parent": "The unit it is ranked within, as the articles state it.",
    "rank_change": "Places moved since the previous evaluation (positive = up); empty for 2025, "
                   "the first year after the reorganisation.",
    "percentile": "(rank_total - rank) / (rank_total - 1): 1 = first, 0 = last.",
    "n_sources": "Number of articles that state a value for this row.",
    "source_urls": f"URLs of those articles ({LIST}).",
    "first_published": "Earliest publication date among those articles.",
    "review_status": "all, some or none of the supporting facts reviewed by a person.",
    "conflict": "True when unreviewed articles give different values.",
    "conflict_values": "The competing values, per field ('rank: 3 | 5').",
}
EXTRA_TYPES = {"n_sources": "integer", "percentile": "number", "conflict": "boolean",
               "first_published": "date", "published": "date"}


# Columns that hold lists: " | " between items in CSV and Excel, lists in Parquet.
LIST_COLUMNS = frozenset({"successor_codes", "source_urls", *(n for n in NAMES if FIELD[n].type is list)})


def column_type(name: str) -> str:
    """The Frictionless type of an export column (CSV, Parquet and JSON follow it)."""
    if name in EXTRA_TYPES:
        return EXTRA_TYPES[name]
    return _FRICTIONLESS[FIELD[name].type] if name in FIELD else "string"


def _meaning(name: str, extra: dict) -> str:
    if name in extra:
        return extra[name]
    field = FIELD[name]
    return field.meaning[:-1] + f" ({LIST})." if field.type is list else field.meaning


def _schema(columns, extra, primary_key=None):
    fields = []
    for name in columns:
        field = {"name": name, "type": column_type(name), "description": _meaning(name, extra)}
        if name in FIELD and FIELD[name].unit:
            field["unit"] = FIELD[name].unit
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def ranking_descriptions() -> dict:
    """What each column of the rankings means (the data package's words; the Excel file's
    second sheet)."""
    return {f["name"]: f["description"] for f in _schema(RANKING_COLUMNS, RANKING_EXTRA)["fields"]}


def build_datapackage(rankings, facts, chart_files, reviewed_only=False, excel=False) -> dict:
    encoding = "utf-8-sig" if excel else "utf-8"
    homes: dict[str, set] = {}
    for f in facts:
        homes.setdefault(f["site"], set()).add(site_home(f.get("url")))
    ranking_schema = _schema(RANKING_COLUMNS, RANKING_EXTRA)
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
         "description": "The same rows and columns as rankings.csv, typed: integers, numbers, "
                        "booleans, dates, and lists of strings for "
                        + ", ".join(c for c in RANKING_COLUMNS if c in LIST_COLUMNS) + "."},
        {"name": "rankings-xlsx", "path": "rankings.xlsx", "type": "file", "format": "xlsx",
         "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "description": "The same rows as rankings.csv for Excel: codes as text, dates as dates, "
                        "the header frozen; a second sheet says what each column means."},
        {"name": "facts", "path": "facts.csv", "format": "csv", "mediatype": "text/csv",
         "encoding": encoding,
         "description": "Every fact with its evidence sentence, article and review status.",
         "schema": _schema(FACT_COLUMNS, FACT_EXTRA, primary_key=["fact_id"])},
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
