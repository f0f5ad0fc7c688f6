"""Human decisions on facts: the fact changes, and the `reviews` log keeps every step.

The log is append-only (triggers refuse UPDATE and DELETE), so who decided what, when,
and what the fact looked like before can always be read back. A decision that changes a
claim (a correction, an undo, a redo) also writes what derives from it (unit_key, the
register link) in the same transaction.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from parindex.model.catalogue import CLAIMS
from parindex.model.validity import problems
from parindex.store.clock import now
from parindex.store.facts import derived_update
from parindex.store.transaction import transaction

if TYPE_CHECKING:  # for annotations: reading needs no sqlite-utils (nor the numpy it loads)
    import sqlite_utils

ACTIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
_STATE = CLAIMS + ("status", "reviewed_by", "reviewed_at")


class Conflict(Exception):
    """The fact was decided by someone else since the reviewer looked at it."""


class InvalidFact(ValueError):
    """A correction would make an impossible fact; `problems` names each field and why."""

    def __init__(self, fact_id: str, found: dict):
        super().__init__(f"fact {fact_id}: " + "; ".join(f"{k}: {v}" for k, v in found.items()))
        self.problems = found


def _write(db, fact: dict, update: dict) -> dict:
    """Update a stored fact; when a claim changes, its derived fields follow. Returns the update."""
    if any(name in CLAIMS and update[name] != fact.get(name) for name in update):
        update = {**update, **derived_update(db, {**fact, **update})}
    db["facts"].update(fact["id"], update)
    return update


def _state(fact: dict) -> dict:
    return {name: fact.get(name) for name in _STATE}


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _fact(db, fact_id: str) -> dict:
    rows = list(db.query("SELECT * FROM facts WHERE id = ?", [fact_id]))
    if not rows:
        raise KeyError(f"no fact with id {fact_id!r}")
    return rows[0]


def decide(db: sqlite_utils.Database, fact_id: str, action: str, reviewer: str, changes=None,
           note=None, expect_status=None) -> dict:
    """Accept, reject or correct a fact in one transaction; return the fact as it is now.

    changes (for correct): {field: value} over the FACTS.md fields. expect_status: the
    status the reviewer saw; when the fact has another one now, Conflict is raised and
    nothing changes. Accepting or rejecting settles any pending suggestion.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; choose accept, reject or correct")
    changes = dict(changes or {})
    unknown = set(changes) - set(CLAIMS)
    if unknown:
        raise ValueError(f"cannot correct {', '.join(sorted(unknown))}: not a fact field")
    if action == "correct" and not changes:
        raise ValueError("correct needs the corrected fields")
    # Raises InvalidFact (naming the fields) when the corrected fact cannot be true.
    with transaction(db):
        fact = _fact(db, fact_id)
        if expect_status is not None and fact["status"] != expect_status:
            raise Conflict(f"fact {fact_id} is {fact['status']} now, not {expect_status}: "
                           f"decided by {fact['reviewed_by'] or 'someone'} at {fact['reviewed_at']}")
        if changes:
            found = problems({**fact, **changes})
            if found:
                raise InvalidFact(fact_id, found)
        stamp = now()
        update = {**changes, "status": ACTIONS[action], "reviewed_by": reviewer,
                  "reviewed_at": stamp, "suggestion": None, "updated_at": stamp}
        before = {**_state(fact), "suggestion": fact["suggestion"]}
        update = _write(db, fact, update)
        after = _state({**fact, **update})
        db["reviews"].insert({"fact_id": fact_id, "action": action, "before": _dump(before),
                              "after": _dump(after), "reviewer": reviewer, "at": stamp, "note": note})
        return {**fact, **update}


def undo_last(db: sqlite_utils.Database, reviewer: str) -> dict | None:
    """Undo `reviewer`'s latest decision not yet undone; return the fact, or None if none is left.

    Raises Conflict when someone decided on that fact since: their decision stands.
    """
    with transaction(db):
        undone = set()
        for review in db.query("SELECT * FROM reviews WHERE reviewer = ? ORDER BY id DESC", [reviewer]):
            if review["action"] == "undo":
                undone.add(json.loads(review["after"]).get("undoes"))
                continue
            if review["id"] in undone:
                continue
            fact = _fact(db, review["fact_id"])
            # A suggestion re-extraction made meanwhile is not a decision: it stays.
            restored = {k: v for k, v in json.loads(review["before"]).items() if k in _STATE}
            after = {k: v for k, v in json.loads(review["after"]).items() if k in _STATE}
            if _dump(_state(fact)) != _dump(after):
                raise Conflict(f"fact {fact['id']} was decided again since "
                               f"(by {fact['reviewed_by']} at {fact['reviewed_at']}); not undone")
            stamp = now()
            written = _write(db, fact, {**restored, "updated_at": stamp})
            db["reviews"].insert({"fact_id": fact["id"], "action": "undo", "before": _dump(_state(fact)),
                                  "after": _dump({**restored, "undoes": review["id"]}),
                                  "reviewer": reviewer, "at": stamp, "note": None})
            return {**fact, **written}
        return None


def redo_last(db: sqlite_utils.Database, reviewer: str) -> dict | None:
    """Apply again the decision `reviewer` undid last; return the fact, or None if none waits.

    As in an editor: only undos at the top of the reviewer's log can be redone, so a new
    decision after an undo leaves nothing to redo. Raises Conflict when the fact changed
    since the undo. The redo is logged as the original action with `redoes` in `after`.
    """
    with transaction(db):
        redone = set()
        for review in db.query("SELECT * FROM reviews WHERE reviewer = ? ORDER BY id DESC", [reviewer]):
            after = json.loads(review["after"])
            if "redoes" in after:
                redone.add(after["redoes"])
                continue
            if review["action"] != "undo":
                return None
            if review["id"] in redone:
                continue
            fact = _fact(db, review["fact_id"])
            restored = {k: v for k, v in after.items() if k in _STATE}
            if _dump(_state(fact)) != _dump(restored):
                raise Conflict(f"fact {fact['id']} changed since the undo "
                               f"(by {fact['reviewed_by'] or 'extraction'}); not redone")
            original = db["reviews"].get(after["undoes"])
            stamp = now()
            decided = {k: v for k, v in json.loads(review["before"]).items() if k in _STATE}
            decided.update(reviewed_by=reviewer, reviewed_at=stamp)
            written = _write(db, fact, {**decided, "updated_at": stamp})
            db["reviews"].insert({"fact_id": fact["id"], "action": original["action"],
                                  "before": _dump(_state(fact)),
                                  "after": _dump({**decided, "redoes": review["id"]}),
                                  "reviewer": reviewer, "at": stamp, "note": original["note"]})
            return {**fact, **written}
        return None


def history(db, fact_id: str, limit: int = 10) -> list[dict]:
    """The latest decisions on a fact, newest first: action, reviewer, at, note."""
    cursor = db.execute("SELECT action, reviewer, at, note FROM reviews WHERE fact_id = ? "
                        "ORDER BY id DESC LIMIT ?", [fact_id, limit])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def accept_pending(db: sqlite_utils.Database, filters, reviewer: str, expected: int) -> int:
    """Accept every pending fact of a review filter (store.queue) in one transaction, if there
    are the `expected` many the reviewer confirmed (else Conflict, nothing changes); facts
    decided meanwhile by someone else are left alone. Returns how many were accepted."""
    from parindex.store import queue

    with transaction(db):
        ids = queue.pending_ids(db, filters)
        if len(ids) != expected:
            raise Conflict(f"{len(ids)} facts are pending in this filter now, not the {expected} "
                           "you confirmed")
        accepted = 0
        for fact_id in ids:
            try:
                decide(db, fact_id, "accept", reviewer, note="bulk accept", expect_status="pending")
                accepted += 1
            except Conflict:
                pass
    return accepted
