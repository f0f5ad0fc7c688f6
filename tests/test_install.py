"""A pip install, as a user outside the checkout has it: the wheel built from this tree,
installed into a fresh virtualenv, runs the demo from its package data and Scrapy's own
`scrapy crawl news` from a folder that has nothing of parindex in it.

Offline, as every test: the wheel is built without build isolation (setuptools and wheel
come with the test extras), and the fresh virtualenv cannot download parindex's
dependencies. It gets them from the project's own virtualenv through a `.pth` line naming
that site-packages folder, while parindex itself is installed from the wheel alone
(`--no-deps --no-index`). A plain `--system-site-packages` would not do: it reaches the base
interpreter's packages, not the project virtualenv's. A path line in a `.pth` file adds the
folder without running the `.pth` files inside it, so the checkout's editable install
(a `.pth` hook) stays out, and `import parindex` finds the wheel's copy: the test checks
that it does.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from parindex.crawler.localsite import serve_folder

REPO = Path(__file__).resolve().parent.parent
# What the wheel is built from (pyproject's packages and package-dir); tests/, bench/, .venv/ stay out.
SOURCES = ["pyproject.toml", "README.md", "parindex", "model", "extract", "store", "crawler",
           "patterns", "corpus"]


def _run(args, cwd, env=None, timeout=300):
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the fresh virtualenv's python, its bin folder, where the wheel put parindex)."""
    root = tmp_path_factory.mktemp("install")
    src = root / "src"
    src.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "gold", "*.egg-info"))
        else:
            shutil.copy2(REPO / name, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-q", "-w", root / "dist", src], cwd=root)
    [wheel] = (root / "dist").glob("parindex-*.whl")

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=root)
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=root).stdout.strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", wheel],
         cwd=root)
    where = _run([python, "-c", "import parindex, pathlib; print(pathlib.Path(parindex.__file__).parent)"],
                 cwd=root).stdout.strip()
    assert Path(where) == site / "parindex", "parindex must come from the wheel, not the checkout"
    return python, venv / "bin", Path(where)


@pytest.fixture
def elsewhere(tmp_path):
    """A working folder with nothing of parindex in it (no scrapy.cfg, no corpus/)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _env(bin_folder) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SCRAPY_", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_wheel_carries_the_demo_site_and_the_sources(installed):
    _, _, package = installed
    assert (package / "corpus" / "site" / "index.html").is_file()
    assert (package / "corpus" / "sources.toml").is_file()
    assert (package / "crawler" / "sources.toml").is_file()
    assert (package / "review" / "static" / "table.js").is_file()


def test_parindex_demo_runs_from_package_data_in_any_folder(installed, elsewhere):
    _, bin_folder, _ = installed
    done = _run([bin_folder / "parindex", "demo", "--format", "csv"], cwd=elsewhere, env=_env(bin_folder))
    assert (elsewhere / "demo.db").is_file()
    lines = done.stdout.splitlines()
    assert lines[0] == "unit,year,index,rank,rank_total,rank_change,score,score_min,province"
    assert "xã Kim Anh,2023,PAR,1,,2,,,Hải Dương" in lines
    assert any(line.endswith(",90,Đồng Tháp") for line in lines)   # a band only: its floor shows
    assert "parindex demo: crawl run 1 ok:" in done.stderr and "no index.html" not in done.stderr


def test_parindex_run_on_the_bundled_site_works_in_any_folder(installed, elsewhere):
    # What the issue met: `parindex run --sources corpus` answered "site-packages/corpus/site:
    # no index.html" after a pip install.
    _, bin_folder, _ = installed
    done = _run([bin_folder / "parindex", "run", "--db", "offline.db", "--sources", "corpus"], cwd=elsewhere,
                env=_env(bin_folder))
    assert done.stderr.splitlines()[-2].startswith("parindex run: crawl run 1 ok: 64 requests, 63 pages stored")
    assert done.stderr.splitlines()[-1].startswith("parindex run: extract run 2: 35 pages")


def test_scrapy_crawl_news_runs_from_any_folder_with_the_settings_module(installed, elsewhere):
    python, bin_folder, package = installed
    env = {**_env(bin_folder), "SCRAPY_SETTINGS_MODULE": "parindex.crawler.settings"}
    db = elsewhere / "scrapy.db"
    with serve_folder(package / "corpus" / "site") as origin:
        # `python -m scrapy` is the `scrapy` command (the same scrapy.cmdline.execute): the
        # fresh virtualenv has no console script of its own for a package it borrows.
        _run([python, "-m", "scrapy", "crawl", "news", "-a", f"sources={package / 'corpus' / 'sources.toml'}",
              "-a", f"base={origin}", "-s", f"PARINDEX_DB={db}", "-s", "DOWNLOAD_DELAY=0",
              "-s", "AUTOTHROTTLE_ENABLED=False", "-L", "WARNING"], cwd=elsewhere, env=env)
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        articles = conn.execute("SELECT count(*) FROM pages WHERE kind = 'article' AND relevant = 1").fetchone()[0]
        status = conn.execute("SELECT status FROM runs WHERE kind = 'crawl'").fetchone()[0]
    finally:
        conn.close()
    assert articles == 35 and status == "ok"

