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

import pyarrow as pa
import pyarrow.parquet as pq

from parindex.consolidate import COLUMNS as RANKING_COLUMNS
from parindex.consolidate import LIST_SEPARATOR, consolidate
from parindex.datapackage import FACT_COLUMNS, build_datapackage, column_type
from parindex.model.catalogue import FIELD, NAMES, rounded
from parindex.sites import site_of

_ARROW = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
          "string": pa.string(), "date": pa.string()}
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


def read_facts(db, reviewed_only: bool = False) -> list[dict]:
    """Every fact as the database holds it, with its article's URL, site, title and date
    (rejected ones included). Nothing is linked or derived again here: the store did it."""
    from parindex import store

    facts = []
    articles: dict[int, tuple] = {}  # twenty facts an article: work out its site and date once
    for row in store.queries.facts_with_articles(db, reviewed_only):
        article = articles.get(row["article_id"])
        if article is None:
            published = row["published"]
            if published and not _ISO_DATE.fullmatch(published):
                published = None  # a month-only or odd date is no date (FACTS.md, 11)
            article = articles[row["article_id"]] = (
                site_of(row["url"], row["site_name"], row["source"], row["article_id"]), published)
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


def write_parquet(path: Path, rows: list[dict], columns: list[str]) -> None:
    schema = pa.schema([(c, _ARROW[column_type(c)]) for c in columns])
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

    try:
        db = store.connect(db_path, readonly=True)
    except store.StoreError as err:
        raise ExportError(str(err)) from err
    try:
        if store.schema.version(db) < store.SCHEMA_VERSION:
            # Its keys and register links would be those of an older parindex: not published.
            raise ExportError(f"{db_path}: written by an older parindex; open it once with write "
                              f"access (`parindex reextract --stale-only --db {db_path}`) to bring it up to date")
        facts = read_facts(db, reviewed_only)
    except (sqlite3.DatabaseError, store.StoreError) as err:  # a corrupt file shows up at the first read
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
