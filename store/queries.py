"""Reads for `parindex query` and `parindex stats`: filters, full-text search, user SQL, counts."""
from __future__ import annotations

import functools
import json
import sqlite3
from typing import TYPE_CHECKING

from parindex.model.catalogue import CLAIMS, NAMES
from parindex.store import search
from parindex.store.errors import StoreError, explain
from parindex.store.search import article_filter, fts_query, many_match
from parindex.store.transaction import db_path, reading

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

# What `find_facts` gives of a fact: its claims, its register code, status and evidence, and its article.
FACT_COLUMNS = ["id", *CLAIMS, "unit_code", "status", "evidence", "title", "published", "site", "url"]
_FACT_SELECT = ", ".join(f"facts.[{c}]" for c in FACT_COLUMNS[:-4]) + \
    ", articles.title, articles.published, articles.site, articles.url"


def _reads(fn):
    @functools.wraps(fn)
    def wrapper(db, *args, **kwargs):
        with reading(db):
            return fn(db, *args, **kwargs)
    return wrapper


@_reads
def search_articles(db: sqlite_utils.Database, text: str, limit: int = 50, phrase: bool = True) -> list[dict]:
    """Articles that have the phrase `text` (phrase=False: every word of it), accents or not,
    best first (store/search.py)."""
    return search.search_articles(db, text, limit=limit, phrase=phrase)


@_reads
def provinces(db: sqlite_utils.Database) -> list[str]:
    """Every province the facts name. One index seek a province (a skip-scan of the province
    index): a DISTINCT over a million facts read them all (a second)."""
    return [r[0] for r in db.execute(
        "WITH RECURSIVE p(name) AS (SELECT min(province) FROM facts "
        "UNION ALL SELECT (SELECT min(province) FROM facts WHERE province > p.name) FROM p WHERE p.name IS NOT NULL) "
        "SELECT name FROM p WHERE name IS NOT NULL")]


@_reads
def unit_keys(db: sqlite_utils.Database, prefixes=None) -> list[str]:
    """The unit keys the facts hold (the names a `--unit` filter is matched against); with
    prefixes, only the keys that start with one of them (ranges of the unit-key index)."""
    if prefixes is None:
        return [r[0] for r in db.execute("SELECT DISTINCT unit_key FROM facts WHERE unit_key IS NOT NULL")]
    keys = []
    for prefix in sorted(set(prefixes)):   # one range of the index each (SQLite scans it all for an OR)
        keys += [r[0] for r in db.execute("SELECT DISTINCT unit_key FROM facts WHERE unit_key >= ? AND unit_key < ?",
                                          [prefix, prefix + "\U0010ffff"])]
    return keys


def _one_of(column: str, values, name: str, where: list, params: dict) -> bool:
    """`column IN (...)` for a list of accepted values; False when the list is empty."""
    values = list(values)
    if not values:
        return False
    where.append(f"{column} IN ({', '.join(f':{name}{i}' for i in range(len(values)))})")
    params.update({f"{name}{i}": value for i, value in enumerate(values)})
    return True


@_reads
def find_facts(db: sqlite_utils.Database, *, provinces=None, year=None, level=None, index=None,
               unit_key=None, unit_code=None, status=None, search=None, phrase=True, limit=None,
               unit_keys=None) -> list[dict]:
    """Facts with their article (title, published, site, url), filtered by what is given.

    provinces: spellings to accept (the caller folds variants); unit_key: the normalised name,
    or unit_keys: the names to accept; unit_code: the register code; search: a phrase the
    article must contain (full-text, accent-insensitive; phrase=False: each of its words, anywhere).
    """
    where, params = [], {}
    if provinces is not None and not _one_of("facts.province", provinces, "p", where, params):
        return []
    if unit_keys is not None and not _one_of("facts.unit_key", unit_keys, "u", where, params):
        return []
    for column, value in (("year", year), ("level", level), ("index", index),
                          ("unit_key", unit_key), ("unit_code", unit_code), ("status", status)):
        if value is not None:
            where.append(f"facts.[{column}] = :{column}")
            params[column] = value
    if search:
        match = fts_query(search, phrase)
        if not match:
            return []
        where.append(article_filter(match))
        params["q"] = match
    facts = "facts"
    if search and limit and provinces is None and unit_key is None and unit_keys is None and unit_code is None \
            and many_match(db, params["q"]):
        facts = "facts INDEXED BY idx_facts_year_index_level"   # stop after `limit` in order
    sql = f"SELECT {_FACT_SELECT} FROM {facts} JOIN articles ON articles.id = facts.article_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY facts.year, facts.[index], facts.level, facts.rank IS NULL, facts.rank, facts.unit_key, facts.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return list(db.query(sql, params))


def run_sql(db: sqlite_utils.Database, sql: str, params=None) -> tuple[list[str], list[dict]]:
    """Run one statement a person typed; return (columns, rows).

    Meant for a connection from connect(readonly=True): a write is refused there by SQLite
    itself, and comes back as a StoreError saying so.
    """
    try:
        cursor = db.conn.execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]
        rows = [dict(zip(columns, row)) for row in cursor]
    except sqlite3.Warning as err:  # "You can only execute one statement at a time."
        raise StoreError(f"{err} Run one statement at a time.") from err
    except sqlite3.Error as err:
        text = str(err).splitlines()[0] if str(err) else type(err).__name__
        if "malformed" in text or "not a database" in text:
            raise explain(db_path(db), err) from err
        if "readonly" in text or "authoriz" in text:
            raise StoreError(f"{db_path(db)} is opened read-only: only SELECT statements "
                             f"are allowed ({text})") from err
        raise StoreError(f"SQL error: {text}") from err
    return columns, rows


def _grouped(db, column: str) -> dict:
    sql = f"SELECT [{column}] AS k, count(*) AS n FROM facts GROUP BY [{column}] ORDER BY [{column}]"
    return {row[0]: row[1] for row in db.execute(sql)}


@_reads
def stats(db: sqlite_utils.Database) -> dict:
    """What the database holds: pages (by source and kind), articles, facts by status, index,
    level and year, and the latest runs."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    pages_by = {f"{source}/{kind}": n for source, kind, n in db.execute(
        "SELECT source, kind, count(*) FROM pages GROUP BY source, kind ORDER BY source, kind")}
    runs = list(db.query("SELECT id, kind, started, finished, status, source, counts FROM runs "
                         "ORDER BY id DESC LIMIT 10"))
    for run in runs:
        run["counts"] = json.loads(run["counts"]) if run["counts"] else None
    return {
        "pages": one("SELECT count(*) FROM pages"),
        "pages_by_source": pages_by,
        "pages_not_extracted": one("SELECT count(*) FROM pages WHERE extract_error IS NOT NULL"),
        "articles": one("SELECT count(*) FROM articles"),
        "facts": one("SELECT count(*) FROM facts"),
        "facts_by_status": _grouped(db, "status"),
        "facts_by_index": _grouped(db, "index"),
        "facts_by_level": _grouped(db, "level"),
        "facts_by_year": _grouped(db, "year"),
        "suggestions": one("SELECT count(*) FROM facts WHERE suggestion IS NOT NULL"),
        "runs": one("SELECT count(*) FROM runs"),
        "latest_runs": runs,
    }


def facts_with_articles(db: sqlite_utils.Database, reviewed_only: bool = False):
    """Every fact as stored (rejected ones too; accepted and corrected only when reviewed_only),
    with its article's url, title, published, site (as `site_name`) and the crawl source of its
    first page (`source`), in article order. Lists (rules, successors, candidates) as stored: JSON."""
    columns = ", ".join(f'f."{name}"' for name in ("id", "article_id", "status", "reviewed_by") + NAMES)
    where = "WHERE f.status IN ('accepted', 'corrected')" if reviewed_only else ""
    with reading(db):
        cursor = db.execute(
            f"SELECT {columns}, a.url, a.title, a.published, a.site AS site_name, "
            "(SELECT min(p.source) FROM pages p WHERE p.article_id = a.id) AS source "
            f"FROM facts f JOIN articles a ON a.id = f.article_id {where} ORDER BY f.article_id, f.id")
        names = [d[0] for d in cursor.description]
        for values in cursor:
            yield dict(zip(names, values))
