"""parindex.pipeline and `extract --db` / `reextract`: pages in, articles and facts out, run after run."""
import hashlib
import json
import re
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import parindex.extract as extract_package
import parindex.pipeline as pipeline
from parindex import store
from parindex.extract import extract_document
from parindex.cli import cli

PARINDEX = str(Path(sys.executable).parent / "parindex")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def table(db_path, sql):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def last_run(db_path) -> dict:
    (counts,) = table(db_path, "SELECT counts FROM runs ORDER BY id DESC LIMIT 1")[0]
    return json.loads(counts)


# A stand-in for the rules engine: every "name=rank" word in the text is a fact. The store and
# the pipeline are tested on facts they can count on; the real extractor is tested on real pages.
# (It takes the place of parindex.extract.extract_document in this process: the batches here are
# too small for worker processes.)
def rules(version_shift=0):
    def fake_extract_document(body, name="", url=None, content_type=None):
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        if not text.strip():
            raise pipeline.ExtractError("empty input")
        facts = []
        for word in text.split():
            if "=" in word:
                unit, rank = word.split("=")
                start = text.index(word)
                facts.append({"unit": f"UBND xã {unit}", "level": "commune", "index": "PAR", "year": 2023,
                              "province": "Hải Dương", "parent": None, "rank": int(rank) + version_shift,
                              "rank_total": None, "rank_change": None, "score": None, "score_min": None,
                              "evidence": word, "start": start, "end": start + len(word), "rules": ["test"]})
        return {"doc": name, "title": text.split()[0], "published": None, "site": None, "url": url,
                "text": text, "facts": facts}
    return fake_extract_document


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Bài-a KimAnh=1 KimXuyen=2", encoding="utf-8")
    (folder / "b.txt").write_text("Bài-b TamKy=3", encoding="utf-8")
    (folder / "b-copy.txt").write_text("Bài-b TamKy=3", encoding="utf-8")
    return folder


def test_extract_db_on_the_public_seeds_and_dev_pages(shared, tmp_path):
    db_path = tmp_path / "p.db"
    inputs = [shared / "seeds", shared / "eval" / "dev"]
    files = sorted(p for folder in inputs for p in folder.iterdir() if p.suffix in (".html", ".txt"))
    texts = {hashlib.sha256(extract_document(p.read_bytes(), name=p.name)["text"].encode()).hexdigest()
             for p in files}
    result = run("extract", "--db", db_path, *inputs)
    assert result.exit_code == 0, result.output
    assert table(db_path, "SELECT count(*) FROM pages WHERE source = 'local' AND kind = 'local'") == [(len(files),)]
    assert table(db_path, "SELECT count(*) FROM articles") == [(len(texts),)]
    assert table(db_path, "SELECT count(*) FROM pages WHERE article_id IS NULL") == [(0,)]
    urls = {r[0] for r in table(db_path, "SELECT url FROM pages")}
    assert urls == {p.resolve().as_uri() for p in files}
    snapshot = [table(db_path, f"SELECT * FROM {t} ORDER BY 1") for t in ("pages", "articles", "facts")]

    again = run("extract", "--db", db_path, *inputs)
    assert again.exit_code == 0, again.output
    assert [table(db_path, f"SELECT * FROM {t} ORDER BY 1") for t in ("pages", "articles", "facts")] == snapshot
    assert last_run(db_path)["pages_unchanged"] == len(files)
    assert table(db_path, "PRAGMA integrity_check") == [("ok",)]


def test_facts_get_stable_ids_from_the_unit_key_the_pipeline_computes(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db_path = tmp_path / "p.db"
    assert run("extract", "--db", db_path, corpus).exit_code == 0
    assert table(db_path, "SELECT unit, unit_key, rank FROM facts ORDER BY rank") == [
        ("UBND xã KimAnh", "kimanh", 1), ("UBND xã KimXuyen", "kimxuyen", 2), ("UBND xã TamKy", "tamky", 3)]
    assert table(db_path, "SELECT count(*) FROM articles") == [(2,)], "b and its copy are one article"
    ids = table(db_path, "SELECT id FROM facts ORDER BY id")
    other = tmp_path / "other.db"
    run("extract", "--db", other, corpus)
    assert table(other, "SELECT id FROM facts ORDER BY id") == ids


def test_only_changed_files_are_extracted_again(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db_path = tmp_path / "p.db"
    run("extract", "--db", db_path, corpus)
    (corpus / "a.txt").write_text("Bài-a KimAnh=1 KimXuyen=4", encoding="utf-8")
    assert run("extract", "--db", db_path, corpus).exit_code == 0
    counts = last_run(db_path)
    assert (counts["pages_extracted"], counts["pages_unchanged"]) == (1, 2)
    assert table(db_path, "SELECT rank FROM facts WHERE unit_key = 'kimxuyen'") == [(4,)]
    assert table(db_path, "SELECT count(*) FROM articles") == [(2,)], "the old text of a.txt is gone"


def test_a_new_extractor_version_extracts_every_page_again(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db_path = tmp_path / "p.db"
    run("extract", "--db", db_path, corpus)
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "99-test")
    run("extract", "--db", db_path, corpus)
    assert last_run(db_path)["pages_extracted"] == 3
    assert table(db_path, "SELECT DISTINCT extractor_version FROM facts") == [("99-test",)]


def test_bad_files_are_reported_by_name_and_the_rest_of_the_batch_goes_on(corpus, tmp_path):
    (corpus / "empty.html").write_bytes(b"")
    (corpus / "binary.html").write_bytes(bytes(range(256)) * 40)
    db_path = tmp_path / "p.db"
    result = run("extract", "--db", db_path, corpus, tmp_path / "missing.html")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("parindex extract:")]
    assert any("empty.html" in e for e in errors) and any("binary.html" in e for e in errors)
    assert any("missing.html: no such file or folder" in e for e in errors)
    assert table(db_path, "SELECT count(*) FROM pages WHERE article_id IS NOT NULL") == [(3,)]
    assert table(db_path, "SELECT count(*) FROM pages WHERE extract_error IS NOT NULL") == [(2,)]
    assert last_run(db_path)["pages_failed"] == 3


def test_extract_db_into_a_file_that_is_not_a_database_fails_in_one_line(corpus, tmp_path):
    db_path = tmp_path / "notes.db"
    db_path.write_text("my notes\n" * 100)
    result = run("extract", "--db", db_path, corpus)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"parindex extract: {db_path}: not a SQLite database, or a corrupt one"
    assert db_path.read_text() == "my notes\n" * 100


def test_reextract_keeps_human_decisions_and_changes_nothing_when_run_twice(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db_path = tmp_path / "p.db"
    run("extract", "--db", db_path, corpus)
    db = store.connect(db_path)
    ids = dict(db.execute("SELECT unit_key, id FROM facts").fetchall())
    store.reviews.decide(db, ids["kimanh"], "accept", "lan")
    store.reviews.decide(db, ids["tamky"], "reject", "lan")
    db.close()

    monkeypatch.setattr(extract_package, "extract_document", rules(version_shift=10))
    result = run("reextract", "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.stderr
    rows = {key: (status, rank, json.loads(sugg)["changes"] if sugg else None) for key, status, rank, sugg
            in table(db_path, "SELECT unit_key, status, rank, suggestion FROM facts")}
    assert rows == {"kimanh": ("accepted", 1, {"rank": 11}), "kimxuyen": ("pending", 12, None),
                    "tamky": ("rejected", 3, {"rank": 13})}
    snapshot = table(db_path, "SELECT * FROM facts ORDER BY id")
    assert run("reextract", "--db", db_path).exit_code == 0
    assert table(db_path, "SELECT * FROM facts ORDER BY id") == snapshot
    assert table(db_path, "SELECT kind, status FROM runs ORDER BY id")[-2:] == [("reextract", "ok")] * 2


def test_reextract_stale_only_skips_pages_already_done(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db_path = tmp_path / "p.db"
    run("extract", "--db", db_path, corpus)
    result = run("reextract", "--db", db_path, "--stale-only")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    # One voice: the verb typed, whatever the mode; never "extract done" for a reextract.
    assert lines[-1].startswith("parindex reextract: 0 pages")
    assert all(line.startswith("parindex reextract: ") for line in lines)


def test_extract_new_pages_reads_what_the_crawler_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db = store.connect(tmp_path / "p.db")
    for n, body in enumerate(["Tin-1 KimAnh=1", "Trang-chuyên-mục", "Tin-2 TamKy=2"]):
        store.pages.save_page(db, f"https://baohaiduong.vn/{n}", final_url=None, source="baohaiduong",
                              kind="listing" if n == 1 else "article", status=200,
                              content_type="text/html", body=body.encode())
    counts = pipeline.extract_new_pages(db)
    assert (counts["pages"], counts["facts_new"]) == (2, 2)
    assert pipeline.extract_new_pages(db)["pages"] == 0, "nothing new: nothing to do"
    assert db.execute("SELECT kind, status FROM runs").fetchall() == [("extract", "ok")] * 2
    assert db.execute("SELECT url FROM articles ORDER BY id").fetchall() == [
        ("https://baohaiduong.vn/0",), ("https://baohaiduong.vn/2",)]


def test_a_full_disk_stops_the_run_with_one_line_and_a_consistent_database(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(extract_package, "extract_document", rules())
    db_path = tmp_path / "p.db"
    run("extract", "--db", db_path, corpus)
    db = store.connect(db_path)
    big = "Bài-lớn " + " ".join(f"Xa{i}=1" for i in range(20000))
    store.pages.save_page(db, "file:///big.txt", final_url=None, source="local", kind="local", status=None,
                          content_type="text/plain", body=big.encode())
    before = [db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("articles", "facts")]
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 2}")
    with pytest.raises(store.StoreError, match="disk full"):
        pipeline.extract_new_pages(db)
    assert [db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("articles", "facts")] == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_cli_reports_a_full_disk_in_one_line_and_the_database_stays_whole(corpus, tmp_path):
    db_path = tmp_path / "p.db"
    assert run("extract", "--db", db_path, corpus).exit_code == 0
    size = db_path.stat().st_size
    for n in range(40):  # pages too big for the room left under the file size limit
        (corpus / f"long-{n}.txt").write_text(f"Bài-{n} " + "chữ " * 30000, encoding="utf-8")

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 300_000, size + 300_000))

    result = subprocess.run([PARINDEX, "extract", "--db", str(db_path), str(corpus)],
                            capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size)
    assert result.returncode == 1
    # Progress lines speak in the verb's voice too ("parindex extract: stopped, 4/43 pages, ...").
    errors = [line for line in result.stderr.splitlines()
              if line.startswith("parindex") and not re.search(r"\d+/\d+ pages", line)]
    assert errors == [f"parindex extract: {db_path}: disk full (or file size limit reached); "
                      "the change that did not fit was not written"]
    assert table(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert table(db_path, "SELECT count(*) FROM pages WHERE article_id IS NULL AND extract_error IS NULL "
                          "AND extracted_hash IS NOT NULL") == [(0,)], "no page is half-done"
    assert run("extract", "--db", db_path, corpus).exit_code == 0, "with room again, the run completes"
    assert table(db_path, "SELECT count(*) FROM pages") == [(43,)]
