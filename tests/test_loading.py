"""Loading what a process keeps for its life: the collector paused meanwhile, the rules' YAML
read with the safe loader (libyaml's where it is built in)."""
import gc

import pytest
import yaml

from parindex.model.loading import collector_paused, read_yaml


def test_the_collector_is_paused_while_loading_and_back_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_on_when_loading_fails():
    with pytest.raises(ValueError):
        with collector_paused():
            raise ValueError("a bad rule")
    assert gc.isenabled()


def test_a_collector_the_host_program_turned_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_loads_leave_the_collector_on_only_at_the_end():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_a_load_keeps_is_left_out_of_later_collections():
    # the tables a process keeps are frozen when the outermost load ends: the collections that
    # follow, and the one at exit, do not walk them again
    with collector_paused():
        table = [[word] for word in ("xã", "huyện", "tỉnh") * 1000]
        frozen_inside = gc.get_freeze_count()
    assert gc.get_freeze_count() >= frozen_inside + len(table)
    assert gc.is_tracked(table[0])


def test_reading_pages_keeps_nothing_of_theirs_for_good():
    # ready() loads once; a page read later with a time budget must not freeze its own objects
    # (its garbage would then live as long as the process: a leak over a run of many pages)
    from parindex.extract.facts import extract_text_facts
    text = "Xã Kim Anh xếp thứ nhất trong 18 xã của huyện Kim Thành về Chỉ số cải cách hành chính năm 2024."
    extract_text_facts(text, budget=30)
    frozen = gc.get_freeze_count()
    for _ in range(3):
        assert extract_text_facts(text, budget=30)
    assert gc.get_freeze_count() == frozen


def test_yaml_reads_as_the_pure_python_safe_loader_does():
    text = ("rules:\n  - id: rank.of\n    regex: 'xếp thứ (\\d+)'\n    examples: [\"Xã A xếp thứ 2\"]\n"
            "yes: yes\nscore: 85.34\nempty:\n")
    assert read_yaml(text) == yaml.safe_load(text)


def test_yaml_refuses_python_objects():
    with pytest.raises(yaml.YAMLError):
        read_yaml("!!python/object/apply:os.system ['echo unsafe']\n")


def test_bad_yaml_is_a_yaml_error():
    with pytest.raises(yaml.YAMLError):
        read_yaml("rules: [unclosed\n")


def test_a_patterns_file_is_read_once_and_shared_with_the_rules():
    from parindex.extract.rules import load_rules
    from parindex.model.loading import PATTERNS_DIR, read_patterns
    values = read_patterns("values.yaml")
    assert values == yaml.safe_load((PATTERNS_DIR / "values.yaml").read_text(encoding="utf-8"))
    assert read_patterns("values.yaml") is values
    assert load_rules().value_source is values   # the extractor's rules and the model's readers: one parse


def test_a_bad_patterns_file_is_named(tmp_path, monkeypatch):
    from parindex.model import loading
    (tmp_path / "broken.yaml").write_text("markers: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(loading, "PATTERNS_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"broken\.yaml: not valid YAML"):
        loading.read_patterns.__wrapped__("broken.yaml")   # (the cache of the real files left alone)
