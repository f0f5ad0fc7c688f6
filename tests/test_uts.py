"""extract/uts.py calls underthesea's regex tokenizer step by step, for speed only: it must give
the tokens underthesea's own tokenize gives, on every sentence the extractor is checked on and
on the kinds of token its pattern tells apart."""
import re
import re._parser as sre_parse

import pytest

from _sentences import gold_sentences, written_sentences
from parindex.extract import uts
from parindex.extract.rules import load_rules


def _underthesea_tokenize(text):
    uts.tokenize("")   # underthesea loaded, its logging put back
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize
    return tokenize(text)


def test_each_alternative_of_the_pattern_is_one_named_group():
    # what lets a match's text stand for the first named group it sets
    from underthesea.pipeline.word_tokenize import regex_tokenize
    for alternative in regex_tokenize.regex_patterns:
        parsed = list(sre_parse.parse(alternative, re.VERBOSE))
        assert len(parsed) == 1 and parsed[0][0] is sre_parse.SUBPATTERN and parsed[0][1][0] is not None


def test_the_tokens_are_underthesea_s_on_every_sentence():
    texts = gold_sentences() + written_sentences(load_rules())
    assert len(texts) > 2000
    differ = [i for i, text in enumerate(texts) if uts.tokenize(text) != _underthesea_tokenize(text)]
    # (numbers, not texts: the real set is held out, its text is not for reading)
    assert not differ, f"{len(differ)} sentences tokenized otherwise, the first is number {differ[0]}"


@pytest.mark.parametrize("text", [
    "Xem tại https://dichvucong.gov.vn/p/home hoặc gửi thư tới sonoivu@example.vn, ĐT 0236-3822-111.",
    "Ngày 12/3/2024, lúc 8:30, UBND TP.HCM công bố Chỉ số PAR INDEX... v.v... => tăng 3,5%",
    "Khánh Hoà, Thuỷ An và nghành y tế: 90,45 điểm; 17/18 xã; LĐ-TB&XH; T.Ư; 3x4; °C :)",
    "Cư M'gar, Ea H'leo – Đắk R'lấp (Đắk Lắk) ; tỉnh Bà Rịa—Vũng Tàu ×2 ÷ 4 $ ^ _ ~",
    "Ho\u0300a Bi\u0300nh, qu\u00fd I/2024, 1.234.567,89 đồng, số 45/KH-UBND",
])
def test_the_tokens_are_underthesea_s_on_every_kind_of_token(text):
    assert uts.tokenize(text) == _underthesea_tokenize(text)
