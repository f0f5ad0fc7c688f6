"""The cross-province ranking dataset: rankings and facts as CSV, Parquet, JSON, a data package, charts.

    from parindex.export import export_dataset
    summary = export_dataset("parindex.db", "dataset/", reviewed_only=False, excel=False)

Reads the database read-only. The same database gives byte-identical files: rows in a fixed
order, numbers in one format, no export time inside the data.
"""
import csv
import datetime
import io
import json
import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from parindex.consolidate import COLUMNS as RANKING_COLUMNS
from parindex.consolidate import LIST_SEPARATOR, consolidate
from parindex.datapackage import (FACT_COLUMNS, LIST_COLUMNS, build_datapackage, column_type,
                                  ranking_descriptions)
from parindex.model.catalogue import FIELD, NAMES, rounded
from parindex.sites import publishers, site_of

_ARROW = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
          "string": pa.string(), "date": pa.date32()}
# One fixed creation time inside rankings.xlsx (the zip entries carry 1980 too): same bytes.
_XLSX_CREATED = datetime.datetime(1980, 1, 1, tzinfo=datetime.timezone.utc)
XLSX_MAX_WIDTH = 60
_LISTS = tuple(name for name in NAMES if FIELD[name].type is list)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ExportError(Exception):
    """One line naming what could not be exported."""


@lru_cache(maxsize=100_000)
def _json_list(value):
    """A stored JSON list (successors, candidates, rules); the same few strings repeat a lot."""
    if value is None:
        return None
    try:
        out = json.loads(value)
    except (TypeError, ValueError):
        return None
    return tuple(out) if isinstance(out, list) else None


def read_facts(db, reviewed_only: bool = False, sources=None) -> list[dict]:
    """Every fact as the database holds it, with its article's URL, site, title and date
    (rejected ones included). Nothing is linked or derived again here: the store did it.
    sources: the sources files whose site names name the publishers (parindex.sites)."""
    from parindex import store

    names = publishers(sources)
    facts = []
    articles: dict[int, tuple] = {}  # twenty facts an article: work out its site and date once
    for row in store.queries.facts_with_articles(db, reviewed_only):
        article = articles.get(row["article_id"])
        if article is None:
            published = row["published"]
            if published and not _ISO_DATE.fullmatch(published):
                published = None  # a month-only or odd date is no date (FACTS.md, 11)
            article = articles[row["article_id"]] = (
                site_of(row["url"], row["site_name"], row["source"], row["article_id"],
                        title=row["title"], publishers=names), published)
        del row["site_name"]
        row["site"], row["published"] = article
        for name in _LISTS:
            row[name] = list(_json_list(row[name]) or []) or None
        facts.append(row)
    return facts


def fact_rows(facts: list[dict]) -> list[dict]:
    """The rows of facts.csv. Changes the fact dicts in place (lists as text): call it last."""
    for f in facts:
        f["fact_id"] = f["id"]
        f["unit_ambiguous"] = bool(f.get("unit_ambiguous"))
        for name in _LISTS:
            f[name] = LIST_SEPARATOR.join(f.get(name) or []) or None
        for name in ("score", "score_min"):
            f[name] = rounded(name, f.get(name))
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
    formats = [_string_cell if column_type(c) in ("string", "date") else cell for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([fmt(row.get(c)) for fmt, c in zip(formats, columns)] for row in rows)
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8"))


def write_json(path: Path, rows: list[dict], columns: list[str]) -> None:
    # One row a line through the C encoder (indent= would switch to the slow Python one).
    lines = [json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) for row in rows]
    path.write_text("[\n" + ",\n".join(lines) + ("\n]\n" if lines else "]\n"), encoding="utf-8")


def _arrow_type(column: str):
    return pa.list_(pa.string()) if column in LIST_COLUMNS else _ARROW[column_type(column)]


def _arrow_value(column: str, value):
    if value is None:
        return None
    if column in LIST_COLUMNS:
        return value.split(LIST_SEPARATOR) if isinstance(value, str) else list(value)
    if column_type(column) == "date":
        return datetime.date.fromisoformat(value)
    return value


def write_parquet(path: Path, rows: list[dict], columns: list[str]) -> None:
    """Typed columns: integers, numbers, booleans, dates, lists of strings."""
    schema = pa.schema([(c, _arrow_type(c)) for c in columns])
    table = pa.table({c: [_arrow_value(c, row.get(c)) for row in rows] for c in columns}, schema=schema)
    pq.write_table(table, path, compression="zstd")


def _xlsx_width(column: str, rows: list[dict]) -> int:
    longest = max((len(cell(row.get(column))) for row in rows), default=0)
    return min(max(len(column), longest) + 2, XLSX_MAX_WIDTH)


def write_xlsx(path: Path, rows: list[dict], columns: list[str], descriptions: dict) -> None:
    """rankings.xlsx for people who open data in Excel: codes stay text ("01", not 1), dates
    are dates, numbers numbers; the header is frozen and filterable and the columns sized to
    their contents. A second sheet says what each column means."""
    import xlsxwriter  # only the export needs it

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": "parindex rankings", "created": _XLSX_CREATED})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDE7F0", "bottom": 1})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet("rankings")
    kinds = [column_type(c) for c in columns]
    for i, column in enumerate(columns):
        sheet.set_column(i, i, _xlsx_width(column, rows))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    for i, column in enumerate(columns):
        sheet.write_string(0, i, column, bold)
    for r, row in enumerate(rows, start=1):
        for i, (column, kind) in enumerate(zip(columns, kinds)):
            value = row.get(column)
            if value is None:
                continue
            if kind in ("integer", "number") and not isinstance(value, bool):
                sheet.write_number(r, i, value)
            elif kind == "boolean":
                sheet.write_boolean(r, i, bool(value))
            elif kind == "date":
                sheet.write_datetime(r, i, datetime.datetime.fromisoformat(value), day)
            else:
                sheet.write_string(r, i, value if isinstance(value, str) else cell(value))
    about = workbook.add_worksheet("columns")
    about.set_column(0, 0, max(len(c) for c in columns) + 2)
    about.set_column(1, 1, 10)
    about.set_column(2, 2, 100)
    about.freeze_panes(1, 0)
    for i, title in enumerate(("column", "type", "meaning")):
        about.write_string(0, i, title, bold)
    for r, column in enumerate(columns, start=1):
        about.write_string(r, 0, column)
        about.write_string(r, 1, "list" if column in LIST_COLUMNS else column_type(column))
        about.write_string(r, 2, descriptions.get(column, ""))
    workbook.close()


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


DATA_FILES = ("rankings.csv", "rankings.xlsx", "rankings.parquet", "rankings.json", "facts.csv",
              "datapackage.json")


def export_dataset(db_path, out_dir, reviewed_only: bool = False, excel: bool = False,
                   charts: bool = True, sources=None, progress=None) -> dict:
    """Write the dataset into out_dir; return what was written (counts and file names).

    progress(name, done, total), when given, hears of each file and chart as it is written
    (the total is known from the first call on). sources: the sources files whose site names
    name the publishers (default: parindex's own and the bundled demo site's).
    """
    from parindex import store

    try:
        db = store.connect(db_path, readonly=True)
    except store.StoreError as err:
        raise ExportError(str(err)) from err
    try:
        if store.schema.version(db) < store.SCHEMA_VERSION:
            # Its keys and register links would be those of an older parindex: not published.
            raise ExportError(f"{db_path}: written by an older parindex; open it once with write "
                              f"access (`parindex reextract --stale-only --db {db_path}`) to bring it up to date")
        facts = read_facts(db, reviewed_only, sources=sources)
    except (sqlite3.DatabaseError, store.StoreError) as err:  # a corrupt file shows up at the first read
        raise ExportError(f"{db_path}: cannot read the facts ({str(err).splitlines()[0]})") from err
    finally:
        db.conn.close()
    out = _prepare_out(Path(out_dir))
    rankings = consolidate(facts)
    wait_for_charts = lambda on_done=None: []  # noqa: E731
    n_charts = 0
    written = []

    def step(name):
        written.append(name)
        if progress:
            progress(name, len(written), len(DATA_FILES) + n_charts)

    try:
        if charts:
            from parindex.charts import start_drawing  # matplotlib costs a second to import
            wait_for_charts, n_charts = start_drawing(rankings, facts, out / "charts")
        _atomic(out / "rankings.csv", write_csv, rankings, RANKING_COLUMNS, bom=excel)
        step("rankings.csv")
        _atomic(out / "rankings.xlsx", write_xlsx, rankings, RANKING_COLUMNS, ranking_descriptions())
        step("rankings.xlsx")
        _atomic(out / "rankings.parquet", write_parquet, rankings, RANKING_COLUMNS)
        step("rankings.parquet")
        _atomic(out / "rankings.json", write_json, rankings, RANKING_COLUMNS)
        step("rankings.json")
        sources_seen = [{"site": f["site"], "url": f.get("url")} for f in facts]
        _atomic(out / "facts.csv", write_csv, fact_rows(facts), FACT_COLUMNS, bom=excel)
        step("facts.csv")
        chart_files = wait_for_charts(lambda name: step(f"charts/{name}"))
        package = build_datapackage(rankings, sources_seen, chart_files, reviewed_only=reviewed_only,
                                    excel=excel)
        _atomic(out / "datapackage.json", lambda path: path.write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
        step("datapackage.json")
    except OSError as err:  # disk full, folder removed meanwhile
        try:
            wait_for_charts()  # let the chart workers finish and the pool close
        except Exception:  # noqa: BLE001  (the write failure is the error to report)
            pass
        raise ExportError(f"{out}: cannot write the dataset ({err.strerror or err})") from err
    return {"facts": len(facts), "rankings": len(rankings),
            "conflicts": sum(1 for r in rankings if r["conflict"]),
            "files": list(DATA_FILES) + [f"charts/{name}" for name in chart_files]}
