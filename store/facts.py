"""Articles and their facts: save what extraction found without losing a human decision.

Every write of a fact goes through here or store.reviews, and both derive the fact's derived
fields (its unit key and register link, model/derive.py) from the claims being written, in
the same transaction: whoever writes, the stored keys follow the stored claims. A fact that
breaks the one validity check (model/validity.py) is not stored.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from parindex.model.catalogue import CLAIMS, DERIVED_FIELDS, FIELD, IDENTITY, NAMES, PROVENANCE_FIELDS
from parindex.model.derive import derive
from parindex.model.normalize import search_key
from parindex.model.validity import problems
from parindex.store.clock import now
from parindex.store.transaction import transaction

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

_JSON_FIELDS = tuple(name for name in NAMES if FIELD[name].type is list)
_BOOL_FIELDS = tuple(name for name in NAMES if FIELD[name].type is bool)
REVIEWED = ("accepted", "corrected", "rejected")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fact_id(article_text_hash: str, index, level, unit_key, year) -> str:
    """Stable across runs and databases: the same statement in the same text is the same fact."""
    key = "\x1f".join(str(part) for part in (article_text_hash, index, level, unit_key, year))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _columns(values: dict) -> dict:
    """Fact fields as the table holds them: lists as JSON text, booleans as 0/1."""
    row = dict(values)
    for name in _JSON_FIELDS:
        if row.get(name) is not None and not isinstance(row[name], str):
            row[name] = json.dumps(row[name], ensure_ascii=False)
    for name in _BOOL_FIELDS:
        if row.get(name) is not None:
            row[name] = int(bool(row[name]))
    return row


def _fact_row(fact: dict, derived: dict) -> dict:
    """The stored row of an extracted fact: its claims and provenance, and what derives from them."""
    return _columns({**{name: fact.get(name) for name in CLAIMS + PROVENANCE_FIELDS}, **derived})


def _valid(facts) -> tuple[list, int]:
    kept = [fact for fact in facts if not problems(fact)]
    return kept, len(facts) - len(kept)


def derived_update(db, fact: dict) -> dict:
    """The derived columns of a stored fact whose claims are `fact`'s, with the other facts of
    its article as context (model.derive): what a write of changed claims must also write."""
    others = [dict(row) for row in db.query(
        f"SELECT {', '.join(f'[{c}]' for c in IDENTITY)} FROM facts WHERE article_id = ? AND id != ?",
        [fact["article_id"], fact["id"]])]
    derived = derive([fact], {"facts": others})[0]
    return {k: v for k, v in _columns(derived).items() if k in DERIVED_FIELDS}


def derive_stored(db, article_ids=None) -> int:
    """Derive again the derived fields of the stored facts (of these articles; all when None),
    article by article. For facts written before the store derived them; returns how many changed."""
    if article_ids is None:
        article_ids = [r[0] for r in db.execute("SELECT DISTINCT article_id FROM facts ORDER BY article_id")]
    changed = 0
    with transaction(db):
        for article_id in article_ids:
            rows = list(db.query("SELECT * FROM facts WHERE article_id = ? ORDER BY id", [article_id]))
            for row, derived in zip(rows, derive(rows)):
                update = {k: v for k, v in _columns(derived).items() if row.get(k) != v}
                if update:
                    db["facts"].update(row["id"], update)
                    changed += 1
    return changed


def _claims(row: dict) -> dict:
    return {name: row.get(name) for name in CLAIMS}


def _same(a: dict, b: dict) -> bool:
    for key in a.keys() | b.keys():
        x, y = a.get(key), b.get(key)
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or abs(float(x) - float(y)) > 1e-9:
                return False
        elif x != y:
            return False
    return True


def _extractor_baseline(db, fact: dict) -> dict:
    """What extraction said about a reviewed fact before a person changed it.

    A corrected fact holds the person's values; comparing new rules with those would
    turn every re-extraction of the old mistake into a suggestion.
    """
    if fact["status"] == "corrected":
        row = db.execute("SELECT before FROM reviews WHERE fact_id = ? AND action = 'correct' "
                         "ORDER BY id LIMIT 1", [fact["id"]]).fetchone()
        if row and row[0]:
            try:
                before = json.loads(row[0])
                return {name: before.get(name, fact.get(name)) for name in CLAIMS}
            except (ValueError, AttributeError):
                pass
    return _claims(fact)


def _save_article(db, document: dict, url: str, extractor_version: str, stamp: str) -> tuple[int, bool]:
    text = document["text"]
    digest = text_hash(text)
    meta = {"title": document.get("title"), "published": document.get("published"),
            "site": document.get("site")}
    found = list(db.query("SELECT id, title, published, site, extractor_version FROM articles "
                          "WHERE text_hash = ?", [digest]))
    if not found:
        article_id = db["articles"].insert({
            "text_hash": digest, "url": url, **meta, "text": text, "text_folded": search_key(text),
            "extractor_version": extractor_version, "created_at": stamp}).last_pk
        return article_id, True
    article = found[0]
    if article["extractor_version"] != extractor_version:
        changes = {k: v for k, v in meta.items() if v != article[k]}
        changes["extractor_version"] = extractor_version
    else:
        # Another copy of the text (AMP, print view) fills what the first page lacked.
        changes = {k: v for k, v in meta.items() if article[k] is None and v is not None}
    if changes:
        db["articles"].update(article["id"], changes)
    return article["id"], False


def _save_facts(db, article_id: int, digest: str, facts: list, extractor_version: str,
                stamp: str) -> dict:
    counts = dict.fromkeys(("facts_new", "facts_updated", "facts_unchanged", "facts_removed",
                            "facts_reviewed_kept", "suggestions", "facts_invalid"), 0)
    stored = {row["id"]: row for row in db.query("SELECT * FROM facts WHERE article_id = ?",
                                                 [article_id])}
    seen = set()
    inserts, updates, dropped = [], [], []
    facts, counts["facts_invalid"] = _valid(list(facts))
    for fact, derived in zip(facts, derive(facts)):
        row = _fact_row(fact, derived)
        fid = fact_id(digest, row["index"], row["level"], row["unit_key"], row["year"])
        if fid in seen:
            continue  # extraction promises one fact per key; keep the first if it slips
        seen.add(fid)
        old = stored.get(fid)
        if old is None:
            inserts.append({"id": fid, "article_id": article_id, **row, "extractor_version": extractor_version,
                            "status": "pending", "created_at": stamp, "updated_at": stamp})
            counts["facts_new"] += 1
        elif old["status"] == "pending":
            if (_same(row, {k: old[k] for k in row}) and old["extractor_version"] == extractor_version
                    and old["suggestion"] is None):
                counts["facts_unchanged"] += 1
            else:
                updates.append({**old, **row, "extractor_version": extractor_version, "suggestion": None,
                                "updated_at": stamp})
                counts["facts_updated"] += 1
        else:
            counts["facts_reviewed_kept"] += 1
            suggestion = _suggestion(db, old, row, extractor_version)
            if suggestion != old["suggestion"]:
                updates.append({**old, "suggestion": suggestion, "updated_at": stamp})
            if suggestion is not None:
                counts["suggestions"] += 1
    for fid, old in stored.items():
        if fid in seen:
            continue
        if old["status"] == "pending":
            dropped.append(fid)
        else:
            counts["facts_reviewed_kept"] += 1
    counts["facts_removed"] = len(dropped)
    # One statement per kind of change: an article can carry dozens of facts.
    if dropped:
        db.execute(f"DELETE FROM facts WHERE id IN ({', '.join('?' * len(dropped))})", dropped)
    if inserts:
        db["facts"].insert_all(inserts)
    if updates:
        db["facts"].upsert_all(updates, pk="id")
    return counts


def _suggestion(db, old: dict, row: dict, extractor_version: str) -> str | None:
    """New values for a reviewed fact, kept beside it; None when the rules say nothing new."""
    new = _claims(row)
    if _same(new, _extractor_baseline(db, old)) or _same(new, _claims(old)):
        return None
    changes = {k: v for k, v in new.items() if not _same({k: v}, {k: old.get(k)})}
    return json.dumps({"changes": changes, "evidence": row["evidence"], "start": row["start"],
                       "end": row["end"], "extractor_version": extractor_version},
                      ensure_ascii=False, sort_keys=True)


def _drop_if_orphan(db, article_id: int) -> None:
    """An article no page shows any more loses its pending facts; kept if a person reviewed one."""
    if db.execute("SELECT 1 FROM pages WHERE article_id = ? LIMIT 1", [article_id]).fetchone():
        return
    db.execute("DELETE FROM facts WHERE article_id = ? AND status = 'pending'", [article_id])
    if not db.execute("SELECT 1 FROM facts WHERE article_id = ? LIMIT 1", [article_id]).fetchone():
        db["articles"].delete(article_id)


def save_document(db: sqlite_utils.Database, page_id: int, document: dict,
                  extractor_version: str) -> dict:
    """Store an extracted document as the article of page `page_id`, in one transaction.

    document: extract_document's dict. Same text from another page is the same article. Each
    fact's derived fields (unit_key, register link) are derived here from its claims, with the
    document's other facts as context; a fact that breaks the validity check is left out
    (counted in facts_invalid). Pending facts are replaced by what extraction found now;
    reviewed facts stay as the reviewer left them, with new values in `suggestion`.
    Returns counts: articles_new, facts_new, facts_updated, facts_unchanged,
    facts_removed, facts_reviewed_kept, suggestions, facts_invalid.
    """
    stamp = now()
    with transaction(db):
        page = db["pages"].get(page_id)
        url = page["final_url"] or page["url"]
        article_id, is_new = _save_article(db, document, url, extractor_version, stamp)
        db["pages"].update(page_id, {"article_id": article_id, "extracted_hash": page["content_hash"],
                                     "extracted_version": extractor_version, "extract_error": None})
        counts = _save_facts(db, article_id, text_hash(document["text"]), document.get("facts") or [],
                             extractor_version, stamp)
        if page["article_id"] and page["article_id"] != article_id:
            _drop_if_orphan(db, page["article_id"])
    return {"articles_new": int(is_new), **counts}


def save_failure(db: sqlite_utils.Database, page_id: int, error: str, extractor_version: str) -> None:
    """Record that this version cannot read the page, so it is not tried again until it changes."""
    with transaction(db):
        page = db["pages"].get(page_id)
        db["pages"].update(page_id, {"article_id": None, "extracted_hash": page["content_hash"],
                                     "extracted_version": extractor_version, "extract_error": error})
        if page["article_id"]:
            _drop_if_orphan(db, page["article_id"])
