"""A user's own extract.py (or store.py, parindex.py ...) in the working folder changes nothing:
the installed distribution owns only names under `parindex`, and `watch` starts each run with
the working folder kept off the module path."""
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from parindex.crawler.testsite import TestSite

PARINDEX = Path(sys.executable).parent / "parindex"
NAMES = ("extract", "store", "crawler", "model", "patterns", "parindex", "cli", "pipeline")


@pytest.fixture
def folder(tmp_path):
    """A working folder full of modules named like ours, each leaving a mark if it ever runs."""
    work = tmp_path / "work"
    work.mkdir()
    for name in NAMES:
        (work / f"{name}.py").write_text(
            f"open({str(tmp_path / 'ran')!r}, 'a').write({name!r} + '\\n')\nraise SystemExit(3)\n",
            encoding="utf-8")
    return work


def facts(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    finally:
        conn.close()


def test_run_in_a_folder_with_an_extract_py_runs_parindex(folder, tmp_path):
    with TestSite(articles=2, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        done = subprocess.run([PARINDEX, "run", "--db", "p.db", "--sources", sources, "--base", site.base],
                              cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "ran").exists(), (tmp_path / "ran").read_text()
    assert facts(folder / "p.db") > 0


def test_watch_in_a_folder_with_an_extract_py_runs_parindex(folder, tmp_path):
    with TestSite(articles=2, faults=False) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        done = subprocess.run([PARINDEX, "watch", "--db", "p.db", "--sources", sources, "--base", site.base,
                               "--every", "1s", "--max-runs", "1"],
                              cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "run 1 ok" in done.stderr, done.stderr
    assert not (tmp_path / "ran").exists(), (tmp_path / "ran").read_text()
    assert facts(folder / "p.db") > 0
