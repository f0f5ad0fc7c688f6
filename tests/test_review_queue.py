"""The review queue: filters, article order, next and previous, wrap-around, counts."""
import pytest

from parindex import store
from parindex.store import queue
from _review_data import build


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "parindex.db"
    ids = build(path, reviewers=())
    db = store.connect(path)
    db.ids = ids
    yield db
    db.conn.close()


def _units(db, fact_ids):
    return [db["facts"].get(i)["unit"] for i in fact_ids]


def test_filters_from_a_query_string_keep_what_is_known():
    assert queue.clean_filters({"province": " Hà Tĩnh ", "year": "2023", "site": "", "colour": "red"}) == {
        "province": "Hà Tĩnh", "year": 2023, "status": "pending"}
    assert queue.clean_filters({"year": "năm 2023", "status": "whatever"}) == {"status": "pending"}
    assert queue.clean_filters({"filter-level": "district", "level": "commune", "filter-status": "all"},
                               "filter-") == {"level": "district", "status": "all"}


def test_facts_come_article_by_article_in_text_order(db):
    filters = queue.clean_filters({"site": "baohaiduong.vn"})
    ids = queue.pending_ids(db, filters)
    assert len(ids) == 4
    # The three communes share one sentence, the district's line comes after it.
    assert _units(db, ids)[-1] == "huyện Kim Thành"
    assert queue.first(db, filters) == ids[0]


def test_next_and_previous_walk_the_filter_and_stop_at_the_ends(db):
    filters = queue.clean_filters({"site": "baohatinh.vn"})
    ids = queue.pending_ids(db, filters)
    assert queue.neighbour(db, filters, ids[0], 1) == ids[1]
    assert queue.neighbour(db, filters, ids[1], -1) == ids[0]
    assert queue.neighbour(db, filters, ids[0], -1) is None
    assert queue.neighbour(db, filters, ids[-1], 1) is None


def test_the_next_pending_fact_skips_decided_ones_and_wraps_around(db):
    filters = queue.clean_filters({"site": "baohatinh.vn"})
    a, b, c = queue.pending_ids(db, filters)
    store.reviews.decide(db, b, "accept", "lan")
    assert queue.next_pending(db, filters, a) == c
    assert queue.next_pending(db, filters, c) == a  # skipped facts come back at the end
    store.reviews.decide(db, a, "reject", "lan")
    assert queue.next_pending(db, filters, c) == c
    assert queue.count(db, filters) == 1
    assert queue.count(db, {**filters, "status": "all"}, pending_only=False) == 3


def test_status_all_walks_decided_facts_too(db):
    filters = queue.clean_filters({"site": "baohatinh.vn", "status": "all"})
    first = queue.first(db, filters)
    store.reviews.decide(db, first, "accept", "lan")
    assert queue.first(db, filters) == first
    assert queue.first(db, {**filters, "status": "pending"}) != first


def test_the_filter_menus_offer_the_values_in_the_database(db):
    choices = queue.choices(db)
    assert choices["site"] == ["baohaiduong.vn", "baohatinh.vn", "baohoabinh.vn", "tintuc.example.vn",
                               "xss.example"]
    assert choices["year"] == [2022, 2023]
    assert "Hoà Bình" in choices["province"] and "Hòa Bình" in choices["province"]
