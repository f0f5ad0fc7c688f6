"""parindex export: consolidation rules, the files people open, determinism, the data package.

Databases are built the way the pipeline builds them (store.connect, save_page, save_document,
reviews.decide), with a few articles each.
"""
import csv
import datetime
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from parindex import store
from parindex.extract import unit_key
from parindex.cli import cli
from parindex.export import cell, export_dataset

FACT = {"unit": "huyện Kim Thành", "level": "district", "index": "PAR", "year": 2023,
        "province": "Hải Dương", "parent": "tỉnh Hải Dương", "rank": None, "rank_total": None,
        "rank_change": None, "score": None, "score_min": None}


def add_article(db, url: str, published: str, facts: list[dict]) -> list[str]:
    """Store one article (as the pipeline would) and return its fact ids in order."""
    from parindex.model.linker import link_facts

    facts = [{**FACT, **f} for f in facts]
    text = f"{url}\n" + "\n".join(f"{f['unit']} xếp thứ {f['rank']}." for f in facts)
    linked = link_facts(facts)
    for f in linked:
        f.update(unit_key=unit_key(f["unit"]), evidence=f"{f['unit']} xếp thứ {f['rank']}.",
                 start=0, end=1, rules=["test"])
    page_id = store.pages.save_page(db, url, final_url=url, source="test", kind="article",
                                    status=200, content_type="text/html", body=text.encode())
    store.facts.save_document(db, page_id, {"text": text, "title": "Bài " + url, "published": published,
                                            "site": None, "facts": linked}, "test")
    return [r["id"] for r in db.query(
        "SELECT f.id FROM facts f JOIN pages p ON p.article_id = f.article_id WHERE p.url = ? "
        "ORDER BY f.start, f.id", [url])]


def make_db(path: Path, articles) -> Path:
    db = store.connect(path)
    for url, published, facts in articles:
        add_article(db, url, published, facts)
    db.conn.close()
    return path


def rankings(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "rankings.csv").read_text(encoding="utf-8-sig"))))


def only(rows, **where):
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, found
    return found[0]


# --- consolidation rules -------------------------------------------------------------------

def test_two_sites_that_agree_give_one_row_without_conflict(tmp_path):
    db = make_db(tmp_path / "p.db", [
        ("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3, "rank_total": 12}]),
        ("https://haiduong.gov.vn/a2", "2024-03-05", [{"rank": 3, "rank_total": 12, "score": 85.34}]),
    ])
    export_dataset(db, tmp_path / "out", charts=False)
    row = only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")
    assert (row["rank"], row["rank_total"], row["score"]) == ("3", "12", "85.34")
    assert row["conflict"] == "false" and row["conflict_values"] == ""
    assert row["n_sources"] == "2" and row["first_published"] == "2024-03-01"
    assert row["source_urls"] == "https://baohaiduong.vn/a1 | https://haiduong.gov.vn/a2"
    assert row["unit_code"] == "293" and row["register"] == "legacy" and row["province"] == "Hải Dương"
    assert row["percentile"] == "0.8182"  # (12 - 3) / 11


def test_two_sites_that_disagree_flag_a_conflict_and_the_most_recent_wins(tmp_path):
    db = make_db(tmp_path / "p.db", [
        ("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3, "rank_total": 12}]),
        ("https://haiduong.gov.vn/a2", "2024-04-01", [{"rank": 5, "rank_total": 12}]),
    ])
    export_dataset(db, tmp_path / "out", charts=False)
    row = only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")
    assert row["rank"] == "5"
    assert row["conflict"] == "true" and row["conflict_values"] == "rank: 3 | 5"
    assert row["rank_total"] == "12"


def test_independent_sites_that_agree_win_over_a_more_recent_article(tmp_path):
    db = make_db(tmp_path / "p.db", [
        ("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3}]),
        ("https://haiduong.gov.vn/a2", "2024-03-02", [{"rank": 3}]),
        ("https://other.vn/a3", "2024-05-01", [{"rank": 4}]),
    ])
    export_dataset(db, tmp_path / "out", charts=False)
    row = only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")
    assert row["rank"] == "3" and row["conflict"] == "true"


def test_two_articles_of_one_site_are_not_independent(tmp_path):
    db = make_db(tmp_path / "p.db", [
        ("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3}]),
        ("https://www.baohaiduong.vn/a2", "2024-03-02", [{"rank": 3}]),
        ("https://other.vn/a3", "2024-05-01", [{"rank": 4}]),
    ])
    export_dataset(db, tmp_path / "out", charts=False)
    assert only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")["rank"] == "4"


def test_a_reviewed_value_wins_against_two_articles(tmp_path):
    path = make_db(tmp_path / "p.db", [
        ("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3}]),
        ("https://haiduong.gov.vn/a2", "2024-03-02", [{"rank": 3}]),
    ])
    db = store.connect(path)
    [reviewed] = add_article(db, "https://other.vn/a3", "2024-01-01", [{"rank": 4}])
    store.reviews.decide(db, reviewed, "accept", "lan")
    db.conn.close()
    export_dataset(path, tmp_path / "out", charts=False)
    row = only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")
    assert row["rank"] == "4" and row["conflict"] == "false"
    assert row["review_status"] == "some" and row["n_sources"] == "3"


def test_a_corrected_value_is_the_reviewers_value(tmp_path):
    path = make_db(tmp_path / "p.db", [])
    db = store.connect(path)
    [fid] = add_article(db, "https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3, "score": 80.0}])
    store.reviews.decide(db, fid, "correct", "lan", changes={"score": 85.5})
    db.conn.close()
    export_dataset(path, tmp_path / "out", charts=False)
    row = only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")
    assert row["score"] == "85.5" and row["review_status"] == "all"


def test_a_rejected_fact_never_counts(tmp_path):
    path = make_db(tmp_path / "p.db", [("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3}])])
    db = store.connect(path)
    [wrong] = add_article(db, "https://other.vn/a2", "2024-06-01", [{"rank": 9}])
    [alone] = add_article(db, "https://other.vn/a3", "2024-06-01",
                          [{"unit": "huyện Thanh Hà", "rank": 1}])
    store.reviews.decide(db, wrong, "reject", "lan")
    store.reviews.decide(db, alone, "reject", "lan")
    db.conn.close()
    export_dataset(path, tmp_path / "out", charts=False)
    rows = rankings(tmp_path / "out")
    row = only(rows, unit="Huyện Kim Thành")
    assert row["rank"] == "3" and row["conflict"] == "false" and row["n_sources"] == "1"
    assert not [r for r in rows if r["unit"] == "Huyện Thanh Hà"]
    facts = list(csv.DictReader(io.StringIO((tmp_path / "out" / "facts.csv").read_text())))
    assert sorted(f["status"] for f in facts) == ["pending", "rejected", "rejected"]


def test_reviewed_only_keeps_accepted_and_corrected_facts(tmp_path):
    path = make_db(tmp_path / "p.db", [("https://baohaiduong.vn/a1", "2024-03-01", [{"rank": 3}])])
    db = store.connect(path)
    [fid] = add_article(db, "https://other.vn/a2", "2024-03-02", [{"unit": "huyện Thanh Hà", "rank": 2}])
    store.reviews.decide(db, fid, "accept", "lan")
    db.conn.close()
    export_dataset(path, tmp_path / "out", reviewed_only=True, charts=False)
    assert [r["unit"] for r in rankings(tmp_path / "out")] == ["Huyện Thanh Hà"]
    facts = list(csv.DictReader(io.StringIO((tmp_path / "out" / "facts.csv").read_text())))
    assert [f["status"] for f in facts] == ["accepted"]


def test_a_name_the_register_cannot_resolve_stays_its_own_row(tmp_path):
    db = make_db(tmp_path / "p.db", [
        ("https://a.vn/1", "2024-03-01", [{"unit": "huyện Châu Thành", "province": None, "parent": None, "rank": 2}]),
        ("https://b.vn/2", "2024-03-01", [{"unit": "huyện Châu Thành", "province": "Long An", "parent": None, "rank": 5}]),
    ])
    export_dataset(db, tmp_path / "out", charts=False)
    rows = [r for r in rankings(tmp_path / "out") if "Châu Thành" in r["unit"]]
    ambiguous = only(rows, unit_ambiguous="true")
    assert ambiguous["rank"] == "2" and ambiguous["unit_code"] == ""
    assert len(ambiguous["candidates"].split(" | ")) == 10
    assert only(rows, unit_code="808")["rank"] == "5"


# --- the 2025 reorganisation ----------------------------------------------------------------

def test_rows_keep_the_unit_of_their_year_with_its_2025_successors(tmp_path):
    db = make_db(tmp_path / "p.db", [
        ("https://a.vn/1", "2025-02-01", [
            {"unit": "tỉnh Hải Dương", "level": "province", "province": "Hải Dương", "parent": None,
             "year": 2024, "rank": 10, "rank_total": 63, "rank_change": 2}]),
        ("https://a.vn/2", "2026-02-01", [
            {"unit": "thành phố Hải Phòng", "level": "province", "province": "Hải Phòng", "parent": None,
             "year": 2025, "rank": 4, "rank_total": 34, "rank_change": 6}]),
    ])
    export_dataset(db, tmp_path / "out", charts=False)
    rows = rankings(tmp_path / "out")
    old = only(rows, year="2024")
    assert (old["unit"], old["register"], old["unit_code"]) == ("Tỉnh Hải Dương", "legacy", "30")
    assert (old["province_2025"], old["province_code_2025"], old["successor_codes"]) == ("Hải Phòng", "31", "31")
    assert old["rank_change"] == "2"
    new = only(rows, year="2025")
    assert (new["unit"], new["register"], new["unit_code"]) == ("Thành phố Hải Phòng", "current", "31")
    assert new["rank_change"] == ""  # not comparable across the 2024 -> 2025 break
    assert new["percentile"] == "0.9091"


# --- the files -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "p.db"
    districts = ["huyện Kim Thành", "huyện Thanh Hà", "thành phố Hải Dương", "thị xã Kinh Môn"]
    articles = []
    for year in (2021, 2022, 2023):
        articles.append((f"https://baohaiduong.vn/{year}", f"{year + 1}-03-01", [
            {"unit": d, "year": year, "rank": (i + year) % 4 + 1, "rank_total": 4,
             "score": 80 + i + (year - 2021) / 3} for i, d in enumerate(districts)]))
        articles.append((f"https://moha.gov.vn/{year}", f"{year + 1}-04-01", [
            {"unit": p, "level": "province", "province": p.split(" ", 1)[1], "parent": None,
             "year": year, "rank": r + (year % 2), "rank_total": 63}
            for r, p in enumerate(["tỉnh Hải Dương", "tỉnh Quảng Ninh", "thành phố Hà Nội"], 1)]))
    articles.append(("https://baohatinh.vn/1", "2024-01-01", [
        {"unit": "xã Tân Thành", "level": "commune", "province": None, "parent": None, "rank": 1},
        {"unit": "Sở Tư pháp", "level": "department", "province": "Hà Tĩnh", "rank": 2, "score": 91.4},
        {"unit": "Bộ Tư pháp", "level": "ministry", "province": None, "parent": None, "rank": 1,
         "rank_total": 17}]))
    return make_db(path, articles)


def test_every_file_and_chart_is_written(sample_db, tmp_path):
    summary = export_dataset(sample_db, tmp_path / "out")
    out = tmp_path / "out"
    for name in ("rankings.csv", "rankings.parquet", "rankings.json", "facts.csv", "datapackage.json"):
        assert (out / name).stat().st_size > 0, name
    charts = sorted(p.name for p in (out / "charts").iterdir())
    assert charts == ["districts_hai-duong_par.png", "facts_per_source.png", "provinces_par_heatmap.png"]
    for name in charts:
        assert (out / "charts" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert summary["rankings"] == len(rankings(out)) == 4 * 3 + 3 * 3 + 3


def test_the_same_database_gives_byte_identical_files(sample_db, tmp_path):
    # The second export runs in another process with another string-hash seed, as a user's would.
    import os
    import subprocess
    import sys

    export_dataset(sample_db, tmp_path / "one")
    parindex = str(Path(sys.executable).parent / "parindex")
    subprocess.run([parindex, "export", "--db", str(sample_db), "--out", str(tmp_path / "two")],
                   check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert len(files) == 9
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_the_parquet_file_reads_back_equal_to_the_csv(sample_db, tmp_path):
    export_dataset(sample_db, tmp_path / "out", charts=False)
    table = pq.read_table(tmp_path / "out" / "rankings.parquet")

    def as_csv(value):
        if isinstance(value, list):
            return " | ".join(value)
        return value.isoformat() if isinstance(value, datetime.date) else cell(value)

    from_parquet = [{k: as_csv(v) for k, v in row.items()} for row in table.to_pylist()]
    assert from_parquet == rankings(tmp_path / "out")
    assert str(table.schema.field("rank").type) == "int64"
    assert str(table.schema.field("score").type) == "double"
    # Lists are lists and dates dates, not " | " strings and ISO text (issue 15, point 4).
    for name in ("successor_codes", "source_urls", "candidates"):
        field_type = table.schema.field(name).type
        assert pa.types.is_list(field_type) and pa.types.is_string(field_type.value_type), name
    assert str(table.schema.field("first_published").type) == "date32[day]"


def test_the_json_file_holds_the_same_rows_with_types(sample_db, tmp_path):
    export_dataset(sample_db, tmp_path / "out", charts=False)
    data = json.loads((tmp_path / "out" / "rankings.json").read_text(encoding="utf-8"))
    assert [{k: cell(v) for k, v in row.items()} for row in data] == rankings(tmp_path / "out")
    ministry = next(r for r in data if r["level"] == "ministry")
    assert ministry["rank"] == 1 and ministry["province"] is None and ministry["conflict"] is False


@pytest.mark.parametrize("excel", [False, True], ids=["utf-8", "excel-bom"])
def test_the_data_package_is_valid(sample_db, tmp_path, excel):
    from frictionless import validate

    export_dataset(sample_db, tmp_path / "out", excel=excel)
    report = validate(tmp_path / "out" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    assert {"rankings.csv", "rankings.parquet", "rankings.json", "facts.csv",
            "charts/facts_per_source.png"} <= paths
    assert package["licenses"] and {s["title"] for s in package["sources"]} == {
        "baohaiduong.vn", "moha.gov.vn", "baohatinh.vn"}
    fields = package["resources"][0]["schema"]["fields"]
    assert all(f["description"] for f in fields)


def test_excel_csv_starts_with_a_byte_order_mark_and_keeps_diacritics(sample_db, tmp_path):
    export_dataset(sample_db, tmp_path / "plain", charts=False)
    export_dataset(sample_db, tmp_path / "excel", excel=True, charts=False)
    for name in ("rankings.csv", "facts.csv"):
        plain = (tmp_path / "plain" / name).read_bytes()
        excel = (tmp_path / "excel" / name).read_bytes()
        assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain
    assert "Thành phố Hải Dương" in (tmp_path / "plain" / "rankings.csv").read_text(encoding="utf-8")


def test_facts_csv_lists_every_fact_with_its_evidence_and_url(sample_db, tmp_path):
    export_dataset(sample_db, tmp_path / "out", charts=False)
    facts = list(csv.DictReader(io.StringIO((tmp_path / "out" / "facts.csv").read_text())))
    assert len(facts) == 4 * 3 + 3 * 3 + 3
    tan_thanh = next(f for f in facts if f["unit"] == "xã Tân Thành")
    assert tan_thanh["unit_ambiguous"] == "true" and tan_thanh["url"] == "https://baohatinh.vn/1"
    assert tan_thanh["evidence"] == "xã Tân Thành xếp thứ 1." and tan_thanh["status"] == "pending"
    sotp = next(f for f in facts if f["unit"] == "Sở Tư pháp")
    assert sotp["unit_official"] == "Sở Tư pháp" and sotp["province_code"] == "42"


# --- the command ----------------------------------------------------------------------------

def test_export_command_writes_the_dataset(sample_db, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(sample_db), "--out", str(tmp_path / "ds"),
                                      "--excel"])
    assert result.exit_code == 0, result.output
    assert "24 ranking rows from 24 facts" in result.output
    assert (tmp_path / "ds" / "rankings.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("problem", ["missing", "not-sqlite", "empty"])
def test_a_bad_database_gives_one_line_and_exit_1(tmp_path, problem):
    path = tmp_path / "bad.db"
    if problem == "not-sqlite":
        path.write_bytes(b"this is not a database\n" * 100)
    elif problem == "empty":
        path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["export", "--db", str(path), "--out", str(tmp_path / "ds")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("parindex export: ") and "bad.db" in lines[0]
    assert not (tmp_path / "ds" / "rankings.csv").exists()


def test_an_output_folder_that_cannot_be_written_gives_one_line(sample_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["export", "--db", str(sample_db), "--out", str(blocker / "ds")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "cannot write" in result.output


def test_the_publisher_name_decides_independence_over_a_shared_host(tmp_path):
    # The offline corpus serves every publisher from 127.0.0.1: the page's site name tells them apart.
    path = make_db(tmp_path / "p.db", [])
    db = store.connect(path)
    for n, (site, rank, published) in enumerate([("Báo Hải Dương", 3, "2024-03-01"),
                                                 ("Cổng thông tin Kim Thành", 3, "2024-03-02"),
                                                 ("Báo Hải Dương", 4, "2024-05-01")]):
        url = f"http://127.0.0.1:8000/a{n}.html"
        text = f"{url} huyện Kim Thành xếp thứ {rank}."
        page_id = store.pages.save_page(db, url, final_url=url, source="corpus", kind="article",
                                        status=200, content_type="text/html", body=text.encode())
        fact = {**FACT, "rank": rank, "unit_key": "kim thành", "evidence": text, "start": 0, "end": 1}
        store.facts.save_document(db, page_id, {"text": text, "title": None, "published": published,
                                                "site": site, "facts": [fact]}, "test")
    db.conn.close()
    export_dataset(path, tmp_path / "out", charts=False)
    row = only(rankings(tmp_path / "out"), unit="Huyện Kim Thành")
    assert row["rank"] == "3" and row["conflict"] == "true"
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["sources"] == [{"title": "Báo Hải Dương"}, {"title": "Cổng thông tin Kim Thành"}]


def test_charts_drawn_on_several_cores_are_the_same_bytes(tmp_path, monkeypatch):
    from parindex import charts

    rows = [{"level": "district", "index": "PAR", "province": p, "unit": f"huyện {p} {i}",
             "year": y, "rank": (i + y) % 5 + 1}
            for p in ("Hải Dương", "Hà Tĩnh", "Nghệ An") for i in range(5) for y in (2022, 2023)]
    facts = [{"site": "baohaiduong.vn"}, {"site": "baohatinh.vn"}]
    (tmp_path / "one").mkdir()
    (tmp_path / "many").mkdir()
    monkeypatch.setattr(charts, "PARALLEL_FROM", 10**9)
    one = charts.draw_all(rows, facts, tmp_path / "one")
    monkeypatch.setattr(charts, "PARALLEL_FROM", 1)
    many = charts.draw_all(rows, facts, tmp_path / "many")
    assert one == many == ["districts_ha-tinh_par.png", "districts_hai-duong_par.png",
                           "districts_nghe-an_par.png", "facts_per_source.png"]
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()


def test_after_a_run_over_the_corpus_export_writes_every_file_and_chart(tmp_path):
    # The whole flow: crawl the bundled offline site (served on 127.0.0.1), extract, export.
    import subprocess
    import sys

    parindex = str(Path(sys.executable).parent / "parindex")
    db = tmp_path / "demo.db"
    run = subprocess.run([parindex, "run", "--db", str(db), "--sources", "corpus"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    out = tmp_path / "dataset"
    export = subprocess.run([parindex, "export", "--db", str(db), "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert export.returncode == 0, export.stderr
    for name in ("rankings.csv", "rankings.parquet", "rankings.json", "facts.csv", "datapackage.json"):
        assert (out / name).stat().st_size > 0, name
    charts = {p.name for p in (out / "charts").glob("*.png")}
    assert {"facts_per_source.png", "provinces_par_heatmap.png", "districts_hai-duong_par.png"} <= charts
    rows = rankings(out)
    kim_anh = only(rows, unit="Xã Kim Anh", year="2023")
    assert (kim_anh["unit_code"], kim_anh["register"], kim_anh["province"]) == ("10780", "legacy", "Hải Dương")
    assert kim_anh["successor_codes"] == "10750" and kim_anh["rank"] == "1"
    assert kim_anh["rank_change"] == "2"
    # The README's example as the export has it (issue 15, point 1): one name per province, the
    # one of its code; no "TP HCM" beside "Hồ Chí Minh", no chart of Hồ Chí Minh's districts
    # drawn from a Hải Dương article.
    from parindex.model.linker import province_name
    for row in rows:
        if row["province_code"] and row["level"] in ("province", "district", "commune"):
            assert row["province"] == province_name(row["register"], row["province_code"]), row
    assert "TP HCM" not in {row["province"] for row in rows}
    assert not any(name.startswith("districts_tp-") for name in charts)
    hai_duong = [r for r in rows if r["province"] == "Hải Dương" and r["level"] == "district"]
    assert "Huyện Kim Thành" in {r["unit"] for r in hai_duong}
    # Publishers by name: no port of this machine, no headline, one name per paper.
    sites = {row["site"] for row in csv.DictReader(io.StringIO((out / "facts.csv").read_text(encoding="utf-8")))}
    assert not any(site.startswith("127.0.0.1") for site in sites), sites
    assert "Báo Nghệ An điện tử" not in sites and "Báo Nghệ An" in sites
    from frictionless import validate
    assert validate(out / "datapackage.json").valid


def test_an_empty_database_gives_header_only_files_and_a_valid_package(tmp_path):
    from frictionless import validate

    path = make_db(tmp_path / "empty.db", [])
    summary = export_dataset(path, tmp_path / "out")
    assert summary["rankings"] == summary["facts"] == 0
    assert (tmp_path / "out" / "rankings.csv").read_text().count("\n") == 1
    assert json.loads((tmp_path / "out" / "rankings.json").read_text()) == []
    assert pq.read_table(tmp_path / "out" / "rankings.parquet").num_rows == 0
    assert list((tmp_path / "out" / "charts").iterdir()) == []
    assert validate(tmp_path / "out" / "datapackage.json").valid


def test_a_full_disk_gives_one_line_and_leaves_whole_files(sample_db, tmp_path, monkeypatch):
    import errno

    import parindex.export as export_module

    out = tmp_path / "ds"
    export_dataset(sample_db, out, charts=False)
    before = (out / "rankings.json").read_bytes()

    def full_disk(path, *args, **kwargs):
        path.write_bytes(b"[\n{\"index\": ")  # half a file, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "write_json", full_disk)
    result = CliRunner().invoke(cli, ["export", "--db", str(sample_db), "--out", str(out), "--no-charts"])
    assert result.exit_code == 1
    assert result.output.strip() == f"parindex export: {out}: cannot write the dataset (No space left on device)"
    assert (out / "rankings.json").read_bytes() == before
    assert not list(out.glob("*.part"))


# --- files as pandas and Excel read them (issue 15, point 4) ---------------------------------

def test_rankings_xlsx_keeps_codes_as_text_dates_as_dates_with_a_frozen_sized_header(sample_db, tmp_path):
    import openpyxl

    export_dataset(sample_db, tmp_path / "out", charts=False)
    book = openpyxl.load_workbook(tmp_path / "out" / "rankings.xlsx")
    sheet = book["rankings"]
    header = [c.value for c in sheet[1]]
    from parindex.consolidate import COLUMNS
    assert header == COLUMNS
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(rankings(tmp_path / "out"))
    hn = next(r for r in rows if r["unit_code"] == "01")           # Hà Nội: "01", not 1
    assert hn["province_code"] == "01" and isinstance(hn["rank"], int)
    assert isinstance(hn["first_published"], datetime.datetime)  # a date Excel sorts as one
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    unit_column = openpyxl.utils.get_column_letter(header.index("unit") + 1)
    assert sheet.column_dimensions[unit_column].width >= max(len(r["unit"]) for r in rows)
    about = {row[0].value: row[2].value for row in book["columns"].iter_rows(min_row=2)}
    assert set(about) == set(COLUMNS) and about["percentile"].startswith("(rank_total - rank)")


def test_pandas_reads_codes_as_text_with_the_readmes_one_line(sample_db, tmp_path):
    import pandas as pd

    export_dataset(sample_db, tmp_path / "out", charts=False)
    path = tmp_path / "out" / "rankings.csv"
    plain = pd.read_csv(path)
    assert plain["unit_code"].dtype != object  # what the README warns of: "01" read as 1
    codes = {"unit_code": str, "province_code": str, "province_code_2025": str}
    typed = pd.read_csv(path, dtype=codes, parse_dates=["first_published"])
    assert "01" in set(typed["unit_code"]) and str(typed["first_published"].dtype).startswith("datetime64")
    parquet = pd.read_parquet(tmp_path / "out" / "rankings.parquet")
    assert "01" in set(parquet["unit_code"]) and isinstance(parquet["source_urls"].iloc[0][0], str)


def test_the_export_command_shows_a_short_summary_and_its_folder_once(sample_db, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(sample_db), "--out", str(tmp_path / "ds") + "/"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"parindex export: 24 ranking rows from 24 facts (0 with conflicting values): 6 files and 3 charts "
        f"in {tmp_path / 'ds'}/"]


def test_the_export_progress_bar_on_a_terminal_counts_files_and_charts():
    import os
    import pty
    import select

    from parindex.commands.export import FileProgress

    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        progress = FileProgress(stream=terminal)
        for n, name in enumerate(["rankings.csv", "rankings.xlsx", "charts/a.png"], start=1):
            progress(name, n, 3)
        progress.close()
    shown = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    text = shown.decode(errors="replace")
    assert "parindex export" in text and "3/3" in text and "charts/a.png" in text


def test_without_a_terminal_export_says_how_far_it_is_every_ten_seconds():
    from parindex.commands.export import FileProgress

    class Clock:
        now = 0.0

        def __call__(self):
            return self.now

    stream, clock = io.StringIO(), Clock()
    progress = FileProgress(stream=stream, clock=clock)
    progress("rankings.csv", 1, 40)
    clock.now = 10.5
    progress("rankings.xlsx", 2, 40)
    assert stream.getvalue().splitlines() == ["parindex export: 2/40 files written (rankings.xlsx)"]


# --- charts for people who look (issue 15, point 7) ------------------------------------------

def test_a_district_chart_needs_two_ranked_units_and_runs_from_1_to_the_group_size():
    from parindex import charts

    rows = [{"level": "district", "index": "PAR", "province": "Hải Dương", "unit": u, "year": 2023,
             "rank": r, "rank_total": 12} for u, r in (("huyện Kim Thành", 3), ("thành phố Hải Dương", 1))]
    rows.append({"level": "district", "index": "PAR", "province": "Hà Tĩnh", "unit": "thị xã Kỳ Anh",
                 "year": 2023, "rank": 2, "rank_total": 13})
    jobs = charts.plan(rows, [])
    assert [(job[1], job[4]) for job in jobs] == [("Hải Dương", 12)]  # Hà Tĩnh: one unit, no chart


def test_a_district_chart_lists_its_units_by_rank_with_whole_places_of_n(tmp_path):
    import matplotlib.pyplot as plt

    from parindex import charts

    series = {"huyện Kim Thành": [(2022, 5), (2023, 3)], "thành phố Hải Dương": [(2022, 1), (2023, 1)],
              "thị xã Kinh Môn": [(2023, 2)], "huyện Thanh Hà": [(2022, 10)]}
    seen = {}
    real_save = charts._save

    def keep(fig, folder, name):
        ax = fig.axes[0]
        seen.update(title=ax.get_title(), legend=[t.get_text() for t in ax.get_legend().get_texts()],
                    ylim=ax.get_ylim(), yticks=list(ax.get_yticks()))
        return real_save(fig, folder, name)

    charts._save, saved = keep, charts._save
    try:
        with plt.rc_context(charts.STYLE):
            charts._draw_districts(tmp_path, "Hải Dương", "PAR", series, 12)
    finally:
        charts._save = saved
    assert "of 12" in seen["title"]
    assert seen["legend"] == ["1. thành phố Hải Dương", "2. thị xã Kinh Môn", "3. huyện Kim Thành",
                              "10. huyện Thanh Hà (2022)"]
    assert seen["ylim"] == (12.5, 0.5) and seen["yticks"] == list(range(1, 13))


def test_publishers_are_named_by_the_sources_file_then_the_page_then_the_host():
    from parindex.sites import site_of

    names = {"baonghean": ("Báo Nghệ An", "provincial"), "corpus": ("Tin Địa Phương", "local")}
    assert site_of("https://baonghean.vn/a", "Báo Nghệ An điện tử", "baonghean", publishers=names) == "Báo Nghệ An"
    assert site_of("https://x.vn/a", "Báo Nghệ An điện tử", "other", publishers=names) == "Báo Nghệ An"
    assert site_of("https://x.vn/a", "Báo Nghệ An", "other", publishers=names) == "Báo Nghệ An"
    assert site_of("https://www.x.vn/a", "Chỉ số CCHC năm 2024: TP. Hà Tĩnh dẫn đầu", "other",
                   title="Chỉ số CCHC năm 2024: TP. Hà Tĩnh dẫn đầu", publishers=names) == "x.vn"
    # The demo site carries many papers: the page's own name first, never its port on this machine.
    assert site_of("http://127.0.0.1:40305/a", "127.0.0.1:40305", "corpus", publishers=names) == "Tin Địa Phương"
    assert site_of("http://127.0.0.1:40305/a", "Báo Tây Ninh Online", "corpus", publishers=names) == "Báo Tây Ninh"
