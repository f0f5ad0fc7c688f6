"""`query --search` and store.queries.search_articles: a phrase by default, accents optional,
the words apart on request; the best first, and quickly whatever the words (store/search.py)."""
import json

import pytest
from click.testing import CliRunner

from parindex import store
from parindex.cli import cli
from parindex.store import search

DONG_THAP = "Năm 2023, huyện Cao Lãnh của Đồng Tháp đứng thứ 2/12 về Chỉ số CCHC."
# both words, not together: "đóng" ... "thấp" folds to "dong" ... "thap"
ELSEWHERE = "Năm 2023, huyện Tiên Lãng đóng góp nhiều sáng kiến nhưng xếp thứ 11/12, điểm thấp nhất."


def save(db, n, title, text, facts=()):
    page_id = store.pages.save_page(db, f"https://bao.vn/{n}.html", final_url=None, source="bao", kind="article",
                                    status=200, content_type="text/html", body=text.encode())
    store.facts.save_document(db, page_id, {"title": title, "published": "2024-03-01", "site": "Báo", "text": text,
                                            "facts": list(facts)}, "1")


def fact(unit, rank, text):
    return {"unit": unit, "level": "district", "index": "PAR", "year": 2023, "rank": rank, "rank_total": 12,
            "evidence": text, "start": 0, "end": len(text), "rules": ["r"]}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "facts.db"
    db = store.connect(path)
    save(db, 1, "Đồng Tháp công bố Chỉ số CCHC", DONG_THAP, [fact("huyện Cao Lãnh", 2, DONG_THAP)])
    save(db, 2, "Kết quả Chỉ số CCHC", ELSEWHERE, [fact("huyện Tiên Lãng", 11, ELSEWHERE)])
    db.close()
    return path


def searched(db_path, *args) -> list[str]:
    result = CliRunner().invoke(cli, ["query", "--db", str(db_path), "--format", "json", "--search", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [row["unit"] for row in json.loads(result.stdout)]


def test_the_words_typed_are_found_as_a_phrase_with_or_without_accents(db_path):
    assert searched(db_path, "dong thap") == ["huyện Cao Lãnh"]
    assert searched(db_path, "Đồng Tháp") == ["huyện Cao Lãnh"]
    assert searched(db_path, "thap dong") == []


def test_words_finds_each_word_anywhere_in_the_article(db_path):
    assert sorted(searched(db_path, "dong thap", "--words")) == ["huyện Cao Lãnh", "huyện Tiên Lãng"]
    assert searched(db_path, "thap dong", "--words") == ["huyện Cao Lãnh", "huyện Tiên Lãng"]


def test_articles_come_best_first_and_among_many_matches_the_newest_are_ranked(tmp_path, monkeypatch):
    db = store.connect(tmp_path / "many.db")
    # the oldest article says it most often; five newer ones say it once
    save(db, 0, "Đồng Tháp, Đồng Tháp", "Đồng Tháp dẫn đầu. " * 6 + "Đồng Tháp.")
    for n in range(1, 6):
        save(db, n, f"Tin {n}", f"Bài {n}: một lần nhắc Đồng Tháp giữa nhiều chữ khác về chuyện khác nữa.")
    reader = store.connect(tmp_path / "many.db", readonly=True)
    found = store.queries.search_articles(reader, "dong thap", limit=3)
    assert found[0]["title"] == "Đồng Tháp, Đồng Tháp", "few matches: ranked by relevance"

    monkeypatch.setattr(search, "RANK_AT_MOST", 3)
    found = store.queries.search_articles(reader, "dong thap", limit=10)
    assert sorted(r["title"] for r in found) == ["Tin 3", "Tin 4", "Tin 5"], "many matches: the newest are ranked"
    assert store.queries.search_articles(reader, "kien giang") == []
    reader.close()
    db.close()


def test_facts_of_a_search_that_many_articles_match_come_in_the_same_order_and_number(tmp_path, monkeypatch):
    # Where many articles match, the facts are read in query's order and reading stops at the
    # limit; the answer must be the one the other way gives, ties and all.
    db = store.connect(tmp_path / "order.db")
    for n in range(12):
        text = f"Năm 2023, huyện Số {n} của Đồng Tháp đứng thứ {n % 4 + 1}/12 về Chỉ số CCHC."
        save(db, n, f"Tin {n}", text, [fact(f"huyện Số {n}", n % 4 + 1, text)])
    reader = store.connect(tmp_path / "order.db", readonly=True)
    for limit in (3, 5, 50):
        monkeypatch.setattr(search, "SCAN_IN_ORDER_FROM", 10_000)
        by_article = store.queries.find_facts(reader, search="dong thap", limit=limit)
        monkeypatch.setattr(search, "SCAN_IN_ORDER_FROM", 2)
        in_order = store.queries.find_facts(reader, search="dong thap", limit=limit)
        assert [f["id"] for f in in_order] == [f["id"] for f in by_article]
        assert len(in_order) == min(limit, 12)
        assert [f["rank"] for f in in_order] == sorted(f["rank"] for f in in_order)
    reader.close()
    db.close()
