"""`parindex query` and `parindex stats`: filters, full-text search, read-only SQL, every format."""
import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from parindex import store
from parindex.cli import cli

TEXT_HD = "Năm 2023, huyện Kim Thành đứng thứ 3/12; thị xã Kinh Môn đứng thứ 1/12 với 91,43%."
TEXT_DT = "Huyện Đồng Hỷ xếp thứ 2/9 Chỉ số cải cách hành chính năm 2022."


def fact(unit, key, level, year, province, rank, total, score=None, start=0, end=10, text=TEXT_HD):
    return {"unit": unit, "unit_key": key, "level": level, "index": "PAR", "year": year,
            "province": province, "rank": rank, "rank_total": total, "score": score,
            "evidence": text[start:end], "start": start, "end": end, "rules": ["r"]}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "facts.db"
    db = store.connect(path)
    hd = store.pages.save_page(db, "https://baohaiduong.vn/a.html", final_url=None, source="baohaiduong",
                               kind="article", status=200, content_type="text/html", body=b"a")
    store.facts.save_document(db, hd, {
        "title": "Hải Dương công bố Chỉ số CCHC 2023", "published": "2024-04-04", "site": "Báo Hải Dương",
        "text": TEXT_HD, "facts": [
            fact("huyện Kim Thành", "kim thành", "district", 2023, "Hải Dương", 3, 12),
            fact("thị xã Kinh Môn", "kinh môn", "district", 2023, "tỉnh Hải Dương", 1, 12, 91.43),
            fact("xã Kim Anh", "kim anh", "commune", 2023, "Hải Dương", 1, 24)]}, "1")
    dt = store.pages.save_page(db, "https://baothainguyen.vn/b.html", final_url=None, source="baothainguyen",
                               kind="article", status=200, content_type="text/html", body=b"b")
    store.facts.save_document(db, dt, {
        "title": "Đồng Hỷ tăng bậc", "published": "2023-05-01", "site": "Báo Thái Nguyên",
        "text": TEXT_DT, "facts": [fact("huyện Đồng Hỷ", "đồng hỷ", "district", 2022, "Thái Nguyên", 2, 9,
                                        text=TEXT_DT)]}, "1")
    kim_anh = db.execute("SELECT id FROM facts WHERE unit_key = 'kim anh'").fetchone()[0]
    store.reviews.decide(db, kim_anh, "accept", "lan")
    db.close()
    return path


def query(db_path, *args):
    result = CliRunner().invoke(cli, ["query", "--db", str(db_path), *map(str, args)], catch_exceptions=False)
    return result


def units(result) -> list[str]:
    return [row["unit"] for row in json.loads(result.stdout)]


def test_filters_by_province_in_any_spelling_year_and_level(db_path):
    result = query(db_path, "--province", "Hải Dương", "--year", 2023, "--level", "district", "--format", "json")
    assert result.exit_code == 0, result.output
    assert units(result) == ["thị xã Kinh Môn", "huyện Kim Thành"]
    assert units(query(db_path, "--province", "tỉnh hải dương", "--level", "district", "--format", "json")) == [
        "thị xã Kinh Môn", "huyện Kim Thành"]


def test_filters_by_unit_without_its_type_word_and_by_status(db_path):
    assert units(query(db_path, "--unit", "Kim Anh", "--format", "json")) == ["xã Kim Anh"]
    assert units(query(db_path, "--unit", "UBND xã Kim Anh", "--format", "json")) == ["xã Kim Anh"]
    assert units(query(db_path, "--status", "accepted", "--format", "json")) == ["xã Kim Anh"]
    assert units(query(db_path, "--index", "par", "--year", 2022, "--format", "json")) == ["huyện Đồng Hỷ"]


def test_rows_carry_the_article_they_come_from(db_path):
    (row,) = json.loads(query(db_path, "--unit", "Kinh Môn", "--format", "json").stdout)
    assert row["score"] == 91.43 and row["rank"] == 1 and row["rank_total"] == 12
    assert (row["title"], row["published"], row["site"], row["url"]) == (
        "Hải Dương công bố Chỉ số CCHC 2023", "2024-04-04", "Báo Hải Dương", "https://baohaiduong.vn/a.html")


def test_search_finds_articles_without_accents_and_with_d_for_đ(db_path):
    assert units(query(db_path, "--search", "dong hy", "--format", "json")) == ["huyện Đồng Hỷ"]
    assert units(query(db_path, "--search", "kinh mon", "--level", "commune", "--format", "json")) == ["xã Kim Anh"]


def test_no_match_is_an_empty_result_not_an_error(db_path):
    result = query(db_path, "--province", "Cà Mau", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


SQL = "select unit, rank, score from facts where year = 2023 order by unit"


def test_sql_in_csv(db_path):
    result = query(db_path, SQL, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(io.StringIO(result.stdout))) == [
        {"unit": "huyện Kim Thành", "rank": "3", "score": ""},
        {"unit": "thị xã Kinh Môn", "rank": "1", "score": "91.43"},
        {"unit": "xã Kim Anh", "rank": "1", "score": ""}]


def test_sql_in_json_is_one_list_of_objects_keyed_by_column(db_path):
    rows = json.loads(query(db_path, SQL, "--format", "json").stdout)
    assert rows[1] == {"unit": "thị xã Kinh Môn", "rank": 1, "score": 91.43}


def test_sql_in_jsonl_is_one_object_a_line(db_path):
    lines = query(db_path, SQL, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["unit"] for line in lines] == ["huyện Kim Thành", "thị xã Kinh Môn", "xã Kim Anh"]


def test_sql_as_a_table_has_a_header_a_rule_and_a_row_each(db_path):
    lines = query(db_path, SQL, "--format", "table").stdout.splitlines()
    assert lines[0].split() == ["unit", "rank", "score"] and set(lines[1]) <= {"-", " "}
    assert "91.43" in lines[3] and len(lines) == 5


def test_filters_as_a_table_show_the_fact_columns(db_path):
    lines = query(db_path, "--unit", "Kinh Môn", "--format", "table").stdout.splitlines()
    assert lines[0].split()[:4] == ["unit", "level", "index", "year"]
    assert "thị xã Kinh Môn" in lines[2]


@pytest.mark.parametrize("statement", [
    "delete from facts", "update facts set rank = 99", "drop table facts",
    "insert into reviews (fact_id, action, at) values ('x', 'accept', 'now') returning id",
    "attach database 'elsewhere.db' as other", "pragma user_version = 7"])
def test_a_write_statement_is_refused_in_one_line_and_the_data_stays(db_path, statement, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = [sqlite3.connect(db_path).execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
              for t in ("facts", "reviews")] + [sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()]
    result = query(db_path, statement)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "read-only" in result.stderr
    after = [sqlite3.connect(db_path).execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
             for t in ("facts", "reviews")] + [sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()]
    assert after == before
    assert not (tmp_path / "elsewhere.db").exists()


def test_bad_sql_and_sql_with_filters_get_one_line_errors(db_path):
    result = query(db_path, "selec unit from facts")
    assert result.exit_code == 1 and result.stderr == 'parindex query: SQL error: near "selec": syntax error\n'
    result = query(db_path, "select 1", "--year", 2023)
    assert result.exit_code == 1 and "either an SQL statement or filter options" in result.stderr


def test_a_missing_or_corrupt_database_gets_one_line_and_exit_1(tmp_path):
    result = query(tmp_path / "none.db")
    assert (result.exit_code, result.stderr) == (1, f"parindex query: {tmp_path / 'none.db'}: no such database\n")
    assert not (tmp_path / "none.db").exists()
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 500)
    result = query(bad, "select 1")
    assert result.exit_code == 1
    assert result.stderr == f"parindex query: {bad}: not a SQLite database, or a corrupt one\n"


def test_stats_counts_pages_articles_and_facts_by_status_index_level_year(db_path):
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert (numbers["pages"], numbers["articles"], numbers["facts"]) == (2, 2, 4)
    assert numbers["facts_by_status"] == {"accepted": 1, "pending": 3}
    assert numbers["facts_by_level"] == {"commune": 1, "district": 3}
    assert numbers["facts_by_year"] == {"2022": 1, "2023": 3}
    assert numbers["facts_by_index"] == {"PAR": 4}
    assert numbers["pages_by_source"] == {"baohaiduong/article": 1, "baothainguyen/article": 1}


def test_stats_as_a_table_is_readable(db_path):
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path), "--format", "table"])
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["what", "value", "count"]
    assert any(line.split() == ["facts", "by", "status", "accepted", "1"] for line in lines)


@pytest.fixture
def damaged_db(tmp_path):
    path = tmp_path / "damaged.db"
    db = store.connect(path)
    for n in range(60):
        page_id = store.pages.save_page(db, f"https://a.vn/{n}", final_url=None, source="a", kind="article",
                                        status=200, content_type="text/html", body=b"x" * 3000)
        text = f"Bài {n}. " + "Huyện Kim Thành đứng thứ 3/12. " * 60
        store.facts.save_document(db, page_id, {"title": f"t{n}", "text": text, "facts": [
            fact("huyện Kim Thành", "kim thành", "district", 2023, "Hải Dương", 3, 12, text=text)]}, "1")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 2 * page):
        data[offset:offset + 200] = b"\xff" * 200  # scribble over every other page
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("args", [["stats"], ["query", "--search", "kim thanh"], ["query", "--province", "Hải Dương"],
                                  ["query", "select sum(length(text)) from articles"], ["reextract"]])
def test_a_database_damaged_inside_gets_one_line_from_every_verb(damaged_db, args):
    result = CliRunner().invoke(cli, [*args, "--db", str(damaged_db)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"parindex {args[0]}: {damaged_db}: not a SQLite database, or a corrupt one\n"


def test_a_database_from_a_newer_parindex_is_refused_by_every_verb(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 42")
    conn.close()
    for args in (["stats"], ["query", "select 1"], ["reextract"]):
        result = CliRunner().invoke(cli, [*args, "--db", str(path)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"parindex {args[0]}: {path}: database schema version 42 is newer")


# --- spellings people type (issue 15, point 3) ----------------------------------------------

@pytest.mark.parametrize("spelling", ["Hai Duong", "hai duong", "tỉnh Hải Dương", "HAI DUONG", "Hải Dương"])
def test_a_province_typed_without_accents_finds_its_facts(db_path, spelling):
    result = query(db_path, "--province", spelling, "--level", "district", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert units(result) == ["thị xã Kinh Môn", "huyện Kim Thành"]


@pytest.fixture(scope="module")
def spelt_db(tmp_path_factory):
    """Provinces as articles write them: "TP HCM", "TP. Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Hà Tĩnh"."""
    path = tmp_path_factory.mktemp("spellings") / "facts.db"
    db = store.connect(path)
    text = "Quận 1 đứng thứ 2; TP. Thủ Đức thứ 5; huyện Xuyên Mộc thứ 3; thị xã Kỳ Anh thứ 2."
    page = store.pages.save_page(db, "https://example.vn/c.html", final_url=None, source="x", kind="article",
                                 status=200, content_type="text/html", body=b"c")
    store.facts.save_document(db, page, {"title": "t", "published": "2024-01-01", "site": "s", "text": text,
                                         "facts": [
        fact("quận 1", "1", "district", 2023, "TP HCM", 2, 22, text=text),
        fact("thành phố Thủ Đức", "thủ đức", "district", 2023, "TP. Hồ Chí Minh", 5, 22, text=text),
        fact("huyện Xuyên Mộc", "xuyên mộc", "district", 2023, "Bà Rịa - Vũng Tàu", 3, 8, text=text),
        fact("thị xã Kỳ Anh", "kỳ anh", "district", 2023, "Hà Tĩnh", 2, 13, text=text),
        fact("quận Ô Môn", "ô môn", "district", 2023, "Cần Thơ", 4, 9, text=text)]}, "1")
    db.close()
    return path


@pytest.mark.parametrize("spelling, expected", [
    ("HCM", ["quận 1", "thành phố Thủ Đức"]),
    ("TP.HCM", ["quận 1", "thành phố Thủ Đức"]),
    ("Hồ Chí Minh", ["quận 1", "thành phố Thủ Đức"]),
    ("thanh pho ho chi minh", ["quận 1", "thành phố Thủ Đức"]),
    ("Ba Ria Vung Tau", ["huyện Xuyên Mộc"]),
    ("Ha Tinh", ["thị xã Kỳ Anh"]),
])
def test_abbreviated_and_unaccented_provinces_find_every_spelling_the_articles_used(spelt_db, spelling, expected):
    result = query(spelt_db, "--province", spelling, "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert sorted(units(result)) == expected


def test_a_unit_typed_without_accents_or_with_a_short_type_word_is_found(spelt_db):
    assert units(query(spelt_db, "--unit", "Ky Anh", "--format", "json")) == ["thị xã Kỳ Anh"]
    assert units(query(spelt_db, "--unit", "TX Kỳ Anh", "--format", "json")) == ["thị xã Kỳ Anh"]
    # Typed with accents, the accents count: "Kỷ Anh" is another name.
    assert units(query(spelt_db, "--unit", "Kỷ Anh", "--format", "json")) == []


@pytest.mark.parametrize("typed, expected", [
    ("Thu Duc", ["thành phố Thủ Đức"]),      # accents on the second letter and beyond
    ("thu duc", ["thành phố Thủ Đức"]),
    ("Xuyen Moc", ["huyện Xuyên Mộc"]),
    ("huyen xuyen moc", ["huyện Xuyên Mộc"]),
    ("1", ["quận 1"]),
    ("O Mon", ["quận Ô Môn"]),                # and on the first
    ("Xuyen", []),                            # a part of a name is not the name
])
def test_a_unit_without_accents_is_found_whatever_letters_bear_them(spelt_db, typed, expected):
    result = query(spelt_db, "--unit", typed, "--format", "json")
    assert result.exit_code == 0, result.output
    assert units(result) == expected


def test_an_unknown_province_names_the_closest_ones_and_exits_1(db_path):
    result = query(db_path, "--province", "Hai Duongg", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    assert result.stderr.splitlines() == [
        "parindex query: --province \"Hai Duongg\": no province of that name; closest: Hải Dương, Hải Phòng, "
        "Bình Dương"]
    nonsense = query(db_path, "--province", "xyzzy", "--format", "json")
    assert nonsense.exit_code == 1 and nonsense.stderr.splitlines() == [
        "parindex query: --province \"xyzzy\": no province of that name"]


def test_a_known_province_without_facts_is_an_empty_answer_and_exit_0(db_path):
    result = query(db_path, "--province", "Ca Mau", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == [] and result.stderr == ""


def test_named_parameters_of_an_sql_statement(db_path):
    result = query(db_path, "select unit from facts where unit_key = :key and year = :year", "-p", "key", "kim anh",
                   "--param", "year", "2023", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["unit", "xã Kim Anh"]
    missing = query(db_path, "select unit from facts where unit_key = :key", "--format", "csv")
    assert missing.exit_code == 1 and missing.stderr.startswith("parindex query: SQL error:")
    alone = query(db_path, "-p", "key", "kim anh", "--format", "csv")
    assert alone.exit_code == 1 and "--param" in alone.stderr


def test_every_option_of_query_says_what_it_is_for():
    from parindex.commands.db import query as command
    for param in command.params:
        if isinstance(param, __import__("click").Option):
            assert param.help, param.name


def test_a_table_in_an_80_column_terminal_keeps_unit_names_whole_and_leaves_empty_columns_out(db_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = query(db_path, "--province", "Hai Duong", "--format", "table").stdout.splitlines()
    assert all(len(line) <= 80 for line in out[:-1])
    header = out[0].split()
    assert "score_min" not in header and "parent" not in header  # empty in every row
    assert any(line.startswith("thị xã Kinh Môn  ") for line in out)
    assert out[-1].startswith("(") and "--format csv" in out[-1]  # what did not fit is named


@pytest.fixture(scope="module")
def two_searches_db(tmp_path_factory):
    """One article about Đồng Tháp, one that has "đồng" and "thấp" only apart."""
    path = tmp_path_factory.mktemp("search") / "facts.db"
    db = store.connect(path)
    about = "Tỉnh Đồng Tháp xếp thứ 4/63 Chỉ số cải cách hành chính năm 2023."
    apart = "Huyện Lục Ngạn được đồng thuận cao, xếp thứ 9/10, thấp hơn năm 2022."
    for url, unit, key, province, text in (
            ("https://baodongthap.vn/a.html", "tỉnh Đồng Tháp", "đồng tháp", "Đồng Tháp", about),
            ("https://baobacgiang.vn/b.html", "huyện Lục Ngạn", "lục ngạn", "Bắc Giang", apart)):
        page = store.pages.save_page(db, url, final_url=None, source="x", kind="article", status=200,
                                     content_type="text/html", body=url.encode())
        store.facts.save_document(db, page, {"title": "Chỉ số CCHC", "published": "2024-04-01", "site": "s",
                                             "text": text, "facts": [fact(unit, key, "district", 2023, province,
                                                                          4, 63, text=text)]}, "1")
    db.close()
    return path


@pytest.mark.parametrize("typed", ["dong thap", "Đồng Tháp", "DONG THAP", "đồng tháp"])
def test_search_matches_the_words_as_a_phrase_with_or_without_accents(two_searches_db, typed):
    result = query(two_searches_db, "--search", typed, "--format", "json")
    assert result.exit_code == 0 and units(result) == ["tỉnh Đồng Tháp"]


def test_search_with_words_finds_each_word_anywhere(two_searches_db):
    result = query(two_searches_db, "--search", "dong thap", "--words", "--format", "json")
    assert result.exit_code == 0 and sorted(units(result)) == ["huyện Lục Ngạn", "tỉnh Đồng Tháp"]
    # Words in another order are no phrase, but each is there.
    assert units(query(two_searches_db, "--search", "thap dong", "--format", "json")) == []
    assert len(units(query(two_searches_db, "--search", "thap dong", "--words", "--format", "json"))) == 2


def test_words_without_search_is_one_line_and_exit_1(two_searches_db):
    result = query(two_searches_db, "--words", "--format", "json")
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        "parindex query: --words says how to match --search: give --search too"]
