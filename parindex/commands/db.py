"""`parindex query`, `stats`, `reextract`: read the fact database, or redo its extraction."""
import json
import sys

import click

from parindex.commands.options import db_option, fail, format_option, jobs_option, say
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


def _matching_provinces(db, typed: str) -> list[str]:
    """Stored spellings of the province a person typed: "Hai Duong", "tỉnh Hải Dương", "HCM",
    "TP.HCM", "Ba Ria Vung Tau" each find the facts whatever spelling the article used.
    A name that is no province gets one line naming the closest ones."""
    from parindex import store
    from parindex.model.places import closest_provinces, is_province, province_key

    if not is_province(typed):
        closest = closest_provinces(typed)
        say("query", f'--province "{typed}": no province of that name'
                     + (f"; closest: {', '.join(closest)}" if closest else ""))
    wanted = province_key(typed)
    return [p for p in store.queries.provinces(db) if province_key(p) == wanted]


def _matching_units(db, typed: str) -> list[str]:
    from parindex import store
    from parindex.model.normalize import unit_key
    from parindex.model.places import unit_key_prefixes, unit_matcher

    prefixes = unit_key_prefixes(typed)
    if prefixes is None:   # typed with accents: that name only
        return [unit_key(typed)]
    matches = unit_matcher(typed)
    return [key for key in store.queries.unit_keys(db, prefixes) if matches(key)]


@click.command()
@click.argument("sql", required=False)
@db_option()
@click.option("--province", help="Province, any usual spelling: Hải Dương, tỉnh Hải Dương, Hai Duong, "
                                 "HCM, TP.HCM, Ba Ria Vung Tau.")
@click.option("--year", type=int, help="The evaluated year.")
@click.option("--level", type=click.Choice(LEVELS), help="The kind of unit ranked.")
@click.option("--index", "index_", type=click.Choice(INDEXES, case_sensitive=False),
              help="The index: PAR (Chỉ số cải cách hành chính), SIPAS, PAPI, PCI, DDCI or OTHER.")
@click.option("--unit", help="Unit name with or without its type word and accents "
                             "(xã Kim Anh, Kim Anh, TX Ky Anh).")
@click.option("--code", help="The unit's code in the official register (GSO code: 10780).")
@click.option("--status", type=click.Choice(STATUSES),
              help="Where the fact stands with the reviewers.")
@click.option("--search", help="A phrase the article must contain, accents optional (dong thap).")
@click.option("--words", "search_words", is_flag=True,
              help="With --search: each word anywhere in the article, not the words as a phrase.")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A named parameter of the SQL statement (:name), as in sqlite-utils.")
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@format_option
def query(sql, db_path, province, year, level, index_, unit, code, status, search, search_words, params,
          limit, fmt):
    """Print facts with their article, filtered; or run one read-only SQL statement.

    \b
        parindex query --province "Hai Duong" --year 2023 --level district
        parindex query --unit "Kim Anh" --format json
        parindex query --code 10780
        parindex query "select unit, rank from facts where year = 2023" --format csv
        parindex query "select unit, rank from facts where unit_key = :u" -p u "kim anh"

    SQL runs on a read-only connection: a statement that writes is refused (exit 1). A
    province that is no province's name gets a line naming the closest ones, and exit
    status 1 when no fact matches it.
    """
    from parindex import store

    filters = any(v is not None for v in (province, year, level, index_, unit, code, status, search))
    if sql and filters:
        fail("query", "give either an SQL statement or filter options, not both")
    if search_words and not search:
        fail("query", "--words says how to match --search: give --search too")
    if params and not sql:
        fail("query", "--param names a parameter of an SQL statement: give the statement too")
    fmt = fmt or default_format()
    db = _open("query", db_path, readonly=True)
    unknown_province = False
    try:
        if sql:
            columns, rows = store.queries.run_sql(db, sql, dict(params) if params else None)
            if limit is not None:
                rows = rows[:limit]
        else:
            from parindex.model.places import is_province

            unknown_province = bool(province) and not is_province(province)
            columns = TABLE_COLUMNS if fmt == "table" else store.queries.FACT_COLUMNS
            rows = store.queries.find_facts(
                db, provinces=_matching_provinces(db, province) if province else None, year=year,
                level=level, index=index_.upper() if index_ else None,
                unit_keys=_matching_units(db, unit) if unit else None, unit_code=code, status=status,
                search=search, phrase=not search_words, limit=limit)
    except store.StoreError as err:
        fail("query", err)
    finally:
        db.close()
    write_rows(rows, columns, fmt)
    if unknown_province and not rows:
        sys.exit(1)


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
        say("reextract", f"{name}: {reason}")

    db = _open("reextract", db_path, readonly=False)
    try:
        counts = extract_new_pages(db, progress=True, force=not stale_only, on_error=on_error, jobs=jobs,
                                   label="parindex reextract")
    except (store.StoreError, WorkerLost) as err:
        fail("reextract", err)
    finally:
        db.close()
    say("reextract", summary(counts))


def summary(counts: dict) -> str:
    return (f"{counts['pages']} pages ({counts['pages_failed']} not readable), "
            f"{counts['articles_new']} new articles; facts: {counts['facts_new']} new, "
            f"{counts['facts_updated']} updated, {counts['facts_removed']} removed, "
            f"{counts['facts_unchanged']} unchanged, {counts['facts_reviewed_kept']} reviewed kept "
            f"({counts['suggestions']} with a suggestion)")


COMMANDS = [query, stats, reextract]
