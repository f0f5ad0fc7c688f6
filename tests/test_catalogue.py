"""The field catalogue (model/catalogue.py) is the one description of a fact: every field shows
in the schema, the export, the data package and the Datasette metadata, with the catalogue's
type and meaning. A new field is one edit there (plus a migration) and these tests say where
it is still missing. And the one validity check of a fact (model/validity.py)."""
import csv
import json
from datetime import date

import pytest

from parindex import store
from parindex.export import export_dataset
from parindex.model.catalogue import DERIVED_FIELDS, FIELD, FIELDS, INDEX, INDEXES, NAMES, rounded
from parindex.model.validity import last_year, problems
from parindex.review import metadata

SQLITE_TYPES = {str: "TEXT", list: "TEXT", int: "INTEGER", bool: "INTEGER", float: "REAL"}
FRICTIONLESS = {str: "string", list: "string", int: "integer", bool: "boolean", float: "number"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalogue")
    store.connect(folder / "empty.db").close()
    export_dataset(folder / "empty.db", folder / "dataset", charts=False)
    return folder / "dataset"


def test_every_field_is_a_column_of_the_facts_table_with_its_type(tmp_path):
    db = store.connect(tmp_path / "x.db")
    columns = {row[1]: row[2] for row in db.execute("PRAGMA table_info(facts)")}
    db.conn.close()
    for field in FIELDS:
        assert columns.get(field.name) == SQLITE_TYPES[field.type], field.name


def test_every_field_is_a_column_of_facts_csv(exported):
    with (exported / "facts.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert set(NAMES) <= set(header), set(NAMES) - set(header)


def test_every_field_is_described_in_the_data_package_with_its_type_unit_and_meaning(exported):
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    [facts] = [r for r in package["resources"] if r["name"] == "facts"]
    described = {f["name"]: f for f in facts["schema"]["fields"]}
    for field in FIELDS:
        column = described[field.name]
        assert column["type"] == FRICTIONLESS[field.type], field.name
        assert column["description"].startswith(field.meaning.rstrip(".")), field.name
        assert column.get("unit") == field.unit, field.name


def test_every_field_and_every_column_of_the_facts_table_is_described_for_datasette(tmp_path):
    columns = metadata.build("x")["databases"]["x"]["tables"]["facts"]["columns"]
    for field in FIELDS:
        assert columns[field.name] == field.meaning, field.name
    db = store.connect(tmp_path / "x.db")
    table = [row[1] for row in db.execute("PRAGMA table_info(facts)")]
    db.conn.close()
    assert set(table) <= set(columns), set(table) - set(columns)


def test_the_derived_fields_are_the_key_and_the_link():
    assert DERIVED_FIELDS == ("unit_key", "unit_code", "unit_official", "register", "successors",
                              "province_code", "unit_ambiguous", "candidates")


def test_scores_are_published_with_their_decimals_and_counts_as_integers():
    assert rounded("score", 91.4312) == 91.43 and rounded("score_min", 90) == 90.0
    assert rounded("rank", 3.0) == 3 and isinstance(rounded("rank", 3.0), int)
    assert rounded("score", None) is None


# The one validity check

FACT = {"unit": "xã Kim Anh", "level": "commune", "index": "PAR", "year": 2023, "province": "Hải Dương",
        "parent": "huyện Kim Thành", "rank": 3, "rank_total": 12, "rank_change": 2, "score": 85.34,
        "score_min": None}


def test_a_possible_fact_has_no_problem():
    assert problems(FACT) == {}
    assert problems({**FACT, "rank": 12, "rank_change": -11}) == {}
    assert problems({**FACT, "index": "PAPI", "score": 45.7875, "rank": None, "rank_total": None}) == {}


@pytest.mark.parametrize("change,field", [
    ({"year": 2031}, "year"), ({"year": 2049}, "year"), ({"year": last_year() + 1}, "year"),
    ({"year": INDEX["SIPAS"].first_year - 1, "index": "SIPAS"}, "year"), ({"year": "2023"}, "year"),
    ({"rank": 0}, "rank"), ({"rank": -3}, "rank"), ({"rank": 1_000_000}, "rank"), ({"rank": 15}, "rank"),
    ({"rank_total": 0, "rank": None}, "rank_total"), ({"rank_change": 40}, "rank_change"),
    ({"rank_change": -12}, "rank_change"), ({"rank": 2.5}, "rank"),
    ({"score": 0.0}, "score"), ({"score": 110.01}, "score"), ({"index": "SIPAS", "score": 100.5}, "score"), ({"score": float("nan")}, "score"),
    ({"score": float("inf")}, "score"), ({"index": "PAPI", "score": 85.0}, "score"),
    ({"score_min": -5.0}, "score_min"), ({"level": "village"}, "level"), ({"index": "HDI"}, "index"),
    ({"unit": " "}, "unit"),
    ({"rank": None, "rank_total": None, "rank_change": None, "score": None, "score_min": None}, "rank"),
])
def test_an_impossible_fact_is_named_by_its_field(change, field):
    found = problems({**FACT, **change})
    assert field in found and found[field], (change, found)


def test_the_reasons_say_what_is_wrong_in_words():
    found = problems({**FACT, "year": 2049, "rank": 15, "score": 120.0})
    assert found == {"year": f"the evaluated year of PAR lies between {INDEX['PAR'].first_year} and {last_year()}",
                     "rank": "rank 15 is beyond the 12 ranked",
                     "score": "a PAR score lies above 0 and at most 110"}


def test_next_year_is_the_last_possible_one():
    assert last_year(date(2026, 6, 1)) == 2027
    assert problems({**FACT, "year": 2027}, today=date(2026, 6, 1)) == {}
    assert "year" in problems({**FACT, "year": 2028}, today=date(2026, 6, 1))


def test_every_index_has_a_first_year_and_a_scale():
    assert set(INDEX) == set(INDEXES) and FIELD["index"].allowed == INDEXES
    assert {i: INDEX[i].first_year for i in ("PAR", "SIPAS", "PAPI", "PCI", "DDCI")} == {
        "PAR": 2001, "SIPAS": 2017, "PAPI": 2009, "PCI": 2005, "DDCI": 2012}
    assert {i: INDEX[i].score_max for i in INDEXES} == {
        "PAR": 110, "SIPAS": 100, "PAPI": 80, "PCI": 100, "DDCI": 100, "OTHER": 1000}
