"""store.facts.save_document: articles deduplicated, facts with stable ids, human decisions kept."""
import json

import pytest

from parindex import store

TEXT = ("Năm 2023, huyện Kim Thành đứng thứ 3/12 về Chỉ số cải cách hành chính. "
        "Xã Kim Anh dẫn đầu với 91,43%.")


def fact(unit="huyện Kim Thành", key="kim thành", level="district", year=2023, **values):
    base = {"unit": unit, "unit_key": key, "level": level, "index": "PAR", "year": year,
            "province": "Hải Dương", "parent": None, "rank": 3, "rank_total": 12, "rank_change": None,
            "score": None, "score_min": None, "evidence": TEXT[:71], "start": 0, "end": 71,
            "rules": ["rank-of-total"]}
    return {**base, **values}


def kim_anh(**values):
    return fact("xã Kim Anh", "kim anh", "commune", rank=1, rank_total=None, score=91.43,
                evidence=TEXT[72:], start=72, end=len(TEXT), **values)


def document(facts=None, text=TEXT, **meta):
    return {"doc": "a", "title": "Kim Thành thứ 3", "published": "2024-04-04", "site": "Báo Hải Dương",
            "url": None, "text": text, "facts": [fact(), kim_anh()] if facts is None else facts, **meta}


@pytest.fixture
def db(tmp_path):
    return store.connect(tmp_path / "x.db")


def page(db, url="https://baohaiduong.vn/a.html", body=b"<html>a</html>"):
    return store.pages.save_page(db, url, final_url=url, source="baohaiduong", kind="article",
                                 status=200, content_type="text/html", body=body)


def facts_of(db):
    return {row["unit"]: row for row in db.query("SELECT * FROM facts ORDER BY unit")}


def test_a_document_becomes_an_article_with_pending_facts_linked_to_its_page(db):
    page_id = page(db)
    counts = store.facts.save_document(db, page_id, document(), "1")
    assert counts["articles_new"] == 1 and counts["facts_new"] == 2
    article = db["articles"].get(1)
    assert (article["title"], article["published"], article["url"]) == (
        "Kim Thành thứ 3", "2024-04-04", "https://baohaiduong.vn/a.html")
    facts = facts_of(db)
    assert facts["xã Kim Anh"]["score"] == 91.43 and facts["xã Kim Anh"]["status"] == "pending"
    assert json.loads(facts["huyện Kim Thành"]["rules"]) == ["rank-of-total"]
    assert TEXT[facts["xã Kim Anh"]["start"]:facts["xã Kim Anh"]["end"]] == facts["xã Kim Anh"]["evidence"]
    row = db["pages"].get(page_id)
    assert row["article_id"] == article["id"] and row["extracted_version"] == "1"


def test_saving_the_same_document_twice_changes_nothing(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    before = list(db.query("SELECT * FROM facts ORDER BY id"))
    counts = store.facts.save_document(db, page_id, document(), "1")
    assert counts == {"articles_new": 0, "facts_new": 0, "facts_updated": 0, "facts_unchanged": 2,
                      "facts_removed": 0, "facts_reviewed_kept": 0, "suggestions": 0, "facts_invalid": 0}
    assert list(db.query("SELECT * FROM facts ORDER BY id")) == before


def test_fact_ids_are_the_same_in_another_database_and_after_a_respelling(tmp_path, db):
    store.facts.save_document(db, page(db), document(), "1")
    other = store.connect(tmp_path / "other.db")
    respelled = document([fact(unit="UBND huyện Kim Thành"), kim_anh()])
    store.facts.save_document(other, page(other, "https://amp.baohaiduong.vn/a"), respelled, "2")
    ids = lambda d: sorted(r[0] for r in d.execute("SELECT id FROM facts"))  # noqa: E731
    assert ids(db) == ids(other)


def test_the_same_text_on_two_urls_is_one_article_with_two_pages(db):
    first, amp = page(db), page(db, "https://baohaiduong.vn/amp/a.html", b"<html>amp</html>")
    store.facts.save_document(db, first, document(published=None), "1")
    counts = store.facts.save_document(db, amp, document(), "1")
    assert counts["articles_new"] == 0 and counts["facts_unchanged"] == 2
    assert db["articles"].count == 1 and db["facts"].count == 2
    assert {r[0] for r in db.execute("SELECT article_id FROM pages")} == {1}
    assert db["articles"].get(1)["published"] == "2024-04-04", "the second copy fills a missing date"


def test_new_rules_replace_pending_facts_and_drop_those_no_longer_found(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    counts = store.facts.save_document(db, page_id, document([fact(rank=4)]), "2")
    assert (counts["facts_updated"], counts["facts_removed"]) == (1, 1)
    facts = facts_of(db)
    assert list(facts) == ["huyện Kim Thành"]
    assert facts["huyện Kim Thành"]["rank"] == 4 and facts["huyện Kim Thành"]["extractor_version"] == "2"


def test_reviewed_facts_stay_as_the_reviewer_left_them(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    ids = {row["unit"]: row["id"] for row in facts_of(db).values()}
    store.reviews.decide(db, ids["huyện Kim Thành"], "accept", "lan")
    store.reviews.decide(db, ids["xã Kim Anh"], "correct", "lan", changes={"score": 91.34})
    before = facts_of(db)
    counts = store.facts.save_document(db, page_id, document([]), "2")
    assert counts["facts_reviewed_kept"] == 2 and counts["facts_removed"] == 0
    assert facts_of(db) == before


def test_a_rejected_fact_does_not_come_back_as_pending(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    kim_anh_id = facts_of(db)["xã Kim Anh"]["id"]
    store.reviews.decide(db, kim_anh_id, "reject", "lan", note="a component score")
    store.facts.save_document(db, page_id, document(), "2")
    store.facts.save_document(db, page_id, document(), "3")
    row = facts_of(db)["xã Kim Anh"]
    assert (row["status"], row["suggestion"]) == ("rejected", None)
    assert db["facts"].count == 2


def test_a_new_value_for_a_reviewed_fact_is_kept_beside_it_as_a_suggestion(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    fid = facts_of(db)["huyện Kim Thành"]["id"]
    store.reviews.decide(db, fid, "accept", "lan")
    counts = store.facts.save_document(db, page_id, document([fact(rank=4, rank_change=-1), kim_anh()]), "2")
    row = db["facts"].get(fid)
    assert counts["suggestions"] == 1
    assert (row["status"], row["rank"], row["rank_change"]) == ("accepted", 3, None)
    suggestion = json.loads(row["suggestion"])
    assert suggestion["changes"] == {"rank": 4, "rank_change": -1}
    assert suggestion["extractor_version"] == "2"


def test_a_corrected_fact_gets_no_suggestion_when_the_rules_repeat_the_corrected_mistake(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    fid = facts_of(db)["huyện Kim Thành"]["id"]
    store.reviews.decide(db, fid, "correct", "lan", changes={"rank": 2})
    store.facts.save_document(db, page_id, document(), "2")
    assert db["facts"].get(fid)["suggestion"] is None
    store.facts.save_document(db, page_id, document([fact(rank=5)]), "3")
    assert json.loads(db["facts"].get(fid)["suggestion"])["changes"] == {"rank": 5}
    store.facts.save_document(db, page_id, document([fact(rank=2)]), "4")
    assert db["facts"].get(fid)["suggestion"] is None, "rules that now agree with the person settle it"


def test_a_page_whose_text_changed_moves_to_the_new_article_and_the_old_one_goes(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    new_text = TEXT + " Cập nhật."
    store.facts.save_document(db, page_id, document(text=new_text), "1")
    assert db["articles"].count == 1 and db["articles"].get(2)["text"] == new_text
    assert {r[0] for r in db.execute("SELECT article_id FROM facts")} == {2}


def test_an_old_article_with_a_reviewed_fact_is_kept_for_its_evidence(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    store.reviews.decide(db, facts_of(db)["xã Kim Anh"]["id"], "accept", "lan")
    store.facts.save_document(db, page_id, document(text=TEXT + " Cập nhật."), "1")
    assert db["articles"].count == 2
    old = list(db.query("SELECT unit, status FROM facts WHERE article_id = 1"))
    assert old == [{"unit": "xã Kim Anh", "status": "accepted"}]


def test_a_page_that_is_not_an_article_any_more_is_recorded_and_not_retried(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    store.facts.save_failure(db, page_id, "no article text found", "2")
    row = db["pages"].get(page_id)
    assert (row["article_id"], row["extract_error"], row["extracted_version"]) == (None, "no article text found", "2")
    assert db["articles"].count == 0 and db["facts"].count == 0
    assert store.pages.pages_to_extract(db, "2") == []


def test_full_text_search_ignores_accents_and_reads_d_for_đ(db):
    store.facts.save_document(db, page(db), document(text="Huyện Đồng Hỷ dẫn đầu khối huyện.", facts=[]), "1")
    store.facts.save_document(db, page(db, "https://b.vn/x"), document(text="Một bài khác.", facts=[]), "1")
    assert [a["id"] for a in store.queries.search_articles(db, "dong hy")] == [1]
    assert [a["id"] for a in store.queries.search_articles(db, "ĐỒNG HỶ")] == [1]
    assert [a["id"] for a in store.queries.search_articles(db, "huyen")] == [1]
    assert store.queries.search_articles(db, "quang ninh") == []


def test_the_store_derives_the_key_and_the_register_link_whatever_the_writer_sent(db):
    page_id = page(db)
    bare = fact()
    del bare["unit_key"]
    wrong = kim_anh(unit_key="kim lương", unit_code="99999", register="current")
    store.facts.save_document(db, page_id, document([bare, wrong]), "1")
    facts = facts_of(db)
    assert facts["huyện Kim Thành"]["unit_key"] == "kim thành"
    assert (facts["huyện Kim Thành"]["unit_code"], facts["huyện Kim Thành"]["province_code"]) == ("293", "30")
    kim_anh_row = facts["xã Kim Anh"]
    assert (kim_anh_row["unit_key"], kim_anh_row["unit_code"], kim_anh_row["register"]) == (
        "kim anh", "10780", "legacy")


def test_an_impossible_fact_is_left_out_and_counted_the_others_are_stored(db):
    page_id = page(db)
    impossible = [fact(year=2049), fact("huyện Tứ Kỳ", "tứ kỳ", rank=15, rank_total=12),
                  fact("xã Kim Anh", "kim anh", "commune", rank=None, rank_total=None, score=0.0)]
    counts = store.facts.save_document(db, page_id, document([fact("huyện Nam Sách", "nam sách")] + impossible), "1")
    assert (counts["facts_new"], counts["facts_invalid"]) == (1, 3)
    assert set(facts_of(db)) == {"huyện Nam Sách"}


def test_a_full_disk_fails_with_one_line_and_leaves_the_database_as_it_was(db):
    page_id = page(db)
    store.facts.save_document(db, page_id, document(), "1")
    before = [list(db.query(f"SELECT * FROM {t} ORDER BY 1")) for t in ("pages", "articles", "facts")]
    used = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {used}")  # no page more: the disk is full
    big = document(text=TEXT + " Bài dài." * 20000, facts=[fact(), kim_anh()])
    with pytest.raises(store.StoreError) as caught:
        store.facts.save_document(db, page_id, big, "2")
    assert "disk full" in str(caught.value) and "\n" not in str(caught.value)
    assert [list(db.query(f"SELECT * FROM {t} ORDER BY 1")) for t in ("pages", "articles", "facts")] == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
