"""The command as a person meets it: every message in one voice (`parindex <verb>: ...`, one
line per error, Click's own errors too), help for every option, and `extract --format csv`
as a file people open."""
import csv
import io

import click
import pytest
from click.testing import CliRunner

from parindex.cli import cli

REPO_CORPUS_PAGE = "corpus/site/cai-cach-hanh-chinh/d001.html"


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


@pytest.mark.parametrize("args, line", [
    (["query", "--bogus"], "parindex query: No such option '--bogus' (see parindex query --help)"),
    (["query", "--level", "town"], "parindex query: Invalid value for '--level': 'town' is not one of "
                                   "'province', 'district', 'commune', 'department', 'central_agency', "
                                   "'ministry' (see parindex query --help)"),
    (["extract"], "parindex extract: Missing argument 'PATHS...' (see parindex extract --help)"),
    (["reviewer", "add"], "parindex reviewer add: Missing argument 'NAME' (see parindex reviewer add --help)"),
    (["watch", "--every", "soon"], "parindex watch: --every 'soon' is not an interval: use a number with s, m, "
                                   "h or d (6h, 30m, 1h30m)"),
    (["nonsense"], "parindex: No such command 'nonsense' (see parindex --help)"),
])
def test_every_error_is_one_line_in_the_voice_of_its_verb(args, line):
    result = invoke(*args)
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [line]
    assert "Error:" not in result.output and "Usage:" not in result.output


def _commands(group, path=("parindex",)):
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        else:
            yield " ".join(path + (name,)), command


@pytest.mark.parametrize("path, command", list(_commands(cli)), ids=lambda v: v if isinstance(v, str) else "")
def test_every_option_of_every_verb_says_what_it_is_for(path, command):
    assert command.help, path
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{path} {param.opts[0]}"


def test_extract_as_csv_has_one_row_per_fact_with_the_register_link_and_its_article(repo):
    result = invoke("extract", repo / REPO_CORPUS_PAGE, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(row["unit"] for row in rows)  # no empty row for the document itself
    header = result.stdout.splitlines()[0].split(",")
    for column in ("unit_code", "unit_official", "register", "successors", "province_code",
                   "unit_ambiguous", "candidates", "title", "published", "evidence"):
        assert column in header, column
    province = next(row for row in rows if row["unit"] == "tỉnh Hải Dương" and row["index"] == "PAR")
    assert (province["unit_code"], province["register"], province["successors"]) == ("30", "legacy", "31")
    assert province["published"] == "2024-05-16" and province["title"].startswith("Chỉ số cải cách hành chính")
    # json lines keep a line for the document (its title and date), as the README says
    lines = invoke("extract", repo / REPO_CORPUS_PAGE, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(rows) + 1 and '"title"' in lines[-1] and '"unit"' not in lines[-1]


def test_reextract_speaks_as_reextract_even_for_stale_pages_only(tmp_path, repo):
    db = tmp_path / "p.db"
    assert invoke("extract", "--db", db, repo / REPO_CORPUS_PAGE).exit_code == 0
    result = invoke("reextract", "--db", db, "--stale-only")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("parindex reextract: 0 pages")
    assert "extract done" not in result.stderr


def test_every_line_a_verb_writes_to_stderr_starts_with_that_verb(tmp_path, repo):
    # Issue 15, point 5: no more "extract done:", "reextract:", "crawl:" or a bare "parindex:"
    # from a verb; successes, summaries, warnings and errors alike.
    db, page = tmp_path / "p.db", repo / REPO_CORPUS_PAGE
    steps = [
        (["extract", "--db", db, page, tmp_path / "missing.html"], "extract"),
        (["extract", page, "--format", "csv"], "extract"),
        (["reextract", "--db", db], "reextract"),
        (["reextract", "--db", db, "--stale-only"], "reextract"),
        (["query", "--db", db, "--province", "Hai Duongg"], "query"),
        (["query", "--db", db, "delete from facts"], "query"),
        (["stats", "--db", db, "--format", "json"], "stats"),
        (["export", "--db", db, "--out", tmp_path / "ds", "--no-charts"], "export"),
        (["serve", "--db", tmp_path / "none.db"], "serve"),
        (["reviewer", "remove", "nobody", "--db", db], "reviewer remove"),
        (["crawl", "--db", db, "--site", "nowhere"], "crawl"),
        (["run", "--db", db, "--sources", tmp_path / "none.toml"], "run"),
    ]
    for args, verb in steps:
        result = invoke(*args)
        lines = result.stderr.splitlines()
        assert lines or result.exit_code == 0, args
        for line in lines:
            assert line.startswith(f"parindex {verb}: "), f"{args}: {line!r}"
