"""The unit EntityRuler is built for speed (extract/units.py: UnitRuler, merged) and must find
exactly what one ruler with every pattern, each on its own, finds.

Two things make it fast: the patterns with a describing word between type word and name
("xã đảo Tân Hiệp") run only in sentences where a type word is followed by such a word, and
patterns that differ in one token's word alone are one pattern with a set of words. Neither
may change a single unit of any sentence of the gold sets, the phrasings or the rule examples.
"""

import pytest
import spacy

from _sentences import gold_sentences, written_sentences
from parindex.extract import units
from parindex.extract.rules import load_rules

RULES = load_rules()


def _every_sentence() -> list[str]:
    out = gold_sentences() + written_sentences(RULES) + [example["text"] for example in RULES.unit_examples]
    # describing words, written for this test, each way a type word takes one
    out += ["Xã đảo Tân Hiệp dẫn đầu khối xã với 91,2 điểm.", "Huyện miền núi Kỳ Sơn đứng thứ 2.",
            "thành phố ven biển Hạ Long xếp thứ nhất", "Xã vùng sâu, vùng xa Đồng Sơn tăng 5 bậc.",
            "Phường trung tâm Hàm Rồng giữ vững vị trí thứ 3", "xã nghèo Mường Lống tụt hạng",
            "huyện đảo Cô Tô, thị xã biên giới Đông Triều và xã đặc biệt khó khăn Đồng Văn"]
    return list(dict.fromkeys(s for s in out if s))


def _spans(doc):
    return [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]


@pytest.fixture(scope="module")
def reference():
    """One ruler, every pattern on its own, as the pipeline was before it was made fast."""
    nlp = spacy.blank("xx")
    nlp.tokenizer = units.SyllableTokenizer(nlp.vocab)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "NORM"})
    typed, named = units.unit_patterns(RULES)
    ruler.add_patterns([pattern for pattern, _ in typed] + named)
    return nlp


def test_the_fast_ruler_finds_what_every_pattern_finds(reference):
    fast = units.pipeline(RULES)
    every = _every_sentence()
    assert len(every) > 2000
    differ = [text for text in every if _spans(fast(text)) != _spans(reference(text))]
    assert differ == []


def test_a_describing_word_keeps_its_unit():
    fast = units.pipeline(RULES)
    assert [(e.text, e.label_) for e in fast("Năm 2023, xã đảo Tân Hiệp đạt 91,2 điểm.").ents] == \
        [("xã đảo Tân Hiệp", "COMMUNE")]
    assert [(e.text, e.label_) for e in fast("Huyện vùng cao Mường Tè xếp cuối.").ents] == \
        [("Huyện vùng cao Mường Tè", "DISTRICT")]


def test_type_words_of_one_rule_share_a_pattern():
    typed, named = units.unit_patterns(RULES)
    plain = [pattern for pattern, pair in typed if not pair]
    fewer = units.merged(plain)
    assert len(fewer) < len(plain) / 2
    # a set of words stands where the single words stood, for one rule only
    district = next(p for p in fewer if p["id"] == "unit.district" and isinstance(p["pattern"][0].get("NORM"), dict))
    assert {"huyện", "quận"} <= set(district["pattern"][0]["NORM"]["IN"])
    assert all("xã" not in (p["pattern"][0].get("NORM", {}) or {}).get("IN", []) for p in fewer
               if isinstance(p["pattern"], list) and p["id"] == "unit.district" and isinstance(p["pattern"][0].get("NORM"), dict))


def test_sets_of_type_words_are_flags_of_the_words_even_of_words_first_seen_later(reference):
    """units.flagged: a set of NORMs is a flag spaCy sets on each word as it enters the
    vocabulary; a spelling no pattern and no sentence had before still carries it."""
    fast = units.pipeline(RULES)
    assert not any(units._is_set(token) for p in fast.patterns if isinstance(p["pattern"], list) for token in p["pattern"])
    assert any("FLAG19" in token for p in fast.patterns if isinstance(p["pattern"], list) for token in p["pattern"])
    for text, unit in [("QUẬN Ba Đình xếp thứ 2.", ("QUẬN Ba Đình", "DISTRICT")),
                       ("PhườNG Hòa Khánh tăng 3 bậc.", ("PhườNG Hòa Khánh", "COMMUNE")),
                       ("TX Kỳ Anh đứng thứ 5.", ("TX Kỳ Anh", "DISTRICT"))]:
        assert [(e.text, e.label_) for e in fast(text).ents] == [unit]
        assert _spans(fast(text)) == _spans(reference(text))


def test_more_sets_than_flags_keep_the_sets_left():
    import spacy
    vocab = spacy.blank("xx").vocab
    patterns = [{"label": "X", "id": f"x{i}", "pattern": [{"NORM": {"IN": [f"a{i}", f"b{i}"]}}, {"IS_TITLE": True}]}
                for i in range(len(units._FLAGS) + 2)]
    out = units.flagged(patterns, vocab, {})
    assert [units._is_set(p["pattern"][0]) for p in out] == [False] * len(units._FLAGS) + [True, True]
    assert vocab["b3"].check_flag(units._FLAGS[3]) and not vocab["a4"].check_flag(units._FLAGS[3])


def test_patterns_that_differ_in_more_than_one_token_stay_apart():
    a = {"label": "X", "id": "x", "pattern": [{"NORM": "thị"}, {"NORM": "xã"}, {"IS_TITLE": True}]}
    b = {"label": "X", "id": "x", "pattern": [{"NORM": "thành"}, {"NORM": "phố"}, {"IS_TITLE": True}]}
    # merging either token would let "thị phố" or "thành xã" through
    assert units.merged([a, b]) == [a, b]
    c = {"label": "Y", "id": "y", "pattern": [{"NORM": "huyện"}, {"IS_TITLE": True}]}
    d = {"label": "X", "id": "x", "pattern": [{"NORM": "quận"}, {"IS_TITLE": True}]}
    assert units.merged([c, d]) == [c, d]   # another label or id is another unit


def test_an_article_is_read_the_same_whatever_was_read_before():
    from parindex.extract import extract_document
    page = "Năm 2023, xã Kim Anh dẫn đầu huyện Kim Thành về chỉ số cải cách hành chính với 90,5 điểm."
    alone = extract_document(page, name="a.txt")["facts"]
    extract_document("Huyện Kim Thành xếp thứ 3/12 về Chỉ số CCHC năm 2022.", name="b.txt")
    assert extract_document(page, name="a.txt")["facts"] == alone
    # the sentence cache holds the article being read, not every article of a batch
    assert units._entities.cache_info().currsize <= 2


def test_department_names_are_looked_for_only_at_their_head_words():
    """units._departments, given the NORMs the ruler read, makes Token objects only where a name
    may start ("ban", "sở", "bộ"): the names found are the ones a walk over every token finds."""
    fast = units.pipeline(RULES)
    vocabs = (units._department_vocab(RULES), units._board_vocab(RULES), units._province_keys(RULES),
              units._name_stops(RULES))
    found = 0
    for text in _every_sentence():
        doc, norms = fast.read(text)
        assert norms == [token.norm_ for token in doc]
        walked = [(s.start, s.end, s.label_, s.id_) for s in units._departments(doc, *vocabs)]
        assert [(s.start, s.end, s.label_, s.id_) for s in units._departments(doc, *vocabs, norms)] == walked, text
        found += len(walked)
    assert found > 200


def test_a_sentence_without_a_type_word_runs_the_fixed_names_alone():
    """Every token pattern starts with a type word or an agency's head (UnitRuler.heads); a
    sentence with none of them is read by the ruler of fixed names (the check above compares
    its units with the reference ruler's, on these sentences too)."""
    fast = units.pipeline(RULES)
    assert fast.heads and {"huyện", "xã", "tỉnh", "sở"} <= fast.heads
    headless = [text for text in _every_sentence() if fast.heads.isdisjoint(fast.nlp.tokenizer.read(text)[1])]
    assert len(headless) > 100
    assert [(e.text, e.label_) for e in fast("Hà Tĩnh và Sơn La cùng tăng 3 bậc.").ents] == \
        [("Hà Tĩnh", "BARE_PROVINCE"), ("Sơn La", "BARE_PROVINCE")]
