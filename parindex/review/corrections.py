"""A reviewer's correction of a fact: read the form, check it, keep only what changed.

The fields and their types are the catalogue's (model/catalogue.py) and the rules are the one
validity check of a fact (model/validity.py), which the store applies again when it writes.
"""
from collections.abc import Mapping

from parindex.model.catalogue import CLAIMS, FIELD
from parindex.model.validity import problems


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
        kind = FIELD[name].type
        if kind is str:
            values[name] = " ".join(raw.split()) or None
            continue
        if not raw:
            values[name] = None
            continue
        try:
            values[name] = _number(raw, kind)
        except ValueError:
            errors[name] = f"{raw!r} is not a {'whole number' if kind is int else 'number'}"
    errors.update({name: message for name, message in problems(values).items() if name not in errors})
    if errors:
        return {}, errors
    changes = {name: values[name] for name in CLAIMS if values.get(name) != current.get(name)}
    return changes, {}
