"""What the extractor reads once an article instead of once a sentence, or skips, for speed only:
the article is folded once (extract/facts.py: folded_whole, sentence_folds) and its sentences'
folds are read off it; the province names are found with a look-ahead that lets the engine pass
over most of a text; a sentence's units are read again for the article's province only where it
adds one (extract/units.py: with_local_names). Each must give what the plain way gives (folding
every sentence on its own, the names' pattern without the look-ahead, reading every sentence
again) on every gold text."""
import re
from collections import Counter

import pytest

from _sentences import SHARED
from parindex.extract import facts, sentences, units
from parindex.extract.article import read_article
from parindex.extract.rules import load_rules
from parindex.model import linker, lowercase
from parindex.model.normalize import fold_tones

RULES = load_rules()


@pytest.fixture(scope="module")
def articles():
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "eval" / "dev").glob("*.html")) \
        + sorted((SHARED / "eval" / "real").glob("*.txt"))
    assert len(files) > 100, "the evaluation sets are missing"
    return [read_article(path.read_bytes(), name=path.name) for path in files]


def _folds_apart(text):
    return [fold_tones(s.text) for s in sentences.split(text)]


def _folds_once(text):
    sents = sentences.split(text)
    return facts.sentence_folds(text, sents, facts.folded_whole(text))


def test_the_sentences_folded_once_are_the_sentences_folded_apart(articles):
    differ = [i for i, a in enumerate(articles) if _folds_once(a["text"]) != _folds_apart(a["text"])]
    # (numbers, not texts: the real set is held out, its text is not for reading)
    assert not differ, f"{len(differ)} articles read otherwise, the first is number {differ[0]}"


@pytest.mark.parametrize("text", [
    "Huyện Quỳnh Lưu xếp thứ 2.\nSở Y tế tăng 3 bậc. Xã Hòa Bình đạt 90,1 điểm.",   # old tone placement
    "Tỉnh Khánh Hoà đứng thứ 5.Xã Thuỷ An xếp cuối.",        # a sentence glued to the one before
    "qhòa Bình dẫn đầu. Thủy An đứng thứ 3; Hòa\u0301 xếp thứ 4.",   # a q before, a mark left over
    "Ho\u0300a Bi\u0300nh xếp thứ 2. Xã Thủy Xuân dẫn đầu.",   # not NFC: each sentence folded alone
])
def test_folding_once_holds_where_a_sentence_touches_its_neighbours(text):
    assert _folds_once(text) == _folds_apart(text)


def _without_look_ahead(regex):
    plain = re.sub(r"^\(\?<!\\w\)\(\?=\[[^\]]*\]\)", r"(?<!\\w)", regex.pattern)
    assert plain != regex.pattern
    return re.compile(plain, regex.flags)


def test_the_province_names_read_with_the_look_ahead_are_the_names(articles):
    facts.province_mentions("", RULES)
    regex, _ = facts._PROVINCE_MENTION[id(RULES)]
    plain = _without_look_ahead(regex)
    texts = [(a["title"] or "") + "\n" + a["text"] for a in articles]
    spans = [[m.span(1) for m in lowercase.finditer(regex, fold_tones(t))] for t in texts]
    assert sum(map(len, spans)) > 300
    differ = [i for i, (t, found) in enumerate(zip(texts, spans))
              if found != [m.span(1) for m in lowercase.finditer(plain, fold_tones(t))]]
    assert not differ, f"{len(differ)} articles read otherwise, the first is number {differ[0]}"


def test_province_mentions_with_the_fold_at_hand_are_the_ones_without(articles):
    for a in articles[:60]:
        whole = (a["title"] or "") + "\n" + a["text"]
        folded = fold_tones(a["title"] or "") + "\n" + facts.folded_whole(a["text"])
        assert facts.province_mentions(whole, RULES, folded) == facts.province_mentions(whole, RULES)
    assert facts.province_mentions("Phường Hải Dương và tỉnh Hải Dương", RULES) == Counter({"Hải Dương": 1})


def test_a_sentence_cut_inside_a_word_is_folded_on_its_own():
    """Folding reads a letter past a tone mark's pair ("hòa" + "b" is no closing "oa"): a piece
    cut where no space is must not be read off the whole text's fold."""
    text = "Xã Ahòab và qhòa Bình"
    pieces = [sentences.Sentence(4, 7, text[4:7], 0), sentences.Sentence(13, 21, text[13:21], 0)]
    assert facts.sentence_folds(text, pieces, facts.folded_whole(text)) == [fold_tones(p.text) for p in pieces]
    assert [fold_tones(p.text) for p in pieces] != [facts.folded_whole(text)[p.start:p.end] for p in pieces]


def test_a_sentence_is_read_again_for_its_province_only_where_that_adds_a_unit(articles):
    again = same = 0
    for a in articles:
        named = facts.province_mentions(a["text"], RULES).most_common(1)
        if not named:
            continue
        for year in (2023, 2025):
            local = linker.local_unit_names(named[0][0], year)
            for s in sentences.split(a["text"]):
                found = units.find_units(s.text, RULES)
                reused = units.with_local_names(s.text, found, RULES, local)
                assert reused == units.find_units(s.text, RULES, local), s.start
                again += reused is not found
                same += reused is found and bool(found)
    assert again > 20 and same > 1000, (again, same)   # both ways taken, on many sentences
