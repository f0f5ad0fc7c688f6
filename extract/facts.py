"""An article's text -> fact records (FACTS.md), each with its evidence and offsets."""
import functools
import re
import time
import unicodedata
from collections import Counter

from parindex.extract import assemble, screen, sentences, tables, textpage
from parindex.model import linker, lowercase
from parindex.model.catalogue import INDEX
from parindex.extract.assemble import Context, canonical_unit, key_of, province_name
from parindex.model.loading import collector_paused, seconds_loading
from parindex.model.normalize import TYPE_WORDS, fold_tones
from parindex.model.topic import about
from parindex.extract.errors import ExtractError
from parindex.extract.rules import Rules, load_rules
from parindex.extract.units import Unit, find_units, new_document, row_mark, rows_type, with_local_names
from parindex.extract.values import Value, find_indexes, find_values

_UNIT_CUE = re.compile(r"\b(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tp|tx|tỉnh|sở|bộ|ban|cục|công an|kho bạc|"
                       r"bảo hiểm|ngân hàng|văn phòng|đặc khu|thanh tra|ủy ban|uỷ ban)\b|[A-ZĐ]\w+ [A-ZĐ]", re.IGNORECASE)


def is_relevant(text: str, title: str | None = None) -> bool:
    """Cheap test: does the article talk about an index ranking at all? Not a page that names a
    ranking ("bảng xếp hạng") but no index: it ranks something else (exam averages, a sports
    meet), whatever its sentences say of places and moves (markers.ranking_only)."""
    rules = load_rules()
    if not about(rules.markers["topic"], text, title):
        return False
    whole = fold_tones(f"{title or ''}\n{text}")
    only = rules.markers["ranking_only"]
    if any(not only.match(m.group(0)) for m in lowercase.finditer(rules.markers["topic"], whole)):
        return True   # (the first word of the topic is mostly an index's: the search stops there)
    return bool(find_indexes(whole, rules))


_PROVINCE_MENTION = {}


def province_mentions(text: str, rules: Rules, folded: str | None = None) -> Counter:
    """How often each province is named in the text (bare, or in "tỉnh X", "thành phố X").
    folded: fold_tones(text), where the caller has it."""
    cached = _PROVINCE_MENTION.get(id(rules))
    if cached is None:
        names = sorted({fold_tones(p) for p in rules.provinces}, key=len, reverse=True)
        # "phường Hải Dương" (a ward of Hải Phòng since 2025) names a ward, not the province, and
        # so does "P. Bình Thuận" (a ward of Đà Nẵng) with its type word cut short.
        # (The look-ahead of the names' first letters changes no match: it lets the engine pass
        # over most places of a long text before it tries the look-behinds and the names there.)
        first = "".join(sorted({n[0].lower() for n in names}))
        regex = re.compile(r"(?<!\w)(?=[" + re.escape(first) + r"])"
                           r"(?<!xã )(?<!phường )(?<!trấn )(?<!khu )(?<!huyện )(?<!quận )(?<!thị xã )(?<!\bp\. )(?<!\bx\. )(?<!\btt\. )("
                           + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
        # a short form counts for its province: "TP.HCM" and "Hồ Chí Minh" are one
        cached = _PROVINCE_MENTION[id(rules)] = (regex, {fold_tones(p): province_name(p, rules) for p in rules.provinces})
    regex, canonical = cached
    folded = fold_tones(text) if folded is None else folded
    names = (folded[m.start(1):m.end(1)] for m in lowercase.finditer(regex, folded))   # as written
    return Counter(canonical[name] for name in names if name in canonical)


def build_context(title: str | None, sents, units_by_sentence, rules: Rules, text: str = "",
                  folded_text: str | None = None) -> Context:
    """Defaults from the title and the units the article talks about most. folded_text:
    fold_tones(text), where the caller has it (see folded_whole)."""
    ctx = Context()
    folded_title = fold_tones(title or "")
    title_values = find_values(folded_title, rules)
    title_years = [v.value for v in title_values if v.kind == "year"] or \
        [int(y) for y in _BARE_YEAR.findall(folded_title)]   # "Kết quả PAR INDEX cấp huyện 2021"
    ctx.year = title_years[0] if title_years else None
    title_index = find_indexes(folded_title, rules)
    ctx.index = title_index[0][2] if title_index else "PAR"
    ctx.index_stated = bool(title_index)
    counts = {"province": Counter(), "district": Counter(), "commune": Counter()}
    first_seen = {}
    title_units = find_units(title, rules) if title else []
    everything = list(title_units) + [u for units in units_by_sentence for u in units]
    for unit in everything:
        unit_text, level = canonical_unit(unit, rules, None)
        if level in counts:
            counts[level][unit_text] += 1
            first_seen.setdefault(unit_text, unit)
        if not unit.bare and level in ("commune", "district", "province"):
            name = re.sub(r"^(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tp\.?|tx\.?|tỉnh|q\.|p\.)\s*", "",
                          unit_text, flags=re.IGNORECASE).strip()
            if len(name.split()) >= 2 and name not in rules.provinces:
                ctx.names.setdefault(name, (unit_text, level))
    for level, counter in counts.items():
        if counter:
            best = counter.most_common(1)[0][0]
            unit = first_seen[best]
            ctx.main[level] = Unit(0, 0, best, level, unit.rule)
    # the places of each type the text names, wherever ("xã Hiệp Thạnh (huyện Đức Trọng) có bước
    # tiến ..." states no value): what a type word alone may stand for (assemble, implicit subject)
    places = Counter((m.group(1).lower(), " ".join(m.group(2).split())) for m in _TYPED_PLACE.finditer(text))
    for (word, name), _ in places.most_common():
        ctx.typed.setdefault(word, f"{word} {name}")
    whole = (title or "") + "\n" + text
    # a line break joins what was folded apart as it would have been folded together
    named = province_mentions(whole, rules, folded_title + "\n" + folded_text
                              if folded_text is not None and _is_nfc(title or "") else None)
    if named:
        ctx.province = named.most_common(1)[0][0]
    elif counts["province"]:
        ctx.province = province_name(counts["province"].most_common(1)[0][0])
    if ctx.province and "province" not in ctx.main:
        cities = rules.cities | rules.cities_from_2025
        typed = f"thành phố {ctx.province}" if ctx.province in cities else f"tỉnh {ctx.province}"
        ctx.main["province"] = Unit(0, 0, typed, "province", "unit.province")
    # The title's topic: the one unit it ranks ("Cục Thuế Nghệ An tăng hạng": the province is the
    # agency's place), else the one unit it names, else the province it opens with when the title
    # states a result ("Thừa Thiên Huế: Chỉ số CCHC năm 2023 tăng 3 bậc")
    ranked = [u for u in title_units if not u.context]
    if len(ranked) == 1 and not ranked[0].bare:
        ctx.topic = ranked[0]
    elif len(title_units) == 1 and not title_units[0].bare:
        ctx.topic = title_units[0]
    elif not title_units and title and (typed := _name_of_typed(title, places)):
        # "Hiệp Thạnh: Từ xã đội sổ đến nhóm dẫn đầu": a headline opening on the bare name of a
        # place the text names with its type word, of the level that type word names (units.yaml typed)
        word, bare = typed
        level = next(r["level"] for r in rules.typed if word in (w.lower() for w in r["words"]))
        ctx.topic = Unit(0, 0, f"{word} {bare}", level, "unit.title_name")
    elif not ranked and len(title_units) == 1 and title_units[0].level == "province" \
            and re.match(r"\s*:", title[title_units[0].end:]) \
            and any(v.kind not in assemble.YEAR_KINDS for v in title_values):
        typed, _ = canonical_unit(title_units[0], rules, ctx.year)
        ctx.topic = Unit(0, 0, typed, "province", title_units[0].rule)
    return ctx


_TYPED_PLACE = re.compile(r"(?<!\w)([Xx]ã|[Pp]hường|[Tt]hị trấn|[Qq]uận|[Hh]uyện|[Tt]hị xã)[ \t]+"
                          r"(\d{1,2}\b|[A-ZĐ][\w']*(?:[ \t]+[A-ZĐ][\w']*)*)")
_TITLE_NAME = re.compile(r"\s*([A-ZĐ][\w']*(?:\s+[A-ZĐ][\w']*){0,3})\s*:")


def _name_of_typed(title: str, typed: Counter) -> tuple[str, str] | None:
    """(type word, name) of the place whose bare name opens the title before a colon. typed:
    (type word, name) of the places the text names."""
    m = _TITLE_NAME.match(title)
    if m is None:
        return None
    name = m.group(1).lower()
    return next(((word, bare) for word, bare in typed if bare.lower() == name), None)


class TooSlow(ExtractError):
    pass


def ready(rules: Rules | None = None) -> Rules:
    """Load, once per process, what reading any page needs: the rules, the unit pipeline, the
    screen of the value rules, the sentence tokenizer and the unit register. A page's time
    budget then counts its own reading, not a model loaded on the first page of a run."""
    rules = rules or load_rules()
    _load(rules)
    return rules


@functools.lru_cache(maxsize=4)
def _load(rules: Rules) -> None:
    # once per rules: collector_paused keeps for good what is alive when it ends
    from parindex.extract import uts, units as unit_rules
    from parindex.model.register import get_register
    with collector_paused():
        unit_rules.pipeline(rules)
        screen.prepare(rules)
        uts.sent_tokenize("")
        get_register()


def extract_text_facts(text: str, title: str | None = None, rules: Rules | None = None,
                       published: str | None = None, budget: float | None = None) -> list[dict]:
    """Facts of an article's text (offsets into text); published (YYYY-MM-DD) dates a text that
    never states the year it evaluates. budget: seconds the reading may take (TooSlow past it),
    not counting what the first page of a process loads."""
    rules = rules or load_rules()
    if not is_relevant(text, title):
        return []
    new_document()
    deadline = None
    if budget:
        ready(rules)
        deadline = time.monotonic() + budget
        loaded = seconds_loading()
    folded_text = folded_whole(text)
    sents = sentences.split(text)
    sents, folded = _without_links(text, sents, sentence_folds(text, sents, folded_text), rules)
    # Only sentences that state a value go through the unit rules: the costly step.
    values = [find_values(f, rules) if screen.may_state(f, rules) else [] for f in folded]
    stating = [(any(v.kind not in assemble.YEAR_KINDS for v in vs) or rules.markers["continued"].search(s.text) is not None)
               and not tables.is_table_row(s.text)
               for s, vs in zip(sents, values)]
    row_types = _row_types(sents, rules)
    units = [find_units(s.text, rules, None, rt) if state else [] for s, state, rt in zip(sents, stating, row_types)]
    ctx = build_context(title, sents, units, rules, text, folded_text)
    if ctx.year is not None and not ctx.index_stated:
        ctx.year = _title_year_or_results(ctx.year, title, folded, values, rules, published)
    if ctx.year is None:
        # a plan's year ("để giữ ngôi đầu trong năm 2020, đơn vị sẽ ...") is not the one evaluated
        ctx.year = _article_year([(s.text, vs) for s, f, vs in zip(sents, folded, values)
                                  if not rules.markers["target"].search(f)],
                                 published)
    mentioned = [_district_mention(m) for m in _TYPED_DISTRICT.finditer(text)]
    if ctx.province is None:
        # FACTS.md 12: a district or commune that exists in one province only names it (also
        # where the text only mentions it: "Ban Chỉ đạo CCHC Quận 3 công bố điểm của 14 phường")
        ctx.province = linker.province_of_names([u.text for us in units for u in us] + mentioned, ctx.year)
    if "district" not in ctx.main and mentioned:
        # "chỉ số CCHC của huyện là 69,37%" in an article that names the district elsewhere
        best = Counter(m[0].lower() + m[1:] for m in mentioned).most_common(1)[0][0]
        ctx.main["district"] = Unit(0, 0, best, "district", "unit.district")
    if ctx.province:
        local = _with_named_communes(linker.local_unit_names(ctx.province, ctx.year), ctx.names)
        units = [with_local_names(s.text, us, rules, local, rt) if state else []
                 for s, us, state, rt in zip(sents, units, stating, row_types)]
    # a district is one the register knows: "tỉnh, TP. Ngôi quán quân ..." names none
    units = [[u for u in us if u.rule != "unit.district" or linker.is_district_name(u.text)] for us in units]
    mentions = [find_indexes(f, rules) if (state or rules.markers["topic"].search(f)) else [] for f, state in zip(folded, stating)]
    # (a question, "Còn Chỉ số DDCI thì sao?", states nothing: its index is no measure of the article)
    title_index = ctx.index if ctx.index_stated else \
        _dominant_index([ms for ms, s in zip(mentions, sents) if not s.text.rstrip().endswith("?")]) or ctx.index
    ctx.index = title_index
    facts, order = {}, []
    last_paragraph, paragraph_index, paragraph_year, paragraph_topic = -1, title_index, None, False
    ordered = None   # the place reached in a list announced as ordered
    last_named = None   # the index named last in the article
    last_ranked = {}    # level -> the latest unit an earlier sentence gave values to (Context.last)
    last_place = 0
    heading = None      # the unit a heading line named ("Sở Tư pháp:"), until a line names its own
    section = None      # the index a numbered heading line named ("2. Về Chỉ số hài lòng"), until the next one
    rows_index = None   # the index a line leading into rows named ("Về SIPAS, kết quả theo nhóm:"), for its rows
    heading_rows = False    # the heading was a sentence leading into rows: it ends with them
    the_rest_kept = []      # (rankings, units named) of sentences that say the others kept their place
    for sent, f, vs, us, state, indexes in zip(sents, folded, values, units, stating, mentions):
        if deadline is not None and time.monotonic() - (seconds_loading() - loaded) > deadline:
            raise TooSlow(f"too long to read in time: {len(text):,} characters, {len(sents):,} sentences")
        if heading_rows and sent.paragraph != last_paragraph and row_mark(sent.text) is None:
            heading, heading_rows = None, False   # prose again after the rows of a lead-in
        if ordered is not None and sent.paragraph != last_paragraph and _ends_list(sent.text, vs):
            ordered = None   # the rows of the list have ended: "Phường X xếp cuối với 84,03 điểm."
        if sent.paragraph != last_paragraph:
            if rows_index is not None and row_mark(sent.text) is None:
                rows_index = None   # the rows under the lead-in line have ended
            # a paragraph starts on the article's index (or its section's), whatever the one
            # before moved to
            last_paragraph, paragraph_index, paragraph_year = sent.paragraph, rows_index or section or title_index, None
            paragraph_topic = False
            last_place = 0   # the lowest place (highest number) the paragraph's sentences stated so far
        if ordered is not None and _GROUP_HEAD.match(sent.text):
            ordered = 0   # "Cụm 2: ...": each group is ranked on its own
        if last_named and not indexes and _THIS_TABLE.search(f):
            paragraph_index = last_named   # "Ở bảng này, ...": the ranking named last, wherever
        if state:
            sent_ctx = Context(year=paragraph_year or ctx.year, index=paragraph_index, province=ctx.province,
                               main=ctx.main, last=dict(last_ranked), names=ctx.names, topic=ctx.topic, typed=ctx.typed,
                               heading=heading,
                               about_index=paragraph_topic or ordered is not None)
            # "năm trước" counts back from a year the paragraph states, not from the article's
            # default (a text of 2024 calls the 2023 index "năm trước" as often as the 2022 one)
            vs = assemble.resolve_relative_years(vs, paragraph_year, ctx.year)
            vs = _continued(sent.text, vs, us, last_place, rules)
            claims = assemble.sentence_claims(sent.text, us, vs, rules, sent_ctx, folded=f)
            found = _facts_of_sentence(sent, claims, vs, indexes, rules, sent_ctx, f)
            if ordered is not None:
                ordered = _rank_in_order(found, ordered)
            for fact in found:
                _merge(facts, order, fact)
            if found and rules.markers["rest_unchanged"].search(f):
                # "A tăng 1 bậc, B giảm 1 bậc; các đơn vị còn lại giữ nguyên thứ hạng"
                the_rest_kept.append(({(x["index"], x["level"], x["year"]) for x in found}, {x["unit"] for x in found}))
            last_place = max((f["rank"] for f in found if f["rank"] is not None), default=last_place)
            if any(not unit.context for unit in us):
                heading = None
            for fact in sorted(found, key=lambda f: f["_pos"]):
                last_ranked.pop(fact["level"], None)   # the order of the dict is the order of mention
                last_ranked[fact["level"]] = Unit(0, 0, fact["unit"], fact["level"], "unit.stated")
        elif rules.markers["heading"].match(sent.text) \
                or (sent.text.rstrip().endswith(":") and _owner_lead_in(f, rules)):
            found_units = find_units(sent.text, rules, local if ctx.province else None)
            named = [u for u in found_units if not u.context]
            lead_in = not named and _owner_lead_in(f, rules)
            if lead_in:   # "các chỉ số của tỉnh X đều tăng, cụ thể:": X, however it is named
                named = list({canonical_unit(u, rules, paragraph_year or ctx.year): u for u in found_units}.values())
            if len(named) == 1:
                text_, level = canonical_unit(named[0], rules, paragraph_year or ctx.year)
                heading, heading_rows = Unit(0, 0, text_, level, named[0].rule), lead_in
        elif ordered is not None and not _ORDERED.search(sent.text):
            ordered = None   # the list has ended
        if sent.text.rstrip().endswith(":") and (_ORDERED.search(f) or rules.markers["leading_group_after"].search(f)):
            # "... xếp lần lượt theo thứ tự từ cao đến thấp:", "Năm xã dẫn đầu lần lượt là:" and the list below
            ordered = 0
        kind = _section_heading(text, sent, rules)
        if kind is not None:
            # a heading line names the index of what is under it: the lines of its section
            # (numbered) or the rows it leads into (a colon), however these name it ("mức hài lòng")
            named = {i[2] for i in indexes}
            if kind == "numbered":
                section = named.pop() if len(named) == 1 else None
            elif len(named) == 1:
                rows_index = named.pop()
        if indexes:
            paragraph_index = last_named = indexes[-1][2]
        paragraph_topic = paragraph_topic or bool(indexes)
        stated = assemble.main_year(sent.text, vs) if vs else None
        # (a year before the article's, told in passing, "Năm 2022, xã mới xếp thứ 5.", dates
        # its own sentence: the next one is about the article's year again)
        if stated and not (ctx.year and stated < ctx.year):
            paragraph_year = stated
    for fact in tables.table_facts(text, title, ctx, rules, local if ctx.province else None):
        _merge(facts, order, fact)
    for groups, named in the_rest_kept:
        _rest_unchanged(facts, order, groups, named)
    out = []
    for key in order:
        fact = _finish(facts[key], ctx)
        if any(fact.get(f) is not None for f in assemble.FIELDS):
            out.append(fact)   # FACTS.md 7: a record states at least one value
    return out


@functools.lru_cache(maxsize=2)   # a line ending in ":" is asked twice: is it a heading, does it lead in
def _owner_lead_in(folded: str, rules: Rules) -> bool:
    """Does the line lead into its owner's results ("các chỉ số của tỉnh X đều tăng, cụ thể:")?"""
    return rules.markers["owner_lead_in"].search(folded) is not None


# a district typed, or named by its party committee ("Huyện ủy Tiên Yên", "Thị ủy Sơn Tây",
# "Quận ủy Ba Đình" name the district as much as "huyện Tiên Yên" does)
_TYPED_DISTRICT = re.compile(r"\b(?:([Qq]uận|[Hh]uyện)(?:\s+(?:ủy|uỷ))?|([Tt]hị)\s+(?:xã|ủy|uỷ))"
                             r"\s+(\d{1,2}\b|[A-ZĐ][\w']*(?:\s+[A-ZĐ][\w']*)*)")
_DISTRICT_TYPE = {"quận": "quận", "huyện": "huyện", "thị": "thị xã"}


def _district_mention(m: re.Match) -> str:
    """'huyện Tiên Yên' for "Huyện ủy Tiên Yên" as for "huyện Tiên Yên" (the case of the type
    word as written)."""
    word = m.group(1) or m.group(2)
    typed = _DISTRICT_TYPE[word.lower()]
    return (typed[0].upper() + typed[1:] if word[0].isupper() else typed) + " " + m.group(3)


_BARE_YEAR = re.compile(r"(?<![\d/.\-:])(20[0-4]\d)(?![\d/.\-:])")
_THIS_TABLE = re.compile(r"\b(?:bảng xếp hạng|bảng|chỉ số|bộ chỉ số) này\b", re.IGNORECASE)
_ORDERED = re.compile(r"theo thứ tự (?:từ )?cao (?:xuống|đến|tới) thấp|(?:xếp|sắp xếp) lần lượt theo thứ tự", re.IGNORECASE)
_GROUP_HEAD = re.compile(r"^\s*(?:cụm|nhóm|khối)\s+(?:\d+|[IVX]+|[A-D])\s*:", re.IGNORECASE)


def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def folded_whole(text: str) -> str | None:
    """fold_tones(text), once for the article: the sentences' folds are read off it
    (sentence_folds). None for a text not in NFC, whose folding may change its length."""
    return fold_tones(text) if _is_nfc(text) else None


def sentence_folds(text: str, sents, folded_text: str | None) -> list[str]:
    """fold_tones of each sentence, as a piece of the text folded once (folded_whole). A
    sentence between spaces (or the text's ends) folds as it does within the text: folding
    looks one character past a tone mark's pair on each side, for a letter, and a space
    joins nothing in NFC. Any other sentence is folded on its own."""
    if folded_text is None:
        return [fold_tones(s.text) for s in sents]
    last = len(text)
    return [folded_text[s.start:s.end]
            if (s.start == 0 or text[s.start - 1].isspace()) and (s.end == last or text[s.end].isspace())
            else fold_tones(s.text) for s in sents]


def _without_links(text: str, sents, folded, rules) -> tuple[list, list]:
    """The sentences but those of lines that link to other articles ("Xem thêm: ...", ">> ...")
    and of the headlines listed under a label alone ("Tin liên quan:"), up to the next prose;
    with their folds (folded: one a sentence)."""
    related, line, headlines = set(), -1, False
    for sent, f in zip(sents, folded):
        if sent.paragraph == line:
            continue
        line = sent.paragraph
        m = rules.markers["related_link"].match(f)
        if m:
            related.add(line)
            headlines = not sent.text[m.end():].strip()
        elif headlines and not textpage.is_prose(text[sent.start:_line_end(text, sent.start)]):
            related.add(line)
        else:
            headlines = False
    if not related:
        return sents, folded
    kept = [(s, f) for s, f in zip(sents, folded) if s.paragraph not in related]
    return [s for s, _ in kept], [f for _, f in kept]


def _section_heading(text: str, sent, rules: Rules) -> str | None:
    """'numbered' for a line that is a numbered heading ("2. Về Chỉ số hài lòng (SIPAS)"),
    'rows' for one that leads into rows ("Về Chỉ số hài lòng, kết quả chia theo các nhóm:"),
    None for any other sentence (markers.section_heading, markers.heading)."""
    if (sent.start and text[sent.start - 1] != "\n") or _line_end(text, sent.start) != sent.end:
        return None   # a sentence of a paragraph, not a line of its own
    if rules.markers["section_heading"].match(sent.text):
        return "numbered"
    return "rows" if rules.markers["heading"].match(sent.text) else None


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _row_types(sents, rules) -> list:
    """For each sentence, the type word of the rows it opens when it is a row under a heading
    line that names their type ("Xếp hạng các xã, thị trấn:" / "Hạng 1: Khánh Bình Tây – 89,9"),
    else None. The rows run on while each line opens with a row's mark."""
    out, current, line, is_row = [], None, -1, False
    for i, sent in enumerate(sents):
        if sent.paragraph != line:
            line = sent.paragraph
            is_row = current is not None and row_mark(sent.text) is not None
            current = current if is_row else None
            out.append(current)
        else:
            out.append(None)
        if i + 1 == len(sents) or sents[i + 1].paragraph != sent.paragraph:   # the line's last sentence
            current = rows_type(sent.text, rules) or (current if is_row else None)
    return out


def _continued(text: str, values: list, units: list, last_place: int, rules: Rules) -> list:
    """"Ba vị trí dẫn đầu lần lượt thuộc về A, B, C. Các vị trí tiếp theo lần lượt là D, E": D
    and E take the places after the last one the paragraph stated (FACTS.md 4: "lần lượt"
    orders a list), as if the sentence listed them ("lần lượt xếp thứ 4, 5"); values.yaml,
    markers.continued."""
    m = rules.markers["continued"].search(text) if last_place else None
    if m is None or any(v.kind in ("rank", "rank_list", "rank_last") for v in values):
        return values
    listed = [u for u in units if not u.context and u.start >= m.end()]
    if not listed:
        return values
    places = list(range(last_place + 1, last_place + 1 + len(listed)))
    return sorted(values + [Value("rank_list", m.start(), m.end(), "rank.continued", places)], key=lambda v: v.start)


def _ends_list(text: str, values: list) -> bool:
    """Is a line no row of the ordered list above it? One with no row's mark ("1.", "-", "Hạng
    2:") that states a place or a move of its own is a sentence of the article again (rows may
    run long: their length tells nothing)."""
    return row_mark(text) is None and any(
        v.kind in ("rank", "rank_last", "rank_list", "two_positions", "change") for v in values)


def _rank_in_order(found: list, place: int) -> int:
    """Units listed after "xếp theo thứ tự từ cao đến thấp:" take their places in turn."""
    for fact in sorted(found, key=lambda f: f["_pos"]):
        if fact["rank"] is None:
            place += 1
            fact["rank"] = place
            fact["rules"].append("rank.ordered_list")
        else:
            place = fact["rank"]
    return place


def _dominant_index(mentions) -> str | None:
    """The index an article names most often (the first named, among equals)."""
    counts = Counter(m[2] for ms in mentions for m in ms)
    if not counts:
        return None
    first = {}
    for ms in mentions:
        for m in ms:
            first.setdefault(m[2], len(first))
    return max(counts, key=lambda k: (counts[k], -first[k]))


def _with_named_communes(local: dict, names: dict) -> dict:
    """The province's districts by folded name, and the communes the article names with their
    type word: named bare again later ("xã Hải Anh ... Đến năm 2024, Hải Anh đã đứng thứ 2/24"),
    a commune is read as the one the article typed (the register lists communes under their
    province only from 2025). names: Context.names."""
    communes = {fold_tones(name.lower()): (unit_text[:len(unit_text) - len(name)].strip().lower(), level)
                for name, (unit_text, level) in names.items() if level == "commune" and unit_text.endswith(name)}
    return {**communes, **local} if communes else local


def _title_year_or_results(year: int, title: str, folded, values, rules: Rules, published: str | None) -> int:
    """The year of a title that names no index and states no result, published in that year
    (results come out in the year after), is the calendar's, not the one evaluated ("Bắc Giang
    năm 2024: ..." in December 2024, "Huyện X sơ kết 6 tháng đầu năm 2025"), where no sentence
    that gives an index's result states it: the year those sentences state most is the
    evaluated one (FACTS.md 1). (A target's year, "Năm 2024, tỉnh phấn đấu đưa PAR INDEX vào
    nhóm 15", is no result's.)"""
    if not published or year < int(published[:4]) \
            or any(v.kind not in assemble.YEAR_KINDS for v in find_values(fold_tones(title or ""), rules)):
        return year
    stated = Counter(assemble.main_year(f, vs) for f, vs in zip(folded, values)
                     if any(v.kind == "year" for v in vs) and any(v.kind not in assemble.YEAR_KINDS for v in vs)
                     and find_indexes(f, rules) and not rules.markers["target"].search(f))
    stated.pop(None, None)
    if not stated or year in stated:
        return year
    return stated.most_common(1)[0][0]


def _article_year(sentences, published) -> int | None:
    """The evaluated year of an article whose title states none (FACTS.md 1): the year its
    sentences are about most often (not a year in an aside, "(năm 2019 xếp thứ 14/37)", nor
    one that dates a single value, "đơn vị dẫn đầu năm 2019"), else the year stated most often;
    else the year after the one they are compared with; else the year before publication,
    since results come out in the year after. sentences: (text, values) pairs."""
    values = [vs for _, vs in sentences]
    years = Counter(year for text, vs in sentences if any(v.kind == "year" for v in vs)
                    for year in [assemble.main_year(text, vs)] if year)
    if not years:
        years = Counter(v.value for vs in values for v in vs if v.kind == "year")
    if years:
        return years.most_common(1)[0][0]
    compared = Counter(v.value for vs in values for v in vs if v.kind == "year_compare")
    if compared:
        return compared.most_common(1)[0][0] + 1
    if published:
        return int(published[:4]) - 1
    return None


_ALL_OF = re.compile(r"\bcả\s+(hai|2|ba|3|bốn|4|năm|5)\s+(?:bảng xếp hạng|bảng|chỉ số|bộ chỉ số)", re.IGNORECASE)
_COUNT = {"hai": 2, "2": 2, "ba": 3, "3": 3, "bốn": 4, "4": 4, "năm": 5, "5": 5}


def _all_indexes(folded, indexes):
    """'đứng đầu cả hai bảng xếp hạng: Chỉ số CCHC và Chỉ số hài lòng' -> (start, end, [PAR,
    SIPAS]): the span listing the indexes a value right before it holds for (folded: the
    sentence's fold_tones)."""
    m = _ALL_OF.search(folded)
    if not m:
        return None
    named = [i for i in indexes if i[0] >= m.end()]
    listed, end = [], None
    for i in named:
        if end is not None:
            if i[2] in listed and i[0] - end <= 15:
                end = i[1]   # "Chỉ số hài lòng ... (SIPAS)": the same index named twice
                continue
            break
        if i[2] not in listed:
            listed.append(i[2])
        if len(listed) == _COUNT[m.group(1).lower()]:
            end = i[1]
    return (m.start(), end, listed) if end is not None else None


def _claim_indexes(claims, text, indexes, both, ctx, rules):
    """Each claim with its index; a value right before "cả hai bảng xếp hạng ..." once per index."""
    for claim in claims:
        if both and claim.pos < both[0] and not any(claim.pos < c.pos < both[0] for c in claims if c.unit is not claim.unit) \
                and both[0] - claim.pos <= 60:
            for index in both[2]:
                yield claim, index
        else:
            # "SIPAS và PAPI giữ nguyên thứ hạng": the value holds for each index joined before it
            for index in assemble.joined_indexes(claim.pos, text, indexes) or [assemble.index_of(claim.pos, text, indexes, ctx, rules)]:
                yield claim, index


def _facts_of_sentence(sent, claims, values, indexes, rules, ctx, folded=None):
    """Claims -> facts keyed by (index, level, unit, year), with conventions 1, 3 and 6.
    folded: fold_tones(sent.text), where the caller has it."""
    by_key = {}
    years = assemble.SentenceYears(sent.text, values)
    both = _all_indexes(fold_tones(sent.text) if folded is None else folded, indexes)
    if both:
        # the indexes listed after "cả hai bảng xếp hạng" are no clause's own index
        indexes = [i for i in indexes if not both[0] <= i[0] < both[1]]
    for claim, index in _claim_indexes(claims, sent.text, indexes, both, ctx, rules):
        year = years.of(claim.pos, ctx, claim.year)
        if claim.field == "rank_change" and years.move_year:
            year = years.move_year
        field = claim.field
        if field in ("rank_previous", "score_previous"):
            year = claim.year or ((year - 1) if year else None)
            field = field.removesuffix("_previous")
        if year is None:
            continue
        unit_text, level = canonical_unit(claim.unit, rules, year)
        key = key_of(index, level, unit_text, year)
        fact = by_key.setdefault(key, {
            "unit": unit_text, "level": level, "index": index, "year": year,
            "rank": None, "rank_total": None, "rank_change": None, "score": None, "score_min": None,
            "_last": False, "_cue_rank": False, "rules": [], "_pos": claim.unit.start})
        if fact.get("_place") is None and getattr(claim.unit, "place", None):
            fact["_place"] = claim.unit.place   # "KBNN Hà Nam": its own province, not the article's
        if claim.rule not in fact["rules"]:
            fact["rules"].append(claim.rule)
        if field == "rank_last":
            fact["_last"] = claim.value   # its place from the bottom, 1 the last
        elif field == "rank_regional":
            fact.setdefault("_regional", claim.value)
        elif field == "rank":
            if fact["rank"] is None or (fact["_cue_rank"] and claim.explicit):
                fact["rank"] = claim.value
                fact["_cue_rank"] = not claim.explicit
                fact["_rank_pos"] = claim.pos
        elif field == "rank_total" and fact["rank_total"] is not None and claim.pos == fact.get("_rank_pos"):
            # "trong 5 tỉnh Tây Nguyên, Lâm Đồng cao nhất ..., xếp thứ 26/63": the size written
            # with the rank that stands is its group's, not a size stated before it
            fact["rank_total"] = claim.value
            fact["_aside"] = assemble.in_parentheses(claim.pos, sent.text)
        elif field == "rank_change" and fact["rank_change"] is not None:
            # "giữ vị trí thứ 42, tăng 3 bậc": a move stated in places beats a word for none
            if fact.pop("_cue_change", False) and claim.explicit:
                fact["rank_change"] = claim.value
        elif fact.get(field) is None:
            fact[field] = claim.value
            if field == "rank_change":
                fact["_cue_change"] = not claim.explicit
            if field == "rank_total":
                fact["_aside"] = assemble.in_parentheses(claim.pos, sent.text)
    facts = list(by_key.values())
    # convention 3: a group size stated in the sentence serves every rank of that group
    totals = {}
    for f in facts:
        if f["rank_total"]:
            totals.setdefault((f["index"], f["level"], f["year"]), f["rank_total"])
    any_total, aside_total = {}, {}
    for f in facts:
        if f["rank_total"]:
            # a size in an aside about another year ("(năm 2022 đứng thứ 17/18 xã)") only sizes
            # a last place ("thấp nhất huyện"); one outside serves the sentence's other years
            (aside_total if f.get("_aside") else any_total).setdefault((f["index"], f["level"]), f["rank_total"])
    for f in facts:
        # the same group ranked in two years of one sentence has one size ("năm 2018 ở hạng 60,
        # ..., năm 2022 lên vị trí 35/63")
        shared = totals.get((f["index"], f["level"], f["year"])) or any_total.get((f["index"], f["level"]))
        if f["rank"] is not None and f["rank_total"] is None and shared:
            f["rank_total"] = shared
        if f["_last"] and f["rank"] is None:
            total = f["rank_total"] or shared or aside_total.get((f["index"], f["level"]))
            if total and total - f["_last"] + 1 >= 1:
                f["rank"], f["rank_total"] = total - f["_last"] + 1, total
        if f["rank"] is None and f.get("_regional"):
            # a region's rank stands in until a rank in the whole group is found (see _merge)
            rank, total = f["_regional"]
            f["rank"], f["_cue_rank"], f["_regional_rank"] = rank, True, True
            f["rank_total"] = f["rank_total"] or total
        if f["rank_total"] and (f["rank"] is None or f["rank"] > f["rank_total"]):
            f["rank_total"] = None   # a size is the size of the group a rank is in
        f["evidence_span"] = (sent.start, sent.end)
    return facts


_PROVINCE_SUFFIX = re.compile(r"\s+(?:tỉnh|thành phố|tp\.?)$", re.IGNORECASE)
_COUNTRY_SUFFIX = re.compile(r"\s+Việt Nam$", re.IGNORECASE)


# a type word abbreviated ("H. Vân Canh", "TX Kỳ Anh", "TP. Vinh"): model.normalize.TYPE_WORDS
_ABBREVIATED = re.compile(r"(?:%s)(?:\s|(?<=\.))" % "|".join(
    re.escape(word) for word, full in TYPE_WORDS if word != full), re.IGNORECASE)


def _rest_unchanged(facts: dict, order: list, groups: set, named: set) -> None:
    """'các đơn vị còn lại giữ nguyên thứ hạng': every unit of the rankings the sentence moved
    (index, level, year), ranked in the article, not named there and with no move stated, kept
    its place (values.yaml, markers.rest_unchanged)."""
    for key in order:
        fact = facts[key]
        if (fact["index"], fact["level"], fact["year"]) in groups and fact["unit"] not in named \
                and fact.get("rank") is not None and fact.get("rank_change") is None:
            fact["rank_change"] = 0
            fact["rules"] = [*fact.get("rules", []), "change.rest_unchanged"]


def _merge(facts: dict, order: list, fact: dict) -> None:
    """One record per (index, level, unit, year) in a document: later mentions fill gaps.

    An agency named with and without its "tỉnh" ("Cục Thuế tỉnh", "Cục Thuế Quảng Nam" ->
    "Cục Thuế"), a ministry with and without "Việt Nam", is one unit; the record takes the name
    of the mention that states most."""
    unit = fact["unit"]
    if fact["level"] in ("central_agency", "department"):
        unit = _PROVINCE_SUFFIX.sub("", unit)
    elif fact["level"] == "ministry":   # "Ngân hàng Nhà nước" and "Ngân hàng Nhà nước Việt Nam"
        unit = _COUNTRY_SUFFIX.sub("", unit)
    key = key_of(fact["index"], fact["level"], unit, fact["year"])
    stated = sum(fact.get(f) is not None for f in assemble.FIELDS)
    if key not in facts:
        fact["_names"] = {fact["unit"]: stated}
        facts[key] = fact
        order.append(key)
        return
    have = facts[key]
    if have.get("rank") is not None and not have.get("_cue_rank") and fact.get("rank_total") is not None \
            and fact.get("rank") != have["rank"]:
        # FACTS.md 3: a size belongs to the rank of its own sentence, not to one read elsewhere
        fact = {**fact, "rank_total": None}
    have["_names"][fact["unit"]] = have["_names"].get(fact["unit"], 0) + stated
    if have.get("_place") is None and fact.get("_place"):
        have["_place"] = fact["_place"]
    # a type word written in full first ("huyện Vân Canh" over "H. Vân Canh"), then what states most
    def preference(name):
        return not _ABBREVIATED.match(name), have["_names"][name]
    best = max(have["_names"], key=preference)
    if best != have["unit"] and preference(best) > preference(have["unit"]):
        have["unit"] = best
        have["evidence_span"] = fact["evidence_span"]
    for field in assemble.FIELDS:
        if have.get(field) is None and fact.get(field) is not None:
            have[field] = fact[field]
        elif field == "rank" and have.get("_cue_rank") and fact.get("rank") is not None and not fact.get("_cue_rank"):
            if have.pop("_regional_rank", False):
                have["rank_total"] = fact.get("rank_total")   # the region's size goes with its rank
            have["rank"] = fact["rank"]
            have["_cue_rank"] = False
    for rule in fact.get("rules", []):
        if rule not in have["rules"]:
            have["rules"].append(rule)


def _finish(fact: dict, ctx: Context) -> dict:
    # the index's scale (model.catalogue): a smaller figure is a component's, a larger one no score
    scale = INDEX.get(fact["index"])
    for field in ("score", "score_min"):
        if scale and fact[field] is not None and not scale.score_floor <= fact[field] <= scale.score_max:
            fact[field] = None
    if fact["score"] is not None:
        fact["score_min"] = None   # FACTS.md 12: an exact score leaves no band
    level = fact["level"]
    if level == "province":
        province = province_name(fact["unit"])
    elif level == "ministry":
        province = None
    elif fact.get("_place") and level in ("department", "central_agency"):
        province = linker.province_named_as_of(province_name(fact["_place"]), fact["year"])   # "KBNN Hà Nam"
    else:
        province = linker.province_named_as_of(ctx.province, fact["year"])
    parent = None
    if level == "commune" and ctx.main.get("district") is not None:
        parent = ctx.main["district"].text
    elif level in ("district", "department", "central_agency") and ctx.province:
        parent = next((u.text for lvl, u in ctx.main.items() if lvl == "province"), None)
    start, end = fact["evidence_span"]
    return {"unit": fact["unit"], "level": level, "index": fact["index"], "year": fact["year"],
            "province": province, "parent": parent, "rank": fact["rank"], "rank_total": fact["rank_total"],
            "rank_change": fact["rank_change"], "score": fact["score"], "score_min": fact["score_min"],
            "start": start, "end": end, "rules": fact["rules"]}
