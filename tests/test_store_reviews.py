"""store.reviews: decisions change the fact and are logged; the log is append-only."""
import json
import sqlite3

import pytest

from parindex import store


@pytest.fixture
def db(tmp_path):
    db = store.connect(tmp_path / "x.db")
    page_id = store.pages.save_page(db, "https://a.vn/1", final_url=None, source="a", kind="article",
                                    status=200, content_type="text/html", body=b"x")
    text = "Xã Kim Anh đứng thứ 1/24."
    store.facts.save_document(db, page_id, {
        "title": "t", "published": None, "site": None, "text": text,
        "facts": [{"unit": "xã Kim Anh", "unit_key": "kim anh", "level": "commune", "index": "PAR",
                   "year": 2023, "province": "Hải Dương", "rank": 1, "rank_total": 24,
                   "evidence": text, "start": 0, "end": len(text), "rules": []}]}, "1")
    return db


def the_fact(db):
    return next(db.query("SELECT * FROM facts"))


def test_a_correction_changes_the_fact_and_logs_before_and_after(db):
    fid = the_fact(db)["id"]
    store.reviews.decide(db, fid, "correct", "lan", changes={"rank_total": 25}, note="bảng 2")
    row = the_fact(db)
    assert (row["status"], row["rank_total"], row["reviewed_by"]) == ("corrected", 25, "lan")
    log = list(db.query("SELECT * FROM reviews"))
    assert len(log) == 1 and log[0]["note"] == "bảng 2"
    assert json.loads(log[0]["before"])["rank_total"] == 24
    assert json.loads(log[0]["after"])["rank_total"] == 25


def test_a_decision_on_a_fact_someone_else_just_decided_is_a_conflict(db):
    fid = the_fact(db)["id"]
    store.reviews.decide(db, fid, "accept", "lan", expect_status="pending")
    with pytest.raises(store.reviews.Conflict, match="accepted now"):
        store.reviews.decide(db, fid, "reject", "minh", expect_status="pending")
    assert the_fact(db)["status"] == "accepted" and db["reviews"].count == 1


def test_undo_restores_the_fact_and_is_logged_too(db):
    fid = the_fact(db)["id"]
    store.reviews.decide(db, fid, "correct", "lan", changes={"rank": 2})
    store.reviews.undo_last(db, "lan")
    row = the_fact(db)
    assert (row["status"], row["rank"], row["reviewed_by"]) == ("pending", 1, None)
    assert [r[0] for r in db.execute("SELECT action FROM reviews ORDER BY id")] == ["correct", "undo"]
    assert store.reviews.undo_last(db, "lan") is None


def test_undo_does_not_overturn_a_later_decision_by_someone_else(db):
    fid = the_fact(db)["id"]
    store.reviews.decide(db, fid, "accept", "lan")
    store.reviews.decide(db, fid, "reject", "minh")
    with pytest.raises(store.reviews.Conflict):
        store.reviews.undo_last(db, "lan")
    assert the_fact(db)["status"] == "rejected"


def test_the_review_log_cannot_be_edited_or_deleted(db):
    store.reviews.decide(db, the_fact(db)["id"], "accept", "lan")
    for sql in ("UPDATE reviews SET reviewer = 'x'", "DELETE FROM reviews"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(sql)
    assert db["reviews"].count == 1


def test_unknown_fields_and_actions_are_refused(db):
    fid = the_fact(db)["id"]
    with pytest.raises(ValueError, match="not a fact field"):
        store.reviews.decide(db, fid, "correct", "lan", changes={"status": "accepted"})
    with pytest.raises(ValueError, match="unknown action"):
        store.reviews.decide(db, fid, "approve", "lan")
    assert the_fact(db)["status"] == "pending"


def test_reviewers_are_stored_by_name(db):
    store.reviewers.add(db, "lan", "pbkdf2$1")
    store.reviewers.add(db, "lan", "pbkdf2$2")
    assert store.reviewers.get(db, "lan")["password_hash"] == "pbkdf2$2"
    assert store.reviewers.get(db, "nobody") is None
