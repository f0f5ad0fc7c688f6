"""Values in a sentence: ranks, group sizes, changes, scores, bands, years, index names.

Regular expressions from patterns/values.yaml, run on the tone-folded sentence (same length
as the sentence, so offsets hold).
"""
import functools
import re
from dataclasses import dataclass, field

from parindex.extract.rules import Rules, load_rules
from parindex.extract.screen import index_rules, rule_matches
from parindex.model.lowercase import lower_twin

_NUM_IN_LIST = r"\d{1,3}|(?:{compound_number})|nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười"


_FRACTION = re.compile(r"(\d{1,3})\s*/\s*(\d{1,3})")


@functools.lru_cache(maxsize=4)
def _numbers_in_list(compound: str) -> re.Pattern:
    """The places of a list, numbers of two words first ("thứ mười chín và hai mươi")."""
    return re.compile(_NUM_IN_LIST.replace("{compound_number}", compound), re.IGNORECASE)


@dataclass
class Value:
    kind: str            # rank, rank_last (value: the place from the bottom, 1 the last), rank_list,
                         # two_positions, total, change, change_list, score, band, year, year_compare,
                         # year_before (value -1: the year before the one in context)
    start: int
    end: int
    rule: str
    value: object = None          # int/float, or a list for rank_list, change_list, score_list
    extra: dict = field(default_factory=dict)
    explicit: bool = True         # a number stated, not a cue word ("dẫn đầu")


def _number(rules: Rules, digits, word):
    if digits:
        return int(digits)
    if word:
        return _number_word(rules, word.lower())
    return None


def _number_word(rules: Rules, word: str):
    """'ba' 3, 'mười một' 11, 'ba mươi hai' 32, 'hai mươi mốt' 21 (values.yaml, numbers)."""
    parts = word.split()
    if len(parts) == 1:
        return rules.numbers.get(word)
    if parts[0] == "mười":   # "mười một", "mười lăm"
        tens, rest = 1, parts[1:]
    elif len(parts) >= 2 and parts[1] == "mươi":   # "ba mươi", "ba mươi hai"
        tens, rest = rules.numbers.get(parts[0]), parts[2:]
    else:
        return None
    units = rules.numbers.get(rest[0]) if rest else 0
    return None if tens is None or units is None else tens * 10 + units


def _count(rules: Rules, text):
    """A count in digits or in words: '17', 'mười bảy'."""
    if not text:
        return None
    return int(text) if text.isdigit() else _number_word(rules, " ".join(text.lower().split()))


def _decimal(text: str) -> float:
    return float(text.replace(",", ".").replace(" ", ""))


def find_values(folded: str, rules: Rules | None = None) -> list[Value]:
    """Every value mention of the (tone-folded) sentence, in order, overlaps resolved."""
    rules = rules or load_rules()
    found = []
    for rule, matches in rule_matches(folded, rules):
        for m in matches:
            g = m.groupdict()
            if rule.kind == "rank":
                if rule.value is not None:
                    found.append(Value("rank", m.start(), m.end(), rule.id, rule.value, explicit=False))
                else:
                    rank = _number(rules, g.get("rank"), g.get("word"))
                    total = _count(rules, g.get("total"))   # "thứ 2/17", "thứ hai trên mười bảy bộ"
                    extra = {"total": total} if total else {}
                    if rule.owner:
                        extra["owner"] = rule.owner
                    if rank:
                        # a list item's number starts at the number, not at the ";" before it
                        start = m.start("rank") if rule.owner else m.start()
                        found.append(Value("rank", start, m.end(), rule.id, rank, extra, explicit=not rule.weak))
            elif rule.kind == "rank_last":
                # the place counted from the bottom: 1 the last ("xếp cuối"), 2 the one above it
                place = rule.value or _number(rules, g.get("rank"), g.get("word")) or 1
                found.append(Value("rank_last", m.start(), m.end(), rule.id, place, explicit=False))
            elif rule.kind == "rank_list":
                if g.get("lo"):   # a run of places by its ends: "từ 4 đến 6"
                    low, high = int(g["lo"]), int(g["hi"])
                    if 0 < low < high <= low + 20:
                        found.append(Value("rank_list", m.start(), m.end(), rule.id, list(range(low, high + 1))))
                    continue
                fractions = _FRACTION.findall(m.group(0))
                if len(fractions) > 1 and len({t for _, t in fractions}) == 1:
                    # "lần lượt xếp thứ 21/63, 27/63 và 30/63": the places of one group
                    found.append(Value("rank_list", m.start(), m.end(), rule.id, [int(r) for r, _ in fractions],
                                       {"total": int(fractions[0][1])}))
                    continue
                places = folded[m.start():m.start("total") - 1] if g.get("total") else m.group(0)
                listed = _numbers_in_list(rules.value_source["compound_number"]).findall(places)
                ranks = [_number(rules, t if t.isdigit() else None, None if t.isdigit() else t) for t in listed]
                if len({t.isdigit() for t in listed}) > 1:
                    continue   # "thứ 17, năm 2023": a rank then a year, not a list
                extra = {"total": int(g["total"])} if g.get("total") else {}
                found.append(Value("rank_list", m.start(), m.end(), rule.id, ranks, extra))
            elif rule.kind == "two_positions":
                year = g.get("year") or g.get("pyear")
                extra = {"from": int(g["from"]), "year": int(year) if year else None}
                found.append(Value("two_positions", m.start(), m.end(), rule.id, int(g["to"]), extra))
            elif rule.kind == "total":
                total = _count(rules, g["total"])
                if total:
                    found.append(Value("total", m.start(), m.end(), rule.id, total))
            elif rule.kind == "change":
                amount = _number(rules, g.get("amount"), g.get("word"))
                if amount is not None:
                    found.append(Value("change", m.start(), m.end(), rule.id, rule.sign * amount))
            elif rule.kind == "change_list":
                moves = [rule.sign * int(n) for n in re.findall(r"\d+", g["list"])]
                found.append(Value("change_list", m.start(), m.end(), rule.id, moves))
            elif rule.kind == "change_zero":
                found.append(Value("change", m.start(), m.end(), rule.id, 0, explicit=False))
            elif rule.kind == "score":
                score = _decimal(g["score"])
                # up to 1000: some indexes have their own scale (a DTI of 407,64 points); the
                # fact's index decides what is possible (model's validity check)
                if not 0 < score <= 1000 or rules.markers["not_a_score_after"].search(folded[m.end("score"):m.end("score") + 30]):
                    continue
                extra = _previous(folded, m.start("score"), m.end())
                # "tổng điểm 69,63/100": a total on the index's own scale is the index
                on_scale = "/" in folded[m.end("score"):m.end()]
                if not extra and not on_scale and _subtotal(folded, m.start("score"), rules):
                    extra = {"subtotal": True}
                if extra or on_scale or not _not_a_score(folded, m.start("score"), rules):
                    if rule.owner:
                        extra = {**extra, "owner": rule.owner}
                    found.append(Value("score", m.start("score"), m.end(), rule.id, score, extra))
            elif rule.kind == "score_list":
                # the list itself, not the words that lead to it ("lần lượt xếp thứ 1, 2 với ...")
                at = "list" if g.get("list") else 0
                scores = [_decimal(x) for x in re.findall(r"\d{1,3}[.,]\d{1,3}", m.group(at))]
                found.append(Value("score_list", m.start(at), m.end(), rule.id, scores))
            elif rule.kind == "band":
                band = _decimal(g["band"])
                if 0 < band <= 100:
                    found.append(Value("band", m.start(), m.end(), rule.id, band))
            elif rule.kind in ("year", "year_compare"):
                found.append(Value(rule.kind, m.start("year"), m.end("year"), rule.id, int(g["year"])))
            elif rule.kind == "year_before":
                # years back from the year in context (resolved there): "năm trước" -1, "năm nay" 0
                # ("kỳ đánh giá trước" is the evaluation before, whatever the calendar says)
                found.append(Value("year_before", m.start(), m.end(), rule.id, -1 if g.get("before") or g.get("round") else 0,
                                   {"round": True} if g.get("round") else {}))
    return _resolve_overlaps(_runs_only(found, rules))


@functools.lru_cache(maxsize=4)
def _run_rule_ids(rules: Rules) -> frozenset:
    return frozenset(r.id for r in rules.values if r.run)


def _runs_only(found: list, rules: Rules) -> list:
    """The places of a rule that reads them only as a run (rule.run) where each is next to the
    one before or after it: "A (1), B (2), C (3)", "A (26), B (25)"; "A (85), B (83)" are no
    places (scores, counts)."""
    run_rules = _run_rule_ids(rules)
    if not run_rules or not any(v.rule in run_rules for v in found):
        return found
    drop = set()
    for rule_id in run_rules:
        mine = [v for v in found if v.rule == rule_id]
        for i, v in enumerate(mine):
            near = [w.value for w in mine[max(0, i - 1):i] + mine[i + 1:i + 2]]
            if not any(abs(v.value - n) == 1 for n in near):
                drop.add(id(v))
    return [v for v in found if id(v) not in drop]


_COMPARED = re.compile(r"(?:so với(?:\s+(?:mức|con số|kết quả))?|(?:thấp|cao) hơn(?: so với)?\s+(?:mức|con số))\s*(?:\(\s*)?$")
_OF_YEAR = re.compile(r"^(?:\s*(?:điểm|%))?\s*(?:của|trong|vào|năm)?\s*(?:năm\s+)?((?:19|20)\d\d)")


def _previous(folded, start, end) -> dict:
    """'(88,68 so với 87,54 điểm)', 'so với mức 42,40 điểm của năm 2018': the score of the year
    the result is compared with, not this year's."""
    if not _COMPARED.search(folded[max(0, start - 25):start]):
        return {}
    m = _OF_YEAR.match(folded[end:end + 25])
    return {"previous": True, "year": int(m.group(1)) if m else None}


def _subtotal(folded, start, rules) -> bool:
    piece = re.split(r"[;,(:]|\bvà\b", folded[max(0, start - 40):start])[-1]
    return bool(rules.markers["subtotal"].search(piece))


def _not_a_score(folded, start, rules):
    """'tăng 3,14%', 'điểm thẩm định đạt 58,2', 'giá trị trung bình ... đạt 85.17%': not the index."""
    before = folded[max(0, start - 40):start]
    piece = re.split(r"[;,(:]|\bvà\b", before)[-1]
    if rules.markers["not_a_score"].search(piece):
        return True
    # an average is stated near its figure: look back in the clause, at most a few lines of it
    clause = folded[max(0, start - 300):start].rsplit(";", 1)[-1]
    return bool(rules.markers["average"].search(clause))


def _resolve_overlaps(values):
    """Two mentions of one stretch of text: keep the one that reads it best.

    A rank and a change of rank may share words ("tiếp tục dẫn đầu" is rank 1 and no change);
    otherwise a rank list beats the ranks inside it, a fraction beats the group size inside
    it, a comparison year beats the year inside it, and of two of a kind the longer wins.
    """
    values.sort(key=lambda v: (v.start, -(v.end - v.start)))
    kept = []
    for v in sorted(values, key=lambda v: -(v.end - v.start)):
        clash = [k for k in kept if k.start < v.end and v.start < k.end]
        if any(_beats(k, v) for k in clash):
            continue
        kept.append(v)
    return sorted(kept, key=lambda v: v.start)


def _beats(k: Value, v: Value) -> bool:
    """Does the kept mention k make v redundant?"""
    if k.kind == v.kind:
        return True
    if v.kind in ("rank", "rank_last") and k.kind in ("rank_list", "two_positions"):
        return True
    if v.kind == "rank" and k.kind == "rank_last":
        return True   # "thứ hai từ dưới lên": the number counts from the bottom
    if v.kind == "rank" and k.kind == "rank":
        return True
    if v.kind == "total" and k.kind == "rank" and k.extra.get("total"):
        return True
    if v.kind == "year" and k.kind == "year_compare":
        return True
    if v.kind in ("score", "band") and k.kind in ("score", "band", "score_list", "rank", "total"):
        return True
    if v.kind == "score" and k.kind == "score_list":
        return True
    if v.kind == "change" and k.kind in ("change", "change_list"):
        return True
    return False


def find_indexes(folded: str, rules: Rules | None = None):
    """(start, end, index, rule id) of every index name in the text."""
    rules = rules or load_rules()
    out = []
    # lowered once for all index names (only their offsets are read); the rules whose anchors
    # the sentence lacks are not run
    lowered, named = index_rules(folded, rules)
    for rule_id, index, regex in named:
        twin = lower_twin(regex.pattern) if lowered is not None and regex.flags & re.IGNORECASE else None
        for m in (regex.finditer(folded) if twin is None else twin.finditer(lowered)):
            if not any(s < m.end() and m.start() < e for s, e, _, _ in out):
                out.append((m.start(), m.end(), index, rule_id))
    return sorted(out)
