"""Sentences phrased the ways reporters vary them (tests/data/phrasings.yaml) give their facts."""
from pathlib import Path

import pytest
import yaml

from _phrasings import assert_gives

CASES = yaml.safe_load((Path(__file__).parent / "data" / "phrasings.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_phrasing_gives_its_facts(case):
    assert_gives(case)
