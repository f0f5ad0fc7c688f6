"""kill -9 at any moment of a run, then run again: it completes, with nothing duplicated or half-written."""
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

# The run under test: the real pipeline and store, with a stand-in extractor that finds many facts,
# so the kill often lands while an article and its facts are being written.
RUNNER = r'''
import importlib.util
import sys
import types

# The real extract package takes seconds to import (trafilatura, underthesea); this test runs
# the pipeline seven times and is about the store, so a small stand-in takes its place (its
# light modules, jobs and errors, are the real ones).
extract = types.ModuleType("parindex.extract")
extract.__path__ = list(importlib.util.find_spec("parindex.extract").submodule_search_locations)
extract.EXTRACTOR_VERSION = "crash-test"
extract.ExtractError = ValueError
extract.unit_key = lambda unit: unit.split(" ", 1)[1].lower()
sys.modules["parindex.extract"] = extract

def extract_document(body, name="", url=None, content_type=None):
    text = body.decode("utf-8")
    words = text.split()
    facts = [{"unit": "xã " + w, "level": "commune", "index": "PAR", "year": 2023, "province": "Hải Dương",
              "rank": i + 1, "evidence": w, "start": text.index(w), "end": text.index(w) + len(w),
              "rules": ["t"]} for i, w in enumerate(words[1:])]
    return {"doc": name, "title": words[0], "published": None, "site": None, "url": url,
            "text": text, "facts": facts}

extract.extract_document = extract_document
import parindex.pipeline as pipeline
result = pipeline.extract_files_into_db(sys.argv[1], [sys.argv[2]], on_error=print, progress=False)
sys.exit(0 if result else 1)
'''


FILES, ARTICLES, FACTS = 120, 100, 40


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    rng = random.Random(4)
    for n in range(FILES):
        words = " ".join(f"Xa{n % ARTICLES}{rng.randrange(10**6)}" for _ in range(FACTS))
        # every sixth file repeats an earlier text: one article, two pages
        text = (folder / f"p{n - 1:03d}.txt").read_text() if n % 6 == 5 else f"Bài{n % ARTICLES} {words}"
        (folder / f"p{n:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def start(tmp_path, db_path, corpus):
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    return subprocess.Popen([sys.executable, str(script), str(db_path), str(corpus)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def contents(db_path):
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'pages'").fetchone():
            # killed while creating the file: the schema is all there, or not at all
            assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            return {"pages": [], "page_articles": [], "articles": [], "facts": [], "fts": 0}
        return {
            "pages": conn.execute("SELECT url, content_hash, extracted_hash FROM pages ORDER BY url").fetchall(),
            "page_articles": conn.execute("SELECT p.url, a.text_hash FROM pages p JOIN articles a "
                                          "ON a.id = p.article_id ORDER BY p.url").fetchall(),
            "articles": conn.execute("SELECT text_hash, title, text FROM articles ORDER BY text_hash").fetchall(),
            "facts": conn.execute("SELECT f.id, a.text_hash, f.unit, f.rank, f.status FROM facts f "
                                  "JOIN articles a ON a.id = f.article_id ORDER BY f.id").fetchall(),
            "fts": conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0],
        }
    finally:
        conn.close()


def test_a_run_killed_at_random_moments_completes_with_the_same_database(tmp_path, corpus):
    reference = tmp_path / "reference.db"
    done = start(tmp_path, reference, corpus)
    assert done.wait(timeout=120) == 0, done.stderr.read().decode()
    expected = contents(reference)
    assert len(expected["pages"]) == FILES and len(expected["articles"]) == ARTICLES
    assert len(expected["facts"]) == ARTICLES * FACTS

    killed = tmp_path / "killed.db"
    # kill as soon as the run has this many pages done: somewhere inside the next page's work
    targets = sorted(random.Random(7).sample(range(1, FILES), 5))
    kills = []
    for target in targets:
        run = start(tmp_path, killed, corpus)
        if kill_when_done(run, killed, target):
            kills.append(target)
        run.wait(timeout=60)
        partial = contents(killed)  # integrity and foreign keys hold after every kill
        assert len(partial["facts"]) == len(set(partial["facts"]))
        for text_hash, *_ in partial["articles"]:
            written = [f for f in partial["facts"] if f[1] == text_hash]
            assert len(written) == FACTS, "an article is in the database with all its facts or not at all"
    assert len(kills) >= 3, f"the runs ended before they could be killed (killed at {kills})"

    final = start(tmp_path, killed, corpus)
    assert final.wait(timeout=120) == 0, final.stderr.read().decode()
    assert contents(killed) == expected


def pages_done(db_path) -> int:
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM pages WHERE extracted_hash IS NOT NULL").fetchone()[0]
    except sqlite3.Error:
        return 0  # no file or no schema yet
    finally:
        conn.close()


def kill_when_done(run, db_path, target: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while run.poll() is None and time.monotonic() < deadline:
        if pages_done(db_path) >= target:
            run.send_signal(signal.SIGKILL)
            return True
        time.sleep(0.003)
    return False
