"""The sentences the speed-only parts of the extractor (extract/screen.py, extract/units.py's
UnitRuler) are checked on: every sentence of the gold sets, every line of the phrasings, and
every example and counter-example of the value rules. One list, so that each check reads what
the other reads."""
from pathlib import Path

import yaml

from parindex.extract import sentences
from parindex.extract.article import read_article

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def gold_sentences() -> list[str]:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "eval" / "dev").glob("*.html")) \
        + sorted((SHARED / "eval" / "real").glob("*.txt"))
    assert len(files) > 100, "the evaluation sets are missing"
    out = []
    for path in files:
        text = read_article(path.read_bytes(), name=path.name)["text"]
        out += [s.text for s in sentences.split(text)]
    return out


def written_sentences(rules) -> list[str]:
    cases = yaml.safe_load((REPO / "tests" / "data" / "phrasings.yaml").read_text(encoding="utf-8"))["cases"]
    out = [line for case in cases for line in case["text"].split("\n")]
    for rule in rules.values:
        out += [ex["text"] for ex in rule.examples] + list(rule.reject)
    return out
