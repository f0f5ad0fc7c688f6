"""A reviewer's correction reaches everything downstream: the fact takes the key and the register
link of its new name or province in the same transaction as the review row, `query` finds it
there (and not under the old one), and the export publishes what the database holds."""
import asyncio
import csv
import json
import sqlite3

import pytest
from click.testing import CliRunner

from parindex import store
from parindex.cli import cli
from parindex.review.app import make_datasette
from _review_client import Client
from _review_data import build

CHAU_THANH = "Năm 2023, huyện Châu Thành xếp thứ 4/9 về Chỉ số cải cách hành chính của tỉnh Tiền Giang."
# Register codes (GSO) the corrections must lead to, and away from
KIM_ANH, KIM_DINH = "10780", "10792"            # communes of huyện Kim Thành, Hải Dương
CHAU_THANH_TIEN_GIANG, CHAU_THANH_BEN_TRE = "821", "831"


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "parindex.db"
    ids = build(path)
    db = store.connect(path)
    url = "https://baotiengiang.vn/chau-thanh"
    page_id = store.pages.save_page(db, url, final_url=url, source="baotiengiang.vn", kind="article",
                                    status=200, content_type="text/html", body=CHAU_THANH.encode())
    store.facts.save_document(db, page_id, {
        "title": "Châu Thành thứ 4", "published": "2024-03-01", "site": "baotiengiang.vn", "url": url,
        "text": CHAU_THANH, "facts": [{
            "unit": "huyện Châu Thành", "level": "district", "index": "PAR", "year": 2023,
            "province": "Tiền Giang", "parent": None, "rank": 4, "rank_total": 9, "rank_change": None,
            "score": None, "score_min": None, "evidence": CHAU_THANH, "start": 0,
            "end": len(CHAU_THANH), "rules": ["test"]}]}, "test-1")
    ids["huyện Châu Thành"] = db.execute("SELECT id FROM facts WHERE unit = 'huyện Châu Thành'").fetchone()[0]
    db.conn.close()
    loop = asyncio.new_event_loop()
    ds = make_datasette(path, secret="test-secret")
    loop.run_until_complete(ds.invoke_startup())
    client = Client(ds, loop)
    client.login()
    yield {"path": path, "ids": ids, "client": client}
    loop.close()


def correct(site, fact_id, **changes):
    row = stored(site["path"], fact_id)
    form = {name: "" if row[name] is None else str(row[name])
            for name in ("unit", "level", "index", "year", "province", "parent", "rank", "rank_total",
                         "rank_change", "score", "score_min")}
    response = site["client"].post("/-/review/decide", {"fact_id": fact_id, "action": "correct", **form,
                                                        **changes})
    assert response.status_code == 302, response.text


def stored(path, fact_id):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM facts WHERE id = ?", [fact_id]).fetchone())
    finally:
        conn.close()


def query(path, *args) -> list[dict]:
    done = CliRunner().invoke(cli, ["query", "--db", str(path), "--format", "json", *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def export(path, out) -> tuple[list[dict], list[dict]]:
    done = CliRunner().invoke(cli, ["export", "--db", str(path), "--out", str(out), "--no-charts"])
    assert done.exit_code == 0, done.output
    read = lambda name: list(csv.DictReader((out / name).open(encoding="utf-8")))  # noqa: E731
    return read("facts.csv"), read("rankings.csv")


def test_a_corrected_unit_is_found_by_its_new_name_and_code_and_exported(site, tmp_path):
    fact_id = site["ids"]["xã Kim Anh"]
    assert stored(site["path"], fact_id)["unit_code"] == KIM_ANH
    correct(site, fact_id, unit="xã Kim Đính")

    row = stored(site["path"], fact_id)
    assert (row["unit"], row["unit_key"], row["unit_code"], row["unit_official"], row["status"]) == (
        "xã Kim Đính", "kim đính", KIM_DINH, "Xã Kim Đính", "corrected")
    assert [f["id"] for f in query(site["path"], "--unit", "xã Kim Đính")] == [fact_id]
    assert [f["id"] for f in query(site["path"], "--unit", "Kim Đính", "--year", "2023")] == [fact_id]
    assert [f["id"] for f in query(site["path"], "--code", KIM_DINH)] == [fact_id]

    facts, rankings = export(site["path"], tmp_path / "dataset")
    [published] = [f for f in facts if f["fact_id"] == fact_id]
    assert (published["unit"], published["unit_key"], published["unit_code"]) == ("xã Kim Đính", "kim đính", KIM_DINH)
    [ranked] = [r for r in rankings if r["unit_code"] == KIM_DINH]
    assert (ranked["unit"], ranked["rank"], ranked["review_status"]) == ("Xã Kim Đính", "1", "all")


def test_nothing_is_left_under_the_old_name(site, tmp_path):
    fact_id = site["ids"]["xã Kim Anh"]
    correct(site, fact_id, unit="xã Kim Đính")
    assert query(site["path"], "--unit", "xã Kim Anh") == []
    assert query(site["path"], "--code", KIM_ANH) == []
    facts, rankings = export(site["path"], tmp_path / "dataset")
    assert not [f for f in facts if f["unit_key"] == "kim anh" or f["unit_code"] == KIM_ANH]
    assert not [r for r in rankings if r["unit_code"] == KIM_ANH or "Kim Anh" in r["unit"]]


def test_a_corrected_province_moves_the_unit_to_that_provinces_register_code(site, tmp_path):
    fact_id = site["ids"]["huyện Châu Thành"]
    assert stored(site["path"], fact_id)["unit_code"] == CHAU_THANH_TIEN_GIANG
    correct(site, fact_id, province="Bến Tre")

    row = stored(site["path"], fact_id)
    assert (row["province"], row["unit_code"], row["province_code"]) == ("Bến Tre", CHAU_THANH_BEN_TRE, "83")
    assert [f["id"] for f in query(site["path"], "--province", "tỉnh Bến Tre")] == [fact_id]
    assert [f["id"] for f in query(site["path"], "--code", CHAU_THANH_BEN_TRE)] == [fact_id]
    assert query(site["path"], "--province", "Tiền Giang") == []
    assert query(site["path"], "--code", CHAU_THANH_TIEN_GIANG) == []

    facts, rankings = export(site["path"], tmp_path / "dataset")
    [published] = [f for f in facts if f["fact_id"] == fact_id]
    assert (published["province"], published["unit_code"], published["province_code"]) == (
        "Bến Tre", CHAU_THANH_BEN_TRE, "83")
    [ranked] = [r for r in rankings if r["unit"] == "Huyện Châu Thành"]
    assert (ranked["province"], ranked["unit_code"], ranked["province_code"]) == ("Bến Tre", CHAU_THANH_BEN_TRE, "83")


def test_an_undo_brings_back_the_old_name_with_its_key_and_code(site):
    fact_id = site["ids"]["xã Kim Anh"]
    correct(site, fact_id, unit="xã Kim Đính")
    assert site["client"].post("/-/review/undo", {"fact_id": fact_id}).status_code == 302
    row = stored(site["path"], fact_id)
    assert (row["unit"], row["unit_key"], row["unit_code"], row["status"]) == ("xã Kim Anh", "kim anh", KIM_ANH, "pending")
    assert [f["id"] for f in query(site["path"], "--code", KIM_ANH)] == [fact_id]
    assert query(site["path"], "--code", KIM_DINH) == []


def test_the_new_key_and_link_are_written_in_the_review_rows_transaction(site):
    fact_id = site["ids"]["xã Kim Anh"]
    db = store.connect(site["path"])
    # The review row cannot be written: the correction, key and link included, must not be either.
    db.execute("CREATE TRIGGER no_reviews BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'no'); END")
    with pytest.raises(sqlite3.IntegrityError):
        store.reviews.decide(db, fact_id, "correct", "lan", changes={"unit": "xã Kim Đính"})
    db.conn.close()
    row = stored(site["path"], fact_id)
    assert (row["unit"], row["unit_key"], row["unit_code"], row["status"]) == ("xã Kim Anh", "kim anh", KIM_ANH, "pending")
