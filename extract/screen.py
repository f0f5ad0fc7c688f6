"""The value rules, read cheaply: only the rules a sentence has the words for.

    if may_state(folded, rules):                         # can any value rule match?
        for rule, matches in rule_matches(folded, rules):  # what extract.values reads
            for match in matches: ...

Most sentences of a long article state no value (the province's reform work, its dates and
counts), and most value rules cannot match a given sentence. Each rule has **anchors**: strings
one of which every match of the rule contains ("bậc" or "hạng" for a change of rank, "so với"
for a compared year), read off the rule's own regular expression, so they follow patterns/
without a second list to keep. A sentence runs the rules whose anchors it contains, and no
other; a sentence with none states no value. A rule needs more than one thing ("thứ" and "0/0",
a group noun and a digit): it runs only where each of the anchor sets it needs has one in the
sentence, so the common words some anchors are ("là", "có", "huyện") do not let a rule run on
their own. The screen never loses a match: a rule whose anchors cannot be read (it may match
anything) always runs, and so every sentence passes the screen while such a rule exists.

The rules are compiled with IGNORECASE (extract/rules.py), which makes the engine compare every
character both ways; here they run as their lower-case twins (model/lowercase.py) on the
sentence lower-cased once: the same matches at the same offsets in about a third of the time.
Group values come out in lower case, which is how extract.values reads words and numbers
anyway. A rule with inline flags, and a text lower-casing would not serve (model.topic.lower_text),
are read with the rule as compiled.
"""
import functools
import re
import re._constants as sre   # the parsed form of a rule, where its anchors are read
import re._parser as sre_parse
from dataclasses import dataclass

from parindex.extract.rules import Rules
from parindex.model.lowercase import lower_text, lower_twin

MAX_SPELLINGS = 64   # a run of literals with more spellings than this is not an anchor
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


def _shape(lowered: str) -> str:
    """What anchors are looked for in: the lower-cased text with every digit a 0 and every run
    of spaces one space (so "\\d{1,2}\\s*/\\s*\\d{1,3}" has the anchors "0/0", "0 / 0" ...)."""
    return _SPACES.sub(" ", _DIGIT.sub("0", lowered))


@dataclass(frozen=True)
class _Rule:
    rule: object                  # extract.rules.ValueRule
    twin: re.Pattern | None       # its lower-case twin; None: read with rule.regex
    anchors: frozenset | None     # one of them is in the shape of every match; None: none known
    needs: tuple = ()             # more sets like anchors, each needed as well (anchor_sets)

    def may_match(self, present: set) -> bool:
        """present: the anchors and needed strings (of every rule) that the sentence's shape
        contains (_Screen.finder)."""
        return self.anchors is None or (not self.anchors.isdisjoint(present)
                                         and all(not need.isdisjoint(present) for need in self.needs))


@dataclass(frozen=True)
class _Screen:
    rules: tuple                  # _Rule, in file order
    anchors: tuple                # every rule's anchors, longest first
    every: bool                   # every rule has anchors (else every sentence may state a value)
    ruled: dict = None            # anchor -> the places (in rules) of the rules it is an anchor of
    unanchored: tuple = ()        # the places of the rules without anchors (they always run)
    finder: "Finder" = None       # the anchors and the strings each rule needs besides (_Rule.needs)


@functools.lru_cache(maxsize=4)
def _screen(rules: Rules) -> _Screen:
    prepared = []
    for rule in rules.values:
        found = anchors(rule.regex.pattern)
        needs = tuple(need for need in anchor_sets(rule.regex.pattern) if found and need != frozenset(found))
        prepared.append(_Rule(rule, lower_twin(rule.regex.pattern), frozenset(found) if found else None, needs))
    words = tuple(sorted({a for p in prepared for a in p.anchors or ()}, key=len, reverse=True))
    ruled = {a: tuple(i for i, p in enumerate(prepared) if p.anchors and a in p.anchors) for a in words}
    return _Screen(tuple(prepared), words, all(p.anchors is not None for p in prepared), ruled,
                   tuple(i for i, p in enumerate(prepared) if p.anchors is None),
                   Finder(set(words).union(*(need for p in prepared for need in p.needs))))


class Finder:
    """Which of some words a text contains, from one pass of the engine over it instead of one
    search for each word. Its pattern finds, at each place of the text, the longest word that
    starts there (a look-ahead, so that every place is tried): the words as a tree of their
    letters, each branch tried before the word that ends at its fork. Every word the text
    contains is then in a found one (it starts where a found one starts, and is that one's
    beginning), so the words it contains are those the found ones contain."""

    def __init__(self, words):
        self.words = tuple(words)
        self.regex = re.compile(f"(?=({self._branches(self._tree(self.words))}))")
        self._within = {}   # a found word -> the words it contains, itself too (when first found)

    def contained(self, text: str) -> set:
        return set().union(*map(self._within_of, set(self.regex.findall(text))))

    def _within_of(self, found: str) -> frozenset:
        within = self._within.get(found)
        if within is None:
            within = self._within[found] = frozenset(w for w in self.words if w in found)
        return within

    @staticmethod
    def _tree(words) -> dict:
        tree = {}
        for word in words:
            node = tree
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}   # a word ends here
        return tree

    @classmethod
    def _branches(cls, node) -> str:
        alternatives = [re.escape(ch) + cls._branches(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body


def prepare(rules: Rules) -> None:
    """Analyse the rules now (0.1 s), not on the first sentence with a digit."""
    _screen(rules)
    _index_screen(rules)


def may_state(folded: str, rules: Rules) -> bool:
    """Can a value rule match this sentence (folded: its tone-folded form)?
    The anchors decide alone: a hand-written list of ranking words before them lost every
    word that list lacked ("xếp hạng nhì", "về nhì", "ngôi đầu", "áp chót")."""
    if not _screen(rules).every or lower_text(folded) is None:
        return True
    return bool(_runs(folded, rules)[1])


@functools.lru_cache(maxsize=64)   # the value rules, then the index names, read the same sentence
def _lowered(folded: str) -> tuple:
    """The sentence lower-cased (None: read it with the rules as compiled) and its shape."""
    lowered = lower_text(folded)
    return lowered, None if lowered is None else _shape(lowered)


@functools.lru_cache(maxsize=64)   # may_state, then rule_matches, ask about the same sentence
def _runs(folded: str, rules: Rules) -> tuple:
    """The sentence lower-cased, and the rules (_Rule) that may match it, in file order: of the
    rules one of whose anchors it has (screen.ruled), those that it has every other part of;
    and the rules without anchors."""
    screen = _screen(rules)
    lowered, shape = _lowered(folded)
    present = screen.finder.contained(shape)
    places = sorted({i for a in present for i in screen.ruled.get(a, ())}.union(screen.unanchored))
    return lowered, tuple(p for p in (screen.rules[i] for i in places) if p.may_match(present))


def rule_matches(folded: str, rules: Rules) -> list:
    """(rule, its matches left to right), in file order, for the value rules that may match the
    sentence, as `rule.regex.finditer(folded)` gives them; a rule the sentence lacks a needed
    anchor of is left out (it would give none)."""
    if lower_text(folded) is None:
        return [(rule, rule.regex.finditer(folded)) for rule in rules.values]
    lowered, runs = _runs(folded, rules)
    return [(p.rule, p.rule.regex.finditer(folded) if p.twin is None else p.twin.finditer(lowered)) for p in runs]


@functools.lru_cache(maxsize=4)
def _index_screen(rules: Rules) -> tuple:
    """The index names' rules (rules.indexes) with their anchors, as _screen has the value rules'."""
    out = []
    for rule in rules.indexes:
        pattern = rule[2].pattern
        found = anchors(pattern)
        needs = tuple(need for need in anchor_sets(pattern) if found and need != frozenset(found))
        out.append((rule, frozenset(found) if found else None, needs))
    return tuple(out)


def index_rules(folded: str, rules: Rules) -> tuple[str | None, list]:
    """The sentence lower-cased (None: read it with the rules as compiled), and the rules of
    rules.indexes, in file order, that may name an index in it: an index name without one of
    its rule's anchors in the sentence is none (on the bench's pages one sentence in six has any)."""
    lowered, shape = _lowered(folded)
    screen = _index_screen(rules)
    if shape is None:
        return lowered, [rule for rule, _, _ in screen]
    return lowered, [rule for rule, found, needs in screen
                     if found is None or (any(a in shape for a in found)
                                          and all(any(a in shape for a in need) for need in needs))]


# Anchors: read off the parsed pattern, in the shape of the text (lower case, digits as 0).
# `_exact` gives the strings an item matches exactly (a literal, a digit, a class of a few
# letters, a short repeat, alternatives of those); `_needed` the strings one of which any match
# of an item contains. A sequence needs what any of its parts needs: the run of
# exact parts or the part whose shortest string is longest is taken. Zero-width parts (\b,
# lookarounds) are skipped: what is matched around them is still one piece of text.

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)


def anchors(pattern: str) -> tuple | None:
    """Strings one of which the shape (`_shape`) of every match of `pattern` (IGNORECASE)
    contains, or None."""
    found = _top_level(pattern)
    best = max(found, key=_telling) if found else None
    if not best or not all(best):
        return None
    return tuple(sorted(_fewest(best)))


def anchor_sets(pattern: str) -> tuple:
    """Every set of strings one of which the shape of every match of `pattern` contains, read
    off the parts of its top-level sequence (a rule needs each of them, not only the most
    telling one `anchors` gives); sets implied by another are left out."""
    sets = {frozenset(_fewest(c)) for c in _top_level(pattern) if c and all(c)}
    # a set each of whose strings contains a string of another set says more: keep that one
    return tuple(sorted((a for a in sets if not any(b != a and _implies(b, a) for b in sets)),
                        key=lambda a: sorted(a)))


@functools.lru_cache(maxsize=256)
def _top_level(pattern: str) -> tuple:
    """The sets of strings the parts of the pattern's top-level sequence need (_candidates)."""
    try:
        return tuple(_candidates(list(sre_parse.parse(pattern, re.IGNORECASE))))
    except (re.error, TypeError, ValueError, RecursionError):
        return ()


def _implies(a: frozenset, b: frozenset) -> bool:
    """Does a text with one of a's strings always have one of b's?"""
    return all(any(y in x for y in b) for x in a)


def _exact(item) -> set | None:
    op, av = item
    if op is sre.LITERAL:
        return {_shape(chr(av).lower())}
    if op is sre.IN:
        if av == [(sre.CATEGORY, sre.CATEGORY_DIGIT)] or av == [(sre.RANGE, (48, 57))]:
            return {"0"}
        if av == [(sre.CATEGORY, sre.CATEGORY_SPACE)]:
            return {" "}
        if len(av) <= 8 and all(o is sre.LITERAL for o, _ in av):
            return {_shape(chr(code).lower()) for _, code in av}
        return None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        once = _exact_run(av[2])
        if once == {" "}:
            return {" "} if av[0] >= 1 else {"", " "}   # spaces are one space in the shape
        if once is None or av[1] > 4:
            return None
        out, reps = set(), {""}
        for count in range(av[1] + 1):
            if count >= av[0]:
                out |= reps
            reps = {_join(a, b) for a in reps for b in once}
            if len(out) > MAX_SPELLINGS or len(reps) > MAX_SPELLINGS:
                return None
        return out
    if op is sre.SUBPATTERN:
        return _exact_run(av[3])
    if op is sre.BRANCH:
        out = _every_branch(av[1], _exact_run)
        return out if out is not None and len(out) <= MAX_SPELLINGS else None
    return None


def _every_branch(branches, read) -> set | None:
    """What read() gives for each alternative, together; None when one of them gives None."""
    out = set()
    for branch in branches:
        found = read(branch)
        if found is None:
            return None
        out |= found
    return out


def _exact_run(items) -> set | None:
    out = {""}
    for item in items:
        if item[0] in _ZERO_WIDTH:
            continue   # a lookaround only filters: the text matched is the same
        found = _exact(item)
        if found is None:
            return None
        out = {_join(a, b) for a in out for b in found}
        if len(out) > MAX_SPELLINGS:
            return None
    return out


def _join(a: str, b: str) -> str:
    return a[:-1] + b if a.endswith(" ") and b.startswith(" ") else a + b


def _needed(item) -> set | None:
    found = _exact(item)
    if found is not None:
        return found
    op, av = item
    if op is sre.SUBPATTERN:
        return _needed_in(av[3])
    if op is sre.ATOMIC_GROUP:
        return _needed_in(av)
    if op is sre.BRANCH:
        return _every_branch(av[1], _needed_in)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _needed_in(av[2]) if av[0] >= 1 else None
    return None


def _needed_in(items) -> set | None:
    candidates = _candidates(items)
    return max(candidates, key=_telling) if candidates else None


def _candidates(items) -> list:
    """Sets of strings a match of the sequence `items` needs one of each."""
    candidates, run = [], []
    for item in items:
        if item[0] in _ZERO_WIDTH:
            continue   # what is matched around it is one piece of text
        found = _exact(item)
        if found is not None:
            run.append(found)
            continue
        candidates += _pieces(run)
        run = []
        needed = _needed(item)
        if needed and all(needed):
            candidates.append(_fewest(needed))
    candidates += _pieces(run)
    return candidates


def _pieces(run: list) -> list:
    """Every stretch of consecutive exact parts, as the strings it can be (small ones only)."""
    out = []
    for i in range(len(run)):
        strings = {""}
        for part in run[i:]:
            strings = {_join(a, b) for a in strings for b in part}
            if len(strings) > MAX_SPELLINGS:
                break
            if all(strings):
                out.append(_fewest(strings))
    return out


def _fewest(strings: set) -> set:
    """Without the strings that contain another one: a text with "00" has "0"."""
    return {a for a in strings if not any(b != a and b in a for b in strings)}


def _telling(strings: set) -> tuple:
    """How well a set of anchors tells sentences apart: the weight of its lightest string
    (spaces, commas, full stops and digits are everywhere), up to what is telling enough; then
    the fewest strings (each is one more look at every sentence)."""
    weight = min(sum(_WEIGHT.get(ch, 1.0) for ch in a) for a in strings)
    return (min(weight, ENOUGH), -len(strings), weight)


ENOUGH = 2.0   # two letters, or "0/0"
_WEIGHT = {" ": 0.25, ",": 0.25, ".": 0.25, "0": 0.5}
