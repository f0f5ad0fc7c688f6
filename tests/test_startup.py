"""A command loads only what it uses: cron starts `parindex query` and `extract` again and again.

What each command imports is checked, not how long it takes (that is bench/'s to measure).
"""
import json
import subprocess
import sys
from pathlib import Path

from parindex import store

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"

# Run a command in a fresh interpreter, then print which of these modules it loaded.
PROBE = r'''
import json, sys
from parindex.cli import cli
try:
    cli(sys.argv[1:], prog_name="parindex")
except SystemExit:
    pass
sys.stdout.flush()
print("\nLOADED " + json.dumps(sorted(m for m in ("numpy", "sqlite_utils", "spacy", "underthesea", "trafilatura",
                                                   "thinc", "pandas", "scrapy", "twisted", "datasette")
                                                   if m in sys.modules)))
'''


def loaded(*args, cwd=None) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True,
                         cwd=cwd, check=True).stdout
    return json.loads(out.rsplit("LOADED ", 1)[1])


def test_query_and_stats_read_the_database_without_sqlite_utils_numpy_or_the_crawler(tmp_path):
    path = tmp_path / "p.db"
    db = store.connect(path)
    page_id = store.pages.save_page(db, "https://a.vn/1", final_url=None, source="a", kind="article", status=200,
                                    content_type="text/html", body=b"x")
    store.facts.save_document(db, page_id, {"title": "Kim Anh", "text": "Xã Kim Anh đứng thứ 2.", "facts": [
        {"unit": "xã Kim Anh", "level": "commune", "index": "PAR", "year": 2023, "province": "Hải Dương",
         "rank": 2, "evidence": "Xã Kim Anh đứng thứ 2.", "start": 0, "end": 22, "rules": ["t"]}]}, "1")
    db.close()
    for args in (["query", "--db", path, "--unit", "Kim Anh", "--format", "jsonl"],
                 ["query", "--db", path, "--search", "kim anh", "--format", "csv"],
                 ["query", "--db", path, "select count(*) from facts"],
                 ["stats", "--db", path, "--format", "json"]):
        assert loaded(*args) == [], args


def test_extracting_a_text_that_is_not_about_the_indexes_loads_no_language_model(tmp_path):
    page = tmp_path / "weather.txt"
    page.write_text("Thời tiết\nTrời nắng, nhiệt độ cao nhất 35 độ C vào buổi trưa.\n", encoding="utf-8")
    assert loaded("extract", page, "--format", "jsonl") == []


def test_extracting_a_text_about_the_indexes_loads_no_html_reader():
    assert "trafilatura" not in loaded("extract", sorted(SEEDS.glob("*.txt"))[0], "--format", "jsonl")


def test_every_verb_is_listed_once_and_runs_from_its_own_module():
    import importlib
    import pkgutil

    import parindex.commands
    from parindex.cli import VERBS, cli

    defined = {}
    for info in pkgutil.iter_modules(parindex.commands.__path__):
        module = importlib.import_module(f"parindex.commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            assert command.name not in defined, command.name
            defined[command.name] = info.name
    assert VERBS == defined
    assert set(cli.list_commands(None)) == set(defined)
    for name in defined:
        assert cli.get_command(None, name).name == name
