"""A sentence and the facts it must give: the check of tests/data/phrasings.yaml and of the
sentence examples the rules of patterns/ carry.

A case: `text` (one paragraph, or several lines), an optional `title` and `published` (the
article's date, YYYY-MM-DD), and `facts`, each a unit
with the fields it must have (fields not listed are not checked); `only: true` means these facts
and no other; `none: true` means no fact at all."""
from parindex.extract.facts import extract_text_facts
from parindex.model.normalize import unit_key


def _matches(fact, want):
    if unit_key(fact["unit"]) != unit_key(want["unit"]):
        return False
    return all(fact.get(k) == v for k, v in want.items() if k not in ("unit",) and k in ("year", "index")
               ) if ("year" in want or "index" in want) else True


def assert_gives(case):
    facts = extract_text_facts(case["text"], case.get("title"), published=case.get("published"))
    if case.get("none"):
        assert facts == [], f"expected no fact, got {facts}"
        return
    if case.get("only"):   # these facts and no other: the rest of the sentence is context
        assert len(facts) == len(case["facts"]), f"expected only {case['facts']}, got {[f['unit'] for f in facts]}"
    for want in case["facts"]:
        found = [f for f in facts if _matches(f, want)]
        assert found, f"no fact for {want['unit']} {want.get('year', '')} in {[(f['unit'], f['year'], f['index']) for f in facts]}"
        fact = found[0]
        for field, value in want.items():
            if field == "unit":
                continue
            assert fact[field] == value, f"{want['unit']}: {field} is {fact[field]!r}, expected {value!r}"
