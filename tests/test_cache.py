"""Tables kept between runs (model/cache.py): the register is read back instead of rebuilt at
every start, and a cache that is stale, damaged or cannot be written costs a build, never a
failure."""
import os

import pytest

from parindex.model import cache


@pytest.fixture
def cache_at(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("PARINDEX_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "units.tsv"
    path.write_text("01\tHà Nội\n", encoding="utf-8")
    return path


def counting(table):
    calls = []

    def build():
        calls.append(1)
        return dict(table)
    return build, calls


def test_a_table_is_built_once_then_read_back(cache_at, data):
    build, calls = counting({"haiduong": ["Kim Thành", "Kim Anh"]})
    first = cache.kept("units", [data], build)
    second = cache.kept("units", [data], build)
    assert first == second == {"haiduong": ["Kim Thành", "Kim Anh"]}
    assert len(calls) == 1
    assert [p.name.split("-")[0] for p in cache_at.iterdir()] == ["units"]


def test_changed_data_builds_again_and_drops_the_stale_table(cache_at, data):
    build, calls = counting({"a": 1})
    cache.kept("units", [data], build)
    data.write_text("01\tHà Nội\n02\tHà Giang\n", encoding="utf-8")
    cache.kept("units", [data], build)
    assert len(calls) == 2
    assert len(list(cache_at.glob("units-*.pickle"))) == 1


def test_a_damaged_table_is_built_again_and_replaced(cache_at, data):
    build, calls = counting({"a": 1})
    cache.kept("units", [data], build)
    (kept_file,) = cache_at.glob("units-*.pickle")
    kept_file.write_bytes(kept_file.read_bytes()[:10])   # a kill mid-write on a filesystem without rename
    assert cache.kept("units", [data], build) == {"a": 1}
    assert cache.kept("units", [data], build) == {"a": 1}
    assert len(calls) == 2


def test_a_cache_that_cannot_be_written_costs_only_the_build(tmp_path, monkeypatch, data):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PARINDEX_CACHE_DIR", str(blocker / "cache"))
    build, calls = counting({"a": 1})
    assert cache.kept("units", [data], build) == {"a": 1}
    assert cache.kept("units", [data], build) == {"a": 1}
    assert len(calls) == 2


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch, data):
    monkeypatch.setenv("PARINDEX_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    build, calls = counting({"a": 1})
    cache.kept("units", [data], build)
    cache.kept("units", [data], build)
    assert len(calls) == 2 and not (tmp_path / "xdg").exists()


def test_the_cache_lives_where_the_user_keeps_caches(tmp_path, monkeypatch):
    monkeypatch.delenv("PARINDEX_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "parindex"


def test_the_register_read_back_is_the_register_built(cache_at):
    from parindex.model.register import _data_dir, get_register, load_register
    get_register.cache_clear()
    try:
        written = get_register()        # built, and kept
        get_register.cache_clear()
        read = get_register()           # read back
    finally:
        get_register.cache_clear()
    assert read is not written and len(list(cache_at.glob("register-*.pickle"))) == 1
    built = load_register(_data_dir())
    for table in ("units", "by_name", "by_bare", "by_alias", "successors", "province_successor", "children"):
        assert getattr(read, table) == getattr(built, table), table
    # one unit, one object: a name's list holds the very unit the codes point to
    (unit,) = read.by_name[("legacy", "district", "kim thành")]
    assert read.get("legacy", "district", unit.code) is unit
