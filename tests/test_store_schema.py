"""store.connect: the schema of docs/CONTRACTS.md, migrations, and files it must refuse."""
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from parindex import store
from parindex.store import schema

CONTRACT_COLUMNS = {
    "pages": "id url final_url source kind status content_type fetched_at etag last_modified "
             "content_hash body size relevant error article_id extracted_hash extracted_version",
    "articles": "id text_hash url title published site text text_folded extractor_version created_at",
    "facts": "id article_id unit unit_key level index year province parent rank rank_total rank_change "
             "score score_min evidence start end rules extractor_version status suggestion reviewed_by "
             "reviewed_at created_at updated_at unit_code unit_official register successors "
             "province_code unit_ambiguous candidates",
    "reviews": "id fact_id action before after reviewer at note",
    "runs": "id kind started finished status source counts errors extractor_version",
    "reviewers": "name password_hash created_at",
}


def test_a_new_file_gets_every_table_and_column_of_the_contract(tmp_path):
    db = store.connect(tmp_path / "new.db")
    for table, columns in CONTRACT_COLUMNS.items():
        assert set(columns.split()) <= set(db[table].columns_dict), table


def test_the_database_is_in_wal_mode_with_foreign_keys_and_a_schema_version(tmp_path):
    db = store.connect(tmp_path / "x.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO facts (id, article_id, unit, year) VALUES ('f', 999, 'xã A', 2023)")


def test_opening_again_keeps_the_data_and_creates_nothing_twice(tmp_path):
    path = tmp_path / "x.db"
    db = store.connect(path)
    store.pages.save_page(db, "https://a.vn/1", final_url=None, source="a", kind="article",
                          status=200, content_type="text/html", body=b"<p>x</p>")
    db.close()
    db = store.connect(path)
    assert db["pages"].count == 1
    assert len([t for t in db.table_names() if t == "pages"]) == 1


def test_a_query_by_unit_and_year_seeks_both_in_an_index(tmp_path):
    db = store.connect(tmp_path / "x.db")
    traced = []
    with db.tracer(lambda sql, params: traced.append((sql, params))):
        store.queries.find_facts(db, unit_key="kim anh", year=2023)
    sql, params = traced[-1]
    plan = " ".join(str(step) for step in db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "(unit_key=? AND year=?)" in plan
    assert {"url"} in [set(i.columns) for i in db["pages"].indexes if i.unique]
    assert {"text_hash"} in [set(i.columns) for i in db["articles"].indexes if i.unique]


def test_a_version_1_database_is_migrated_to_the_current_indexes(tmp_path, monkeypatch):
    path = tmp_path / "v1.db"
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    store.connect(path).close()
    monkeypatch.undo()
    db = store.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert ["unit_key", "year", "index", "level"] in [i.columns for i in db["facts"].indexes]
    assert ["unit_key", "year"] not in [i.columns for i in db["facts"].indexes]


def test_migrations_bring_an_older_database_forward(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    store.connect(path).close()
    added = []

    def v2(db):
        added.append(True)
        db["facts"].add_column("confidence", float)

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + [v2])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    db = store.connect(path)
    assert "confidence" in db["facts"].columns_dict
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    db.close()
    store.connect(path).close()
    assert added == [True], "a migration runs once"


def test_a_newer_schema_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(store.StoreError, match=r"future\.db: database schema version 99 is newer"):
        store.connect(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database, just text\n" * 40,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_is(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(store.StoreError) as caught:
        store.connect(path)
    assert str(caught.value) == f"{path}: not a SQLite database, or a corrupt one"
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.db-wal").exists()


def test_another_programs_sqlite_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title)")
    conn.commit()
    conn.close()
    with pytest.raises(store.StoreError, match="not a parindex one"):
        store.connect(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("songs",)]


def test_a_folder_given_as_database_is_refused(tmp_path):
    with pytest.raises(store.StoreError, match="is a folder"):
        store.connect(tmp_path)


def test_read_only_connections_cannot_write(tmp_path):
    path = tmp_path / "x.db"
    store.connect(path).close()
    db = store.connect(path, readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        db.execute("INSERT INTO runs (kind, started, status) VALUES ('crawl', 'now', 'ok')")
    with pytest.raises(store.StoreError, match="no such database"):
        store.connect(tmp_path / "missing.db", readonly=True)


def unprivileged(argv: list) -> list:
    """Root writes anywhere: without the capability to override file permissions it cannot."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    assert setpriv, "running the tests as root needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE"
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *argv]


def _run_unprivileged(code: str, folder) -> subprocess.CompletedProcess:
    return subprocess.run(unprivileged([sys.executable, "-c", code, str(folder)]), capture_output=True,
                          text=True, timeout=60)


OPEN_AND_REPORT = """
import sys, store
try:
    store.connect(sys.argv[1] + "/x.db")
except store.StoreError as err:
    print(err)
    sys.exit(1)
"""


@pytest.fixture
def shared_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def test_a_read_only_folder_gives_a_one_line_error_for_a_new_database(shared_folder):
    shared_folder.chmod(0o555)
    result = _run_unprivileged(OPEN_AND_REPORT, shared_folder)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == f"{shared_folder}/x.db: cannot create the database (folder is read-only)"
    assert not list(shared_folder.iterdir())


def test_a_read_only_folder_gives_a_one_line_error_for_an_existing_database(shared_folder):
    path = shared_folder / "x.db"
    store.connect(path).close()
    path.chmod(0o666)
    before = path.read_bytes()
    shared_folder.chmod(0o555)
    result = _run_unprivileged(OPEN_AND_REPORT, shared_folder)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == f"{path}: cannot write the database (read-only file or folder)"
    assert path.read_bytes() == before


def test_an_older_parindex_database_is_read_as_it_is_without_migrating(tmp_path, monkeypatch):
    path = tmp_path / "v1.db"
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    store.connect(path).close()
    monkeypatch.undo()
    db = store.connect(path, readonly=True)
    assert store.queries.find_facts(db, year=2023) == []
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_an_empty_sqlite_file_is_not_read_as_a_parindex_database(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(store.StoreError, match="not a parindex database"):
        store.connect(path, readonly=True)


def test_a_database_in_a_missing_folder_is_refused_by_name(tmp_path):
    with pytest.raises(store.StoreError) as caught:
        store.connect(tmp_path / "no" / "x.db")
    assert str(caught.value) == f"{tmp_path}/no/x.db: cannot create the database: no folder {tmp_path}/no"
