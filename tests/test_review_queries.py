"""Browsing and querying in Datasette: the canned queries people ask for, facets,
full-text search, the metadata a newcomer reads, JSON and CSV."""
import asyncio

import pytest

from parindex import store
from parindex.review.app import make_datasette
from _review_data import build


@pytest.fixture(scope="module")
def browse(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "parindex.db"
    build(path)
    loop = asyncio.new_event_loop()
    ds = make_datasette(path, secret="s")
    loop.run_until_complete(ds.invoke_startup())

    def get(url):
        response = loop.run_until_complete(ds.client.get(url))
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        return response

    def rows(query, **params):
        qs = "&".join(f"{k}={v}" for k, v in params.items())
        return get(f"/parindex/{query}.json?_shape=array&{qs}").json()

    yield {"get": get, "rows": rows, "path": path}
    loop.close()


def test_a_provinces_districts_ranked_year_by_year(browse):
    rows = browse["rows"]("province_districts", province="tỉnh Hải Dương", index="")
    assert [(r["year"], r["unit"], r["rank"], r["site"]) for r in rows] == [
        (2023, "thành phố Hải Dương", 1, "tintuc.example.vn"),
        (2023, "huyện Kim Thành", 3, "baohaiduong.vn"),
        (2023, "huyện Kim Thành", 4, "tintuc.example.vn")]


def test_province_names_match_whatever_the_tone_placement(browse):
    for spelling in ("Hòa Bình", "Hoà Bình", "tỉnh Hoà Bình"):
        rows = browse["rows"]("province_districts", province=spelling, index="PAR")
        assert [r["unit"] for r in rows] == ["huyện Lạc Sơn", "huyện Tân Lạc"], spelling


def test_one_units_history_across_years(browse):
    rows = browse["rows"]("unit_history", unit="Kỳ Anh", province="")
    assert [(r["index"], r["year"], r["rank"], r["rank_total"]) for r in rows] == [
        ("PAR", 2022, 1, 13), ("PAR", 2023, 2, 13)]
    assert browse["rows"]("unit_history", unit="thị xã Kỳ Anh", province="Hà Tĩnh") == rows
    assert browse["rows"]("unit_history", unit="Kỳ Anh", province="Hải Dương") == []


def test_facts_whose_sources_disagree(browse):
    rows = browse["rows"]("disagreeing_sources")
    assert [(r["unit"], r["year"], r["articles"], sorted(r["ranks"].split(","))) for r in rows] == [
        ("huyện Kim Thành", 2023, 2, ["3", "4"])]
    assert sorted(rows[0]["sites"].split(",")) == ["baohaiduong.vn", "tintuc.example.vn"]


def test_the_review_backlog_by_site_shrinks_as_facts_are_decided(browse):
    before = {r["site"]: r["pending"] for r in browse["rows"]("review_backlog")}
    assert before == {"baohaiduong.vn": 4, "baohatinh.vn": 3, "tintuc.example.vn": 3,
                      "baohoabinh.vn": 1, "xss.example": 1}
    db = store.connect(browse["path"])
    for fact_id, in db.execute("SELECT f.id FROM facts f JOIN articles a ON a.id = f.article_id "
                               "WHERE a.site = 'baohatinh.vn'").fetchall():
        store.reviews.decide(db, fact_id, "accept", "lan")
    db.conn.close()
    after = {r["site"]: r["pending"] for r in browse["rows"]("review_backlog")}
    assert "baohatinh.vn" not in after and after["baohaiduong.vn"] == 4


def test_canned_queries_come_as_csv_too(browse):
    text = browse["get"]("/parindex/review_backlog.csv").text
    assert text.splitlines()[0] == "site,pending,articles,oldest,newest"


def test_the_facts_table_offers_the_agreed_facets(browse):
    data = browse["get"]("/parindex/facts.json?_size=0").json()
    facets = data["facet_results"]
    assert set(facets) == {"province", "year", "level", "index", "status", "site"}
    provinces = {r["value"]: r["count"] for r in facets["province"]["results"]}
    assert provinces["Hải Dương"] == 7 and provinces["Hà Tĩnh"] == 3
    sites = {r["value"]: r["count"] for r in facets["site"]["results"]}
    assert sites == {"baohaiduong.vn": 4, "baohatinh.vn": 3, "tintuc.example.vn": 3, "baohoabinh.vn": 1,
                     "xss.example": 1}


def test_the_site_facet_filters_facts_by_their_articles_site(browse):
    data = browse["get"]("/parindex/facts.json?_site=baohatinh.vn&_shape=objects&_size=50").json()
    assert sorted((r["unit"], r["year"]) for r in data["rows"]) == [
        ("huyện Can Lộc", 2023), ("thị xã Kỳ Anh", 2022), ("thị xã Kỳ Anh", 2023)]
    assert 'site is "baohatinh.vn"' in data["human_description_en"]
    [chosen] = data["facet_results"]["site"]["results"]
    assert chosen["selected"] and "_site" not in chosen["toggle_url"]


def test_articles_are_searchable_without_diacritics(browse):
    found = browse["get"]("/parindex/articles.json?_search=ky+anh&_shape=array&_col=site").json()
    assert [r["site"] for r in found] == ["baohatinh.vn"]


def test_tables_and_columns_are_described_for_newcomers(browse):
    page = browse["get"]("/parindex/facts").text
    assert "One row per unit, index and evaluated year stated by one article" in page
    assert "The evaluated year (not the publication year)" in page
    index = browse["get"]("/parindex").text
    for title in ("A province&#39;s districts, ranked, year by year", "Facts whose sources disagree",
                  "Review backlog by site", "One unit&#39;s history across years and indexes"):
        assert title in index
    tables = browse["get"]("/parindex.json").json()["tables"]
    assert "facts" in [t["name"] for t in tables] and "reviewers" not in [t["name"] for t in tables]


@pytest.mark.parametrize("spelling", ["Hai Duong", "hai duong", "tinh Hai Duong", "Hải Dương"])
def test_the_districts_query_takes_a_province_typed_without_accents(browse, spelling):
    rows = browse["rows"]("province_districts", province=spelling, index="")
    assert [(r["year"], r["unit"], r["rank"]) for r in rows] == [
        (2023, "thành phố Hải Dương", 1), (2023, "huyện Kim Thành", 3), (2023, "huyện Kim Thành", 4)]


def test_a_units_history_takes_its_name_without_accents(browse):
    accented = browse["rows"]("unit_history", unit="Kỳ Anh", province="")
    assert accented and browse["rows"]("unit_history", unit="Ky Anh", province="Ha Tinh") == accented
    assert browse["rows"]("unit_history", unit="TX Ky Anh", province="") == accented


def test_the_home_page_lists_the_questions_people_ask(browse):
    from html import escape

    from parindex.review.metadata import QUERIES

    home = browse["get"]("/").text
    for name, canned in QUERIES.items():
        assert f'href="/parindex/{name}"' in home and escape(canned["title"]) in home, name
