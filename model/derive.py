"""The derived fields of facts, computed from their claims: the unit key and the register link.

    derive(facts)                       -> [{"unit_key", "unit_code", ..., "candidates"}, ...]
    derive([fact], {"facts": others})   # one fact, with the other facts of its article

The store calls it on every write of a fact (a new extraction, a reviewer's correction, an
undo), so a stored fact's keys and link always follow its claims. It never changes a claim:
filling a province the register makes certain is the extractor's business (link_facts).
"""
from parindex.model.catalogue import DERIVED_FIELDS
from parindex.model.linker import LINK_FIELDS, link_facts
from parindex.model.normalize import unit_key

assert set(DERIVED_FIELDS) == {"unit_key", *LINK_FIELDS}, "the catalogue and the linker disagree"


def derive(facts, context: dict | None = None) -> list[dict]:
    """The derived fields of each fact, in order. The facts are one article's, each the others'
    context; `context` adds what else the article says ({"facts": [...], "province": ...})."""
    facts = list(facts)
    linked = link_facts(facts, context) if facts else []
    return [{"unit_key": unit_key(fact.get("unit") or ""), **{name: link[name] for name in LINK_FIELDS}}
            for fact, link in zip(facts, linked)]
