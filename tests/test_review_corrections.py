"""A reviewer's correction: read from the form, checked against the rules of a fact."""
from datetime import date

from parindex.model.catalogue import INDEX
from parindex.review.corrections import parse

FACT = {"unit": "xã Kim Tân", "level": "commune", "index": "PAR", "year": 2023, "province": "Hải Dương",
        "parent": "huyện Kim Thành", "rank": 2, "rank_total": 18, "rank_change": None, "score": None,
        "score_min": None}


def test_only_the_changed_fields_are_kept_and_decimal_commas_read():
    changes, errors = parse({"rank": " 4 ", "score": "85,34", "unit": "xã  Kim Tân"}, FACT)
    assert errors == {}
    assert changes == {"rank": 4, "score": 85.34}


def test_an_emptied_field_becomes_null():
    changes, errors = parse({"rank_total": "", "score": "90"}, FACT)
    assert (changes, errors) == ({"rank_total": None, "score": 90.0}, {})


def test_a_rank_beyond_its_group_is_refused():
    changes, errors = parse({"rank": "19"}, FACT)
    assert changes == {} and errors == {"rank": "rank 19 is beyond the 18 ranked"}


def test_the_year_must_lie_between_the_first_year_of_its_index_and_next_year():
    next_year = date.today().year + 1
    assert parse({"year": str(next_year)}, FACT)[1] == {}
    for year in (str(INDEX["PAR"].first_year - 1), str(next_year + 1)):
        assert "year" in parse({"year": year}, FACT)[1]
    # SIPAS began later than PAR: a year PAR accepts may be too early for it
    assert "year" in parse({"index": "SIPAS", "year": "2015"}, FACT)[1]
    assert parse({"index": "PAR", "year": "2015"}, FACT)[1] == {}


def test_level_and_index_must_be_known():
    _, errors = parse({"level": "village", "index": "HDI"}, FACT)
    assert set(errors) == {"level", "index"}


def test_words_where_numbers_belong_are_named():
    _, errors = parse({"rank": "hai", "score": "85,3,4"}, FACT)
    assert errors == {"rank": "'hai' is not a whole number", "score": "'85,3,4' is not a number"}


def test_a_fact_keeps_at_least_one_standing():
    _, errors = parse({"rank": "", "rank_total": ""}, FACT)
    assert "at least one of rank" in errors["rank"]


def test_scores_stay_within_the_scale_of_their_index():
    assert "score" in parse({"score": "120"}, FACT)[1]
    assert "score" in parse({"score": "0"}, FACT)[1]
    assert parse({"score": "100"}, FACT)[1] == {}
    assert "score" in parse({"index": "SIPAS", "score": "100,5"}, FACT)[1]
    # PAPI adds up eight dimensions of 10 points
    assert "score" in parse({"index": "PAPI", "score": "85"}, FACT)[1]
    assert parse({"index": "PAPI", "score": "45,79"}, FACT)[1] == {}


def test_a_move_cannot_be_larger_than_the_group():
    assert "rank_change" in parse({"rank_change": "18"}, FACT)[1]
    assert parse({"rank_change": "-17"}, FACT)[1] == {}
