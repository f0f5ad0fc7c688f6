"""The one validity check of a fact: what no true fact can be.

    problems({"unit": "xã Kim Anh", "level": "commune", "index": "PAR", "year": 2049, "rank": 0})
    -> {"year": "the evaluated year of PAR lies between 2001 and 2027", "rank": "a rank starts at 1"}

The store refuses a fact that has problems (an extracted one is left out and counted, a
reviewer's correction is refused), and the review form shows them beside the fields they
name; the extractor may call it on what it found. One reason per field, in words a reviewer
reads.
"""
import math
from collections.abc import Mapping
from datetime import date

from parindex.model.catalogue import INDEX, INDEXES, LEVELS, STANDING, first_year


def last_year(today: date | None = None) -> int:
    """Results are published after the year they evaluate: next year is the last possible."""
    return (today or date.today()).year + 1


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def problems(fact: Mapping, today: date | None = None) -> dict[str, str]:
    """{field: why it is impossible} for a fact's claims; {} when the fact can be true."""
    errors: dict[str, str] = {}

    def fail(name, message):
        errors.setdefault(name, message)

    unit = fact.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        fail("unit", "the unit cannot be empty")
    if fact.get("level") not in LEVELS:
        fail("level", f"level must be one of {', '.join(LEVELS)}")
    index = fact.get("index")
    if index not in INDEXES:
        fail("index", f"index must be one of {', '.join(INDEXES)}")
    year, first, last = fact.get("year"), first_year(index), last_year(today)
    if not _whole(year) or not first <= year <= last:
        about = f"of {index} " if index in INDEX else ""
        fail("year", f"the evaluated year {about}lies between {first} and {last}")

    for name in ("rank", "rank_total", "rank_change"):
        if fact.get(name) is not None and not _whole(fact[name]):
            fail(name, f"{name.replace('_', ' ')} must be a whole number")
    rank, total, change = (fact.get(n) if _whole(fact.get(n)) else None
                           for n in ("rank", "rank_total", "rank_change"))
    if total is not None and total < 1:
        fail("rank_total", "a ranked group has at least one member")
    if rank is not None and rank < 1:
        fail("rank", "a rank starts at 1")
    elif rank is not None and total is not None and total >= 1 and rank > total:
        fail("rank", f"rank {rank} is beyond the {total} ranked")
    if change is not None and total is not None and total >= 1 and abs(change) >= total:
        fail("rank_change", f"a move of {abs(change)} places is impossible in a group of {total}")

    top = INDEX[index].score_max if index in INDEX else max(i.score_max for i in INDEX.values())
    for name in ("score", "score_min"):
        value = fact.get(name)
        if value is None:
            continue
        if not _number(value) or not 0 < value <= top:
            scale = f"a {index} score" if index in INDEX else "a score"
            fail(name, f"{scale} lies above 0 and at most {top:g}")
    if all(fact.get(name) is None for name in STANDING):
        fail("rank", "a fact needs at least one of rank, rank total, rank change, score or band")
    return errors


def is_valid(fact: Mapping, today: date | None = None) -> bool:
    return not problems(fact, today)
