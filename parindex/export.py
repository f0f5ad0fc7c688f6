"""The cross-province ranking dataset: rankings and facts as CSV, Parquet, JSON, a data package, charts.

    from parindex.export import export_dataset
    summary = export_dataset("parindex.db", "dataset/", reviewed_only=False, excel=False)

Reads the database read-only. The same database gives byte-identical files: rows in a fixed
order, numbers in one format, no export time inside the data.
"""
import csv
import io
import json
import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from parindex.consolidate import COLUMNS as RANKING_COLUMNS
from parindex.consolidate import LIST_SEPARATOR, consolidate

FACT_COLUMNS = ["fact_id", "status", "index", "level", "year", "unit", "unit_official",
                "unit_code", "register", "province", "province_code", "parent", "rank",
                "rank_total", "rank_change", "score", "score_min", "unit_ambiguous", "candidates",
                "evidence", "url", "site", "published", "title", "reviewed_by"]

# Column types, shared by the CSV writer, the Parquet schema and datapackage.json.
TYPES = {"year": "integer", "rank": "integer", "rank_total": "integer", "rank_change": "integer",
         "n_sources": "integer", "score": "number", "score_min": "number", "percentile": "number",
         "conflict": "boolean", "unit_ambiguous": "boolean", "first_published": "date",
         "published": "date"}
_ARROW = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
          "string": pa.string(), "date": pa.string()}

_SQL = """
SELECT f.id, f.article_id, f.unit, f.unit_key, f.level, f."index", f.year, f.province, f.parent,
       f.rank, f.rank_total, f.rank_change, f.score, f.score_min, f.evidence, f.status,
       f.reviewed_by, f.unit_code, f.unit_official, f.register, f.successors, f.province_code,
       f.unit_ambiguous, f.candidates,
       a.url, a.title, a.published, a.site AS site_name,
       (SELECT min(p.source) FROM pages p WHERE p.article_id = a.id) AS source
FROM facts f JOIN articles a ON a.id = f.article_id
{where}
ORDER BY f.article_id, f.id
"""


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ExportError(Exception):
    """One line naming what could not be exported."""


def site_of(url, site_name=None, source=None, article_id=None) -> str:
    """The publisher of an article: the site name the page states (trafilatura's sitename),
    else the host of its URL ("www." dropped), else the crawl source. The name comes first
    because a mirror or a local copy (the offline corpus on 127.0.0.1) hosts many publishers."""
    if site_name and site_name.strip():
        return " ".join(site_name.split())
    host = urlsplit(url).hostname if url else None
    if host:
        return host[4:] if host.startswith("www.") else host
    return source or f"article-{article_id}"


def site_home(url) -> str | None:
    """https://host/ of an article on the public web; None for a local or missing address."""
    parts = urlsplit(url) if url else None
    if not parts or not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    if parts.hostname in ("localhost", "::1") or parts.hostname.startswith("127."):
        return None
    return f"{parts.scheme}://{parts.hostname}/"


@lru_cache(maxsize=100_000)
def _json_list(value):
    """A stored JSON list (successors, candidates); the same few strings repeat a lot."""
    if value is None:
        return None
    try:
        out = json.loads(value)
    except (TypeError, ValueError):
        return None
    return out if isinstance(out, list) else None


def read_facts(db, reviewed_only: bool = False) -> list[dict]:
    """Every fact with its article's URL, site, title and date (rejected ones included)."""
    where = "WHERE f.status IN ('accepted', 'corrected')" if reviewed_only else ""
    facts = []
    articles: dict[int, tuple] = {}  # twenty facts an article: work out its site and date once
    cursor = db.execute(_SQL.format(where=where))
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values))
        article = articles.get(row["article_id"])
        if article is None:
            published = row["published"]
            if published and not _ISO_DATE.fullmatch(published):
                published = None  # a month-only or odd date is no date (FACTS.md, 11)
            article = articles[row["article_id"]] = (
                site_of(row["url"], row["site_name"], row["source"], row["article_id"]), published)
        del row["site_name"]
        row["site"], row["published"] = article
        row["successors"] = list(_json_list(row["successors"]) or []) or None
        row["candidates"] = list(_json_list(row["candidates"]) or []) or None
        facts.append(row)
    return link_missing(facts)


def link_missing(facts: list[dict]) -> list[dict]:
    """Link facts stored before the linker ran (all link columns empty) and facts a person
    corrected (their unit, year or province may have changed), article by article."""
    from parindex.model.linker import link_facts

    todo: dict[int, list[int]] = {}
    for i, fact in enumerate(facts):
        unlinked = fact["register"] is None and fact["unit_official"] is None and fact["candidates"] is None
        if unlinked or fact["status"] == "corrected":
            todo.setdefault(fact["article_id"], []).append(i)
    for positions in todo.values():
        for i, linked in zip(positions, link_facts([facts[i] for i in positions])):
            facts[i] = linked
    return facts


def fact_rows(facts: list[dict]) -> list[dict]:
    """The rows of facts.csv. Changes the fact dicts in place (lists as text): call it last."""
    for f in facts:
        f["fact_id"] = f["id"]
        f["unit_ambiguous"] = bool(f.get("unit_ambiguous"))
        f["candidates"] = LIST_SEPARATOR.join(f.get("candidates") or []) or None
        for name in ("score", "score_min"):
            if f.get(name) is not None:
                f[name] = round(float(f[name]), 2)
    return sorted(facts, key=lambda f: f["id"])


def cell(value) -> str:
    """One fixed text form per value: empty for null, true/false, numbers without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def _string_cell(value) -> str:
    return "" if value is None else value if isinstance(value, str) else cell(value)


def write_csv(path: Path, rows: list[dict], columns: list[str], bom: bool = False) -> None:
    # Text columns are most of the cells: they skip the number formatting.
    formats = [_string_cell if TYPES.get(c, "string") in ("string", "date") else cell for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([fmt(row.get(c)) for fmt, c in zip(formats, columns)] for row in rows)
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8"))


def write_json(path: Path, rows: list[dict], columns: list[str]) -> None:
    # One row a line through the C encoder (indent= would switch to the slow Python one).
    lines = [json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) for row in rows]
    path.write_text("[\n" + ",\n".join(lines) + ("\n]\n" if lines else "]\n"), encoding="utf-8")


def write_parquet(path: Path, rows: list[dict], columns: list[str]) -> None:
    schema = pa.schema([(c, _ARROW[TYPES.get(c, "string")]) for c in columns])
    table = pa.table({c: [row.get(c) for row in rows] for c in columns}, schema=schema)
    pq.write_table(table, path, compression="zstd")


def _atomic(path: Path, write, *args, **kwargs) -> None:
    """Write through a temporary file renamed over `path`: a failed export leaves whole files."""
    part = path.with_name(path.name + ".part")
    try:
        write(part, *args, **kwargs)
        os.replace(part, path)
    finally:
        if part.exists():
            part.unlink()


def _prepare_out(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "charts").mkdir(exist_ok=True)
        probe = out / ".parindex-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise ExportError(f"{out}: cannot write there ({err.strerror or err})") from err
    return out


def export_dataset(db_path, out_dir, reviewed_only: bool = False, excel: bool = False,
                   charts: bool = True) -> dict:
    """Write the dataset into out_dir; return what was written (counts and file names)."""
    from parindex import store
    from parindex.datapackage import build_datapackage

    try:
        db = store.connect(db_path, readonly=True)
    except store.StoreError as err:
        raise ExportError(str(err)) from err
    try:
        facts = read_facts(db, reviewed_only)
    except sqlite3.DatabaseError as err:  # a corrupt file shows up at the first read
        raise ExportError(f"{db_path}: cannot read the facts ({str(err).splitlines()[0]})") from err
    finally:
        db.conn.close()
    out = _prepare_out(Path(out_dir))
    rankings = consolidate(facts)
    wait_for_charts = lambda: []  # noqa: E731
    try:
        if charts:
            from parindex.charts import start_drawing  # matplotlib costs a second to import
            wait_for_charts = start_drawing(rankings, facts, out / "charts")
        _atomic(out / "rankings.csv", write_csv, rankings, RANKING_COLUMNS, bom=excel)
        _atomic(out / "rankings.parquet", write_parquet, rankings, RANKING_COLUMNS)
        _atomic(out / "rankings.json", write_json, rankings, RANKING_COLUMNS)
        sources = [{"site": f["site"], "url": f.get("url")} for f in facts]
        _atomic(out / "facts.csv", write_csv, fact_rows(facts), FACT_COLUMNS, bom=excel)
        chart_files = wait_for_charts()
        package = build_datapackage(rankings, sources, chart_files, reviewed_only=reviewed_only,
                                    excel=excel)
        _atomic(out / "datapackage.json", lambda path: path.write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
    except OSError as err:  # disk full, folder removed meanwhile
        try:
            wait_for_charts()  # let the chart workers finish and the pool close
        except Exception:  # noqa: BLE001  (the write failure is the error to report)
            pass
        raise ExportError(f"{out}: cannot write the dataset ({err.strerror or err})") from err
    return {"facts": len(facts), "rankings": len(rankings),
            "conflicts": sum(1 for r in rankings if r["conflict"]),
            "files": ["rankings.csv", "rankings.parquet", "rankings.json", "facts.csv",
                      "datapackage.json"] + [f"charts/{name}" for name in chart_files]}
