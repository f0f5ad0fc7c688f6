"""Tie the values of a sentence to its units: FACTS.md conventions 1-8.

A sentence is cut into clauses at semicolons. In a clause, a value belongs to the nearest
unit before it ("Sở Tư pháp đạt 91,02%, xếp thứ nhất"), or to the first unit after it when
nothing comes before ("Xếp thứ 2 là thị trấn Hậu Nghĩa"). "lần lượt" / "tương ứng" zip a list
of units with a list of values; a band ("nhóm đạt trên 90%") goes to every unit of its group;
"tiếp theo là" lists units without ranks. Years, indexes and group sizes are read per value.
"""
import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass, field

from parindex.model.normalize import fold_tones, unit_key, without_province_type
from parindex.extract.rules import Rules, load_rules
from parindex.extract.units import Unit, compared_with
from parindex.extract.values import Value, find_indexes

FIELDS = ("rank", "rank_total", "rank_change", "score", "score_min")


@dataclass
class Context:
    """What the rest of the article says: defaults for a sentence that leaves them implicit."""
    year: int | None = None             # the article's evaluated year
    index: str = "PAR"                  # the index of the paragraph so far (or the title's)
    province: str | None = None         # the province the article is about, name only
    main: dict = field(default_factory=dict)       # level -> the unit most talked about
    last: dict = field(default_factory=dict)       # level -> the latest unit an earlier sentence gave values to
    names: dict = field(default_factory=dict)      # bare name -> (unit text, level)
    topic: Unit | None = None           # the one unit the title names, if exactly one
    typed: dict = field(default_factory=dict)      # type word -> the place of that type the text names most ("xã" -> "xã Hiệp Thạnh")
    heading: Unit | None = None         # the unit a heading line names ("Sở Tư pháp:"), for the lines under it
    index_stated: bool = False          # the title names the index
    about_index: bool = False           # the paragraph so far names an index


@dataclass
class Claim:
    unit: Unit
    field: str
    value: object
    pos: int
    rule: str
    explicit: bool = True
    year: int | None = None     # a year fixed by the value itself ("từ thứ 51 năm 2022")
    subtotal: bool = False      # a "tổng điểm": the score only where no other is given


@functools.lru_cache(maxsize=512)
def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """Clause spans: split at ';' outside parentheses, not inside a list of numbers."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            if re.search(r"\d\s*$", text[:i]) and re.match(r"\s*\d", text[i + 1:]):
                continue   # "91,25; 90,48 và 89,72 điểm"
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return tuple(spans)


@functools.lru_cache(maxsize=512)
def paren_spans(text: str) -> tuple[tuple[int, int], ...]:
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            out.append((stack.pop(), i + 1))
    return tuple(out)


# an aside set off between dashes, about another year: "xã Hoằng Lộc - đơn vị đứng đầu huyện năm
# 2022 - năm nay tụt xuống thứ 8", "... – đơn vị dẫn đầu năm trước – ..." (in lower case after the
# dash: "Lao động - Thương binh" is a name)
_DASH_ASIDE = re.compile(r"\s[-–—]\s+(?P<first>[^\W\d_])[^-–—;()]{0,120}?\b(?:(?:19|20)\d\d|năm (?:trước|ngoái))\b"
                         r"[^-–—;()]{0,40}?\s[-–—]\s")


@functools.lru_cache(maxsize=512)
def aside_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Parentheses and asides between dashes: what they state has a year of its own."""
    return paren_spans(text) + tuple((m.start(), m.end()) for m in _DASH_ASIDE.finditer(text) if m.group("first").islower())


def in_parentheses(pos: int, text: str) -> bool:
    return _inside(pos, paren_spans(text)) is not None


def _inside(pos, spans):
    return next(((s, e) for s, e in spans if s <= pos < e), None)


def sentence_claims(text: str, units: list[Unit], values: list[Value], rules: Rules,
                    ctx: Context, folded: str | None = None) -> list[Claim]:
    """Claims (unit, field, value) of one sentence (folded: its fold_tones, where the caller has it)."""
    folded = fold_tones(text) if folded is None else folded
    if rules.markers["contest"].search(folded):
        return []   # a contest's teams and prizes ("đội xã A xếp thứ 2 toàn đoàn"), not an index
    subjects = [u for u in units if not u.context]
    speaker = _speaker(text, ctx, rules)
    if speaker is not None:
        subjects = sorted(subjects + [speaker], key=lambda u: u.start)
    pronoun = False   # the subject is "đơn vị này", "huyện": a unit told of before, its index too
    if not subjects:
        implicit = _implicit_unit(text, folded, ctx, units, rules, values)
        if implicit is None:
            return []
        subjects = [implicit]
        pronoun = implicit.rule == "unit.implicit"
    claims: list[Claim] = []
    # (a place right after a ranked unit is part of its name: "Cục Hải quan Quảng Nam (91,71 điểm)")
    context_units = [u for u in units if u.context
                     and not any(s.end <= u.start and not folded[s.end:u.start].strip() for s in subjects)]
    taken_in_sentence = _leading_group(folded, subjects, values, claims, rules)
    places = [u for u in units if u.context]
    # "Kế hoạch yêu cầu huyện A phấn đấu tăng 3 bậc; thành phố B giữ vững vị trí dẫn đầu": all plans
    planned = rules.markers["directive"].search(folded, 0, subjects[0].start) is not None \
        and rules.markers["target"].search(folded) is not None
    # ... and "Kế hoạch xác định mục tiêu năm 2025: Chỉ số CCHC của huyện đạt trên 90%; không có
    # đơn vị nào xếp cuối bảng hai năm liên tiếp": what follows a target's colon, every clause of it
    colon = folded.find(":", 0, min((v.start for v in values if v.kind not in YEAR_KINDS), default=0))
    planned = planned or (colon >= 0 and rules.markers["target"].search(folded, 0, colon) is not None)
    previous_subject = None
    for c_start, c_end in _merge_list_items(text, list(clauses(text)), subjects, values):
        c_units = [u for u in subjects if c_start <= u.start < c_end]
        c_values = [v for v in values if c_start <= v.start < c_end]
        if not c_values:
            if c_units:
                previous_subject = c_units[-1]
            continue
        earlier = [u for u in subjects if u.start < c_start]
        if not c_units and len(earlier) >= 2 and rules.markers["respectively"].search(folded[c_start:c_end]):
            # "A đạt 92%, B đạt 91%, C đạt 90%; ba địa phương này lần lượt xếp thứ 1, 2, 3"
            _respectively(folded[c_start:c_end], c_start, earlier, c_values, rules, claims)
            continue
        if not c_units:
            if previous_subject is None:
                previous_subject = subjects[0] if subjects[0].start < c_start or len(subjects) == 1 else None
            if previous_subject is None:
                continue
            c_units = [previous_subject]
        clause = folded[c_start:c_end]
        if planned or rules.markers["target"].search(clause):
            continue   # a plan or a target, not a result
        taken = _respectively(clause, c_start, c_units, c_values, rules, claims) | taken_in_sentence
        taken |= _paired_places(folded, c_units, c_values, taken, claims)
        next_pos = _marker_pos(rules.markers["next_in_line"], clause, c_start)
        for v in c_values:
            if id(v) in taken or v.kind in YEAR_KINDS:
                continue
            if v.kind == "band":
                continue   # bands are given to whole groups below
            compared = _aside_of_context(v, context_units, folded, rules)
            if compared is not None:
                # "xếp thứ hai, chỉ sau Sở Tư pháp (90,1 điểm)": the other unit's score, its own fact
                claims += _claims_of(v, compared)
                continue
            if v.extra.get("owner") == "next":
                unit = _adjacent_owner(v, c_units, c_values, folded)
            elif v.extra.get("owner") == "previous":
                before = [u for u in c_units if u.end <= v.start]
                # "tỉnh Yên Bái 17/63", "- Huyện Vân Đồn: 3/13", "Sở Y tế (2)": right after the
                # unit, or its colon or bracket
                unit = before[-1] if before and folded[before[-1].end:v.start].strip() in ("", ":", "(") else None
            else:
                unit = _owner(v, c_units, folded, rules, c_values)
            if unit is None:
                continue
            if v.kind in ("rank", "rank_last") and not v.explicit and _leaders_group(folded, c_start, v, c_units, rules):
                continue   # "10 địa phương có chỉ số cao nhất là A, B, ...": leaders, not rank 1 (nor last)
            if v.kind in ("rank", "rank_last") and not v.explicit and _listed_after(v, unit, c_units, folded, clause, rules):
                continue   # "dẫn đầu cả nước là A (92%), B và C": a group, no one's rank 1 (FACTS.md 12)
            if _component(folded, c_start, v, rules):
                continue   # "riêng chỉ số thành phần ... xếp thứ 3": not the overall index
            if v.kind in ("rank", "rank_last", "rank_list") and (_regional(folded, c_start, c_end, v, rules)
                                                                 or _block_rank(folded, c_end, v, c_values, rules)):
                # "Trong khu vực đồng bằng sông Hồng, Hải Dương đứng thứ 2": kept only where the
                # article gives no rank in the whole group (FACTS.md 6: the widest group wins)
                if v.kind == "rank":
                    # with the size it states ("thứ 35/63"): a stand-in keeps its own group's size
                    claims.append(Claim(unit, "rank_regional", (v.value, v.extra.get("total")), v.start, v.rule,
                                        explicit=False))
                continue
            if next_pos is not None and unit.start > next_pos and v.kind in ("rank", "rank_list", "rank_last") \
                    and not _own_item_rank(v, unit, c_units):
                continue   # "tiếp theo là A, B": listed after the leader, with no rank
            group = _coordinated(folded, c_units, unit, places)
            between = folded[unit.end:v.start]
            # "A và B đạt 90 điểm": both; past a comma only a tie word still joins them ("A và B:
            # cùng 82,5 điểm, đồng hạng 4", "... lần lượt đạt 92 và 90 điểm, đều tăng 2 bậc")
            shared = unit.end <= v.start and (not re.search(r"[,;(]|\s[-–]\s", between)
                                              or (";" not in between and rules.markers["tie"].search(between) is not None))
            # "Cùng có 84,7%, huyện A và huyện B đồng xếp thứ 7": a tie word before the value and the units
            shared = shared or (v.end <= unit.start and rules.markers["tie"].search(
                folded[c_start:v.start].lstrip().lower()) is not None and not c_units[0].start < v.start)
            for member in (group if shared else [unit]):
                claims += _claims_of(v, member)   # "A và B dẫn đầu": both lead
        previous_subject = c_units[-1]
    claims += _bands(text, folded, subjects, values, rules)
    claims += _list_order(text, subjects, claims)
    claims += _ranked_after_leader(folded, subjects, claims)
    # "tổng điểm 62,62, chỉ số đạt 94,49%": the sub-total yields to the index (FACTS.md 5)
    scored = {id(c.unit) for c in claims if c.field == "score" and not c.subtotal}
    claims = [c for c in claims if not (c.subtotal and id(c.unit) in scored)]
    if not _about_a_ranking(folded, values, rules) and not _list_like(text, units, values) \
            and not ((ctx.about_index or pronoun) and not _RECORDS.search(folded)):
        # "huyện X tiếp nhận 15.000 hồ sơ, đạt 98,7%": a percentage, not an index score
        claims = [c for c in claims if c.field != "score"]
    return claims


# what the work of a one-stop shop counts, in a paragraph about the index: not its score
_RECORDS = re.compile(r"hồ sơ|thủ tục|giải quyết|trực tuyến|dịch vụ công|văn bản", re.IGNORECASE)


def _about_a_ranking(folded, values, rules) -> bool:
    """A score counts where the sentence names an index, ranks someone or goes on with a ranking
    ("Tiếp theo là các sở: Tư pháp (91,87%) ..."), or reads in points."""
    if rules.markers["topic"].search(folded) or rules.markers["next_in_line"].search(folded) \
            or rules.markers["respectively"].search(folded):
        return True
    if any(v.kind in ("rank", "rank_list", "rank_last", "total", "change", "change_list", "two_positions", "band")
           for v in values):
        return True
    return bool(re.search(r"\d\s*điểm|/\s*100", folded))


_JOINED = re.compile(r"\s*(?:,|và|cùng|,\s*và)\s*(?:ubnd\s+)?", re.IGNORECASE)


def _own_item_rank(v: Value, unit: Unit, c_units) -> bool:
    """A rank stated in a listed unit's own item: "Kế đến là huyện A (85,67 điểm, hạng 4)"."""
    return v.kind == "rank" and v.explicit and unit.end <= v.start \
        and not any(unit.end <= u.start < v.start for u in c_units)


_TRAILING_DASH = re.compile(r"\s[-–—]\s+(?=[^\W\d_])")
_AFTER_DASH_END = re.compile(r"[;,]|\s[-–—]\s")   # the dash clause has ended
# ... about another year, not one it is compared with ("– tăng 3 bậc so với năm 2023" is the subject's)
_OTHER_YEAR = re.compile(r"[^;,]*?(?:(?<!so với )(?<!so với năm )\b(?:19|20)\d\d\b|(?<!so với )\bnăm (?:trước|ngoái)\b)")


def _aside_of_context(v: Value, context_units, folded: str, rules: Rules) -> bool:
    """A value in brackets right after a unit the subject is compared with belongs to that unit
    ("chỉ sau Sở Tư pháp (90,1 điểm)"); after the group of a superlative it is the subject's
    ("cao nhất tỉnh Phú Yên (88,75 điểm)"). units.yaml, context_compared."""
    compared = compared_with(rules)
    # ... anywhere in those brackets ("vượt Cục Thuế tỉnh (83,7 điểm, xếp thứ hai)"), and in an
    # aside between dashes right after them or the unit ("... (83,7 điểm) – đơn vị dẫn đầu năm
    # 2023 – "): what it says is of that unit
    here = _inside(v.start, aside_spans(folded))
    parens = paren_spans(folded)

    def right_after(u):
        if re.fullmatch(r"\s*\(\s*", folded[u.end:v.start]):
            return True
        own = next((p for p in parens if p[0] >= u.end and not folded[u.end:p[0]].strip()), None)
        if here is None:
            # the dash clause may run to the sentence's end: "... vượt B (83,7 điểm) – đơn vị
            # dẫn đầu năm 2023."
            m = _TRAILING_DASH.match(folded, own[1] if own else u.end)
            return m is not None and v.start >= m.end() and folded[m.end()].islower() \
                and not _AFTER_DASH_END.search(folded, m.end(), v.start) \
                and _OTHER_YEAR.match(folded, m.end()) is not None
        if here[0] < u.end:
            return False
        gap = folded[u.end:here[0]]
        return not gap.strip() or (own is not None and own != here and not folded[own[1]:here[0]].strip())
    return next((u for u in context_units if u.end <= v.start and right_after(u)
                 and compared.search(folded, 0, u.start)), None)


def _coordinated(folded, c_units, unit, places=()) -> list:
    """The unit with those joined to it by 'và' or commas and nothing else: 'Sở Tài chính và
    quận Cầu Giấy', 'Quảng Ninh, Hải Phòng và Bắc Ninh', 'Sở Tư pháp Hà Nội và Sở Nội vụ Hà Nội'
    (places: the context units, of which one right after a unit is its place)."""
    i = c_units.index(unit)
    lo = hi = i
    while lo > 0 and _joined(folded, c_units[lo - 1], c_units[lo], places):
        lo -= 1
    while hi + 1 < len(c_units) and _joined(folded, c_units[hi], c_units[hi + 1], places):
        hi += 1
    return c_units[lo:hi + 1]


def _joined(folded, first, second, places=()) -> bool:
    end = first.end
    for place in places:   # "Sở Tư pháp Hà Nội và ...": past the unit's own place
        if end <= place.start < second.start and not folded[end:place.start].strip():
            end = place.end
    gap = folded[end:second.start]
    if not _JOINED.fullmatch(gap):
        return False
    # "Chỉ số CCHC của Hà Nội, quận Long Biên xếp thứ 4": a province before a comma and a unit of
    # a lower level is where that unit is, not a second unit ranked with it
    return not (first.level == "province" and second.level != "province" and "," in gap and "và" not in gap)


def _list_like(text, units, values) -> bool:
    """A line of results and little else ("Sở Tư pháp: 91,25%", "- Huyện A đạt 92,1%"), or a list
    of them after a colon ("Nhóm Khá có 6 đơn vị: Sở Xây dựng 68,01; Sở GTVT 68,00; ..."): in an
    article about an index, its figures are the index."""
    if _few_words(text, 0, len(text), units, values, 2 * len(units) + 1) and units:
        return True
    colon = text.find(":")
    pieces = [(a, b) for a, b in clauses(text) if b > colon + 1]
    items = [(max(a, colon + 1), b) for a, b in pieces]
    results = [1 for a, b in items if any(a <= u.start < b for u in units) and any(a <= v.start < b for v in values)
               and _few_words(text, a, b, units, values, 3)]
    return len(results) >= 2 and 2 * len(results) >= len(items)


def _few_words(text, a, b, units, values, most) -> bool:
    rest = text[a:b]
    spans = [(u.start, u.end) for u in units if a <= u.start < b] + [(v.start, v.end) for v in values if a <= v.start < b]
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start - a] + " " + rest[end - a:]
    return len(re.findall(r"[^\W\d_]+", rest)) <= most


def _merge_list_items(text, spans, units, values):
    """'Sở A; Sở B; Sở C là 3 đơn vị dẫn đầu': a clause that is only a unit joins the next one."""
    out = []
    carry = None
    for start, end in spans:
        if carry is not None:
            start = carry
            carry = None
        inside = [u for u in units if start <= u.start < end]
        has_value = any(start <= v.start < end for v in values)
        rest = text[start:end]
        for u in sorted(inside, key=lambda u: -u.start):
            rest = rest[:u.start - start] + rest[u.end - start:]
        rest = re.sub(r"UBND|Ủy ban nhân dân|Uỷ ban nhân dân|[\s,.;:…]", "", rest)
        if inside and not has_value and not rest and (start, end) != spans[-1]:
            carry = start
            continue
        out.append((start, end))
    if carry is not None:
        out.append((carry, len(text)))
    return out


def _list_order(text, subjects, claims) -> list[Claim]:
    """'Khối ...: A; B xếp vị trí thứ 2; C xếp vị trí thứ 3': results listed in order, so A is first.

    Only when every rank stated in the list equals its place in the list, and only for the
    units the sentence gives nothing else.
    """
    colon = text.find(":")
    listed = [u for u in subjects if colon >= 0 and u.start > colon]
    if colon < 0 or len(listed) < 2 or len({u.level for u in listed}) > 1:
        return []
    explicit = {}
    for c in claims:
        if c.field == "rank" and c.explicit and c.unit in listed:
            explicit[listed.index(c.unit)] = c.value
    if not explicit or any(rank != place + 1 for place, rank in explicit.items()):
        return []
    given = {id(c.unit) for c in claims}
    return [Claim(u, "rank", place + 1, u.start, "rank.list_order")
            for place, u in enumerate(listed) if id(u) not in given]


_AFTER_LEADER = re.compile(r"(?:tiếp sau|xếp sau|tiếp theo|theo sau|kế tiếp|kế đến)\s*,?\s*(?:đó\s*,?\s*)?lần lượt là"
                           r"(?:\s+các\s+(?:đơn vị|cơ quan|địa phương|sở|huyện|xã))?\s*:?", re.IGNORECASE)


def _ranked_after_leader(folded, subjects, claims) -> list[Claim]:
    """'Cục Thuế đứng đầu; xếp sau lần lượt là A, B và C': the list goes on from the leader's
    rank (FACTS.md 4: "lần lượt" orders a list; without it, "tiếp theo là" ranks nobody)."""
    out = []
    for m in _AFTER_LEADER.finditer(folded):
        before = [c.value for c in claims if c.field == "rank" and c.unit.start < m.start() and c.value]
        if not before:
            continue
        end = next((e for s_, e in clauses(folded) if s_ <= m.end() <= e), len(folded))
        listed = [u for u in subjects if m.end() <= u.start < end]
        given = {id(c.unit) for c in claims if c.field == "rank"}
        for place, unit in enumerate(listed, max(before) + 1):
            if id(unit) not in given:
                out.append(Claim(unit, "rank", place, m.start(), "rank.after_leader"))
    return out


_CONCLUSION = re.compile(r"\b(?:cho thấy|cho biết|theo đó|kết quả là|cụ thể là)\b|:")


def _component(folded, c_start, v, rules) -> bool:
    """Is the value a component's? A component named before "cho thấy" or a colon ("bảng tổng
    điểm và các chỉ số thành phần DDCI cho thấy Cục Thuế đứng đầu") is what the result comes
    from, not what it is about."""
    piece = folded[c_start:v.start]
    breaks = list(_CONCLUSION.finditer(piece))
    if breaks:
        piece = piece[breaks[-1].end():]
    return bool(rules.markers["component"].search(piece))


def _leaders_group(folded, c_start, v, c_units, rules) -> bool:
    # the count nearest before the value ("của 20 xã ..., 5 đơn vị dẫn đầu gồm": the five)
    m = None
    for found in rules.markers["leaders_group"].finditer(folded, c_start, v.end):
        if found.start() < v.start:
            m = found   # (it may end in the value's own words: "3 vị trí cuối bảng")
    if not m:
        return False
    count_at = m.start()
    if re.search(r"(?:trong|trên|tổng số|trong số|của|dẫn đầu|đứng đầu|khối|đối với|(?:thứ|hạng|xếp|vị trí)\s+\d{1,3}\s*/)\s*$",
                 folded[max(c_start, count_at - 25):count_at], re.IGNORECASE):
        return False   # "Trong 18 xã, xã Gia Sinh dẫn đầu", "Ở khối 13 huyện, ...": the size of the group
    if "(" in folded[count_at:v.start] or in_parentheses(count_at, folded):
        return False   # "6 cơ quan xếp loại xuất sắc (cao nhất là Sở X)", "(6 cơ quan), đứng đầu là"
    return not any(count_at < u.start < v.start for u in c_units)


def _regional(folded, c_start, c_end, v, rules) -> bool:
    """A rank of a region (convention 6): the region is named in the rank's own phrase, or the
    clause opens with it."""
    piece_start = max(folded.rfind(",", c_start, v.start), c_start)
    # (the phrase ends at a bracket that opens after the rank: "thứ 2 khu vực (thứ 11 cả nước)"
    # puts the national rank beside the regional one, its "cả nước" is not this rank's)
    ends = [i for i in (folded.find(",", v.end, c_end), folded.find("(", v.end, c_end)) if i >= 0]
    piece = folded[piece_start:min(ends) if ends else c_end]
    if re.search(r"cả nước|toàn quốc", piece):
        return False
    opening = re.match(r"\W*(?:khu vực|vùng|miền|cụm)", folded[c_start:c_end], re.IGNORECASE) or re.search(
        r"(?:trong|ở|tại|đối với)\s+(?:khu vực|vùng|miền|cụm)", folded[c_start:v.start], re.IGNORECASE)
    return bool(rules.markers["regional"].search(piece) or opening
                or rules.markers["subgroup"].search(folded[c_start:v.start]))


def _block_rank(folded, c_end, v, c_values, rules) -> bool:
    """A rank in a block of the communes beside one in the whole clause's group: "Phường A đứng
    thứ 3 trong khối phường và thứ 7/99 toàn tỉnh" (convention 6: the widest group wins)."""
    if not any(w is not v and w.kind == "rank" for w in c_values):
        return False
    nxt = min([w.start for w in c_values if w.start > v.start] + [c_end])
    return rules.markers["block"].search(folded[v.end:nxt]) is not None


_INVERTED_GAP = re.compile(r"[\s,]*(?:(?:\S+\s+){0,2}?|(?:về|trong|ở|của)\s[^;()]{0,80}?\s)(?:là(?: của)?|thuộc về)\s*(?:ubnd\s+)?",
                           re.IGNORECASE)


def _adjacent_owner(v, c_units, c_values, folded):
    """The unit written right after a list item's number, when the item states a result too:
    "1. Huyện Lục Ngạn - 79,12 điểm"; not "2. Nhóm sở, ngành:" nor the heading "2. Sơn La"."""
    after = [u for u in c_units if u.start >= v.end]
    if not after or not re.fullmatch(r"\s*(?:ubnd\s+)?", folded[v.end:after[0].start], re.IGNORECASE):
        return None
    if not any(w is not v and w.kind in ("score", "rank", "change") for w in c_values):
        return None
    return after[0]


def _owner(v: Value, c_units: list[Unit], folded: str, rules: Rules, values=()):
    before = [u for u in c_units if u.end <= v.start]
    # "Bộ Y tế (18/19)": a value in brackets right after a unit is that unit's
    if before and re.fullmatch(r"\s*\(\s*" if folded[v.start] != "(" else r"\s*", folded[before[-1].end:v.start]):
        return before[-1]
    after = [u for u in c_units if u.start >= v.end]
    # "á quân thuộc về Sở X", "Xếp thứ 2 là thành phố Vinh", "đứng đầu về chỉ số CCHC năm
    # 2022 là Sở Xây dựng": the value names the unit after it; "..., tiếp theo là X" does not
    if after:
        gap = folded[v.end:after[0].start]
        # "... với 92,15 điểm, thấp nhất là xã B": a value of its own between says the "là"
        # belongs to that one
        between = any(v.end <= w.start < after[0].start and w.kind not in YEAR_KINDS for w in values)
        if _INVERTED_GAP.fullmatch(gap) and not between and not rules.markers["next_in_line"].search(gap):
            return after[0]
        if not before and re.fullmatch(r"\s*:\s*(?:ubnd\s+)?", gap, re.IGNORECASE):
            return after[0]   # "Xếp thứ nhất: Sở Tư pháp"
    if before:
        return before[-1]
    return after[0] if after else None


_COORDINATED = re.compile(r"\s*(?:\([^()]*\))?\s*(?:,|và|,\s*và)\s*(?:ubnd\s+)?", re.IGNORECASE)


def _listed_after(v: Value, unit: Unit, c_units: list[Unit], folded: str, clause: str, rules: Rules) -> bool:
    """A leader word ("dẫn đầu", "cao nhất", "xếp cuối") naming a list after it: "cao nhất là A,
    B và C" without "lần lượt" holds the top as a group; "cao nhất là A" alone ranks A."""
    if unit.start < v.end or rules.markers["respectively"].search(clause):
        return False
    # (a list of three or more that closes with "và": "A, B và C"; "là A, B xếp thứ hai" is a new
    # subject; "là A và B" may be a tie, as "A và B dẫn đầu" is)
    gaps, last = [], unit
    for u in (u for u in c_units if u.start >= unit.end):
        gap = folded[last.end:u.start]
        if not _COORDINATED.fullmatch(gap):
            break
        gaps.append(gap)
        last = u
    # (or three and more joined by commas only that run to the clause's end: "cao nhất là A, B, C.")
    ends_clause = re.fullmatch(r"\s*(?:\([^()]*\))?[\s.!…\"”]*", folded[last.end:].split(";")[0]) is not None
    return len(gaps) >= 2 and (any(re.search(r"\bvà\b", gap) for gap in gaps) or ends_clause)


def _claims_of(v: Value, unit: Unit) -> list[Claim]:
    if v.kind == "rank":
        out = [Claim(unit, "rank", v.value, v.start, v.rule, v.explicit)]
        if v.extra.get("total"):
            out.append(Claim(unit, "rank_total", v.extra["total"], v.start, v.rule))
        return out
    if v.kind == "rank_last":
        return [Claim(unit, "rank_last", v.value, v.start, v.rule, explicit=False)]
    if v.kind in ("rank_list", "change_list"):
        return []   # a list of ranks (moves) without "lần lượt" ranks (moves) nobody
    if v.kind == "two_positions":
        return [Claim(unit, "rank", v.value, v.start, v.rule),
                Claim(unit, "rank_previous", v.extra["from"], v.start, v.rule, year=v.extra.get("year"))]
    if v.kind == "total":
        return [Claim(unit, "rank_total", v.value, v.start, v.rule)]
    if v.kind == "change":
        return [Claim(unit, "rank_change", v.value, v.start, v.rule, v.explicit)]
    if v.kind == "score":
        if v.extra.get("previous"):
            return [Claim(unit, "score_previous", v.value, v.start, v.rule, year=v.extra.get("year"))]
        return [Claim(unit, "score", v.value, v.start, v.rule, subtotal=bool(v.extra.get("subtotal")))]
    return []


def _marker_pos(regex, clause, offset):
    m = regex.search(clause)
    return offset + m.start() if m else None


def _respectively(clause, offset, c_units, c_values, rules, claims) -> set:
    """'A, B và C lần lượt xếp thứ nhất, thứ hai, thứ ba' / 'với số điểm tương ứng là 91,25; 90,48 và 89,72'."""
    taken = set()
    # "ba vị trí thứ nhất, thứ hai, thứ ba thuộc về A, B và C": places named, then their holders
    listed_places = any(v.kind == "rank_list" and re.match(r"\s*(?:lần lượt\s+)?(?:thuộc về|là)\b", clause[v.end - offset:])
                        for v in c_values)
    if not (rules.markers["respectively"].search(clause) or listed_places):
        return taken
    if len({u.text.lower() for u in c_units}) == 1:   # one unit, maybe named twice
        return _respectively_by_index(clause, offset, c_units[-1], c_values, rules, claims) \
            or _respectively_by_year(clause, offset, c_units[-1], c_values, claims)
    if len(c_units) < 2:
        return taken
    ranks = []
    for v in c_values:
        if v.kind == "rank_list":
            ranks += [(r, v) for r in v.value if r]
        elif v.kind == "rank" and v.explicit:
            ranks.append((v.value, v))
    holders = c_units
    if len(ranks) != len(c_units):
        # "A cao nhất với 97,4%, B (97,1%) và C (96,8%) lần lượt ở vị trí thứ hai và thứ ba":
        # the places listed go to the units listed right before them, one each
        holders = _listed_before(clause, offset, c_units, c_values)
        if holders:
            ranks = [(r, v) for v in c_values if v.kind == "rank_list" for r in v.value]
    if len(ranks) == len(holders):
        for unit, (rank, v) in zip(holders, ranks):
            claims.append(Claim(unit, "rank", rank, v.start, v.rule))
            if v.extra.get("total"):   # "lần lượt thứ 28, 29 và 30/30": one group, its size
                claims.append(Claim(unit, "rank_total", v.extra["total"], v.start, v.rule))
            taken.add(id(v))
    scores = [(s, v) for v in c_values if v.kind == "score_list" for s in v.value]
    if not scores:
        scores = [(v.value, v) for v in c_values if v.kind == "score"]
    if len(scores) == len(c_units):
        for unit, (score, v) in zip(c_units, scores):
            claims.append(Claim(unit, "score", score, v.start, v.rule))
            taken.add(id(v))
    moves = [(n, v) for v in c_values if v.kind == "change_list" for n in v.value]
    if len(moves) == len(c_units):
        for unit, (move, v) in zip(c_units, moves):
            claims.append(Claim(unit, "rank_change", move, v.start, v.rule))
            taken.add(id(v))
    return taken


_LIST_FIELDS = {"score_list": "score", "rank_list": "rank", "change_list": "rank_change"}
# between units listed, an aside of their own allowed: "B (97,1%) và C (96,8%)"
_LISTED_GAP = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:,|và|,\s*và)\s*", re.IGNORECASE)
_LISTED_TAIL = re.compile(r"\s*(?:\([^()]*\)\s*)?,?\s*lần lượt\b[^,;:()]{0,30}$", re.IGNORECASE)


def _listed_before(clause, offset, c_units, c_values) -> list:
    """The units listed right before one list of places ("B và C lần lượt ở vị trí thứ hai và
    thứ ba"), as many as the places, where the clause names others too; else none."""
    lists = [v for v in c_values if v.kind == "rank_list"]
    if len(lists) != 1:
        return []
    places = lists[0]
    before = [u for u in c_units if u.end <= places.start]
    k = len(places.value)
    if k < 2 or len(before) <= k or len(c_units) != len(before):
        return []
    listed = before[-k:]
    if not _LISTED_TAIL.fullmatch(clause, listed[-1].end - offset, places.start - offset):
        return []
    if not all(_LISTED_GAP.fullmatch(clause, a.end - offset, b.start - offset) for a, b in zip(listed, listed[1:])):
        return []
    if _LISTED_GAP.fullmatch(clause, before[-k - 1].end - offset, listed[0].start - offset):
        return []   # one list of more units than places
    return listed


def _respectively_by_index(clause, offset, unit, c_values, rules, claims) -> set:
    """'A dẫn đầu ở cả Chỉ số CCHC và Chỉ số hài lòng, với số điểm lần lượt là 86,44% và 90,3%',
    'các chỉ số PAR Index, SIPAS, PAPI, PCI của tỉnh lần lượt xếp thứ 15, 22, 9 và 41': one unit,
    its scores (places, moves) zipped with the indexes named before them, one each. Each claim
    stands at its index's name, so that it takes that index."""
    taken = set()
    for kind, field in _LIST_FIELDS.items():
        lists = [v for v in c_values if v.kind == kind]
        if len(lists) != 1:
            continue
        named, seen = [], set()
        for start, _, index, _ in find_indexes(clause[:lists[0].start - offset], rules):
            if index not in seen:
                seen.add(index)
                named.append(offset + start)
        if len(named) < 2 or len(named) != len(lists[0].value):
            continue
        for pos, value in zip(named, lists[0].value):
            claims.append(Claim(unit, field, value, pos, lists[0].rule))
            if field == "rank" and lists[0].extra.get("total"):   # "thứ 21/63, 27/63 và 30/63"
                claims.append(Claim(unit, "rank_total", lists[0].extra["total"], pos, lists[0].rule))
        taken.add(id(lists[0]))
    return taken


# the years a clause states before a list of one unit's places: "năm 2022 và năm 2023", "Từ
# 2019 đến 2021" (a run written as its ends)
_YEAR_IN_CLAUSE = re.compile(r"(?<!\d)(?:19|20)\d\d(?![\d/])")
_YEAR_RANGE = re.compile(r"\s*(?:đến|tới|[-–])\s*(?:năm\s+)?", re.IGNORECASE)


def _respectively_by_year(clause, offset, unit, c_values, claims) -> set:
    """'(năm 2022 và năm 2023, A lần lượt xếp thứ 3 và thứ 2)', 'Từ 2019 đến 2021, tỉnh lần lượt
    xếp thứ 2, thứ 4 và thứ 6': one unit, its places zipped with the years the clause states
    before them, one each (FACTS.md 1: a record a year)."""
    lists = [v for v in c_values if v.kind == "rank_list"]
    if len(lists) != 1 or len(lists[0].value) < 2:
        return set()
    # from the brackets the list is in, else from the value before it ("xếp thứ nhất năm 2024
    # (năm 2022 và năm 2023, A lần lượt xếp thứ 3 và thứ 2)": not 2024)
    at = lists[0].start - offset
    aside = _inside(at, paren_spans(clause))
    since = aside[0] if aside else max((v.end - offset for v in c_values
                                        if v.kind not in YEAR_KINDS and v.end <= lists[0].start), default=0)
    years, prev = [], None
    for m in _YEAR_IN_CLAUSE.finditer(clause, since, at):
        year = int(m.group(0))
        if prev is not None and _YEAR_RANGE.fullmatch(clause, prev.end(), m.start()) and year > years[-1]:
            years += list(range(years[-1] + 1, year + 1))   # "từ 2019 đến 2021"
        else:
            years.append(year)
        prev = m
    if len(years) != len(lists[0].value) or sorted(set(years)) != years:
        return set()
    for year, rank in zip(years, lists[0].value):
        claims.append(Claim(unit, "rank", rank, lists[0].start, lists[0].rule, year=year))
    return {id(lists[0])}


# between a list of units and the list of their places: a verb ("A và B đứng thứ hai và thứ ba",
# "A và B lần lượt giữ nguyên hạng 1 và 2")
_PLACES_GAP = re.compile(r"\s*(?:(?:lần lượt|đã|cũng|vẫn|tiếp tục|đồng thời)\s+)*"
                         r"(?:(?:xếp|đứng|giữ|chiếm|giành|nằm|về)(?:\s+(?:nguyên|vững|ở|tại))*\s*)?", re.IGNORECASE)


def _paired_places(folded, c_units, c_values, taken, claims) -> set:
    """'thành phố A và huyện B đứng thứ hai và thứ ba': as many places as the units joined right
    before them, one each in the order written, with or without "lần lượt"."""
    out = set()
    for v in c_values:
        if v.kind != "rank_list" or id(v) in taken:
            continue
        before = [u for u in c_units if u.end <= v.start]
        if not before or not _PLACES_GAP.fullmatch(folded, before[-1].end, v.start):
            continue
        group = _coordinated(folded, c_units, before[-1])
        if len(group) != len(v.value) or group[-1] is not before[-1]:
            continue
        for unit, rank in zip(group, v.value):
            claims.append(Claim(unit, "rank", rank, v.start, v.rule))
            if v.extra.get("total"):
                claims.append(Claim(unit, "rank_total", v.extra["total"], v.start, v.rule))
        out.add(id(v))
    return out


_HEADS_OF_BLOCKS = re.compile(r"(?:đứng đầu|dẫn đầu)\s+(?:hai|ba|bốn|năm|các|\d+)\s+khối\b(?:\([^)]*\)|[^;.(])*?(?:\blà\s+)+:?",
                              re.IGNORECASE)


def _leading_group(folded, subjects, values, claims, rules: Rules) -> set:
    """'khối sở: A; B; C là 3 đơn vị dẫn đầu': the units in the order given, ranks 1..N
    (markers leading_group_before / _after). Returns the rank values the group stands for."""
    m = rules.markers["leading_group_before"].search(folded)
    if m:
        colon = folded.rfind(":", 0, m.start())
        listed = [u for u in subjects if colon < u.start < m.start()]
        # "lần lượt" orders the list; so does an enumeration set out after a colon, item by item
        # between semicolons ("khối sở: A; B; C là 3 đơn vị dẫn đầu"); a list run into the
        # sentence ("A (91,6%), B (90,8%) và C là 3 đơn vị dẫn đầu") is a group, unranked
        enumerated = colon >= 0 and len(listed) >= 2 and all(
            ";" in folded[a.end:b.start] for a, b in zip(listed, listed[1:]))
        ordered = m.group("nouns") is not None and m.group("is") is not None and enumerated \
            or rules.markers["respectively"].search(folded, max(colon, 0), m.end()) is not None
    else:
        m = rules.markers["leading_group_after"].search(folded) or _HEADS_OF_BLOCKS.search(folded)
        if not m:
            return set()
        stop = folded.find(";", m.end())
        listed = [u for u in subjects if m.end() <= u.start < (stop if stop >= 0 else len(folded))]
        ordered = True
    if m.re is _HEADS_OF_BLOCKS:
        # "Đứng đầu ba khối này ... là A, B, C": one leader for each block
        for unit in listed:
            claims.append(Claim(unit, "rank", 1, m.start(), "rank.heads_of_blocks"))
        return {id(v) for v in values if v.kind == "rank" and m.start() <= v.start < m.end()}
    in_group = {id(v) for v in values if v.kind == "rank" and m.start() <= v.start < m.end()}
    if m.group("n") is None:
        # "Đứng đầu ... lần lượt là A, B và C": as many places as units listed, unless a unit
        # before it in its clause is the leader the list goes on from
        clause_start = folded.rfind(";", 0, m.start()) + 1
        if not listed or any(clause_start <= u.start < m.end() for u in subjects):
            return set()
        n = len(listed)
    else:
        n = int(m.group("n")) if m.group("n").isdigit() else rules.numbers[m.group("n").lower()]
    # "Sở Xây dựng và TP. Hạ Long là hai đơn vị dẫn đầu ở hai khối": each leads its own group
    # (each its own level: a block's list may mix a Công an tỉnh in with the sở)
    each_leads = len({u.level for u in listed}) == len(listed) > 1 or re.match(r"\s*(?:ở|của|tại)?\s*(?:hai|ba|các|mỗi)\s+khối", folded[m.end():])
    if not ordered and not (each_leads and len(listed) == n):
        return in_group   # "A, B và C chiếm ba vị trí đầu": the top three, no one's rank 1
    if len(listed) != n:
        return set()
    for rank, unit in enumerate(listed, 1):
        claims.append(Claim(unit, "rank", 1 if each_leads else rank, m.start(), "rank.leading_group"))
    return {id(v) for v in values if v.kind == "rank" and m.start() <= v.start < m.end()}


# a count of units, "6 đơn vị", "12 xã, phường" (of: what may follow the number, "7/29 xã")
_COUNT_OF_UNITS = r"(?<![\d.,/])\d{{1,3}}{of}\s+(?:{nouns})\b"


@functools.lru_cache(maxsize=2)
def _counted_group(rules: Rules) -> re.Pattern:
    """A count of units ("6 đơn vị", "12 xã, phường"): the subject of what follows it."""
    return re.compile(_COUNT_OF_UNITS.format(of="", nouns=rules.value_source["group_nouns"]), re.IGNORECASE)


def _bands(text, folded, subjects, values, rules) -> list[Claim]:
    """'Nhóm đạt trên 90% gồm ...: A, B' and 'A, B thuộc nhóm đạt trên 90%': the band to each."""
    bands = [v for v in values if v.kind == "band"]
    if not bands or rules.markers["target"].search(folded):
        return []
    grouped = bool(rules.markers["group"].search(folded))
    if not grouped:
        bands = [b for b in bands if _measures_units(folded, b, rules)]
    out = []
    for unit in subjects:
        if not grouped and not _band_of(folded, unit, bands, rules):
            continue
        after = [b for b in bands if b.end <= unit.start]
        band = after[-1] if after else min(bands, key=lambda b: abs(b.start - unit.end))
        between = folded[min(band.end, unit.end):max(band.start, unit.start)]
        if rules.markers["upper_bound"].search(between) and band.end <= unit.start:
            continue   # "nhóm ... dưới 80% gồm": a later, lower group
        members = {u.level for u in subjects if u.start >= band.end}
        if unit.end <= band.start and members and unit.level not in members:
            continue   # "Chỉ số của tỉnh X cho thấy 7 sở đạt trên 90%, gồm: Sở A, ...": X is whose, not one
        if unit.end <= band.start and _counted_group(rules).search(between):
            continue   # "Thọ Xuân: 6 đơn vị cấp xã đạt từ 90 điểm": the band is the six's, not the place's
        out.append(Claim(unit, "score_min", band.value, band.start, band.rule))
    return out


def _measures_units(folded, band, rules) -> bool:
    """A band stated without a group word ("Các xã A, B đạt trên 90%", "A có kết quả từ 80% đến
    dưới 85%", "ba đơn vị đạt trên 90% là A, B, C") is the units' result unless its clause says
    it measures something else: a share of files or people ("trên 95% hồ sơ", "tỷ lệ ... đạt
    trên 90%") or a rise ("tăng trên 5%"). A range is a band here only when its top is open
    ("từ 80% đến dưới 85%"): "từ 88,1% đến 90,6% qua các đợt" spans one unit's results."""
    if band.rule == "score.range" and "dưới" not in folded[band.start:band.end]:
        return False
    if rules.markers["not_a_score_after"].search(folded[band.end:band.end + 30]):
        return False
    piece = re.split(r"[;,(:]|\bvà\b", folded[max(0, band.start - 40):band.start])[-1]
    return not rules.markers["not_a_score"].search(piece)


@functools.lru_cache(maxsize=2)
def _other_units(rules: Rules) -> re.Pattern:
    """Words between a place and a band that make the band some other units' ("huyện X có 7/29
    xã đạt trên 90%", "tỉnh Y: mức độ hài lòng đối với cấp huyện đạt trên 86%")."""
    nouns = rules.value_source["group_nouns"]
    return re.compile(_COUNT_OF_UNITS.format(of=r"(?:\s*/\s*\d{1,3})?", nouns=nouns)
                      + rf"|\b(?:cấp|các|những)\s+(?:{nouns})\b", re.IGNORECASE)


def _band_of(folded, unit, bands, rules) -> bool:
    """Without a group word, a band is a unit's when the unit stands before it in its clause
    (no ';' between, nor a count or a level of other units) or is named right after it
    ("đạt trên 90% là Sở A, Sở B", values.yaml band_names_after)."""
    for band in bands:
        between = folded[unit.end:band.start]
        if unit.end <= band.start and ";" not in between and not _other_units(rules).search(between):
            return True
        if band.end <= unit.start and rules.markers["band_names_after"].match(folded[band.end:unit.start]) \
                and ";" not in folded[band.end:unit.start]:
            return True
    return False


# "của tỉnh đạt 83,27%", "UBND huyện năm 2023 đạt": the unit the article is about (case matters:
# a capital after the type word starts a name, "của tỉnh Lào Cai")
# A type word alone as the subject of a clause stands for the unit named before it: "Năm 2022,
# xã xếp hạng 5", "Huyện này tụt 2 bậc", "…: huyện đạt 87,36 điểm". After another type word and a
# comma it ends a list of groups ("12 huyện, thị xã, thành phố đạt trên 80%"), no subject.
# An agency's head word does the same ("của Sở đạt 90,1%", "Cục này tăng 2 bậc", "đơn vị này
# đứng thứ 14/19"): the agency named before it whose name starts with that word. The heads and
# the words around them: units.yaml, pronoun_subject.
_LEVEL_OF = {"tỉnh": "province", "huyện": "district", "thị xã": "district", "quận": "district",
             "thành phố": None, "xã": "commune", "phường": "commune", "thị trấn": "commune"}
_TYPES = "|".join(sorted(_LEVEL_OF, key=len, reverse=True))


def _either_case(word: str) -> str:
    """'huyện' -> '[Hh]uyện': at the start of a clause a word may take its capital."""
    return f"[{word[0].upper()}{word[0]}]{re.escape(word[1:])}"


@functools.lru_cache(maxsize=4)
def _implicit(rules: Rules) -> re.Pattern:
    """A type word or an agency's head standing for a unit: after "của" or "UBND", or as the
    subject of a clause before a ranking verb. Group 1 or 2 is the word."""
    words = rules.pronoun_subject
    alt = lambda items: "|".join(map(re.escape, items))
    heads = "|".join([alt(words["heads"]), *map(_either_case, words["any_agency"] + words.get("any_place", []))])
    after_type = "".join(f"(?<!{re.escape(last)})" for last in dict.fromkeys(w.split()[-1] for w in _LEVEL_OF))
    # (a clause may open with its year, comma or none: "năm 2021 huyện xếp thứ 12", "Năm ngoái huyện ...")
    subject = (rf"(?:^|{after_type}[,:;]\s*|\b[Nn]ăm\s+(?:20\d\d|nay|ngoái|trước|qua)\s*,?\s+)((?:{'|'.join(map(_either_case, _TYPES.split('|')))})|{heads})"
               rf"(?:\s+(?:{alt(words['pointers'])}))?\s+(?:(?:{alt(words['adverbs'])})\s+){{0,2}}(?:{alt(words['verbs'])})\b")
    return re.compile(rf"(?:[Cc]ủa|UBND|[UỦỦ][ỷủ]y ban nhân dân)\s+({_TYPES}|{heads})\b"
                      r"(?!\s+[A-ZĐÂĂÊÔƠƯ&])(?!\s+(?:và|-|–)\s)|" + subject)


@functools.lru_cache(maxsize=4)
def _first_person(rules: Rules) -> re.Pattern:
    """'chúng tôi' opening a clause (or after the year that opens it) before a ranking verb."""
    words = rules.pronoun_subject
    alt = lambda items: "|".join(map(re.escape, items))
    return re.compile(rf"(?:^|[,:;]\s*|\b[Nn]ăm\s+(?:nay|20\d\d)\s*,?\s*)"
                      rf"(?P<who>{'|'.join(map(_either_case, words['first_person']))})"
                      rf"\s+(?:(?:{alt(words['adverbs'])})\s+){{0,2}}(?:{alt(words['verbs'])})\b")


def _speaker(text, ctx: Context, rules: Rules) -> Unit | None:
    """'Ông A: Năm 2022 chúng tôi chỉ đứng thứ 8', 'Chúng tôi đạt 90,7 điểm, chỉ sau Sở B': the
    unit the interview is about (the one an earlier sentence gave values to last, else the
    title's), standing where "chúng tôi" stands."""
    m = _first_person(rules).search(text) if "húng tôi" in text else None   # (rare: test the words first)
    if m is None:
        return None
    known = list(ctx.last.values())[-1:] or [ctx.topic]
    if known[0] is None:
        return None
    return Unit(m.start("who"), m.end("who"), known[0].text, known[0].level, "unit.first_person", bare=True)


_CITY = re.compile(r"(?:thành phố|tp\b)", re.IGNORECASE)   # a city's unit, a province's or a district's


@functools.lru_cache(maxsize=4)
def _points_back(rules: Rules) -> re.Pattern:
    return re.compile(r"\s+(?:" + "|".join(map(re.escape, rules.pronoun_subject["back_pointers"])) + r")\b")


def _titles_unit(ctx: Context, points_back: bool, of_kind, named_here: bool, ranked_since: bool) -> Unit | None:
    """A type word alone ("xã", "thành phố") is the unit the title names where that unit is of its
    kind (of_kind), though another of the kind was ranked since (ranked_since): unless the
    sentence names one of the kind before the word (named_here) or "này"/"đó" points back."""
    topic = ctx.topic
    if topic is None or points_back or named_here or not ranked_since or not of_kind(topic):
        return None
    return topic


def _implicit_unit(text, folded, ctx: Context, units, rules: Rules, values=()):
    """A sentence that ranks 'the province' or a unit named bare earlier ('Tam Hưng đạt ...')."""
    for name, (unit_text, level) in ctx.names.items():
        m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
        if m:
            return Unit(m.start(), m.end(), unit_text, level, "unit.known_name", bare=True)
    m = _implicit(rules).search(text)
    if m:
        word = (m.group(1) or m.group(2)).lower()
        level = _LEVEL_OF.get(word)
        # "tỉnh này", "xã đó" point back to the one named last, never to the article's own
        points_back = _points_back(rules).match(text, m.end(1 if m.group(1) else 2)) is not None
        # the unit of that level named before it in the sentence ("điểm của Quảng Ninh đều cao;
        # riêng 4 trục, tỉnh đứng đầu"), else the one ranked last before ("Huyện Can Lộc đứng đầu
        # ... Năm trước, huyện xếp thứ tư"), else the one the article talks about most
        here = {}
        for u in units:
            if u.end <= m.start():
                u_text, u_level = canonical_unit(u, rules, ctx.year)
                here.pop(u_level, None)
                here[u_level] = Unit(0, 0, u_text, u_level, u.rule)
        if word not in _LEVEL_OF:   # an agency: the one named last that the word starts
            named = list(ctx.last.values()) + list(here.values())
            places = [u for u in named if u.level in ("province", "district", "commune")]
            if word in (w.lower() for w in rules.pronoun_subject.get("any_place", [])):
                named = places
            elif word in (w.lower() for w in rules.pronoun_subject["any_agency"]):
                # "đơn vị này" after a commune's or a district's result, no agency ranked before
                named = [u for u in named if u.level not in ("province", "district", "commune")] or places
            else:
                named = [u for u in named if u.text.lower().startswith(word.removesuffix(" này") + " ")]
                topic = ctx.topic is not None and ctx.topic.text.lower().startswith(word + " ")
                # in an interviewee's answer ("Giám đốc Sở: ... Sở đứng thứ 4") a bare head word
                # is the agency the interview is about, whatever other agency the answer compared
                if topic and (not named or (rules.markers["speaker_line"].search(folded) and "này" not in m.group(0))):
                    named = [ctx.topic]
            candidates = named[-1:]
        elif level == "province" and not points_back:
            # "tỉnh" alone is the article's own province, however many neighbours a sentence
            # before compared it with ("Khánh Hòa đạt 44 điểm, Ninh Thuận 41,9 điểm. Chỉ số
            # CCHC của tỉnh ..."); "tỉnh này" points back to the one named last
            candidates = [here.get(level) or ctx.main.get(level) or ctx.last.get(level)]
        elif level:
            # "xã" alone, like "tỉnh" alone, is the place the article is about where its title
            # names one of that type ("Xã A xếp thứ ba ...": after "B đứng thứ hai", "Chỉ số hài
            # lòng ... của UBND xã" is still A's); "xã này", "xã đó" point back to the one named last
            own = _titles_unit(ctx, points_back, lambda u: u.level == level and _same_type(word, u.text, strict=True),
                               named_here=here.get(level) is not None, ranked_since=ctx.last.get(level) is not None)
            candidates = [own or here.get(level) or ctx.last.get(level) or ctx.main.get(level)]
            if candidates[0] is None or not _same_type(word, candidates[0].text):
                # a type word stands for a unit of its own type ("Xã đứng thứ 2" is no thị trấn):
                # the one of that type named before, else the one of that type the text names most
                agreeing = [u for u in (here.get(level), ctx.last.get(level), ctx.main.get(level), ctx.topic)
                            if u is not None and u.level == level and _same_type(word, u.text, strict=True)]
                typed = ctx.typed.get(word)
                if agreeing:
                    candidates = agreeing[:1]
                elif typed is not None:
                    candidates = [Unit(0, 0, typed, level, "unit.typed_mention")]
                elif candidates[0] is not None and not _same_type(word, candidates[0].text):
                    candidates = []
        else:   # "thành phố": the city named last, a province's or a district's
            cities = [u for named in (ctx.last, here) for u in named.values()
                      if _CITY.match(u.text)]
            # (the city the title names, as for "xã" above)
            own = _titles_unit(ctx, points_back, lambda u: _CITY.match(u.text) is not None,
                               named_here=any(_CITY.match(u.text) for u in here.values()), ranked_since=bool(cities))
            cities = [own] if own is not None else cities
            candidates = cities[-1:] + [ctx.main.get("province"), ctx.main.get("district")]
        for unit in candidates:
            if unit is not None:
                word_group = 1 if m.group(1) else 2   # the type word: not the comma before, nor the verb after
                return Unit(m.start(word_group), m.end(word_group), unit.text, unit.level, "unit.implicit", bare=True)
    if ctx.heading is not None:   # "Sở Tư pháp:" on its own line, then "Đạt 90,25 điểm, xếp thứ nhất."
        return Unit(0, 0, ctx.heading.text, ctx.heading.level, "unit.heading", bare=True)
    # the title's one unit is the subject of a sentence that names an index and no unit ("SIPAS
    # 2023 đạt 84,9%"), not of an average ("trung bình của các xã"); one it is measured against
    # ("đạt 84,07%, cao hơn bình quân cả nước") is no average stated, nor a grade ("thuộc nhóm
    # trung bình cao": PAPI's bands are named so)
    # ("Ở cấp huyện, mức độ hài lòng chung đạt 86,7%": the level below the title's unit, all of it)
    # An article that so far ranked its own province alone, and not the title's unit if any (the
    # speaker's agency: "Giám đốc Sở Nội vụ: ..."), is about that province ("Năm 2023 tỉnh đứng
    # thứ 13. Chỉ số SIPAS cũng đạt 84,07%"), where the sentence states a figure (a word alone,
    # "dẫn đầu", may praise a field of the index)
    topic = ctx.topic
    if (topic is None or topic.level != "province") and len(ctx.last) == 1 and ctx.last.get("province") is not None \
            and any(v.explicit and v.kind in _FIGURES for v in values) \
            and ctx.main.get("province") is not None and ctx.last["province"].text == ctx.main["province"].text:
        topic = ctx.last["province"]
    if topic is not None and (re.search(r"chỉ số", folded, re.IGNORECASE) or find_indexes(folded, rules)) \
            and not rules.markers["others_result"].search(folded) \
            and not _LOWER_LEVEL.match(folded):
        return Unit(0, 0, topic.text, topic.level, "unit.topic", bare=True)
    return None


def _same_type(word: str, unit_text: str, strict: bool = False) -> bool:
    """Can the type word stand for the unit? Its own type word, or (unless strict) none written."""
    m = _TYPE_WORD.match(unit_text)
    return m.group(1).lower() == word if m else not strict


_FIGURES = ("rank", "rank_list", "two_positions", "change", "change_list", "score", "score_list")
# a sentence that opens on a level ("Ở cấp huyện, ...", "Khối xã, phường: ...") is about all of it
_LOWER_LEVEL = re.compile(r"^\W*(?:(?:ở|tại|đối với|về|với|riêng)\s+)?(?:cấp|khối|nhóm)\s+(?:huyện|xã|sở|quận|phường|cơ sở)\b[^,:;]{0,40}[,:]",
                          re.IGNORECASE)
_BINDS = ("rank", "rank_last", "change", "two_positions", "score")
_BOUND_GAP = re.compile(r"\s*\(?\s*(?:điểm|%)?\s*(?:của|trong|vào)?\s*năm\s*|\s*\(?\s*")   # (a bare year in brackets: "thứ 13 (2023)")


def bound_years(text: str, values: list[Value]) -> dict:
    """Years written right after a rank or change ('quán quân năm 2022', 'thứ 51 năm 2022'):
    they date that value only, not the sentence. Maps id(year) -> start of the value.

    Linear in the values (each year looks only at values ending in the 16 characters before
    it): a sentence of a thousand rankings joined by ';' is read in time."""
    out = {}
    ends = sorted((v.end, i) for i, v in enumerate(values) if v.kind in _BINDS)
    keys = [e for e, _ in ends]
    spans = [(v.start, v.end) for v in values if v.kind == "two_positions"]
    for y in values:
        if y.kind != "year":
            continue
        if any(s_ <= y.start < e for s_, e in spans):
            out[id(y)] = -1   # "từ vị trí thứ 51 năm 2022 lên ...": the year of the earlier rank
            continue
        for k in range(bisect.bisect_left(keys, y.start - 16), bisect.bisect_right(keys, y.start)):
            v = values[ends[k][1]]
            # "hạng 4 (năm 2013)" dates the rank; "thứ 3 (năm 2021 xếp thứ 6)" opens an aside
            if _BOUND_GAP.fullmatch(text, v.end, y.start) and (
                    "(" not in text[v.end:y.start] or re.match(r"\s*\)", text[y.end:])):
                out[id(y)] = v.start
    return out


YEAR_KINDS = ("year", "year_compare", "year_before")   # values that date others, of no one's


def resolve_relative_years(values: list[Value], year: int | None, this_year: int | None = None) -> list[Value]:
    """'năm trước' as the year it names: one before the year stated before it in the sentence,
    else before `year` (the one its paragraph states); dropped inside a move ('từ hạng 28 năm
    ngoái lên ...' dates the earlier rank itself) or where no year is stated. 'năm nay' is
    `this_year` (the article's), whatever earlier year the paragraph told of ("Năm 2022 huyện
    đứng thứ 8. Năm nay ..."), else `year`. Set against "năm nay" in the same sentence ("Sở A,
    đơn vị dẫn đầu năm ngoái, năm nay lùi xuống thứ 6"), "năm ngoái" is the year before `this_year`
    where no year is stated."""
    if not any(v.kind == "year_before" for v in values):
        return values
    moves = [(v.start, v.end) for v in values if v.kind == "two_positions"]
    now_said = any(v.kind == "year_before" and v.value == 0 for v in values)
    out = []
    for v in values:
        if v.kind != "year_before":
            out.append(v)
            continue
        stated = [y.value for y in values if y.kind == "year" and y.end <= v.start]
        base = (stated[-1] if stated and v.value else None) or (v.value == 0 and this_year) or year \
            or ((v.extra.get("round") or now_said) and this_year)
        if base and not any(s <= v.start < e for s, e in moves):
            out.append(dataclasses.replace(v, kind="year", value=base + v.value))
    return out


class SentenceYears:
    """The years of one sentence, worked out once: which value each year dates, and the
    evaluated year of a value at any position (FACTS.md 1)."""

    def __init__(self, text: str, values: list[Value]):
        self.text = text
        self.parens = aside_spans(text)
        self.clauses = clauses(text)
        self.bound = bound_years(text, values)
        self.by_value = {start: y.value for y in values for start in [self.bound.get(id(y))] if start is not None}
        self.years = [v for v in values if v.kind == "year" and id(v) not in self.bound]
        self.compare = [v for v in values if v.kind == "year_compare"]
        # "huyện A đứng thứ ba dù năm 2022 từng đứng thứ nhất": a past told in passing after the
        # values dates what follows it in its clause only, not the sentence
        past = load_rules().markers["past_in_passing"]
        self.outside = [y for y in self.years if _inside(y.start, self.parens) is None
                        and not (any(v.kind in _BINDS and v.end <= y.start for v in values)
                                 and past.search(fold_tones(text[max(0, y.start - 12):y.end + 12])))]
        # "sau cú trượt năm 2023 (hạng 34), tỉnh lên thứ 7": a year right before an aside that
        # states a value is the aside's year, not the sentence's
        self.aside_year = {}
        for y in list(self.outside):
            aside = next((p for p in self.parens if p[0] >= y.end and not text[y.end:p[0]].strip()), None)
            if aside is not None and y.start > 0 and any(aside[0] <= v.start < aside[1] and v.kind in _BINDS for v in values):
                self.aside_year[aside] = y.value
                self.outside.remove(y)
                self.years.remove(y)
        # "Bộ A ở vị trí thứ 5; năm 2023 bộ này đứng thứ 8": a year that opens a later clause with
        # values of its own dates that clause, not the clauses before it
        self.later = [y for y in self.outside
                      if any(c[0] < y.start < c[1] and c[0] > 0 and not text[c[0]:y.start].strip(" ,")
                             .lower().removeprefix("năm").strip()
                             and any(y.end <= v.start < c[1] and v.kind in _BINDS for v in values)
                             for c in self.clauses)]
        # "tụt 1 bậc, từ hạng 4 (năm 2013) xuống hạng 5 (năm 2014)": the move ends in 2014
        moves = {v.start for v in values if v.kind == "two_positions"}
        self.move_year = next((y for start, y in self.by_value.items() if start in moves), None)

    def main(self) -> int | None:
        """The year the sentence is about: stated outside parentheses, not bound to one value."""
        return self.outside[0].value if self.outside else None

    def of(self, pos: int, ctx: Context, fixed: int | None = None) -> int | None:
        if fixed:
            return fixed
        if pos in self.by_value:
            return self.by_value[pos]
        here = _inside(pos, self.parens)
        clause = next((c for c in self.clauses if c[0] <= pos <= c[1]), (0, 0))
        # a year stated just before, in the same clause and the same parentheses
        before = [y for y in self.years if y.end <= pos and clause[0] <= y.start and _inside(y.start, self.parens) == here]
        if before:
            return before[-1].value
        if here is not None:
            # (not a year after a semicolon: "(81,2 điểm; năm 2022 xếp thứ 4)" dates the rank only)
            inside = [y for y in self.years if _inside(y.start, self.parens) == here
                      and not (y.start > pos and ";" in self.text[pos:y.start])]
            if inside:
                return inside[0].value
            # "tăng 19 bậc so với năm 2022 (hạng 37/63)": an aside right after the compared year
            # is that year's result
            compared = [y for y in self.compare if y.end <= here[0] and not self.text[y.end:here[0]].strip()]
            if compared:
                return compared[-1].value
            if here in self.aside_year:
                return self.aside_year[here]
        outside = [y for y in self.outside if y not in self.later or y.start < clause[0]]
        if outside:
            return outside[0].value
        if self.compare:
            return self.compare[0].value + 1
        return ctx.year


def main_year(text: str, values: list[Value]) -> int | None:
    return SentenceYears(text, values).main()


def index_of(pos: int, text: str, indexes, ctx: Context, rules: Rules) -> str:
    """The index of the value at pos: the one named right after it ("thứ 12/63 về SIPAS"),
    else the clause's index name, else the sentence's, else the paragraph's."""
    clause = next((c for c in clauses(text) if c[0] <= pos <= c[1]), (0, len(text)))
    in_clause = [i for i in indexes if clause[0] <= i[0] < clause[1]]
    after = next((i for i in in_clause if i[0] > pos), None)
    if after is not None and rules.markers["index_after"].match(fold_tones(text[pos:after[0]])):
        return after[2]
    if in_clause:
        before = [i for i in in_clause if i[0] <= pos]
        return (before[-1] if before else in_clause[0])[2]
    if indexes:
        before = [i for i in indexes if i[0] <= pos]
        if not before and _opens_clause(indexes[0], text):
            # "Phường A: 91,8 điểm, xếp thứ 2; SIPAS 95,3%": an index that opens a later clause
            # is that clause's subject; the clauses before it keep the paragraph's index (another
            # one than that: the default index, FACTS.md 10, where the paragraph's is the same)
            return ctx.index if ctx.index != indexes[0][2] else "PAR"
        return (before[-1] if before else indexes[0])[2]
    return ctx.index


def _opens_clause(index, text: str) -> bool:
    clause = next((c for c in clauses(text) if c[0] <= index[0] <= c[1]), (0, len(text)))
    return clause[0] > 0 and re.fullmatch(r"[\s\-–]*(?:(?:bộ\s+)?chỉ số\s+)?", text[clause[0]:index[0]],
                                          re.IGNORECASE) is not None


_INDEX_JOIN = re.compile(r"\s*(?:,|và|,\s*và)\s*$")


def joined_indexes(pos: int, text: str, indexes) -> list[str]:
    """'SIPAS và PAPI giữ nguyên thứ hạng': the indexes joined as the subject of the value at
    pos, each of them (none unless two or more, in its clause, with no comma or figure between
    the last of them and the value)."""
    clause = next((c for c in clauses(text) if c[0] <= pos <= c[1]), (0, len(text)))
    before = [i for i in indexes if clause[0] <= i[0] and i[1] <= pos]
    if len(before) < 2 or re.search(r"[\d,;:(]", text[before[-1][1]:pos]):
        return []
    run = [before[-1]]
    for i in reversed(before[:-1]):
        if not _INDEX_JOIN.match(text[i[1]:run[0][0]]):
            break
        run.insert(0, i)
    named = list(dict.fromkeys(i[2] for i in run))
    return named if len(named) >= 2 else []


_TYPE_WORD = re.compile(r"^(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)\s", re.IGNORECASE)


def canonical_unit(unit: Unit, rules: Rules, year: int | None):
    """(unit text as the record shows it, level): 'UBND' dropped, bare provinces typed."""
    text = re.sub(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", unit.text.strip(), flags=re.IGNORECASE)
    level = unit.level
    if level == "province" and unit.bare and unit.rule == "unit.province.bare":
        name = text
        if fold_tones(name.lower()) in ("tp.hcm", "tp. hcm", "tp hcm", "tphcm"):
            return "Thành phố Hồ Chí Minh", "province"
        cities = rules.cities | (rules.cities_from_2025 if (year or 0) >= 2025 else set())
        return (f"thành phố {name}" if name in cities else f"tỉnh {name}"), "province"
    # the type word as a record shows it: "Huyện Mường Lát" at a sentence start is huyện Mường Lát
    m = _TYPE_WORD.match(text)
    if m and not re.search(r"hồ chí minh", text, re.IGNORECASE):
        text = m.group(1).lower() + text[m.end(1):]
    if level == "district":
        m = re.match(r"^(?:thành phố|TP\.?|Tp\.?)\s*(.+)$", text, re.IGNORECASE)
        if m:
            cities = rules.cities | (rules.cities_from_2025 if (year or 0) >= 2025 else set())
            if fold_tones(m.group(1)) in {fold_tones(c) for c in cities}:
                return text, "province"
    return text, level


def _alias_key(text: str) -> str:
    return re.sub(r"\s*([-–])\s*", "-", fold_tones(text.lower()))   # "TT- Huế" is "TT-Huế"


@functools.lru_cache(maxsize=4)
def _aliases(rules: Rules) -> dict:
    return {_alias_key(k): v for k, v in rules.province_aliases.items()}


def province_name(unit_text: str, rules: Rules | None = None) -> str:
    """The province's name in a province-level unit: 'tỉnh TT-Huế' -> 'Thừa Thiên Huế'."""
    aliases = _aliases(rules or load_rules())
    if _alias_key(unit_text) in aliases:
        return aliases[_alias_key(unit_text)]
    name = without_province_type(unit_text).strip()
    return aliases.get(_alias_key(name), name)


def key_of(index, level, unit_text, year):
    return (index, level, unit_key(unit_text), year)
