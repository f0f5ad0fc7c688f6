"""Ranking tables in every shape a page's text takes: each row its own fact, read by its header.

The tables are written for these tests; the numbers are invented.
"""
from parindex.extract.facts import extract_text_facts


def facts_by_unit(text, title=None):
    return {f["unit"]: f for f in extract_text_facts(text, title)}


def test_pipe_rows_under_a_header_with_the_rank_first():
    text = ("Bảng xếp hạng PCI năm 2021 - các địa phương dẫn đầu\n"
            "Hạng | Tỉnh, thành phố | Điểm PCI | Nhóm\n"
            "1 | Bình Định | 71.40 | Rất tốt\n"
            "2 | BRVT | 70.12 | Tốt\n"
            "3 | TT-Huế | 69.90 | Tốt")
    facts = facts_by_unit(text)
    assert facts["tỉnh Bình Định"]["rank"] == 1 and facts["tỉnh Bình Định"]["score"] == 71.40
    assert facts["tỉnh Bình Định"]["index"] == "PCI" and facts["tỉnh Bình Định"]["year"] == 2021
    assert facts["tỉnh BRVT"]["province"] == "Bà Rịa - Vũng Tàu"
    assert facts["tỉnh TT-Huế"]["province"] == "Thừa Thiên Huế"
    assert all(f["rank_total"] is None for f in facts.values())   # the number of rows is not a stated size


def test_a_table_flattened_to_one_cell_per_line_without_a_running_number():
    text = "\n".join(["Kết quả Chỉ số SIPAS năm 2022 của các sở", "Xếp hạng", "Cơ quan", "Điểm tự đánh giá",
                      "Tổng điểm", "1", "Sở Tài chính", "40,5", "91,20", "2", "Sở Y tế", "39,0", "88,75"])
    facts = facts_by_unit(text)
    assert facts["Sở Tài chính"]["rank"] == 1 and facts["Sở Tài chính"]["score"] == 91.20
    assert facts["Sở Y tế"]["score"] == 88.75 and facts["Sở Y tế"]["index"] == "SIPAS"


def test_a_flattened_table_with_a_running_number_and_a_separate_rank():
    text = "\n".join(["Chỉ số cải cách hành chính năm 2018 của các xã", "STT", "Đơn vị", "Xếp hạng", "Điểm",
                      "1", "Xã Tân Phong", "2", "88,5", "2", "Xã Tân Hưng", "1", "90,25"])
    facts = facts_by_unit(text)
    assert facts["xã Tân Phong"]["rank"] == 2 and facts["xã Tân Hưng"]["rank"] == 1


def test_rows_written_as_text_under_a_header_in_parentheses():
    text = ("Xếp hạng cải cách hành chính năm 2010 của thành phố.\n"
            "Khối quận, huyện (Hạng - Đơn vị - Điểm)\n"
            "1 UBND quận Bình Minh 95,5\n"
            "2 UBND huyện Hòa Sơn 93")
    facts = facts_by_unit(text)
    assert facts["quận Bình Minh"]["rank"] == 1 and facts["quận Bình Minh"]["score"] == 95.5
    assert facts["huyện Hòa Sơn"]["rank"] == 2 and facts["huyện Hòa Sơn"]["year"] == 2010


def test_rows_written_as_text_with_dashes_between_their_cells_as_in_the_header():
    # "(TT - Đơn vị - Điểm - Xếp hạng)": the dashes of the header set the row's cells apart too,
    # and a "..." line for the rows left out does not end the table
    text = ("Điểm cải cách hành chính năm 2019 của các xã, thị trấn (TT - Đơn vị - Điểm - Xếp hạng):\n"
            "1 - Thị trấn Lộc Điền - 93,05 - 1\n"
            "2 - Xã Hòa Mỹ - 90,4 - 2\n"
            "…\n"
            "14 - Xã Bà Rịa - Vũng Tàu - 71,5 - 14\n"
            "15 - Xã Tân Lợi - 70,25 - 15")
    facts = facts_by_unit(text)
    assert [(f["unit"], f["rank"], f["score"]) for f in facts.values()] == [
        ("thị trấn Lộc Điền", 1, 93.05), ("xã Hòa Mỹ", 2, 90.4), ("xã Bà Rịa - Vũng Tàu", 14, 71.5),
        ("xã Tân Lợi", 15, 70.25)]
    assert {f["year"] for f in facts.values()} == {2019}


def test_a_line_of_dots_after_the_last_row_ends_a_table_of_text_rows():
    # the rows stop where the next line is prose again: "..." then a sentence is no row
    text = ("Chỉ số CCHC năm 2019 của các sở (Hạng - Đơn vị - Điểm):\n"
            "1 - Sở Xây dựng - 90,5\n"
            "2 - Sở Y tế - 89,1\n"
            "...\n"
            "Sở Nội vụ - cơ quan thường trực - nói 5 đơn vị còn lại dưới 80 điểm.")
    facts = facts_by_unit(text)
    assert set(facts) == {"Sở Xây dựng", "Sở Y tế"}
    assert (facts["Sở Y tế"]["rank"], facts["Sở Y tế"]["score"]) == (2, 89.1)


def test_a_sentence_of_results_above_a_table_is_no_caption_of_it():
    # the year of an aside in the prose just above ("năm 2020 xã chỉ xếp thứ 6") is not the table's
    title = "Chỉ số CCHC năm 2021 của các xã huyện Hòa Vang"
    text = ("Xã Hòa Phong dẫn đầu với 91,2 điểm, tăng 3 bậc; năm 2020 xã chỉ xếp thứ 6 trong huyện.\n"
            "Bảng điểm một số xã (Hạng - Đơn vị - Điểm):\n"
            "1 - Xã Hòa Phong - 91,2\n"
            "2 - Xã Hòa Nhơn - 89,75")
    facts = extract_text_facts(text, title)
    rows = {(f["unit"], f["year"]): (f["rank"], f["score"]) for f in facts}
    assert rows[("xã Hòa Nhơn", 2021)] == (2, 89.75)
    assert rows[("xã Hòa Phong", 2021)] == (1, 91.2)
    assert ("xã Hòa Nhơn", 2020) not in rows


def test_a_caption_sentence_that_states_the_groups_size_still_gives_the_year():
    title = "Đầu năm 2021, huyện Hòa Vang công bố Chỉ số CCHC cấp xã"
    text = ("Kết quả xếp hạng Chỉ số CCHC năm 2020 trong 11 xã, thị trấn của huyện như sau.\n"
            "Hạng | Đơn vị | Điểm\n"
            "1 | Xã Hòa Phong | 91,2\n"
            "2 | Xã Hòa Nhơn | 89,75")
    assert {f["year"] for f in extract_text_facts(text, title, published="2021-03-02")} == {2020}


def test_the_caption_nearest_the_table_gives_its_year_not_the_date_of_a_decision():
    text = ("Quyết định số 12/QĐ-UBND ngày 10 tháng 2 năm 2021 công bố kết quả.\n"
            "Điểm cải cách hành chính năm 2020 của 3 phường như sau:\n"
            "STT | Đơn vị | Điểm\n"
            "1 | Phường 2 | 90,5\n"
            "2 | Phường 7 | 88")
    facts = extract_text_facts(text)
    assert {f["year"] for f in facts} == {2020}


def test_component_columns_are_never_the_score():
    text = "\n".join(["Chỉ số CCHC năm 2022", "Đơn vị | Điểm thẩm định | Điểm điều tra XHH | Xếp hạng",
                      "Sở Xây dựng | 55,5 | 30,1 | 4"])
    fact = facts_by_unit(text)["Sở Xây dựng"]
    assert fact["score"] is None and fact["rank"] == 4


def test_the_appraised_score_is_the_result_where_no_survey_adds_to_it():
    # a commune's self-assessment and its appraisal: the appraisal is what the commune got
    text = "\n".join(["Chỉ số CCHC năm 2023 của các xã",
                      "STT | Tên xã | Điểm tự chấm | Điểm tự đánh giá | Điểm sau thẩm định | Xếp hạng",
                      "1 | Xã Phúc Lâm | 91 | 90,5 | 87,25 | 1", "2 | Xã Đồng Tâm | 88 | 88 | 84,5 | 2"])
    facts = facts_by_unit(text)
    assert facts["xã Phúc Lâm"]["score"] == 87.25 and facts["xã Đồng Tâm"]["score"] == 84.5


def test_a_rank_cell_with_its_group_states_the_size():
    text = "\n".join(["Chỉ số SIPAS năm 2023 của các phường",
                      "Đơn vị | Chỉ số SIPAS (%) | Thứ hạng",
                      "Phường Quang Trung | 92,4 | 1/9", "Phường Trần Phú | 90,15 | 2/ 9"])
    facts = facts_by_unit(text)
    assert (facts["phường Quang Trung"]["rank"], facts["phường Quang Trung"]["rank_total"]) == (1, 9)
    assert (facts["phường Trần Phú"]["rank"], facts["phường Trần Phú"]["rank_total"]) == (2, 9)


def test_a_column_compared_with_the_year_before_is_no_column_of_that_year():
    # "So với 2022" holds moves: the table is 2023's, its rank column is the rank
    text = "\n".join(["Kết quả Chỉ số CCHC các huyện",
                      "Hạng | Đơn vị | Điểm 2023 | So với 2022",
                      "1 | Huyện Kim Sơn | 90,1 | tăng 3 bậc", "2 | Huyện Yên Mô | 89,9 | giữ nguyên"])
    facts = extract_text_facts(text)
    assert {f["year"] for f in facts} == {2023}
    by_unit = {f["unit"]: f for f in facts}
    assert (by_unit["huyện Kim Sơn"]["rank"], by_unit["huyện Kim Sơn"]["rank_change"]) == (1, 3)
    assert (by_unit["huyện Yên Mô"]["rank"], by_unit["huyện Yên Mô"]["rank_change"]) == (2, 0)


def test_a_column_naming_no_year_beside_one_of_an_earlier_year_is_the_tables_own():
    # "Hạng" names no year: with "Chỉ số 2024" it ranks 2024; "Hạng năm 2023" ranks 2023
    text = "\n".join(["Kết quả Chỉ số CCHC các huyện (trích)",
                      "Hạng | Đơn vị | Chỉ số 2024 (%) | Hạng năm 2023",
                      "1 | Huyện Vĩnh Bảo | 90,4 | 2", "2 | Huyện Tiên Lãng | 89,95 | 1"])
    facts = {(f["unit"], f["year"]): (f["rank"], f["score"]) for f in extract_text_facts(text)}
    assert facts[("huyện Vĩnh Bảo", 2024)] == (1, 90.4) and facts[("huyện Tiên Lãng", 2024)] == (2, 89.95)
    assert facts[("huyện Vĩnh Bảo", 2023)] == (2, None) and facts[("huyện Tiên Lãng", 2023)] == (1, None)


def test_years_side_by_side_keep_their_own_columns_and_the_running_number_is_no_rank():
    text = "\n".join(["Chỉ số CCHC của các huyện",
                      "STT | Đơn vị | Điểm 2023 | Xếp hạng 2023 | Điểm 2022 | Xếp hạng 2022",
                      "1 | Huyện An Lão | 88,5 | 3 | 86 | 5", "2 | Huyện Kiến Thụy | 89,1 | 2 | 87,2 | 4"])
    facts = {(f["unit"], f["year"]): (f["rank"], f["score"]) for f in extract_text_facts(text)}
    assert facts[("huyện An Lão", 2023)] == (3, 88.5) and facts[("huyện An Lão", 2022)] == (5, 86)
    assert facts[("huyện Kiến Thụy", 2023)] == (2, 89.1) and facts[("huyện Kiến Thụy", 2022)] == (4, 87.2)


def test_a_column_of_moves_named_with_its_places_is_no_rank_column():
    # "Tăng, giảm thứ hạng" names places, but holds how many were gained or lost
    text = "\n".join(["Kết quả Chỉ số CCHC năm 2023 khối xã",
                      "STT | Xã, thị trấn | Tổng điểm | Thứ hạng | Tăng, giảm thứ hạng so với năm 2022",
                      "1 | Xã Hòa Bình | 88,4 | 1 | +3", "2 | Thị trấn Yên Thế | 87,05 | 2 | 0",
                      "3 | Xã Tân Hương | 85,5 | 3 | -2"])
    facts = facts_by_unit(text)
    assert [(f["rank"], f["rank_change"]) for f in facts.values()] == [(1, 3), (2, 0), (3, -2)]


def test_signed_numbers_under_a_column_compared_with_the_year_before_are_moves_of_places():
    # "So với 2022" / "Thay đổi so với năm trước" name no places, but "+2", "-1" and "0" there
    # are the places moved, as under "Tăng/giảm bậc"
    for header in ("So với 2022", "Thay đổi so với năm trước"):
        text = "\n".join(["Kết quả Chỉ số CCHC năm 2023 của các xã",
                          f"Hạng | Đơn vị | Điểm | {header}",
                          "1 | Xã Quỳnh Hồng | 91,3 | +2", "2 | Xã Quỳnh Lâm | 90,6 | -1", "3 | Xã Quỳnh Mỹ | 90,1 | 0"])
        facts = facts_by_unit(text)
        assert [(f["rank"], f["rank_change"]) for f in facts.values()] == [(1, 2), (2, -1), (3, 0)], header


def test_numbers_under_a_column_of_points_or_without_a_sign_are_no_moves():
    # a change of points ("So với 2022 (điểm)"), or a bare number, is no move of places
    for header, cells in (("So với 2022 (điểm)", ("+2", "-1")), ("So với 2022", ("2", "1"))):
        text = "\n".join(["Kết quả Chỉ số CCHC năm 2023 của các xã",
                          f"Hạng | Đơn vị | Điểm | {header}",
                          f"1 | Xã Quỳnh Hồng | 91,3 | {cells[0]}", f"2 | Xã Quỳnh Lâm | 90,6 | {cells[1]}"])
        facts = facts_by_unit(text)
        assert [(f["rank"], f["rank_change"]) for f in facts.values()] == [(1, None), (2, None)], header


def test_a_headerless_row_is_read_by_the_shapes_of_its_values():
    text = "Các địa phương có điểm PAPI năm 2021 cao nhất\nLạng Sơn | 45,3021"
    assert facts_by_unit(text)["tỉnh Lạng Sơn"]["score"] == 45.3021


def test_numbers_that_cannot_be_ranks_are_not_ranks():
    text = "\n".join(["Chỉ số CCHC năm 2022", "Xếp hạng | Đơn vị | Điểm", "inf | Sở Tư pháp | NaN",
                      "-3 | Sở Y tế | 80,1", "1000000 | Sở Nội vụ | 79"])
    facts = facts_by_unit(text)
    assert all(f["rank"] is None or 1 <= f["rank"] for f in facts.values())
    assert facts.get("Sở Tư pháp", {}).get("score") is None


def test_rows_as_text_under_a_header_of_column_words():
    text = ("Kết quả Chỉ số CCHC năm 2022 các sở, ngành như sau:\n"
            "STT Đơn vị Điểm Xếp hạng\n"
            "1 Sở Tư pháp 91,25 1\n"
            "2 Văn phòng UBND tỉnh 89,5 2")
    facts = facts_by_unit(text)
    assert facts["Sở Tư pháp"]["rank"] == 1 and facts["Văn phòng UBND tỉnh"]["score"] == 89.5


def test_a_grade_column_after_the_score():
    text = "DDCI năm 2021 khối huyện\nTT Tên đơn vị Tổng điểm Xếp loại\n1 Huyện Lục Ngạn 79,12 Tốt\n2 Huyện Yên Dũng 78,3 Khá"
    facts = facts_by_unit(text)
    assert facts["huyện Lục Ngạn"]["score"] == 79.12 and facts["huyện Lục Ngạn"]["rank"] is None
    assert facts["huyện Yên Dũng"]["index"] == "DDCI"


def test_a_unit_column_names_its_units_without_their_type_word():
    text = "\n".join(["Chỉ số SIPAS năm 2021 của các huyện", "Huyện, thị xã | Điểm | Xếp hạng",
                      "Hải Yên | 88,2 | 1", "Sông Lam | 86,0 | 2"])
    facts = facts_by_unit(text)
    assert facts["huyện Hải Yên"]["rank"] == 1 and facts["huyện Sông Lam"]["level"] == "district"


def test_years_side_by_side_give_a_fact_for_each_year():
    text = "\n".join(["Chỉ số CCHC của các sở", "Đơn vị | Điểm 2022 | Xếp hạng 2022 | Điểm 2021 | Xếp hạng 2021",
                      "Sở Y tế | 88,1 | 3 | 85,0 | 7"])
    facts = extract_text_facts(text)
    by_year = {f["year"]: f for f in facts if f["unit"] == "Sở Y tế"}
    assert (by_year[2022]["rank"], by_year[2022]["score"]) == (3, 88.1)
    assert (by_year[2021]["rank"], by_year[2021]["score"]) == (7, 85.0)


def test_a_legend_under_the_header_and_rows_wrapped_onto_lines_of_their_own():
    text = "\n".join([
        "Đơn vị | Điểm các chỉ số thành phần | Số phiếu | DDCI năm 2020 (thang điểm 100) | Xếp loại",
        "(2) Chi phí thời gian", "(1) Tính minh bạch",
        "Huyện Mai Sơn | 6.1 7.2 | 80 phiếu", "71.45", "Khá",
        "Sở Xây dựng | 7.7 8.0 | 52 phiếu", "80.02", "Tốt"])
    facts = facts_by_unit(text)
    assert facts["huyện Mai Sơn"]["score"] == 71.45 and facts["huyện Mai Sơn"]["index"] == "DDCI"
    assert facts["Sở Xây dựng"]["score"] == 80.02 and facts["Sở Xây dựng"]["year"] == 2020


def test_a_header_over_two_rows_a_group_label_above_its_columns():
    # an HTML table with rowspan and colspan, as the page's text carries it (the spanned cells empty)
    text = "\n".join([
        "Kết quả Chỉ số cải cách hành chính của các xã năm 2024",
        "| TT | Đơn vị | Kết quả năm 2024 | |", "|---|---|---|---|", "| | | Điểm | Xếp hạng |",
        "| 1 | Xã Hồng Phong | 91,05 | 2 |", "| 2 | Xã An Lâm | 92,40 | 1 |"])
    facts = facts_by_unit(text)
    # the label alone ("Kết quả") would have made the score column of it and left the places unread
    assert (facts["xã Hồng Phong"]["rank"], facts["xã Hồng Phong"]["score"]) == (2, 91.05)
    assert (facts["xã An Lâm"]["rank"], facts["xã An Lâm"]["score"]) == (1, 92.4)
    assert set(facts) == {"xã Hồng Phong", "xã An Lâm"}   # the second header row is no unit's


def test_years_as_group_labels_above_their_columns_give_a_fact_for_each_year():
    text = "\n".join([
        "Chỉ số CCHC của các sở, ngành",
        "| STT | Cơ quan | Năm 2023 | | Năm 2024 | |", "| | | Điểm | Xếp hạng | Điểm | Xếp hạng |",
        "| 1 | Sở Công Thương | 86,7 | 5 | 90,2 | 2 |"])
    by_year = {f["year"]: f for f in extract_text_facts(text)}
    assert (by_year[2023]["rank"], by_year[2023]["score"]) == (5, 86.7)
    assert (by_year[2024]["rank"], by_year[2024]["score"]) == (2, 90.2)


def test_a_first_row_without_numbers_is_a_row_not_a_second_header():
    # counter-example: a unit whose cells are empty or words is still a row of a one-row header
    text = "\n".join([
        "Chỉ số CCHC năm 2024 của các huyện",
        "| Đơn vị | Điểm | Xếp hạng |", "|---|---|---|", "| Huyện Đông Hưng | chưa công bố | |",
        "| Huyện Tiền Hải | 88,3 | 4 |"])
    facts = facts_by_unit(text)
    assert (facts["huyện Tiền Hải"]["rank"], facts["huyện Tiền Hải"]["score"]) == (4, 88.3)
    assert "huyện Đông Hưng" not in facts
