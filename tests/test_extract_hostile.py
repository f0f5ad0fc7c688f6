"""Hostile input to the extractor: every page ends, with facts that can be true or one line.

The reproducers of ../shared/reliability/ (crashes, stalls, impossible facts found by fuzzing)
and the time and size limits of one page. Timings are never asserted: a page that would hang
is one the budget stops, and that is what is tested.
"""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parindex.cli import cli
from parindex.extract import ExtractError, extract_document
from parindex.extract import document as extraction
from parindex.model.validity import problems

RELIABILITY = Path(__file__).resolve().parent.parent.parent / "shared" / "reliability"
DEV = sorted((Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev").glob("*.html"))
REPRODUCERS = sorted(p for p in RELIABILITY.iterdir() if p.suffix in (".html", ".txt") and not p.name.startswith("web_"))


def facts_of(path):
    return extract_document(path.read_bytes(), name=path.name)["facts"]


@pytest.mark.parametrize("path", REPRODUCERS, ids=lambda p: p.name)
def test_a_reproducer_ends_with_possible_facts_or_one_line(path):
    try:
        facts = facts_of(path)
    except ExtractError as err:
        assert "\n" not in str(err)
        return
    for fact in facts:
        assert not problems(fact), (fact["unit"], problems(fact))


def test_numbers_that_are_no_ranks_in_a_table_give_no_rank():
    for name in ("crash_table_rank_inf.html", "crash_table_rank_nan.html", "bad_table_rank_negative.html",
                 "bad_table_rank_1e6.html"):
        ranks = [f["rank"] for f in facts_of(RELIABILITY / name)]
        assert all(r is None or 1 <= r <= 1000 for r in ranks), (name, ranks)


def test_control_characters_after_a_related_block_are_read_past():
    for name in ("ctrl_char_related_block.html", "vtab_related_block.html"):
        units = {f["unit"] for f in facts_of(RELIABILITY / name)}
        assert "huyện Kim Thành" in units


def test_a_long_run_of_digits_and_a_long_sentence_end_with_their_facts():
    assert facts_of(RELIABILITY / "hang_digit_run_60k.txt") == []
    sentence = facts_of(RELIABILITY / "hang_long_sentence_20k.txt")
    assert {f["unit"] for f in sentence} == {"huyện Kim Thành"}


def test_impossible_values_are_left_out():
    assert facts_of(RELIABILITY / "value_future_year.txt") == []          # "năm 2032"
    assert facts_of(RELIABILITY / "min_rank_total_le_0.txt") == []        # "trên tổng số 0 đơn vị"
    zero = facts_of(RELIABILITY / "value_rank_zero_two_positions.txt")    # "từ vị trí thứ 0"
    assert all(f["rank"] != 0 for f in zero)
    three = facts_of(RELIABILITY / "value_score_three_parts.txt")         # "85,34,56 điểm"
    assert all(f["score"] != 34.56 for f in three)
    change = facts_of(RELIABILITY / "value_change_ge_total.txt")          # "tăng 40 bậc" of 12
    assert all(f["rank_change"] is None or abs(f["rank_change"]) < (f["rank_total"] or 10**6) for f in change)


def test_a_size_read_in_another_sentence_does_not_join_a_rank():
    facts = facts_of(RELIABILITY / "min_rank_gt_total_two_sentences.txt")
    kim_thanh = next(f for f in facts if f["unit"] == "huyện Kim Thành")
    assert (kim_thanh["rank"], kim_thanh["rank_total"]) != (15, 12)


def test_a_page_that_takes_longer_than_its_budget_is_reported_as_too_long():
    with pytest.raises(ExtractError, match="too long to read in time"):
        extract_document(DEV[0].read_bytes(), name=DEV[0].name, budget=1e-9)
    assert extract_document(DEV[0].read_bytes(), name=DEV[0].name, budget=None)["facts"]


def test_the_budget_of_the_first_page_of_a_process_leaves_out_loading_the_models():
    # spaCy, underthesea and the register load on the first page about an index (seconds on a
    # busy machine); a page read in milliseconds must not be refused for their time
    probe = ("from parindex.extract import extract_document\n"
             "doc = extract_document('Chỉ số CCHC năm 2023: xã Kim Anh xếp thứ 2/24 xã của huyện Kim Thành, tỉnh Hải Dương.',"
             " name='first.txt', budget=0.2)\n"
             "print(len(doc['facts']))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr.splitlines()[-1:]
    assert out.stdout.strip() == "1"


@pytest.mark.parametrize("a_load", [True, False], ids=["a ruler built on first use", "slow reading"])
def test_what_a_page_loads_on_first_use_is_left_out_of_its_budget(monkeypatch, a_load):
    # a rule set's ruler is built the first time a sentence needs it, in the middle of some page;
    # that page's budget counts its reading only. Reading that is itself slow is still stopped.
    from parindex.extract import facts
    from parindex.model.loading import collector_paused
    real = facts.find_units

    def slow(*args, **kwargs):
        if a_load:
            with collector_paused():
                time.sleep(0.3)
        else:
            time.sleep(0.3)
        return real(*args, **kwargs)

    facts.ready()
    monkeypatch.setattr(facts, "find_units", slow)
    text = "Năm 2023, xã Kim Anh xếp thứ 2/24 xã của huyện Kim Thành về Chỉ số cải cách hành chính."
    if a_load:
        assert [f["rank"] for f in facts.extract_text_facts(text, budget=0.2)] == [2]
    else:
        with pytest.raises(facts.TooSlow):
            facts.extract_text_facts(text + " " + text.replace("Kim Anh", "Tuấn Việt"), budget=0.2)


def test_a_page_too_large_to_be_an_article_is_one_line(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_BYTES", 1000)
    with pytest.raises(ExtractError, match="too large to be an article"):
        extract_document(b"<p>" + b"x" * 2000 + b"</p>")


def test_an_unexpected_error_inside_the_rules_is_one_extract_error(monkeypatch):
    def broken(*args, **kwargs):
        raise OverflowError("cannot convert float infinity to integer")
    monkeypatch.setattr(extraction, "extract_text_facts", broken)
    with pytest.raises(ExtractError, match="OverflowError"):
        extract_document(DEV[0].read_bytes(), name=DEV[0].name)


def test_the_cli_reads_on_after_a_bad_input(tmp_path, monkeypatch):
    real = extraction.extract_text_facts

    def broken_on_one(text, *args, **kwargs):
        if "BOOM" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *args, **kwargs)
    monkeypatch.setattr(extraction, "extract_text_facts", broken_on_one)
    first = tmp_path / "a.txt"
    first.write_text("Chỉ số CCHC năm 2023: huyện Kim Thành xếp thứ 3/12.", encoding="utf-8")
    bad = tmp_path / "b.txt"
    bad.write_text("Chỉ số CCHC năm 2023 BOOM: huyện Kim Thành xếp thứ 3/12.", encoding="utf-8")
    last = tmp_path / "c.txt"
    last.write_text("Chỉ số CCHC năm 2023: huyện Tứ Kỳ xếp thứ 5/12.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--format", "jsonl", str(first), str(bad), str(last)])
    assert result.exit_code == 1
    docs = [json.loads(line)["doc"] for line in result.stdout.splitlines() if "unit" not in json.loads(line)]
    assert docs == ["a", "c"]
    assert "Traceback" not in result.output
