"""Every rule in patterns/ carries its own examples; they must hold.

A person who adds a phrasing to patterns/*.yaml adds an example next to it; this file is what
checks it, with no Python to write.
"""
import pytest

from parindex.model.normalize import fold_tones
from parindex.extract.rules import load_rules
from parindex.extract.units import find_units, rows_type
from parindex.extract.values import find_values

RULES = load_rules()
VALUE_EXAMPLES = [(rule, ex) for rule in RULES.values for ex in rule.examples]
VALUE_REJECTS = [(rule, text) for rule in RULES.values for text in rule.reject]


def _read(rule, text):
    """What this rule alone reads from text: {field: value}."""
    got = {}
    for v in find_values(fold_tones(text), RULES):
        if v.rule != rule.id:
            continue
        if v.kind == "rank_list":
            got["ranks"] = v.value
        elif v.kind == "score_list":
            got["scores"] = v.value
        elif v.kind == "rank":
            got.setdefault("rank", v.value)
            if v.extra.get("total"):
                got["total"] = v.extra["total"]
        elif v.kind == "rank_last":
            got["from_bottom"] = v.value
        elif v.kind == "two_positions":
            got.update({"to": v.value, "from": v.extra["from"]})
            if v.extra.get("year"):
                got["year"] = v.extra["year"]
        elif v.kind == "total":
            got["total"] = v.value
        elif v.kind == "change":
            got["amount"] = abs(v.value)
        elif v.kind in ("score",):
            got.setdefault("score", v.value)
        elif v.kind == "band":
            got["band"] = v.value
        elif v.kind in ("year", "year_compare"):
            got["year"] = v.value
        elif v.kind == "year_before":
            got["year_before"] = v.value
        got["_fired"] = True
    return got


def test_every_value_rule_has_examples():
    missing = [r.id for r in RULES.values if not r.examples]
    assert not missing, f"rules without examples: {missing}"


@pytest.mark.parametrize("rule,example", VALUE_EXAMPLES, ids=[f"{r.id}:{e['text'][:30]}" for r, e in VALUE_EXAMPLES])
def test_value_rule_reads_its_examples(rule, example):
    got = _read(rule, example["text"])
    assert got.get("_fired"), f"{rule.id} did not fire on {example['text']!r}"
    for field, value in example["expect"].items():
        if field == "scores":
            assert got["scores"][:len(value)] == value
        else:
            assert got.get(field) == value, f"{rule.id} read {field}={got.get(field)!r} from {example['text']!r}"


@pytest.mark.parametrize("rule,text", VALUE_REJECTS, ids=[f"{r.id}:{t[:30]}" for r, t in VALUE_REJECTS])
def test_value_rule_ignores_its_counter_examples(rule, text):
    assert not _read(rule, text), f"{rule.id} fired on {text!r}"


@pytest.mark.parametrize("example", RULES.unit_examples, ids=[e["text"][:40] for e in RULES.unit_examples])
def test_unit_rules_find_exactly_the_listed_units(example):
    # (a row of a list written line by line takes its type from the heading line above it)
    row_type = rows_type(example["heading"], RULES) if "heading" in example else None
    found = [u.text for u in find_units(example["text"], RULES, row_type=row_type)]
    assert found == example["units"]


def test_index_names_are_read():
    from parindex.extract.values import find_indexes
    assert find_indexes(fold_tones("Chỉ số hài lòng của người dân (SIPAS) năm 2023"))[0][2] == "SIPAS"
    assert find_indexes(fold_tones("Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh"))[0][2] == "PAPI"
    assert find_indexes(fold_tones("Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"))[0][2] == "PCI"
    assert find_indexes(fold_tones("chỉ số năng lực cạnh tranh cấp sở, ngành"))[0][2] == "DDCI"
    assert find_indexes(fold_tones("Chỉ số cải cách hành chính (PAR INDEX)"))[0][2] == "PAR"


def _marker_cases(kind):
    from parindex.model.loading import read_yaml
    from parindex.extract.rules import PATTERNS_DIR
    markers = read_yaml((PATTERNS_DIR / "values.yaml").read_text(encoding="utf-8"))["markers"]
    return [(name, text) for name, m in markers.items() if isinstance(m, dict) for text in m.get(kind, [])]


@pytest.mark.parametrize("name,text", _marker_cases("examples"), ids=lambda x: str(x)[:40])
def test_marker_finds_its_examples(name, text):
    assert RULES.markers[name].search(fold_tones(text)), f"markers.{name} missed {text!r}"


@pytest.mark.parametrize("name,text", _marker_cases("reject"), ids=lambda x: str(x)[:40])
def test_marker_ignores_its_counter_examples(name, text):
    assert not RULES.markers[name].search(fold_tones(text)), f"markers.{name} fired on {text!r}"
