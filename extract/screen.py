"""The value rules, read cheaply: one combined screen, then each rule on lower-cased text.

    if may_state(sentence.text, folded, rules):       # the screen: can any value rule match?
        for rule, matches in rule_matches(folded, rules):  # what extract.values reads
            for match in matches: ...

A sentence most often states no value at all (a long report on the province's reform work, its
dates and counts): one pattern, the union of every value rule, answers for the whole sentence
whether any rule can match, so the per-value patterns (and after them the unit rules, spaCy)
run only on the sentences that passed it.

The rules are compiled with IGNORECASE (patterns/ is written in any case, extract/rules.py),
which makes the regular-expression engine compare each character both ways. Here they run as
their lower-case twins (model.topic.lower_twin) on the folded sentence lower-cased once: the
same matches at the same offsets (lower-casing keeps the length of Vietnamese text; a text where
it would not falls back to the rules as compiled), in about a third of the time. Group values
come out in lower case, which is how extract.values reads words and numbers anyway.
"""
import functools
import re

from parindex.extract.rules import Rules
from parindex.extract.sentences import CANDIDATE
from parindex.model.topic import lower_twin

_GROUP_NAME = re.compile(r"\(\?P<\w+>")


@functools.lru_cache(maxsize=4)
def _twins(rules: Rules) -> tuple:
    return tuple((rule, lower_twin(rule.regex.pattern)) for rule in rules.values)


@functools.lru_cache(maxsize=4)
def _screen(rules: Rules) -> re.Pattern:
    """Every value rule as one alternation (group names dropped: they repeat across rules).
    It matches a sentence exactly when at least one of the rules does."""
    union = "|".join(f"(?:{_GROUP_NAME.sub('(?:', rule.regex.pattern)})" for rule in rules.values)
    return lower_twin(union)


def _lowered(folded: str) -> str | None:
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else None


def may_state(text: str, folded: str, rules: Rules) -> bool:
    """Can a value rule match this sentence? (text as written, folded its tone-folded form)"""
    if not CANDIDATE.search(text):
        return False   # no digit and no ranking word: not even the screen is needed
    lowered = _lowered(folded)
    if lowered is None:
        return any(rule.regex.search(folded) for rule in rules.values)
    return _screen(rules).search(lowered) is not None


def rule_matches(folded: str, rules: Rules):
    """(rule, its matches left to right) for every value rule in file order: what
    `rule.regex.finditer(folded)` gives, rule after rule."""
    lowered = _lowered(folded)
    if lowered is None:
        return [(rule, rule.regex.finditer(folded)) for rule in rules.values]
    return [(rule, twin.finditer(lowered)) for rule, twin in _twins(rules)]
