"""store.reviews.redo_last (added for the review page): redo what undo took back."""
import json

import pytest

from parindex import store
from parindex.store.reviews import Conflict, decide, redo_last, undo_last
from _review_data import build


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "parindex.db"
    ids = build(path, reviewers=())
    db = store.connect(path)
    db.ids = ids
    yield db
    db.conn.close()


def _status(db, fact_id):
    row = db["facts"].get(fact_id)
    return row["status"], row["rank"]


def test_redo_applies_the_undone_correction_again_and_logs_it(db):
    fact_id = db.ids["xã Kim Tân"]
    decide(db, fact_id, "correct", "lan", changes={"rank": 4}, note="theo bảng")
    undo_last(db, "lan")
    assert _status(db, fact_id) == ("pending", 2)
    redone = redo_last(db, "lan")
    assert redone["id"] == fact_id and _status(db, fact_id) == ("corrected", 4)
    log = list(db.query("SELECT action, after, note FROM reviews ORDER BY id"))
    assert [r["action"] for r in log] == ["correct", "undo", "correct"]
    assert log[-1]["note"] == "theo bảng" and "redoes" in json.loads(log[-1]["after"])
    # A redo is a decision like any other: undo takes it back.
    undo_last(db, "lan")
    assert _status(db, fact_id) == ("pending", 2)


def test_redos_come_back_in_the_reverse_order_of_the_undos(db):
    first, second = db.ids["huyện Can Lộc"], db.ids["huyện Tân Lạc"]
    decide(db, first, "accept", "lan")
    decide(db, second, "reject", "lan")
    undo_last(db, "lan")
    undo_last(db, "lan")
    assert redo_last(db, "lan")["id"] == first
    assert redo_last(db, "lan")["id"] == second
    assert redo_last(db, "lan") is None
    assert _status(db, first)[0] == "accepted" and _status(db, second)[0] == "rejected"


def test_a_new_decision_after_an_undo_leaves_nothing_to_redo(db):
    decide(db, db.ids["huyện Can Lộc"], "accept", "lan")
    undo_last(db, "lan")
    decide(db, db.ids["huyện Tân Lạc"], "accept", "lan")
    assert redo_last(db, "lan") is None
    assert _status(db, db.ids["huyện Can Lộc"])[0] == "pending"


def test_redo_refuses_when_someone_decided_the_fact_since(db):
    fact_id = db.ids["huyện Can Lộc"]
    decide(db, fact_id, "accept", "lan")
    undo_last(db, "lan")
    decide(db, fact_id, "reject", "minh")
    with pytest.raises(Conflict, match="changed since the undo"):
        redo_last(db, "lan")
    assert db["facts"].get(fact_id)["reviewed_by"] == "minh"


def test_each_reviewer_redoes_only_their_own_undos(db):
    decide(db, db.ids["huyện Can Lộc"], "accept", "lan")
    undo_last(db, "lan")
    assert redo_last(db, "minh") is None
