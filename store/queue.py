"""The review queue: which facts a filter selects, in what order, how many are left, and each
fact as the review page shows it (with its article, the other facts of its sentence).

Facts come in article order (article, then position in its text) so that a reviewer
reads the facts of one article one after the other. Functions take a sqlite-utils
Database (or anything with .execute) and plain values, and return plain values.
"""
from collections.abc import Mapping

from parindex.model.catalogue import CLAIMS, STATUSES

FILTERS = ("province", "year", "level", "index", "site")
_COLUMN = {"province": "f.province", "year": "f.year", "level": "f.level",
           "index": 'f."index"', "site": "a.site"}
_FACTS = "FROM facts f"
_WITH_SITE = "FROM facts f JOIN articles a ON a.id = f.article_id"


def _from(filters: Mapping) -> str:
    # The join to articles costs a lookup per fact: only the site filter needs it.
    return _WITH_SITE if "site" in filters else _FACTS
_ORDER_COLUMNS = ("f.article_id", "coalesce(f.start, 0)", "f.id")
_ORDER_KEY = ", ".join(_ORDER_COLUMNS)


def clean_filters(args: Mapping, prefix: str = "") -> dict:
    """Keep the known, non-empty filters of a query string; `status` is pending unless asked.

    `status=all` walks every fact (to look back at decisions); a year that is not a
    number is dropped rather than matching nothing. Forms carry the filters as
    `prefix + name`, apart from the fact's own fields of the same names.
    """
    filters = {}
    for name in FILTERS:
        value = (args.get(prefix + name) or "").strip()
        if not value:
            continue
        if name == "year":
            if not value.isdigit():
                continue
            filters[name] = int(value)
        else:
            filters[name] = value
    status = (args.get(prefix + "status") or "pending").strip()
    filters["status"] = status if status in STATUSES or status == "all" else "pending"
    return filters


def _where(filters: Mapping, pending_only: bool = False) -> tuple[str, list]:
    clauses, params = [], []
    for name in FILTERS:
        if name in filters:
            clauses.append(f"{_COLUMN[name]} = ?")
            params.append(filters[name])
    status = "pending" if pending_only else filters.get("status", "pending")
    if status != "all":
        clauses.append("f.status = ?")
        params.append(status)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(db, filters: Mapping, pending_only: bool = True) -> int:
    where, params = _where(filters, pending_only)
    return db.execute(f"SELECT count(*) {_from(filters)}{where}", params).fetchone()[0]


def _position(db, fact_id: str):
    row = db.execute("SELECT article_id, coalesce(start, 0), id FROM facts WHERE id = ?",
                     [fact_id]).fetchone()
    return list(row) if row else None


def first(db, filters: Mapping, pending_only: bool = False) -> str | None:
    where, params = _where(filters, pending_only)
    row = db.execute(f"SELECT f.id {_from(filters)}{where} ORDER BY {_ORDER_KEY} LIMIT 1", params).fetchone()
    return row[0] if row else None


def neighbour(db, filters: Mapping, fact_id: str, step: int, pending_only: bool = False) -> str | None:
    """The fact after (step=1) or before (step=-1) `fact_id` in queue order, or None at the end."""
    position = _position(db, fact_id)
    if position is None:
        return first(db, filters, pending_only) if step > 0 else None
    where, params = _where(filters, pending_only)
    op, order = (">", "ASC") if step > 0 else ("<", "DESC")
    glue = " AND " if where else " WHERE "
    order_by = ", ".join(f"{col} {order}" for col in _ORDER_COLUMNS)
    row = db.execute(f"SELECT f.id {_from(filters)}{where}{glue}({_ORDER_KEY}) {op} (?, ?, ?) "
                     f"ORDER BY {order_by} LIMIT 1", params + position).fetchone()
    return row[0] if row else None


def next_pending(db, filters: Mapping, fact_id: str | None) -> str | None:
    """The pending fact to show after deciding or skipping `fact_id`.

    Wraps around to the start, so skipped facts come back once the end is reached;
    never returns `fact_id` itself unless it is the only pending one left.
    """
    if fact_id is None:
        return first(db, filters, pending_only=True)
    found = neighbour(db, filters, fact_id, 1, pending_only=True)
    if found is None:
        found = first(db, filters, pending_only=True)
    return found


def pending_ids(db, filters: Mapping, limit: int | None = None) -> list[str]:
    where, params = _where(filters, pending_only=True)
    sql = f"SELECT f.id {_from(filters)}{where} ORDER BY {_ORDER_KEY}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in db.execute(sql, params).fetchall()]


def choices(db) -> dict:
    """The values each filter can take, for the filter menus."""
    out = {}
    for name in FILTERS:
        if name == "site":
            sql = ("SELECT DISTINCT site FROM articles a WHERE site IS NOT NULL AND "
                   "EXISTS (SELECT 1 FROM facts f WHERE f.article_id = a.id) ORDER BY site")
        else:
            column = _COLUMN[name][2:]  # the facts' own column: no join, an index scan
            sql = f"SELECT DISTINCT {column} FROM facts WHERE {column} IS NOT NULL ORDER BY {column}"
        out[name] = [row[0] for row in db.execute(sql).fetchall()]
    return out


def fact_with_article(db, fact_id: str) -> tuple[dict, dict] | None:
    """(the stored fact, its article: id, title, site, published, url, text), or None."""
    cursor = db.execute(
        "SELECT f.*, a.title AS article_title, a.site AS article_site, a.url AS article_url, "
        "a.published AS article_published, a.text AS article_text "
        "FROM facts f JOIN articles a ON a.id = f.article_id WHERE f.id = ?", [fact_id])
    row = cursor.fetchone()
    if row is None:
        return None
    fact = dict(zip([c[0] for c in cursor.description], row))
    article = {"id": fact["article_id"]}
    for name in ("title", "site", "published", "url", "text"):
        article[name] = fact.pop("article_" + name)
    return fact, article


_SIBLING_COLUMNS = ", ".join(f'"{c}"' for c in ("id",) + CLAIMS + ("status",) if c not in ("province", "parent"))


def same_sentence(db, fact: dict) -> list[dict]:
    """Other facts drawn from the same sentence (their evidence overlaps this one's)."""
    if fact.get("start") is None or fact.get("end") is None:
        return []
    cursor = db.execute(
        f'SELECT {_SIBLING_COLUMNS} FROM facts WHERE article_id = ? AND id != ? AND start < ? AND "end" > ? '
        "ORDER BY start, id", [fact["article_id"], fact["id"], fact["end"], fact["start"]])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
