"""A sample of bench/fuzz.py's hostile inputs in every test run: each ends with facts that can be
true or one ExtractError line, never another exception. bench/fuzz.py runs 10,000 of them."""
import importlib.util
from pathlib import Path

import pytest

from parindex.extract import ExtractError, extract_document
from parindex.model.validity import problems

_spec = importlib.util.spec_from_file_location("fuzz", Path(__file__).resolve().parent.parent / "bench" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

SAMPLE = list(fuzz.inputs(270, seed=20261207))


@pytest.mark.parametrize("label,data", SAMPLE, ids=[label for label, _ in SAMPLE])
def test_a_hostile_input_ends_with_possible_facts_or_one_line(label, data):
    try:
        doc = extract_document(data, name=label)
    except ExtractError as err:
        assert str(err) and "\n" not in str(err)
        return
    for fact in doc["facts"]:
        assert not problems(fact), (fact["unit"], problems(fact))
        assert doc["text"][fact["start"]:fact["end"]] == fact["evidence"]
