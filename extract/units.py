"""Unit mentions in a sentence: a spaCy EntityRuler over underthesea's tokens.

The Doc is built from underthesea's tokenizer (syllables, numbers such as "90,45" and
"17/18", abbreviations such as "TP."), with exact character offsets; each token's NORM is
its lower-cased, tone-folded form ("hoà" = "hòa"), which is what the patterns match.
underthesea's CRF word segmentation is not used here: on unit names it glues the last
syllable to the next verb ("Sầm", "Sơn xếp"; "TX Kỳ", "Anh"), which breaks name boundaries.
"""
import functools
import re
from dataclasses import dataclass

from parindex.extract.uts import tokenize as _uts_tokenize
from parindex.model.loading import collector_paused

from parindex.model.normalize import TYPE_WORDS, fold_tones, fold_word, search_key, without_province_type
from parindex.extract.rules import Rules, load_rules
from parindex.extract.values import find_indexes

# underthesea glues an abbreviation to the next name ("TX.Kỳ", "TP.HCM"): split those.
_GLUED = re.compile(r"^([A-ZĐa-zđ]{1,3}\.)(\w.*)$")
# words joined by a dash or "&" in one token: "thông-Vận", "LĐ-TB"
_JOINED = re.compile(r"[^\W\d_]+(?:[-–&][^\W\d_]+)+")
_JOINER = re.compile(r"([-–&])")

UBND = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)


@dataclass
class Unit:
    start: int           # character offsets in the sentence
    end: int
    text: str            # as written, without "UBND"
    level: str
    rule: str
    bare: bool = False   # a bare province name or a list item that got its type word
    context: bool = False  # a parent or place, not a ranked unit
    place: str | None = None   # an agency's own province, named after it ("KBNN Hà Nam", "Sở Tư pháp tỉnh Gia Lai")


def syllables(text: str):
    """(start, end) of each syllable, number or punctuation mark of text (underthesea's tokenizer)."""
    spans = []
    pos = 0
    # underthesea rewrites tone placement ("Hoà" -> "Hòa"): find tokens in the folded text
    folded = fold_tones(text)
    for token in _uts_tokenize(text):
        parts = [token]
        m = _GLUED.match(token)
        if m and not m.group(2)[0].isdigit():
            parts = [m.group(1), m.group(2)]
        elif _JOINED.fullmatch(token):
            parts = [p for p in _JOINER.split(token) if p]
        for part in parts:
            # (tokens repeat: fold_word is fold_tones with a cache)
            found = folded.find(fold_word(part), pos)
            if found < 0:
                continue
            spans.append((found, found + len(part)))
            pos = found + len(part)
    return spans


def _token_pattern(phrase: str) -> list:
    return [{"NORM": fold_tones(phrase[s:e].lower())} for s, e in syllables(phrase)]


def _typed_patterns(rule: dict) -> list:
    """(pattern, pair) for a type word followed by a name; pair: where a describing word stands
    between them ("xã đảo Tân Hiệp"), the NORMs of the type word's last token and its first."""
    patterns = []
    for word in rule["words"]:
        heads = [(_token_pattern(word), None)]
        if word.endswith("."):
            # "H.Cẩm Mỹ": a glued abbreviation is one token ("H."), "H. Cẩm Mỹ" two ("H", ".")
            heads.append(([{"NORM": fold_tones(word.lower())}], None))
        name = [{"IS_TITLE": True, "OP": "+"}]
        # Central Highlands names with an apostrophe ("Ea H'leo", "Cư M'gar", "Đắk R'lấp"): the
        # syllable after it is in lower case, so the token is no title
        marked = [{"IS_TITLE": True, "OP": "*"}, {"TEXT": {"REGEX": r"^[A-ZĐ]['’]\w+$"}}, {"IS_TITLE": True, "OP": "*"}]
        if word == word.lower():
            # "xã đảo Tân Hiệp": a describing word in lower case between type word and name
            plain = heads[0][0]
            heads += [(plain + described, (plain[-1]["NORM"], described[0]["NORM"]))
                      for described in map(_descriptor_pattern, rule.get("descriptors", []))]
        # "Nông trường Mộc Châu": a name's first word with its second syllable in lower case
        words = [_name_word_pattern(w) + name for w in rule.get("name_words", [])]
        for head, pair in heads:
            # "phường Hà Giang 1": a name ending in a number, kept only where the register has it
            numbered = name + [{"IS_DIGIT": True}]
            for tail in (name, marked, [{"IS_DIGIT": True}], name + [{"ORTH": "-"}] + name, numbered, *words):
                patterns.append(({"label": rule["level"].upper(), "id": rule["id"], "pattern": head + tail}, pair))
    return patterns


def _name_word_pattern(word: str) -> list:
    first, *rest = _token_pattern(word)
    return [{**first, "IS_TITLE": True}] + [{**syllable, "IS_LOWER": True} for syllable in rest]


def _descriptor_pattern(phrase: str) -> list:
    return [{"NORM": fold_tones(phrase[s:e].lower()), **({"IS_LOWER": True} if phrase[s:e].isalpha() else {})}
            for s, e in syllables(phrase)]


@functools.lru_cache(maxsize=2)
def _descriptor_regex(rules: Rules) -> re.Pattern | None:
    """A type word written in full and a describing word after it, on tone-folded text: what
    the unit's text leaves out ("Xã đảo Tân Hiệp" -> "Xã Tân Hiệp")."""
    words = {w for rule in rules.typed if rule.get("descriptors") for w in rule["words"] if w == w.lower()}
    descriptors = {d for rule in rules.typed for d in rule.get("descriptors", [])}
    if not words or not descriptors:
        return None
    alt = lambda items: "|".join(re.escape(fold_tones(i)) for i in sorted(items, key=len, reverse=True))
    return re.compile(rf"^(?P<head>(?i:{alt(words)}))\s+(?:{alt(descriptors)})\s+(?=\S)")


class SyllableTokenizer:
    """spaCy tokenizer: underthesea's tokens, exact offsets, tone-folded NORMs.

    A token's NORM depends on its text alone, so it is set once on the word's lexeme in the
    vocabulary, which every token of that text reads, instead of on each token of each Doc."""

    def __init__(self, vocab):
        self.vocab = vocab
        self._norms = {}   # word -> its NORM, set on the lexeme

    def __call__(self, text: str):
        return self.read(text)[0]

    def read(self, text: str) -> tuple:
        """The Doc of text, and its tokens' NORMs."""
        from spacy.tokens import Doc   # spaCy is imported with the pipeline (0.5 s: when needed)
        spans = syllables(text)
        words = [text[s:e] for s, e in spans]
        spaces = [spans[i][1] < (spans[i + 1][0] if i + 1 < len(spans) else len(text)) for i in range(len(spans))]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        return doc, [self._norms.get(word) or self._norm(word) for word in words]

    def _norm(self, word: str) -> str:
        norm = norm_of(word)
        self.vocab[word].norm_ = norm
        self._norms[word] = norm
        return norm


def norm_of(word: str) -> str:
    """A token's NORM: lower case, tones folded; "Bà Rịa – Vũng Tàu" is "Bà Rịa - Vũng Tàu" (one
    dash for patterns)."""
    return "-" if word in ("–", "—") else fold_word(word.lower())


_JOINERS = ("và", "-", "–", "&")
_PLACE_WORDS = ("tỉnh", "thành phố", "TP", "TP.")
_PLACE_ENDS = frozenset(fold_tones(p.split()[-1].lower()) for p in _PLACE_WORDS)   # a unit's last token


@dataclass(frozen=True)
class UnitRuler:
    """The unit EntityRuler, twice: without the patterns that have a describing word between
    type word and name ("xã đảo Tân Hiệp"), and with every pattern. spaCy's Matcher tries each
    token pattern at each token, and the describing words make three patterns in four; a
    sentence runs them only where a type word is followed by the first word of one. The ruler
    with every pattern is built when a sentence first needs it (0.1 s: most runs never do).
    Every token pattern starts with a type word (or an agency's head, "Sở"): a sentence with
    none of them (one in six) runs a third ruler, of the fixed names alone."""
    nlp: object              # a blank pipeline: its tokenizer makes the Doc
    plain: object            # EntityRuler, no pattern with a describing word
    patterns: tuple          # every pattern, for the other ruler
    described: frozenset     # (a type word's last NORM, a describing word's first NORM)
    heads: frozenset | None = None   # the NORMs a token pattern's first token may have (None: any)

    def __call__(self, text: str):
        return self.read(text)[0]

    def read(self, text: str) -> tuple:
        """The Doc of text with its units as entities, and its tokens' NORMs."""
        doc, norms = self.nlp.tokenizer.read(text)
        if self.heads is not None and self.heads.isdisjoint(norms):
            return self.names(doc), norms   # no token pattern can start anywhere in it
        described = any(pair in self.described for pair in zip(norms, norms[1:]))
        return (self.every if described else self.plain)(doc), norms

    # (built on a page that first needs them: collector_paused keeps them and their time out of
    # that page's budget, as for what ready() loads)
    @functools.cached_property
    def every(self):
        with collector_paused():
            ruler = self.nlp.add_pipe("entity_ruler", name="units", config=_RULER_CONFIG)
            ruler.add_patterns(list(self.patterns))
        return ruler

    @functools.cached_property
    def names(self):
        with collector_paused():
            ruler = self.nlp.add_pipe("entity_ruler", name="units_names", config=_RULER_CONFIG)
            ruler.add_patterns([p for p in self.patterns if isinstance(p["pattern"], str)])
        return ruler


def _heads(patterns) -> frozenset | None:
    """The NORMs the first token of a token pattern may have; None where one may start with any."""
    out = set()
    for pattern in patterns:
        if isinstance(pattern["pattern"], str):
            continue
        first = pattern["pattern"][0]
        if set(first) != {"NORM"}:
            return None
        out.update(_norms(first))
    return frozenset(out)


_RULER_CONFIG = {"overwrite_ents": True, "phrase_matcher_attr": "NORM"}


@functools.lru_cache(maxsize=2)
def pipeline(rules: Rules | None = None) -> UnitRuler:
    """A blank spaCy pipeline with our tokenizer and the unit EntityRulers.

    Fixed names are phrase patterns (spaCy's PhraseMatcher on NORM: fast); a type word
    followed by a capitalised name is a token pattern.
    """
    # here, not at import: a page without a value to read does without spaCy (0.5 s)
    from spacy.lang.xx import MultiLanguage

    rules = rules or load_rules()
    # Built with our tokenizer, not given it afterwards: spacy.blank would first build the
    # default tokenizer's affix expressions, which we never use (0.05 s of a cold start).
    nlp = MultiLanguage(create_tokenizer=lambda nlp: SyllableTokenizer(nlp.vocab))
    plain = nlp.add_pipe("entity_ruler", name="units_plain", config=_RULER_CONFIG)
    typed, named = unit_patterns(rules)
    described = frozenset(pair for _, pair in typed if pair)
    every = merged([pattern for pattern, _ in typed] + named)
    heads = _heads(every)
    flags = {}
    plain.add_patterns(flagged(merged([pattern for pattern, pair in typed if not pair] + named), nlp.vocab, flags))
    return UnitRuler(nlp, plain, tuple(flagged(every, nlp.vocab, flags)), described, heads)


# The vocabulary's free flags (spaCy's attributes FLAG19 ... FLAG63)
_FLAGS = range(19, 64)


def flagged(patterns: list, vocab, flags: dict) -> list:
    """The same patterns with each set of NORMs a token may have ({"NORM": {"IN": [...]}}, see
    merged) as a flag of the vocabulary's words, {"FLAG19": True}: the Matcher reads a flag off
    the word as it reads IS_TITLE, where it calls a set, from Python, for each token it tries it
    on (a fifth of its time). A word's NORM depends on its text alone (norm_of), so the flag
    does too; spaCy sets it on each word as the word enters the vocabulary.
    flags: frozenset of NORMs -> its flag's attribute name, shared by the patterns of one vocab."""
    out = []
    for pattern in patterns:
        tokens = pattern["pattern"]
        if isinstance(tokens, str) or not any(_is_set(token) for token in tokens):
            out.append(pattern)
            continue
        tokens = [{flag: True} if _is_set(token) and (flag := _flag(frozenset(token["NORM"]["IN"]), vocab, flags))
                  else token for token in tokens]
        out.append({**pattern, "pattern": tokens})
    return out


def _is_set(token: dict) -> bool:
    return set(token) == {"NORM"} and isinstance(token["NORM"], dict) and set(token["NORM"]) == {"IN"}


def _flag(norms: frozenset, vocab, flags: dict) -> str | None:
    """The flag of a set of NORMs; None when every flag is taken (the set stays a set)."""
    if norms not in flags:
        if len(flags) == len(_FLAGS):
            return None
        flag_id = _FLAGS[len(flags)]
        vocab.add_flag(lambda word: norm_of(word) in norms, flag_id=flag_id)
        flags[norms] = f"FLAG{flag_id}"
    return flags[norms]


def merged(patterns: list) -> list:
    """The same matches from fewer token patterns: patterns of one label and id that differ in
    one token's NORM alone become one with the NORMs as a set ("huyện", "quận", "tx", "h." before
    the same name: one pattern). The Matcher's time grows with its patterns; the matches are
    the same, since a token matches the set exactly where it matches one of its NORMs."""
    out = list(patterns)
    longest = max((len(p["pattern"]) for p in out if not isinstance(p["pattern"], str)), default=0)
    changed = True
    while changed:
        changed = False
        for i in range(longest):
            groups, order = {}, []
            for p in out:
                tokens = p["pattern"]
                if isinstance(tokens, str) or i >= len(tokens) or set(tokens[i]) != {"NORM"}:
                    order.append(p)
                    continue
                key = (p["label"], p.get("id"), repr(tokens[:i]), repr(tokens[i + 1:]))
                if key not in groups:
                    groups[key] = (p, [])
                    order.append(key)
                norms = groups[key][1]
                before = len(norms)
                norms += [n for n in _norms(tokens[i]) if n not in norms]
                changed = changed or (before and len(norms) > before)
            out = [item if isinstance(item, dict) else _with_norms(*groups[item], i) for item in order]
    return out


def _norms(token: dict) -> list:
    norm = token["NORM"]
    return list(norm["IN"]) if isinstance(norm, dict) else [norm]


def _with_norms(pattern: dict, norms: list, i: int) -> dict:
    tokens = list(pattern["pattern"])
    tokens[i] = {"NORM": norms[0] if len(norms) == 1 else {"IN": norms}}
    return {**pattern, "pattern": tokens}


def unit_patterns(rules: Rules) -> tuple[list, list]:
    """The EntityRuler's patterns: (pattern, pair) of a type word and a name (_typed_patterns),
    and the patterns of fixed names (phrases) and of agencies not in the lists."""
    typed = [found for rule in rules.typed for found in _typed_patterns(rule)]
    named = []
    for rule in rules.named:
        level = rule["level"].upper()
        prefix = rule.get("prefix")
        for name in rule.get("names", []):
            full = f"{prefix} {name}" if prefix else name
            named.append({"label": level, "id": rule["id"], "pattern": full})
            if rule.get("needs_place"):
                # "BHXH tỉnh", "KBNN TP"; the bare one is kept only before a province (_placed)
                named += [{"label": level, "id": rule["id"], "pattern": f"{full} {place}"}
                          for place in _PLACE_WORDS]
            if level == "CENTRAL_AGENCY" and full.endswith(" thành phố"):
                # "Công an TP", "Cục Thuế TP": the city's agencies, as reporters shorten them
                for short in ("TP",):
                    named.append({"label": level, "id": rule["id"], "pattern": full[:-len("thành phố")] + short})
            if prefix:
                named.append({"label": "BARE_" + level, "id": rule["id"], "pattern": name})
        if prefix:  # an agency not in the list: "Sở Ngoại vụ"
            named.append({"label": level, "id": rule["id"] + ".other",
                          "pattern": _token_pattern(prefix) + [{"IS_TITLE": True, "OP": "+"}]})
    for name in rules.provinces:
        named.append({"label": "BARE_PROVINCE", "id": "unit.province.bare", "pattern": name})
    return typed, named


def find_units(text: str, rules: Rules | None = None, local_names: dict | None = None,
               row_type: str | None = None) -> list[Unit]:
    """Unit mentions of one sentence, in order, with list items expanded.

    local_names: folded name -> (type word, level) of the districts of the article's province
    (extract.linker.local_unit_names): a bare "Đông Giang" in a text about Quảng Nam is huyện
    Đông Giang.
    """
    rules = rules or load_rules()
    units = _listed_units(text, rules, row_type)
    if local_names:
        # after the lists: "các phường: Ngô Quyền" is the ward, whatever else bears that name
        units = sorted(units + _local_names(text, units, local_names), key=lambda u: u.start)
    _mark_context(text, units, rules)
    return units


def _listed_units(text: str, rules: Rules, row_type: str | None) -> list[Unit]:
    """The ruler's units of a sentence, with its lists expanded: find_units before the local names."""
    units = [Unit(*found) for found in _entities(text, rules)]
    # "tỉnh Tây Nguyên": a province is one of 63 (34) names; anything else is a region
    units = [u for u in units if u.level != "province" or u.bare or _known_province(u.text, rules)]
    return _expand_lists(text, units, rules, row_type)


def with_local_names(text: str, found: list[Unit], rules: Rules, local_names: dict | None,
                     row_type: str | None = None) -> list[Unit]:
    """find_units(text, rules, local_names, row_type), given found = find_units(text, rules,
    None, row_type): found itself where no local name is outside its units, so that an
    article's sentences are read again only where its province adds a unit. The local names
    are read after the lists, by the units' spans, which marking context leaves as they are:
    the names read off found are the ones find_units would add."""
    added = _local_names(text, found, local_names) if local_names else []
    if not added:
        return found
    units = sorted(_listed_units(text, rules, row_type) + added, key=lambda u: u.start)
    _mark_context(text, units, rules)
    return units


def _known_province(unit_text: str, rules: Rules) -> bool:
    return _fold_name(without_province_type(unit_text.strip())) in _province_keys(rules)


@functools.lru_cache(maxsize=2)
def _province_keys(rules: Rules) -> frozenset:
    return frozenset(_fold_name(p) for p in list(rules.provinces) + list(rules.province_aliases))


def _fold_name(name: str) -> str:
    return re.sub(r"[\s\-–.]+", " ", fold_tones(name.lower())).strip()


def new_document() -> None:
    """Forget the sentences read so far. The cache of _entities serves one article, whose
    sentences are read again once its province is known; across articles it would only hold
    what a batch never reads twice, and make a benchmark of repeated pages look fast."""
    _entities.cache_clear()


@functools.lru_cache(maxsize=4096)
def _entities(text: str, rules: Rules) -> tuple:
    """The EntityRuler's spans of one sentence, cached for its article (new_document): a
    sentence is read again once the article's province is known (see find_units' local_names)."""
    doc, norms = pipeline(rules).read(text)
    out = []
    ents = list(doc.ents)
    for span in _departments(doc, _department_vocab(rules), _board_vocab(rules), _province_keys(rules), _name_stops(rules),
                             norms):
        # a department named in other words than the list's: longer than what the ruler saw there
        clash = [e for e in ents if e.start < span.end and span.start < e.end]
        if all(e.start >= span.start and e.end <= span.end for e in clash):
            ents = [e for e in ents if e not in clash] + [span]
    ents = [piece for e in ents for piece in _without_trailing_province(e, _province_keys(rules))]
    described = _descriptor_regex(rules)
    offices = _offices(rules)
    ents = [e for e in ents if not _before_office(doc, e, offices)]
    ents = _placed(sorted(ents, key=lambda e: e.start), rules)
    ents = [_numbered(e) for e in ents]
    for ent in sorted(ents, key=lambda e: e.start):
        label = ent.label_
        text = ent.text
        m = described and described.match(fold_tones(text))
        if m:
            text = text[:m.end("head")] + " " + text[m.end():]
        out.append((ent.start_char, ent.end_char, text, label.removeprefix("BARE_").lower(), ent.ent_id_,
                    label.startswith("BARE")))
    return tuple(out)


def _without_trailing_province(ent, provinces: frozenset) -> tuple:
    """An agency outside the lists runs over capitalised words ("Sở Ngoại Vụ"), and so over the
    province a reporter writes after it in title case ("Sở Công Thương Bắc Ninh", "Sở Y Tế Tỉnh
    Cà Mau"): the province's name, with its type word, ends the agency and is its place, as
    after a listed name (FACTS.md 8)."""
    if not ent.ent_id_.endswith(".other"):
        return (ent,)
    from spacy.tokens import Span
    doc, end = ent.doc, ent.end
    for k in range(ent.start + 2, end):
        if _fold_name(doc[k:end].text) in provinces:
            # the province's type word goes with it ("Tỉnh", "Thành Phố", "TP")
            cut = next((j for j in (k - 2, k - 1)
                        if j > ent.start + 1 and not without_province_type(doc[j:k].text + " ").strip()), k)
            place = (Span(doc, k, end, label="BARE_PROVINCE", span_id="unit.province.bare") if cut == k
                     else Span(doc, cut, end, label="PROVINCE", span_id="unit.province"))
            return (Span(doc, ent.start, cut, label=ent.label_, span_id=ent.ent_id_), place)
    # the run stopped inside the province's type word, at a lower-case word ("Sở Du Lịch Thành
    # phố Hải Phòng"): the type word's first half is not the agency's
    if end - 1 > ent.start + 1 and end < len(doc) \
            and not without_province_type(doc[end - 1].text + " " + doc[end].text + " ").strip():
        agency = Span(doc, ent.start, end - 1, label=ent.label_, span_id=ent.ent_id_)
        for k in range(min(len(doc), end + 5), end + 1, -1):
            if _fold_name(doc[end + 1:k].text) in provinces:
                return (agency, Span(doc, end - 1, k, label="PROVINCE", span_id="unit.province"))
        return (agency,)
    return (ent,)


def _numbered(ent):
    """A number after a typed name is part of it only where the register has the name so
    ("phường Hà Giang 1"); else it starts what follows ("xã Tân Hưng 2 năm liền dẫn đầu")."""
    if len(ent) < 3 or not ent[-1].is_digit or not ent[-2].is_title or ent[-2].i == ent.start:
        return ent
    from parindex.model.linker import is_numbered_name
    if is_numbered_name(ent.text):
        return ent
    from spacy.tokens import Span
    return Span(ent.doc, ent.start, ent.end - 1, label=ent.label_, span_id=ent.ent_id_)


@functools.lru_cache(maxsize=2)
def _agency_names(rules: Rules) -> tuple[frozenset, frozenset]:
    """The ids of rules whose names need a place after them, and the central agencies' names."""
    needs_place = frozenset(r["id"] for r in rules.named if r.get("needs_place"))
    central = frozenset(fold_tones(n.lower()) for r in rules.named if r["level"] == "central_agency"
                        for n in r.get("names", []))
    return needs_place, central


def _placed(ents, rules):
    """An agency's abbreviation names a unit only with its place ("KBNN Nghệ An", "BHXH tỉnh"),
    and a ministry's name before a province is that body's branch there ("Ngân hàng Nhà nước
    Nghệ An" is the central agency of "Ngân hàng Nhà nước tỉnh")."""
    from spacy.tokens import Span
    needs_place, central = _agency_names(rules)
    out = []
    for i, ent in enumerate(ents):
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        before_province = nxt is not None and nxt.start == ent.end and nxt.label_.endswith("PROVINCE")
        if ent.ent_id_ in needs_place and not before_province and ent[-1].norm_ not in _PLACE_ENDS:
            continue
        if ent.label_ == "MINISTRY" and before_province and fold_tones(ent.text.lower()) + " tỉnh" in central:
            ent = Span(ent.doc, ent.start, ent.end, label="CENTRAL_AGENCY", span_id=ent.ent_id_)
        out.append(ent)
    return out


@functools.lru_cache(maxsize=2)
def _offices(rules: Rules) -> tuple:
    return tuple(sorted({fold_tones(o.lower()) for rule in rules.typed for o in rule.get("offices", [])},
                        key=len, reverse=True))


def _before_office(doc, ent, offices) -> bool:
    """An abbreviated type word before an office is phó or quyền: "P. Giám đốc", "Q. Chủ tịch"."""
    if not offices or ent.label_.startswith("BARE"):
        return False
    first = ent[0]
    if first.text.endswith(".") and len(first.text) > 1:
        k = first.i + 1
    elif len(ent) > 1 and ent[1].text == "." and len(first.text) <= 3:
        k = first.i + 2
    else:
        return False
    words = " ".join(t.norm_ for t in doc[k:k + 3])
    return any(words == o or words.startswith(o + " ") for o in offices)


@functools.lru_cache(maxsize=2)
def _name_stops(rules: Rules) -> frozenset:
    """The words that start another unit, so no capitalised name runs through them: the type
    words written in full (model.normalize.TYPE_WORDS) and the agencies' heads (units.yaml,
    pronoun_subject), tone-folded and in lower case as a token's NORM."""
    words = {full for _, full in TYPE_WORDS} | set(rules.pronoun_subject["heads"])
    return frozenset(fold_tones(w.lower()) for w in words)


def _in_name(doc, i, stops) -> bool:
    """Is doc[i] part of a capitalised name ("Nghi Sơn", "Đình Vũ - Cát Hải"), not a type word
    or an agency's head (stops: _name_stops)?"""
    token = doc[i]
    pair = token.norm_ + (" " + doc[i + 1].norm_ if i + 1 < len(doc) else "")
    if token.norm_ in stops or pair in stops:
        return False
    if token.text == "-":
        return doc[i - 1].is_title and i + 1 < len(doc) and doc[i + 1].is_title
    return token.is_title


_DEPARTMENT_HEADS = frozenset(("ban", "sở", "bộ"))


def _departments(doc, vocab, board_words, provinces=frozenset(), stops=frozenset(), norms=None):
    """'Sở' (or 'Bộ') and whole words of department names joined by và, -, &: 'Sở Giáo dục-
    đào tạo', 'Sở Khoa học Công nghệ', 'Sở LĐ-TB&XH', 'Bộ Thông tin - Truyền thông'; 'Ban Quản lý'
    and the words of its area: 'Ban quản lý Khu công nghệ cao và các khu công nghiệp'.
    norms: the tokens' NORMs (UnitRuler.read), where the caller has them: only the tokens a
    name may start at are made Token objects then."""
    from spacy.tokens import Span
    out = []
    heads = (doc[i] for i, norm in enumerate(norms) if norm in _DEPARTMENT_HEADS) if norms is not None else doc
    for token in heads:
        if token.norm_ == "ban" and token.i + 2 < len(doc) and doc[token.i + 1].norm_ == "quản" \
                and doc[token.i + 2].norm_ == "lý":
            end = token.i + 3
            while end < len(doc):
                if doc[end].norm_ in board_words or (end > token.i + 3 and _in_name(doc, end, stops)):
                    end += 1   # the area's own name too: "Khu kinh tế Nghi Sơn và các khu công nghiệp"
                elif doc[end].text == "," and end > token.i + 3 and _board_word_after_comma(doc, end + 1, board_words):
                    end += 1   # a comma of the official name: "Ban Quản lý Khu kinh tế, công nghiệp tỉnh"
                else:
                    break
            # a trailing place is context: "Ban Quản lý Khu kinh tế Hà Tĩnh", "... Hải Phòng"
            end = next((k for k in range(token.i + 4, end) if _fold_name(doc[k:end].text) in provinces), end)
            while end > token.i + 3 and doc[end - 1].norm_ in ("và", "các", "-", ","):
                end -= 1
            if token.i + 3 < end < len(doc) and doc[end].norm_ == "tỉnh" and not (end + 1 < len(doc) and doc[end + 1].is_title):
                end += 1   # its province unnamed, the official name ends in "tỉnh" ("Ban Quản lý Khu kinh tế tỉnh")
            if end > token.i + 3:
                out.append(Span(doc, token.i, end, label="DEPARTMENT", span_id="unit.department.board"))
            continue
        # a ministry is named with the same words: "Bộ Thông tin - Truyền thông"
        label = {"sở": "DEPARTMENT", "bộ": "MINISTRY"}.get(token.norm_)
        if label is None or (label == "MINISTRY" and not token.text[0].isupper()):
            continue
        span = _whole_words(doc[token.i:min(len(doc), token.i + 16)], vocab)
        if len(span) > 1:
            rule = "unit.department.words" if label == "DEPARTMENT" else "unit.ministry.words"
            out.append(Span(doc, span.start, span.end, label=label, span_id=rule))
    return out


def _board_word_after_comma(doc, i, board_words) -> bool:
    """After a comma, a board's name goes on with a word of its area in lower case ("Khu kinh tế,
    công nghiệp"); not with a new unit ("Khu kinh tế, Sở Tư pháp") nor a list word ("và")."""
    return i < len(doc) and doc[i].norm_ in board_words and doc[i].is_lower and doc[i].norm_ not in ("và", "các")


@functools.lru_cache(maxsize=2)
def _board_vocab(rules: Rules) -> frozenset:
    return frozenset(fold_tones(w.lower()) for rule in rules.named for w in rule.get("board_words", []))


@functools.lru_cache(maxsize=2)
def _department_vocab(rules: Rules) -> frozenset:
    """Words of department names, two syllables each ("giáo dục", "đào tạo"), and the pieces of
    abbreviations ("lđ", "tb", "xh")."""
    vocab = set()
    for rule in rules.named:
        if rule.get("prefix") != "Sở" and "department_words" not in rule:
            continue
        for name in rule.get("names", []) + rule.get("department_words", []):
            pieces = _pieces(fold_tones(name.lower()))
            if " " not in name.strip():
                vocab.update(pieces)   # an abbreviation: every piece stands alone
            vocab.update(" ".join(pieces[i:i + 2]) for i in range(0, len(pieces) - 1, 2))
    return frozenset(vocab)


def _pieces(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,&\-–]+|\bvà\b", text) if p and p != "và"]


def _whole_words(span, vocab):
    """The department name cut after its last whole word: "Sở Tư pháp và Văn" (of "Văn phòng
    UBND tỉnh") is Sở Tư pháp."""
    tokens = []
    for token in span[1:]:
        if token.text in (",", ";", ":", "(", ")", ".") :
            break   # "Sở Tư pháp, Tài chính": a list sharing the type word, not one name
        tokens.append(token)
    syllables_ = [(piece, k) for k, token in enumerate(tokens, 1) for piece in _pieces(token.norm_)]
    end, i = span.start + 1, 0
    while i < len(syllables_):
        piece, k = syllables_[i]
        pair = piece + " " + syllables_[i + 1][0] if i + 1 < len(syllables_) else None
        if pair in vocab or (pair is not None and _one_syllable_unmarked(pair, vocab)):
            i += 2
        elif piece in vocab:
            i += 1
        else:
            break
        end = span.start + syllables_[i - 1][1] + 1
    return span.doc[span.start:end]


@functools.lru_cache(maxsize=2)
def _unmarked_words(vocab: frozenset) -> dict:
    """The two-syllable words of department names by their letters without diacritics."""
    return {search_key(word): word for word in vocab if " " in word}


def _one_syllable_unmarked(pair: str, vocab: frozenset) -> bool:
    """A word of a department name with the diacritics of one of its syllables left out, as
    reporters type them ("Sở Khoa hoc và Công nghệ"): the other syllable is written as in the name."""
    word = _unmarked_words(vocab).get(search_key(pair))
    return word is not None and sum(a == b for a, b in zip(pair.split(), word.split())) == 1


_CAPITALISED = re.compile(r"(?<![\w'’])[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ][\w'’]*"
                          r"(?:[ -][A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ][\w'’]*)+")


def _local_names(text, units, local_names) -> list[Unit]:
    """Capitalised names outside the units found that are districts of the article's province."""
    out = []
    for m in _CAPITALISED.finditer(text):
        if any(u.start < m.end() and m.start() < u.end for u in units):
            continue
        words = [w for w in re.finditer(r"[^ -]+", m.group(0))]
        for k in range(len(words) - 1):   # "Với Kông Chro": drop capitalised words in front
            start = m.start() + words[k].start()
            name = text[start:m.end()]
            found = local_names.get(fold_tones(name.lower().replace("’", "'")))
            if found:
                kind, level = found
                out.append(Unit(start, m.end(), f"{kind} {name}", level, "unit.local_name", bare=True))
                break
    return out


@functools.lru_cache(maxsize=2)
def _list_head_regex(rules: Rules) -> re.Pattern:
    """'gồm 3 phường:', 'các sở:', 'Các huyện' (from list_heads in patterns/units.yaml)."""
    head = rules.list_heads[0]
    types = "|".join(sorted((re.escape(t) for t in head["types"]), key=len, reverse=True))
    before = "|".join(head["before"])
    # (a count alone opens one too: "hai huyện Kim Thành và Nam Sách", "Ba phường có chỉ số hài lòng
    # cao nhất là Thạch Thang, Hải Châu I và Phước Ninh": the names after "là" / "gồm")
    count = r"\d{1,2}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"
    return re.compile(
        rf"(?:\b(?:{before})\s+(?:\d+\s+)?|(?<![\w,.])(?:{count})\s+)(?P<types>(?:{types})(?:\s*,\s*(?:{types}))*)"
        rf"(?:\s*(?::|(?=\s+(?-i:[{_UPPER}])))|\s+[^.;:()]{{0,80}}?\b(?:là|gồm)\s*:?(?=\s+(?-i:[{_UPPER}])))",
        re.IGNORECASE)


_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ"
# a proper name: capitalised syllables ("Bùi La Nhân"), not an acronym ("UBND"); or a number
# ("các phường: 1, 3 và 5") that is no score: not part of a decimal, a fraction or "90 điểm"
# ("Thành phố Tuyên Quang 90,12 điểm" lists no "huyện 90" nor "huyện 12")
_NAME = re.compile(rf"(?:[{_UPPER}][^\W\d{_UPPER}]*'?\w*(?:\s+|$))*[{_UPPER}][^\W\d{_UPPER}]*'?\w*(?![\w{_UPPER}])"
                   r"|\d{1,3}(?![.,/]?\d)(?!\s*(?:điểm|%|bậc|hạng))")
# a typed unit whose type word its list shares: "xã A, B và C" + the predicate (a lower-case word)
# (the type words below a province, written in full: model.normalize.TYPE_WORDS; not "thành phố",
# which may name a province)
_SHARED_TYPE = re.compile("^(" + "|".join(sorted({full for _, full in TYPE_WORDS} - {"tỉnh", "thành phố"}, key=len, reverse=True))
                          + r")\s+\S", re.IGNORECASE)
_LIST_NAME = rf"[{_UPPER}][^\W\d{_UPPER}]*(?:\s+[{_UPPER}][^\W\d{_UPPER}]*)*"
_SHARED_LIST = re.compile(rf"(?:\s*,\s*{_LIST_NAME})*\s*,?\s+và\s+{_LIST_NAME}(?=\s+[a-zđà-ỹ])")
_SEPARATOR = re.compile(r"(?:\s|,|;|:|\bvà\b|UBND|Ủy ban nhân dân|Uỷ ban nhân dân)*")
# an item's own value, read past to the next item: "gồm: Quang Trung 93 điểm, Hòa Bình 92,5 điểm"
_ITEM_VALUE = re.compile(r"\s*(?:[-–:]\s*)?\(?\d{1,3}(?:[.,]\d{1,4})?\s*(?:điểm|%)?\)?(?=\s*(?:[,;]|và\b))")
# a row's name ends where its values begin: "Khánh Bình Tây – 89,9", "Tân Liễu (92,1 điểm)"
_ROW_NAME_END = re.compile(r"\s*(?:[-–:,;(|]|\d|$)")


def _expand_lists(text, units, rules, row_type=None):
    """'gồm 3 phường: An Lưu, An Sinh' -> phường An Lưu, phường An Sinh; 'các sở: Tư pháp' -> Sở Tư pháp.

    row_type: the type word a heading line gave the rows under it ("Xếp hạng các xã:"), for a
    row that names its unit bare ("Hạng 1: Khánh Bình Tây – 89,9"): the row is a list of one."""
    heads = []
    for head in _list_head_regex(rules).finditer(text):
        first_type = re.split(r"\s*,\s*", head.group("types"))[0]
        heads.append((head.end(), first_type, None))
    for u in units:
        # "Xã Cẩm Quang, Cẩm Vịnh và Cẩm Thành lần lượt ...": a type word written once for a list
        shared = _SHARED_TYPE.match(u.text) if not u.bare else None
        items = shared and _SHARED_LIST.match(text, u.end)
        # (a province among the names makes it no list of one type: "xã Kim Anh và Hải Dương")
        if items and not any(_fold_name(n) in _province_keys(rules)
                             for n in re.findall(_LIST_NAME, items.group(0))):
            heads.append((u.end, shared.group(1), None))
    if row_type is not None:
        mark = _ROW_MARK.match(text)
        if mark:
            heads.insert(0, (mark.end(), row_type, 1))
    items = {}   # start -> the unit a list names there
    for pos, word, limit in heads:
        level = _level_of_type(word, rules)
        if level is not None:
            items.update((item.start, item) for item in _list_items(text, pos, word, level, units, limit))
    starts = {u.start for u in units}
    kept = []
    for u in sorted([items.get(u.start, u) for u in units] + [i for s, i in items.items() if s not in starts],
                    key=lambda u: u.start):
        if u.level == "department" and u.bare:
            if u.start not in items:
                continue   # a bare "Tư pháp" outside a list of departments is not a unit
            u = Unit(u.start, u.end, "Sở " + u.text, u.level, u.rule, bare=True)
        kept.append(u)
    return kept


def _list_items(text, pos, word, level, units, limit=None) -> list[Unit]:
    """The items of a list whose head ends at pos: each a unit the text names there, or a bare
    name that takes the head's type word; a name the ruler knows bare as a province is the
    list's ("Hòa Bình" among "các xã"). limit: how many items to read (a row: one)."""
    by_start = {u.start: u for u in units}
    out = []
    while pos < len(text) and (limit is None or len(out) < limit):
        gap = _SEPARATOR.match(text, pos)
        pos = gap.end()
        unit = by_start.get(pos) or next((u for u in units if u.start < pos < u.end), None)
        if unit is not None:
            if unit.bare and unit.level != level and unit.rule == "unit.province.bare" \
                    and level not in ("province", "department"):
                unit = typed_item(unit.start, unit.text, word, level=level)
            out.append(unit)
            end = unit.end
        else:
            m = _NAME.match(text, pos)
            if not m or level in ("department", "province"):
                break   # a province is one of the names the ruler knows; "các tỉnh Tây Nguyên" is a region
            name = m.group(0).strip()
            if name[0].isdigit() and out and not re.search(r"[,;:]|\bvà\b", gap.group(0)):
                break   # a number right after an item is its value, not another item
            if limit is not None and not _ROW_NAME_END.match(text, pos + len(name)):
                break   # "1. Kết quả năm 2023": a row's name is followed by its values
            out.append(typed_item(pos, name, word, level=level))
            end = pos + len(name)
        pos = _skip_paren(text, end)
        value = _ITEM_VALUE.match(text, pos)
        pos = value.end() if value else pos
    return out


def typed_item(start: int, name: str, word: str, rules: Rules | None = None, level: str | None = None,
               rule: str = "unit.list") -> Unit | None:
    """A name written bare under a word that gives its type (a list's head, a table's column):
    "Khánh Bình Tây" under "các xã" is xã Khánh Bình Tây."""
    level = level or _level_of_type(word, rules or load_rules())
    if level is None:
        return None
    return Unit(start, start + len(name), f"{word.lower()} {name}", level, rule, bare=True)


# the mark that opens a row of a list written line by line: "Hạng 1:", "1.", "- Thứ 2:", "•"
_ORDINAL_MARK = r"(?:(?:hạng|thứ|top|vị trí)\s+(?:\d{1,3}|nhất|nhì|hai|ba|tư|bốn|năm)\s*[:.)–-]|\d{1,3}\s*[.):–-](?!\d))"
_ROW_MARK = re.compile(rf"\s*(?:[-–•+*]\s*(?:{_ORDINAL_MARK})?|{_ORDINAL_MARK})\s*", re.IGNORECASE)


def row_mark(line: str) -> re.Match | None:
    """The mark a row of a list written line by line opens with ("Hạng 1:", "2.", "- Thứ 3:", "-")."""
    return _ROW_MARK.match(line)


@functools.lru_cache(maxsize=2)
def _rows_head_regex(rules: Rules) -> re.Pattern:
    """A group named in a heading line: 'các xã, thị trấn', 'Khối các phường', '12 huyện, thị xã'."""
    head = rules.list_heads[0]
    types = "|".join(sorted((re.escape(t) for t in head["types"]), key=len, reverse=True))
    before = "|".join(head["before"] + ["khối", "nhóm", "những"])
    count = r"\d{1,2}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"
    return re.compile(rf"(?:\b(?:{before})\s+(?:\d+\s+)?|(?<![\w,.])(?:{count})\s+)(?P<type>{types})(?!\w)(?!\s+hội)",
                      re.IGNORECASE)


def rows_type(line: str, rules: Rules | None = None) -> str | None:
    """The type word a heading line gives the rows under it: "Xếp hạng các xã, thị trấn năm 2023
    (điểm/100):" -> "xã" (the first named); None for a line that is no such heading."""
    stripped = line.strip()
    if not stripped.endswith(":") or len(stripped) > 200:
        return None
    m = _rows_head_regex(rules or load_rules()).search(stripped)
    return m.group("type").lower() if m else None


def _skip_paren(text, pos):
    m = re.match(r"\s*\([^)]*\)", text[pos:])
    return pos + m.end() if m else pos


def _level_of_type(word: str, rules: Rules):
    word = fold_tones(word.lower())
    for rule in rules.typed:
        if word in (fold_tones(w.lower()) for w in rule["words"]):
            return rule["level"]
    if word == "sở":
        return "department"
    if word == "địa phương":
        return "province"
    return None


_IN_GROUP = re.compile(r"\d\s*/\s*\d+\s+(?:(?:tỉnh|thành phố|quận|huyện|thị xã|xã|phường|thị trấn|sở|ngành|đơn vị)\s*,\s*)+$",
                       re.IGNORECASE)
# a capitalised surname right before a province's name makes a person of it ("Trương Hòa Bình")
_SURNAME = re.compile(r"(?<!\w)(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Trương|"
                      r"Đinh|Lâm|Mai|Tô|Đào|Cao|Lương|Trịnh|Đoàn|Vương|Chu|Lưu|Tạ|Văn|Thị|Hữu|Đức|Minh) $")


@functools.lru_cache(maxsize=4)
def _source_lead(rules: Rules, after_comma: bool) -> re.Pattern:
    """The words that open a lead clause naming where the results come from (units.yaml,
    source_lead): at a sentence's or clause's start, or (after_comma) after a comma too."""
    words = rules.source_lead["after_comma"] + ([] if after_comma else rules.source_lead["words"])
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(r"\s*(?:[-–•*]\s*)?(?:" + alt + r")\b", re.IGNORECASE)


def _in_source_clause(text: str, unit, rules: Rules) -> bool:
    """Is the unit inside a lead clause that names where the results come from ("Theo kết quả
    do UBND tỉnh công bố, ...", "Cách đây hai năm, trong bảng xếp hạng ... của huyện X, ...")?
    Only when the clause ends with a comma after the unit and states no number of the unit's
    own ("Theo đó huyện X đạt 85 điểm, ..." is a result)."""
    start = max(text.rfind(mark, 0, unit.start) for mark in ".;:\n") + 1
    piece = max(text.rfind(",", start, unit.start) + 1, start)
    if not (_source_lead(rules, False).match(text, start) and piece == start) \
            and not _source_lead(rules, True).match(text, piece):
        return False
    comma = text.find(",", unit.end)
    return comma != -1 and not any(c.isdigit() for c in text[unit.end:comma])


@functools.lru_cache(maxsize=2)
def _context_cues(rules: Rules) -> tuple[re.Pattern, re.Pattern]:
    """The words before a unit that make it context, as one pattern anchored at the end of the
    text before it, and the words after it."""
    cues = sorted((fold_tones(c.lower()) for c in rules.context_before), key=len, reverse=True)
    before = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(c) for c in cues) + r")$")
    after = re.compile(r"^\s*(?:đã|vừa|chính thức)?\s*(?:" + "|".join(rules.context_after) + r")\b", re.IGNORECASE)
    return before, after


@functools.lru_cache(maxsize=2)
def _index_owner(rules: Rules) -> re.Pattern:
    """An index's name at the end of a tone-folded, lower-cased text (units.yaml, context_index_owner)."""
    words = sorted((fold_tones(w.lower()) for w in rules.context_index_owner), key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")$")


@functools.lru_cache(maxsize=2)
def compared_with(rules: Rules) -> re.Pattern:
    """The words of a comparison (units.yaml, context_compared) at the end of a tone-folded text,
    "UBND" allowed after them: the unit that follows is the one compared with."""
    words = sorted((fold_tones(w.lower()) for w in rules.context_compared), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")\s+(?:ubnd\s+)?$", re.IGNORECASE)


@functools.lru_cache(maxsize=2)
def _group_of(rules: Rules) -> re.Pattern:
    """A counted group right before "của" ("29 xã, thị trấn của"), over values.yaml's group nouns."""
    nouns = rules.value_source["group_nouns"]
    return re.compile(rf"\d+\s+(?:{nouns})(?:\s*,\s*(?:{nouns}))*\s+của$", re.IGNORECASE)


def _address_goes_on(text, before, unit) -> bool:
    """Is unit the next place of an address in parentheses, "(huyện Hải Hậu, tỉnh Nam Định)":
    an open parenthesis that holds only units and commas up to it?"""
    opened = text.rfind("(", 0, unit.start)
    if opened < 0 or text.rfind(")", 0, unit.start) > opened:
        return False
    inside = text[opened + 1:unit.start]
    for u in before:
        if u.start > opened:
            inside = inside.replace(text[u.start:u.end], "", 1)
    return "," in inside and re.fullmatch(r"[\s,]*", inside) is not None


def _mark_context(text, units, rules):
    """Parents and places are context: 'dẫn đầu huyện Kim Thành', 'Sở Nội vụ Hà Nội'."""
    before_cue, after_cues = _context_cues(rules)
    for i, unit in enumerate(units):
        if unit.bare and unit.level == "province" and _SURNAME.search(text[max(0, unit.start - 12):unit.start]):
            unit.context = True   # "Phó Thủ tướng Trương Hòa Bình": a person's name
            continue
        if unit.start <= 2 and unit.level == "province" and re.match(r"\s*:\s*\S", text[unit.end:]):
            unit.context = True   # "Hà Nội: Sở Tài chính dẫn đầu ...": the place a headline is from
            continue
        if _in_source_clause(text, unit, rules):
            unit.context = True   # "Theo quyết định của UBND tỉnh Nghệ An, Sở Xây dựng dẫn đầu": the source
            continue
        if _IN_GROUP.search(text[max(0, unit.start - 80):unit.start]):
            unit.context = True   # "xếp hạng 19/22 quận, huyện, thành phố Thủ Đức": part of the group named
            continue
        if re.match(r"\s*[-–]\s*(?:đơn vị|tỉnh|địa phương|cơ quan|huyện|xã|sở)\b", text[unit.end:unit.end + 20]):
            continue   # "so với Quảng Ninh - đơn vị xếp vị trí thứ 2": described, so ranked
        after = unit.end
        nxt = units[i + 1] if i + 1 < len(units) else None
        if nxt is not None and nxt.level == "province" and not text[unit.end:nxt.start].strip():
            after = nxt.end   # past the unit's own place: "Sở Nội vụ Hà Tĩnh cho biết", "... tỉnh Hà Tĩnh cho biết"
        if after_cues.search(text[after:after + 40]):
            unit.context = True   # the announcer: "theo kết quả Bộ Nội vụ công bố"
            continue
        before = fold_tones(text[max(0, unit.start - 80):unit.start].lower()).rstrip()
        before = re.sub(r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)$", "", before).rstrip()
        if before.endswith(("thuộc về", "là của")):
            continue   # "á quân thuộc về Sở Kế hoạch và Đầu tư", "ngôi quán quân là của tỉnh X": inverted
        if _index_owner(rules).search(before):
            # "xã A dẫn đầu Chỉ số CCHC huyện B với 91 điểm": B is whose ranking, after A ranked in it
            clause_start = text.rfind(";", 0, unit.start) + 1
            if any(u.start >= clause_start and u.end <= unit.start and not u.context for u in units[:i]):
                unit.context = True
                continue
        if before_cue.search(before):
            # "Chỉ số CCHC năm 2023 của Hải Dương đạt ..." ranks the unit after "của", unless a
            # ranked unit came first: "huyện Tiên Du xếp thứ 4 về Chỉ số CCHC của tỉnh Bắc Ninh"
            clause_start = text.rfind(";", 0, unit.start) + 1
            ranked_before = any(u.start >= clause_start and u.end <= unit.start and not u.context for u in units[:i])
            # ("29 xã, thị trấn của huyện Lục Ngạn": the parent of a group is no ranked unit)
            # (the index named by any of its names: "DTI cấp tỉnh của Bến Tre xếp thứ 19/63")
            if before.endswith("của") and not ranked_before and (
                    re.search(r"chỉ số", before[-60:], re.IGNORECASE) or find_indexes(fold_tones(before[-60:]), rules)) \
                    and not _group_of(rules).search(before):
                continue
            if re.search(r"[,;]\s*của$", before) and re.match(r"\s*(?:đạt|xếp|đứng|là|tăng|giảm)\b", text[unit.end:]):
                continue   # "Chỉ số của Sở Tài chính đạt 90,1%, của Sở Tư pháp đạt 88,2%": one more of them
            unit.context = True
        prev = units[i - 1] if i else None
        if prev is not None and re.fullmatch(r"\s*\(\s*", text[prev.end:unit.start]):
            unit.context = True   # "xã Quảng Phú (huyện Quảng Điền)": where it is, not what is ranked
            continue
        if prev is not None and prev.context and _address_goes_on(text, units[:i], unit):
            unit.context = True   # "thị trấn Yên Định (huyện Hải Hậu, tỉnh Nam Định)": the rest of the address
            continue
        if prev is not None and unit.bare and unit.level == "province" and text[prev.end:unit.start].strip() in ("", "(", "-", ","[:0]):
            unit.context = True   # a trailing place name: "Sở Tư pháp Hà Nội", "huyện Đức Thọ (Hà Tĩnh)"
            if prev.level in ("department", "central_agency") and not text[prev.end:unit.start].strip():
                prev.place = unit.text   # whose province it is, in a round-up of several
            continue
        if prev is not None and unit.level == "province" and prev.level in ("department", "central_agency") \
                and not text[prev.end:unit.start].strip():
            unit.context = True   # the agency's province: "Sở Công Thương tỉnh Gia Lai"
            prev.place = unit.text
        elif prev is not None and prev.level == "department" and re.match(r"(?:thành phố|tp\b)", unit.text, re.IGNORECASE) \
                and not text[prev.end:unit.start].strip():
            unit.context = True   # a sở is a province's: "Sở Tư pháp thành phố Hồ Chí Minh" is the city's own
