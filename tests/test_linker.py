"""extract.linker: each fact's unit linked to the official register, or marked ambiguous.

The table tests/data/linker_cases.yaml holds the mentions, their context and the expected link.
"""
from pathlib import Path

import pytest
import yaml

from parindex.model.linker import LINK_FIELDS, link_facts

CASES = yaml.safe_load((Path(__file__).parent / "data" / "linker_cases.yaml").read_text(encoding="utf-8"))
FIELD = {"code": "unit_code", "register": "register", "ambiguous": "unit_ambiguous",
         "candidates": "candidates", "province": "province", "province_code": "province_code",
         "official": "unit_official", "successors": "successors"}


def _fact(case: dict) -> dict:
    return {"unit": case["unit"], "level": case.get("level"), "index": "PAR", "year": case["year"],
            "province": case.get("province"), "parent": case.get("parent"), "rank": 1}


def test_the_table_covers_at_least_sixty_mentions():
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_linked_as_the_table_says(case):
    fact = _fact(case)
    [linked] = link_facts([fact], case.get("context"))
    got = {key: linked[FIELD[key]] for key in case["expect"]}
    assert got == case["expect"]


def test_a_linked_fact_is_a_new_dict_with_every_link_field():
    fact = {"unit": "xã Kim Anh", "level": "commune", "year": 2023, "province": None,
            "parent": "huyện Kim Thành", "rank": 1}
    [linked] = link_facts([fact])
    assert fact["province"] is None and "unit_code" not in fact
    assert set(LINK_FIELDS) <= set(linked)
    assert linked["rank"] == 1 and linked["unit"] == "xã Kim Anh"


def test_other_facts_of_the_article_are_context():
    # Two facts of one article: the district named in the first tells which Tân Thành the second is.
    facts = [{"unit": "huyện Hữu Lũng", "level": "district", "year": 2023, "province": "Lạng Sơn"},
             {"unit": "xã Tân Thành", "level": "commune", "year": 2023, "province": "Lạng Sơn"}]
    district, commune = link_facts(facts)
    assert district["unit_code"] == "186"
    assert commune["unit_code"] == "06442"


def test_an_ambiguous_unit_does_not_get_a_province_it_could_not_be_sure_of():
    [linked] = link_facts([{"unit": "xã Tân Thành", "level": "commune", "year": 2023, "province": None}])
    assert linked["unit_ambiguous"] and len(linked["candidates"]) > 20
    assert linked["province"] is None and linked["unit_code"] is None


def test_a_stated_province_is_never_overwritten():
    [linked] = link_facts([{"unit": "thành phố Hà Tĩnh", "level": "district", "year": 2023,
                            "province": "Hà Tĩnh (cũ)"}])
    assert linked["province"] == "Hà Tĩnh (cũ)"


def test_empty_and_odd_facts_come_back_unlinked_not_raising():
    odd = [{"unit": "", "level": "commune", "year": 2023}, {"unit": None, "level": None, "year": None},
           {"unit": "xã", "level": "commune", "year": 2023}, {"unit": "Khu kinh tế", "level": "OTHER", "year": 2023}]
    for linked in link_facts(odd):
        assert linked["unit_code"] is None and linked["unit_ambiguous"] is False


def test_linking_is_fast_once_the_register_is_loaded():
    # Not a timing assertion (bench/ measures speed): the register is loaded once and shared.
    from parindex.model.register import get_register
    assert get_register() is get_register()


def test_a_province_lists_its_own_districts_and_no_other():
    from parindex.model.register import LEGACY, get_register
    reg = get_register()
    hai_duong = next(u for u in reg.provinces(LEGACY) if u.name == "Hải Dương")
    units = reg.in_province(LEGACY, hai_duong.code)
    districts = {u.name for u in units if u.level == "district"}
    assert {"Kim Thành", "Thanh Hà", "Chí Linh"} <= districts
    assert len(districts) == 12
    assert all(u.province_code == hai_duong.code for u in units)
    assert reg.in_province(LEGACY, "no such code") == []


def test_local_names_of_a_province_are_its_districts_and_from_2025_its_communes():
    from parindex.model.linker import local_unit_names
    before = local_unit_names("Quảng Nam", 2023)
    assert before["đông giang"] == ("huyện", "district")
    assert "tam kỳ" in before and all(level == "district" for _, level in before.values())
    after = local_unit_names("Hồ Chí Minh", 2025)
    assert any(level == "commune" for _, level in after.values())


def test_a_district_merged_away_names_its_province_through_the_town_of_its_name():
    from parindex.model.linker import province_of_names
    # huyện Lộc Hà joined huyện Thạch Hà in 2025; the register keeps "thị trấn Lộc Hà", Hà Tĩnh
    assert province_of_names(["huyện Lộc Hà"], 2023) == "Hà Tĩnh"
    # a district the register knows is read as itself
    assert province_of_names(["huyện Kim Thành"], 2023) == "Hải Dương"
    # no district and no town of that name: no province
    assert province_of_names(["huyện Không Có Thật"], 2023) is None


def test_the_districts_of_an_article_name_its_province_before_its_communes():
    from parindex.model.linker import province_of_names
    # "xã Hợp Thịnh" of Tam Dương (Vĩnh Phúc) was merged away; the register's one is in Bắc Giang
    assert province_of_names(["xã Hợp Thịnh", "huyện Tam Dương", "xã Hướng Đạo"], 2023) == "Vĩnh Phúc"
    # districts of two provinces: no province, whatever the communes say
    assert province_of_names(["huyện Tam Dương", "huyện Kim Thành", "xã Hướng Đạo"], 2023) is None
