"""Every rule in patterns/ carries its own examples; they must hold.

A person who adds a phrasing to patterns/*.yaml adds an example next to it; this file is what
checks it, with no Python to write.
"""
import pytest

from _phrasings import assert_gives
from parindex.model.loading import read_patterns
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
            if v.extra.get("total"):
                got["total"] = v.extra["total"]
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
        elif v.kind == "change_list":
            got["changes"] = v.value
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
    # the provincial green index (PGI), published beside PCI, is another index (FACTS.md 10)
    assert [i[2] for i in find_indexes(fold_tones("Chỉ số Xanh cấp tỉnh (PGI) năm 2023"))] == ["OTHER", "OTHER"]


def _marker_cases(kind):
    """A marker's examples (or rejects) that are words it must find (must not find); those with
    their facts are whole sentences, read below."""
    markers = read_patterns("values.yaml")["markers"]
    return [(name, text) for name, m in markers.items() if isinstance(m, dict)
            for text in m.get(kind, []) if isinstance(text, str)]


@pytest.mark.parametrize("name,text", _marker_cases("examples"), ids=lambda x: str(x)[:40])
def test_marker_finds_its_examples(name, text):
    assert RULES.markers[name].search(fold_tones(text)), f"markers.{name} missed {text!r}"


@pytest.mark.parametrize("name,text", _marker_cases("reject"), ids=lambda x: str(x)[:40])
def test_marker_ignores_its_counter_examples(name, text):
    assert not RULES.markers[name].search(fold_tones(text)), f"markers.{name} fired on {text!r}"


# ---- central agencies' abbreviations (units.yaml, unit.central_agency.short): one list, read
# by the unit rules for the names and by model/register_agencies.py for the official name
ABBREVIATED = [rule for rule in RULES.named if rule.get("abbreviations")]
OFFICIAL_EXAMPLES = [(unit, official) for rule in ABBREVIATED for unit, official in rule.get("official_examples", {}).items()]


def test_every_abbreviated_name_is_written_with_listed_abbreviations():
    from parindex.model.register_agencies import _ABBREVIATION
    assert ABBREVIATED, "no rule lists its abbreviations"
    for rule in ABBREVIATED:
        listed = set(rule["abbreviations"])
        used = {word for name in rule["names"] for word in _ABBREVIATION.findall(name)}
        assert used - listed == set(), f"{rule['id']}: names use abbreviations it does not spell out"
        assert listed - used == set(), f"{rule['id']}: abbreviations no name uses"


@pytest.mark.parametrize("unit,official", OFFICIAL_EXAMPLES, ids=[u for u, _ in OFFICIAL_EXAMPLES])
def test_abbreviated_agency_gets_its_official_name(unit, official):
    from parindex.model.register_agencies import official_agency_name
    assert official_agency_name(unit, "central_agency") == official


# ---- sentence examples: a rule that is not a regular expression over a phrase of its own (a
# list of words, a rule of assembly) carries whole sentences, each with the facts it must give
# ({text, title, facts, only, none}: tests/_phrasings.py), in its examples (the rule at work) and
# its reject (the rule rightly not at work), wherever it lives in patterns/
def _sentence_examples():
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, dict) and "text" in item and ("facts" in item or "none" in item):
                    found.append((f"{where}[{i}]", item))
                else:
                    walk(item, f"{where}[{item['id']}]" if isinstance(item, dict) and "id" in item else f"{where}[{i}]")

    for name in ("units.yaml", "values.yaml"):
        walk(read_patterns(name), name.removesuffix(".yaml"))
    return found


SENTENCE_EXAMPLES = _sentence_examples()


@pytest.mark.parametrize("where,case", SENTENCE_EXAMPLES, ids=[w for w, _ in SENTENCE_EXAMPLES])
def test_rule_sentence_gives_its_facts(where, case):
    assert_gives(case)
