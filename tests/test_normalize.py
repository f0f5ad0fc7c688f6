"""model.normalize: one unit written with its type word in full or abbreviated has one key."""
import pytest

from parindex.model.normalize import TYPE_WORDS, split_unit, unit_key, without_province_type


@pytest.mark.parametrize("short,full", [
    ("H. Vân Canh", "huyện Vân Canh"), ("H.Vân Canh", "UBND huyện Vân Canh"), ("Q. Hoàn Kiếm", "quận Hoàn Kiếm"),
    ("P. Nam Lý", "phường Nam Lý"), ("TT. Phú Phong", "thị trấn Phú Phong"), ("T.P. Hà Tĩnh", "thành phố Hà Tĩnh"),
    ("TX Kỳ Anh", "Thị xã Kỳ Anh"), ("TP. Tây Ninh", "thành phố Tây Ninh"),
])
def test_an_abbreviated_type_word_gives_the_unit_of_the_full_one(short, full):
    assert unit_key(short) == unit_key(full)
    assert split_unit(short) == split_unit(full)


@pytest.mark.parametrize("word,canonical", TYPE_WORDS)
def test_every_type_word_split_unit_knows_is_dropped_by_unit_key(word, canonical):
    # one list of type words: what split_unit reads as a type, unit_key leaves out of the name
    assert unit_key(f"{word} Kim Anh") == "kim anh"
    assert split_unit(f"{word} Kim Anh") == (canonical, "kim anh")


def test_a_name_that_only_starts_like_an_abbreviation_keeps_its_letters():
    assert unit_key("huyện Hàm Thuận Bắc") == "hàm thuận bắc"
    assert unit_key("tỉnh Hà Tĩnh") == "hà tĩnh"
    assert unit_key("Sở Tư pháp") == "tư pháp"


@pytest.mark.parametrize("typed, name", [
    ("tỉnh Hà Tĩnh", "Hà Tĩnh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"), ("TP.HCM", "HCM"),
    ("Tp Cần Thơ", "Cần Thơ"), ("Hà Tĩnh", "Hà Tĩnh"), ("huyện Kỳ Anh", "huyện Kỳ Anh"),
])
def test_a_province_s_name_is_read_without_its_type_word(typed, name):
    assert without_province_type(typed) == name
