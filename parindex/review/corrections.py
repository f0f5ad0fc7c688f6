"""A reviewer's correction of a fact: read the form, check it, keep only what changed.

The rules are those of a fact record (FACTS.md): a known level and index, an evaluated
year from 2010 to next year, a rank within its group, and at least one standing.
"""
from collections.abc import Mapping
from datetime import date

from parindex.review.card import CLAIMS

LEVELS = ("province", "district", "commune", "department", "central_agency", "ministry")
INDEXES = ("PAR", "SIPAS", "PAPI", "PCI", "DDCI", "OTHER")
FIRST_YEAR = 2010
INTEGERS = ("year", "rank", "rank_total", "rank_change")
DECIMALS = ("score", "score_min")
TEXTS = ("unit", "province", "parent")
STANDING = ("rank", "rank_total", "rank_change", "score", "score_min")


def last_year() -> int:
    return date.today().year + 1


def _number(raw: str, kind):
    # Reviewers type Vietnamese decimals ("85,34") as often as English ones.
    text = raw.strip().replace(" ", "")
    if kind is float:
        text = text.replace(",", ".")
    return kind(text)


def parse(form: Mapping, current: Mapping) -> tuple[dict, dict]:
    """Return (changes, errors): the corrected values that differ from `current`, and
    a message per field that is wrong. Fields missing from the form keep their value."""
    values, errors = dict(current), {}
    for name in CLAIMS:
        if name not in form:
            continue
        raw = (form.get(name) or "").strip()
        if name in TEXTS or name in ("level", "index"):
            values[name] = " ".join(raw.split()) or None
            continue
        if not raw:
            values[name] = None
            continue
        kind = int if name in INTEGERS else float
        try:
            values[name] = _number(raw, kind)
        except ValueError:
            errors[name] = f"{raw!r} is not a {'whole number' if kind is int else 'number'}"
    errors.update(check(values, skip=errors.keys()))
    if errors:
        return {}, errors
    changes = {name: values[name] for name in CLAIMS if values.get(name) != current.get(name)}
    return changes, {}


def check(values: Mapping, skip=()) -> dict:
    """The rules a corrected fact must keep; returns {field: message}."""
    errors = {}

    def fail(name, message):
        if name not in skip and name not in errors:
            errors[name] = message

    if not values.get("unit"):
        fail("unit", "the unit cannot be empty")
    if values.get("level") not in LEVELS:
        fail("level", f"level must be one of {', '.join(LEVELS)}")
    if values.get("index") not in INDEXES:
        fail("index", f"index must be one of {', '.join(INDEXES)}")
    year = values.get("year")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= last_year():
        fail("year", f"the evaluated year must be between {FIRST_YEAR} and {last_year()}")
    rank, total = values.get("rank"), values.get("rank_total")
    if isinstance(rank, int) and rank < 1:
        fail("rank", "a rank starts at 1")
    if isinstance(total, int) and total < 1:
        fail("rank_total", "a group has at least one member")
    if isinstance(rank, int) and isinstance(total, int) and rank > total:
        fail("rank", f"rank {rank} is beyond the {total} ranked")
    for name in DECIMALS:
        value = values.get(name)
        if isinstance(value, float) and not 0 <= value <= 100:
            fail(name, "a score is published between 0 and 100")
    if all(values.get(name) is None for name in STANDING):
        fail("rank", "a fact needs at least one of rank, rank total, rank change, score or band")
    return errors
