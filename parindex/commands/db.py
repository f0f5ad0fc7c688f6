"""`parindex query`, `stats`, `reextract`: read the fact database, or redo its extraction."""
import json

import click

from parindex.commands.options import db_option, fail, format_option, jobs_option
from parindex.model.catalogue import INDEXES, LEVELS, STATUSES
from parindex.output import default_format, write_rows

TABLE_COLUMNS = ["unit", "level", "index", "year", "province", "rank", "rank_total", "rank_change",
                 "score", "score_min", "status", "published", "site"]


def _open(verb: str, db_path: str, readonly: bool):
    from parindex import store
    try:
        return store.connect(db_path, readonly=readonly)
    except store.StoreError as err:
        fail(verb, err)


def _matching_provinces(db, name: str) -> list[str]:
    """Stored spellings of one province: "Hải Dương", "tỉnh Hải Dương", "Đăk Lăk" ~ "Đắk Lắk"."""
    from parindex import store
    from parindex.model.normalize import unit_key

    wanted = unit_key(name)
    return [p for p in store.queries.provinces(db) if unit_key(p) == wanted]


@click.command()
@click.argument("sql", required=False)
@db_option()
@click.option("--province", help="Province name, any usual spelling (Hải Dương, tỉnh Hải Dương).")
@click.option("--year", type=int, help="The evaluated year.")
@click.option("--level", type=click.Choice(LEVELS))
@click.option("--index", "index_", type=click.Choice(INDEXES, case_sensitive=False))
@click.option("--unit", help="Unit name with or without its type word (xã Kim Anh, Kim Anh).")
@click.option("--code", help="The unit's code in the official register (GSO code: 10780).")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--search", help="A phrase the article must contain, accents optional (dong thap).")
@click.option("--words", "search_words", is_flag=True,
              help="With --search: each word anywhere in the article, not the words as a phrase.")
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@format_option
def query(sql, db_path, province, year, level, index_, unit, code, status, search, search_words, limit, fmt):
    """Print facts with their article, filtered; or run one read-only SQL statement.

    \b
        parindex query --province "Hải Dương" --year 2023 --level district
        parindex query --unit "Kim Anh" --format json
        parindex query --code 10780
        parindex query "select unit, rank from facts where year = 2023" --format csv

    SQL runs on a read-only connection: a statement that writes is refused (exit 1).
    """
    from parindex import store

    filters = any(v is not None for v in (province, year, level, index_, unit, code, status, search))
    if sql and filters:
        fail("query", "give either an SQL statement or filter options, not both")
    fmt = fmt or default_format()
    db = _open("query", db_path, readonly=True)
    try:
        if sql:
            columns, rows = store.queries.run_sql(db, sql)
            if limit is not None:
                rows = rows[:limit]
        else:
            from parindex.model.normalize import unit_key

            columns = TABLE_COLUMNS if fmt == "table" else store.queries.FACT_COLUMNS
            rows = store.queries.find_facts(
                db, provinces=_matching_provinces(db, province) if province else None, year=year,
                level=level, index=index_.upper() if index_ else None,
                unit_key=unit_key(unit) if unit else None, unit_code=code, status=status, search=search,
                phrase=not search_words, limit=limit)
    except store.StoreError as err:
        fail("query", err)
    finally:
        db.close()
    write_rows(rows, columns, fmt)


def _stats_rows(stats: dict) -> list[dict]:
    rows = [{"what": "pages", "value": "", "count": stats["pages"]}]
    rows += [{"what": "pages by source/kind", "value": k, "count": n}
             for k, n in stats["pages_by_source"].items()]
    rows.append({"what": "pages not readable as articles", "value": "", "count": stats["pages_not_extracted"]})
    rows.append({"what": "articles", "value": "", "count": stats["articles"]})
    rows.append({"what": "facts", "value": "", "count": stats["facts"]})
    for part in ("status", "index", "level", "year"):
        rows += [{"what": f"facts by {part}", "value": k, "count": n}
                 for k, n in stats[f"facts_by_{part}"].items()]
    rows.append({"what": "reviewed facts with a suggestion", "value": "", "count": stats["suggestions"]})
    rows.append({"what": "runs", "value": "", "count": stats["runs"]})
    return rows


@click.command()
@db_option()
@format_option
def stats(db_path, fmt):
    """Count pages, articles, and facts by status, index, level and year; list the latest runs."""
    from parindex import store

    fmt = fmt or default_format()
    db = _open("stats", db_path, readonly=True)
    try:
        numbers = store.queries.stats(db)
    except store.StoreError as err:
        fail("stats", err)
    finally:
        db.close()
    if fmt == "json":
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
        return
    write_rows(_stats_rows(numbers), ["what", "value", "count"], fmt)
    if fmt == "table" and numbers["latest_runs"]:
        click.echo()
        runs = [{**r, "pages": (r["counts"] or {}).get("pages"),
                 "facts_new": (r["counts"] or {}).get("facts_new")} for r in numbers["latest_runs"]]
        write_rows(runs, ["id", "kind", "status", "started", "finished", "source", "pages", "facts_new"],
                   "table")


@click.command()
@db_option()
@click.option("--stale-only", is_flag=True,
              help="Only pages whose content or extractor version changed (what `run` does).")
@jobs_option
def reextract(db_path, stale_only, jobs):
    """Extract the stored pages again after a change of rules or extractor.

    Pending facts take the new values; accepted, corrected and rejected facts stay as the
    reviewer left them, with any new value kept beside them as a suggestion. Running it twice
    changes nothing the second time.
    """
    from parindex import store
    from parindex.extract.jobs import WorkerLost
    from parindex.pipeline import extract_new_pages

    def on_error(name, reason):
        click.echo(f"parindex reextract: {name}: {reason}", err=True)

    db = _open("reextract", db_path, readonly=False)
    try:
        counts = extract_new_pages(db, progress=True, force=not stale_only, on_error=on_error, jobs=jobs)
    except (store.StoreError, WorkerLost) as err:
        fail("reextract", err)
    finally:
        db.close()
    click.echo(summary("reextract", counts))


def summary(verb: str, counts: dict) -> str:
    return (f"{verb}: {counts['pages']} pages ({counts['pages_failed']} not readable), "
            f"{counts['articles_new']} new articles; facts: {counts['facts_new']} new, "
            f"{counts['facts_updated']} updated, {counts['facts_removed']} removed, "
            f"{counts['facts_unchanged']} unchanged, {counts['facts_reviewed_kept']} reviewed kept "
            f"({counts['suggestions']} with a suggestion)")


COMMANDS = [query, stats, reextract]
