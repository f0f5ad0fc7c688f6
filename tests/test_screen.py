"""The cheap way of reading the value rules (extract/screen.py) reads what the rules read.

The screen and the lower-case twins exist for speed only: on every sentence of every gold text,
every phrasing and every rule example, each rule must give the same matches, at the same
places, with the same values, as the rule compiled with IGNORECASE; a sentence the screen turns
away must be one no rule matches.
"""
import re

import pytest

from _sentences import gold_sentences, written_sentences
from parindex.extract import screen
from parindex.extract.rules import load_rules
from parindex.model.normalize import fold_tones
from parindex.model.lowercase import lower_text, lower_twin
from parindex.model.topic import about, compile_topic

RULES = load_rules()


def _as_compiled(folded):
    return [(rule.id, m.span(), {k: v and v.lower() for k, v in m.groupdict().items()})
            for rule in RULES.values for m in rule.regex.finditer(folded)]


def _as_screened(folded):
    return [(rule.id, m.span(), {k: v and v.lower() for k, v in m.groupdict().items()})
            for rule, matches in screen.rule_matches(folded, RULES) for m in matches]


@pytest.fixture(scope="module")
def every_sentence():
    return gold_sentences() + written_sentences(RULES)


def test_the_screen_reads_what_the_rules_read(every_sentence):
    assert len(every_sentence) > 2000
    differ = [i for i, s in enumerate(every_sentence) if _as_compiled(fold_tones(s)) != _as_screened(fold_tones(s))]
    # (numbers, not sentences: the real set is held out, its text is not for reading)
    assert not differ, f"{len(differ)} sentences read otherwise, the first is number {differ[0]}"


def _shape(sentence):
    return screen._lowered(fold_tones(sentence))[1]


def test_the_strings_found_in_one_pass_are_the_strings_a_sentence_contains(every_sentence):
    finder = screen._screen(RULES).finder
    assert len(finder.words) > len(screen._screen(RULES).anchors)   # the needed strings too
    shapes = [_shape(s) for s in every_sentence]
    assert sum(bool(finder.contained(s)) for s in shapes) > 1000
    differ = [i for i, s in enumerate(shapes) if finder.contained(s) != {w for w in finder.words if w in s}]
    assert not differ, f"{len(differ)} sentences read otherwise, the first is number {differ[0]}"


def test_the_finder_finds_words_within_words_and_words_that_overlap():
    finder = screen.Finder(("đứng đầu", "đầu bảng", "đầu", "bảng", "ng đ", "xếp thứ", "0/0", "0 / 0"))
    assert finder.contained("huyện a đứng đầu bảng xếp 0 / 00") == {"đứng đầu", "đầu bảng", "đầu", "bảng", "ng đ", "0 / 0"}
    assert finder.contained("không có gì") == set()


def test_a_sentence_the_screen_turns_away_states_no_value(every_sentence):
    turned_away = [s for s in every_sentence if not screen.may_state(fold_tones(s), RULES)]
    assert turned_away, "the screen let every sentence through"
    matched = [i for i, s in enumerate(turned_away) if _as_compiled(fold_tones(s))]
    assert not matched, f"{len(matched)} turned away although a rule matches them"


def test_the_screen_turns_away_a_report_of_figures_that_ranks_nothing():
    report = "Bộ phận một cửa đã tiếp nhận 820 hồ sơ, trong đó 815 hồ sơ được giải quyết trước và đúng hẹn."
    assert not screen.may_state(fold_tones(report), RULES)   # figures, but no rule can read one


@pytest.mark.parametrize("report", [
    "Đoàn kiểm tra đã làm việc với 24 cơ quan, đơn vị và chấn chỉnh 15 trường hợp.",   # a group noun, no place
    "Hội nghị có hơn 300 đại biểu của các sở, ban, ngành và 10 huyện, thị xã dự.",
    "Đến tháng 10, toàn bộ xã, phường đã kết nối mạng truyền số liệu chuyên dùng.",
])
def test_a_rule_runs_only_where_every_part_it_needs_is(report):
    """A word a rule needs ("huyện", "cơ quan") is not enough where the rest it needs is missing."""
    assert not screen.may_state(fold_tones(report), RULES)


def test_anchor_sets_are_each_needed():
    pattern = r"(?:thứ|hạng)\s+\d{1,3}\s*/\s*\d{1,3}"
    sets = screen.anchor_sets(pattern)
    assert len(sets) == 2                              # the place word with its number, and "0/0"
    regex = re.compile(pattern, re.IGNORECASE)
    for text in ["xếp thứ 3/12 huyện", "hạng 17 / 18", "Thứ 5/ 63"]:
        shape = screen._shape(regex.search(text).group(0).lower())
        assert all(any(a in shape for a in need) for need in sets), (sets, shape)
    # where each of two sets would do, the one a text must have anyway is dropped
    assert screen.anchor_sets(r"xếp hạng") == (frozenset({"xếp hạng"}),)


@pytest.mark.parametrize("sentence", ["Sở Nội vụ xếp hạng nhì.", "Bảo hiểm xã hội tỉnh về nhì.",
                                      "Sở Tư pháp giữ vững ngôi đầu.", "Huyện Yên Lập xếp áp chót.",
                                      "Phường Đông Sơn ở vị trí đầu tiên."])
def test_a_rank_written_in_words_alone_passes_the_screen(sentence):
    assert screen.may_state(fold_tones(sentence), RULES)


@pytest.mark.parametrize("pattern,texts", [
    (r"xếp\s+thứ\s+(?P<rank>\d{1,2})\s*/\s*(?P<total>\d{1,3})", ["Xếp  thứ 3 / 12 huyện", "xếp thứ 12/63"]),
    (r"(?:tăng|lên)\s+(?P<n>\d+)\s+(?:bậc|hạng)?", ["TĂNG 2 ", "lên 14 bậc"]),
    (r"(?<=[^\W\d]) (?P<score>\d{2,3}[.,]\d{1,4})(?=\s*(?:\(|;|,|$))", ["Long An 70,37 (năm", "Bình Dương 70.16"]),
    (r"(?:^|[;:]\s*)(?P<rank>\d{1,2})\s*[.)]\s+(?=\w)", ["1. Sở Tư pháp", "điểm; 2) Sở Y tế"]),
    (r"đạt\s+(?:chỉ số\s+)?(?P<score>\d+(?:,\d+)?)(?:\s*(?:%|điểm))?", ["đạt chỉ số 85", "Đạt 85,5 điểm"]),
])
def test_anchors_are_in_every_match(pattern, texts):
    """The anchors read off a pattern are in the shape of whatever it matches."""
    found = screen.anchors(fold_tones(pattern))
    assert found, pattern
    regex = re.compile(fold_tones(pattern), re.IGNORECASE)
    for text in texts:
        match = regex.search(fold_tones(text))
        assert match, text
        shape = screen._shape(match.group(0).lower())
        assert any(a in shape for a in found), (found, shape)


def test_a_pattern_that_sets_its_own_case_has_no_twin():
    assert lower_twin(r"điểm(?=\s+(?-i:[A-ZĐ]))") is None
    assert lower_twin(r"(?i)thứ") is None
    assert lower_twin(r"\bCCHC\b|\W(?P<Rank>\d+)").pattern == r"\bcchc\b|\W(?P<Rank>\d+)"


def test_the_topic_verdict_on_lower_case_text_is_the_case_blind_one():
    regex = compile_topic(r"chỉ số|\bcchc\b|cải cách hành chính|\bpci\b")
    for text in ("CHỈ SỐ CẢI CÁCH", "Kết quả CCHC", "PCIe thế hệ mới", "Cải Cách Hành Chính",
                 "không có gì", "chỉ ſố", "İ CCHC", "xếp hạng Pci"):
        assert about(regex, text) == bool(regex.search(text)), text
    assert lower_text("ſ") is None and lower_text("İ") is None and lower_text("ĐỒNG") == "đồng"


def _indexes_as_compiled(folded):
    out = []
    for rule_id, index, regex in RULES.indexes:
        for m in regex.finditer(folded):
            if not any(s < m.end() and m.start() < e for s, e, _, _ in out):
                out.append((m.start(), m.end(), index, rule_id))
    return sorted(out)


def test_the_index_names_screened_are_the_index_names(every_sentence):
    """find_indexes runs only the index rules whose anchors a sentence has (screen.index_rules):
    it finds what every rule, run as compiled, finds."""
    from parindex.extract.values import find_indexes
    folded = [fold_tones(s) for s in every_sentence]
    assert sum(bool(_indexes_as_compiled(f)) for f in folded) > 300
    differ = [i for i, f in enumerate(folded) if find_indexes(f, RULES) != _indexes_as_compiled(f)]
    assert not differ, f"{len(differ)} sentences read otherwise, the first is number {differ[0]}"
    assert not screen.index_rules(fold_tones("Đội tuyển thắng 3-1 trên sân nhà."), RULES)[1]
