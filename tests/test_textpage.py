"""Pages saved as plain text: the title, the date and the article are found among the site's chrome.

Every page here was written for these tests, in the shapes sites print: header with today's
date, menus, breadcrumbs, bylines, wire datelines, lists of other headlines, footers.
"""
from parindex.extract.article import read_article
from parindex.extract.facts import extract_text_facts


def page(*lines):
    return "\n".join(lines).encode("utf-8")


def test_header_date_above_the_menu_is_today_not_the_article_date():
    doc = read_article(page(
        "BÁO MIỀN NÚI ĐIỆN TỬ",
        "Thứ Hai, 11/03/2024",
        "Trang chủ | Thời sự | Kinh tế | Xã hội | Thể thao",
        "Thời sự > Chính trị",
        "",
        "Huyện Bảo Yên tăng 5 bậc về Chỉ số cải cách hành chính",
        "",
        "Thứ Sáu, 08/03/2024 - 10:15",
        "",
        "Năm 2023, huyện Bảo Yên xếp thứ 3/9 huyện, thị xã, thành phố về Chỉ số CCHC.",
        "",
        "Tin liên quan",
        "- Huyện Văn Bàn dẫn đầu Chỉ số CCHC năm 2022",
        "BÁO MIỀN NÚI - Địa chỉ: 12 đường Hoàng Liên",
    ))
    assert doc["title"] == "Huyện Bảo Yên tăng 5 bậc về Chỉ số cải cách hành chính"
    assert doc["published"] == "2024-03-08"
    assert "Văn Bàn" not in doc["text"]             # the related headline is not the article
    assert "Trang chủ" not in doc["text"]
    assert doc["text"].splitlines()[0] == doc["title"]   # the title leads the article text


def test_byline_with_author_and_time_after_the_title():
    doc = read_article(page(
        "Thứ Tư, 20/11/2024",
        "Trang chủ | Thời sự trong tỉnh | Cải cách hành chính",
        "Sở Nội vụ công bố kết quả Chỉ số CCHC năm 2023 của các sở, ngành",
        "Thu Trang 16:40, 18/11/2024",
        "Sở Tư pháp đạt 92,4 điểm, xếp thứ nhất khối sở, ngành.",
    ))
    assert doc["published"] == "2024-11-18"


def test_wire_dateline_when_no_byline_date():
    doc = read_article(page(
        "[In bài]  [Đóng]",
        "Chỉ số SIPAS 2023: tỉnh Ninh Bình đứng thứ 5 cả nước",
        "Ninh Bình (TTXVN 7/5/2024) Theo kết quả công bố, Chỉ số SIPAS năm 2023 của tỉnh đạt 86,1%.",
    ))
    assert doc["published"] == "2024-05-07"


def test_labelled_date_after_the_article():
    doc = read_article(page(
        "Kinh tế",
        "Bảng xếp hạng năng lực cạnh tranh cấp tỉnh năm 2021 có nhiều biến động",
        "Hà Nội (TTXVN 4/5) Năm 2021, tỉnh Lạng Sơn tăng 10 bậc về PCI.",
        "Chia sẻ: Facebook | Twitter",
        "Xuất bản: 05/05/2022 08:00 (GMT+7)",
        "Xem thêm",
        "- Chỉ số PCI 2020: các tỉnh miền núi (01/05/2021)",
    ))
    assert doc["published"] == "2022-05-05"


def test_table_header_near_the_top_is_not_taken_for_a_menu():
    doc = read_article(page(
        "Kết quả Chỉ số CCHC năm 2023 các xã",
        "Xã | Điểm | Xếp hạng",
        "Xã Tân Lập | 91,25 | 1",
        "Xã Tân Hòa | 90,10 | 2",
    ))
    assert "Xã | Điểm | Xếp hạng" in doc["text"]


def test_a_page_with_no_date_has_none():
    doc = read_article(page(
        "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN",
        "Trang chủ | Giới thiệu | Tin tức | Liên hệ",
        "Xã Phú Lộc dẫn đầu huyện về chỉ số cải cách hành chính",
        "Xã Phú Lộc đạt 93,5 điểm, cao nhất trong 15 xã, thị trấn.",
        "Lượt xem: 1.204",
    ))
    assert doc["published"] is None
    assert "Lượt xem" not in doc["text"]


def test_a_menu_in_the_footer_does_not_hide_the_article_above_it():
    doc = read_article(page(
        "Huyện Tam Đảo công bố Chỉ số cải cách hành chính năm 2022",
        "12/05/2023",
        "Nhóm các xã có 9 đơn vị. Xã Đạo Trù đứng vị trí thứ nhất về chỉ số cải cách hành chính với 90,2 điểm, "
        "xã Bồ Lý đứng thứ hai với 88,4 điểm, còn thị trấn Tam Đảo xếp thứ ba.",
        "Lịch công tác | Văn bản mới | Hỏi đáp",
        "Tổng lượt truy cập: 1.234",
    ))
    assert doc["title"].startswith("Huyện Tam Đảo") and doc["published"] == "2023-05-12"
    assert "Xã Đạo Trù" in doc["text"]


def test_an_article_that_begins_without_a_headline_is_read_from_its_first_paragraph():
    doc = read_article(page(
        "Trang chủ > Tin tức > Cải cách hành chính",
        "Ủy ban nhân dân quận đã công bố kết quả chấm điểm cải cách hành chính năm 2020 của 10 phường, "
        "trong đó Phường 2 đứng đầu với 95 điểm, Phường 8 đứng cuối với 80 điểm theo thông báo số 15/TB-UBND.",
        "Ủy ban nhân dân Phường 2",
    ))
    assert doc["title"] is None
    assert doc["text"].startswith("Ủy ban nhân dân quận đã công bố")


def test_a_headline_may_open_with_a_label_in_brackets():
    doc = read_article(page(
        "[Infographics] Chỉ số PAPI năm 2022 của các tỉnh miền Trung",
        "Quảng Trị đạt 43,5 điểm về PAPI năm 2022.",
    ))
    assert doc["title"].startswith("[Infographics]")


def test_a_date_printed_between_the_menus_and_the_headline_is_the_article_date():
    doc = read_article(page(
        "Trang chủ > Tin tức > Bài viết",
        "Chuyên mục nổi bậtThứ Hai, Ngày 14/09/2020, 09:30",
        "Chỉ số CCHC năm 2020 của các sở sẽ công bố trong quý I năm sau",
        "Ủy ban nhân dân thành phố ban hành kế hoạch xác định chỉ số cải cách hành chính năm 2020.",
    ))
    assert doc["published"] == "2020-09-14"


def test_a_page_with_no_menu_and_no_headline_starts_with_its_date():
    doc = read_article(page(
        "Đọc Báo Công Thương trên Google News",
        "Thứ tư, 10/06/2020 - 07:00",
        "(Công Thương) - Bảng xếp hạng chỉ số cải cách hành chính của các cơ quan ngành dọc trên địa bàn tỉnh "
        "vừa được công bố, trong đó Kho bạc Nhà nước tỉnh đứng đầu với 95,1 điểm, Cục Thuế tỉnh đứng thứ hai.",
    ))
    assert doc["published"] == "2020-06-10"
    assert doc["title"] is None


def test_a_date_line_that_opens_with_its_place_keeps_the_place_in_the_article():
    # "QUẢNG TRỊ - 05/04/2024": the dateline names the province the report is from, which the
    # article itself may leave at "tỉnh" (FACTS.md 9: the province from the text)
    doc = read_article(page(
        "Sở Tư pháp dẫn đầu Chỉ số hài lòng của các sở, ngành năm 2023",
        "QUẢNG TRỊ - 05/04/2024 | 08:15",
        "UBND tỉnh vừa công bố Chỉ số SIPAS năm 2023 của các sở, ngành. Sở Tư pháp đạt 93,4%, xếp thứ nhất.",
    ))
    assert doc["published"] == "2024-04-05"
    assert doc["text"].splitlines()[1] == "Quảng Trị"
    assert "05/04/2024" not in doc["text"]
    facts = extract_text_facts(doc["text"], doc["title"], published=doc["published"])
    assert [(f["unit"], f["province"], f["rank"]) for f in facts] == [("Sở Tư pháp", "Quảng Trị", 1)]


def test_a_date_line_that_opens_with_a_weekday_or_a_label_adds_no_place():
    doc = read_article(page(
        "Sở Tư pháp dẫn đầu Chỉ số hài lòng của các sở, ngành năm 2023",
        "Thứ Sáu, 05/04/2024 - 08:15",
        "UBND tỉnh vừa công bố Chỉ số SIPAS năm 2023 của các sở, ngành. Sở Tư pháp đạt 93,4%, xếp thứ nhất.",
    ))
    assert doc["published"] == "2024-04-05"
    assert len(doc["text"].splitlines()) == 2


def test_a_date_beside_the_weather_is_the_sites_today_not_the_article_date():
    doc = read_article(page(
        "Chỉ số CCHC năm 2023 của huyện Bảo Lâm tăng 4 bậc",
        "Thứ Ba, 16/04/2024 | Cao Bằng 24°C",
        "Thứ Sáu, 12/04/2024 | 09:10",
        "Năm 2023, huyện Bảo Lâm xếp thứ 5/10 huyện, thành phố về Chỉ số CCHC, tăng 4 bậc.",
    ))
    assert doc["published"] == "2024-04-12"


def test_a_posted_date_below_a_weekday_header_date_is_the_article_date():
    # "Thứ Năm, ... | Site" under the headline may be the site's today; the posted date says what it is
    doc = read_article(page(
        "Chỉ số CCHC năm 2023: huyện Hòa Vang lên thứ 4",
        "",
        "Thứ Năm, 14/03/2024 | Báo Điện tử Miền Trung",
        "",
        "Ngày đăng: 11/03/2024",
        "",
        "Năm 2023, huyện Hòa Vang xếp thứ 4/8 quận, huyện về Chỉ số CCHC, tăng 2 bậc.",
    ))
    assert doc["published"] == "2024-03-11"


def test_a_weekday_date_with_no_posted_date_below_it_stays_the_article_date():
    doc = read_article(page(
        "Chỉ số CCHC năm 2023: huyện Hòa Vang lên thứ 4",
        "Thứ Năm, 14/03/2024 - 15:20",
        "Năm 2023, huyện Hòa Vang xếp thứ 4/8 quận, huyện về Chỉ số CCHC; kết quả cập nhật ngày 16/03/2024.",
    ))
    assert doc["published"] == "2024-03-14"


def test_the_date_right_below_the_menus_of_a_page_whose_headline_is_above_them():
    # the headline printed above the site's header and menus: the date under the menus is the article's
    doc = read_article(page(
        "Thị xã Đông Triều dẫn đầu Chỉ số CCHC năm 2023",
        "",
        "Chủ Nhật, 18/02/2024 | Đăng nhập | Đăng ký",
        "Trang chủ | Thời sự | Kinh tế | Xã hội",
        "",
        "15/02/2024 08:30",
        "",
        "(QN) - Theo kết quả công bố Chỉ số cải cách hành chính năm 2023, thị xã Đông Triều đứng đầu "
        "13 địa phương cấp huyện của tỉnh Quảng Ninh với 92,15 điểm, tăng hai bậc so với năm 2022.",
    ))
    assert doc["published"] == "2024-02-15"


def test_a_headline_above_the_portals_name_and_breadcrumb_is_the_title():
    # a commune's portal saved with its headline first: the name and breadcrumb below it are
    # the site's, and no headline follows them
    doc = read_article(page(
        "Phường Tân An đứng thứ hai về Chỉ số CCHC năm 2024",
        "",
        "CỔNG THÔNG TIN ĐIỆN TỬ PHƯỜNG TÂN AN - THÀNH PHỐ BUÔN MA THUỘT",
        "Trang chủ > Tin tức > Cải cách hành chính",
        "Ngày đăng: 03-03-2025 | Lượt xem: 88",
        "",
        "Theo Quyết định của UBND thành phố về Chỉ số CCHC năm 2024 của các phường, xã, phường Tân An đạt "
        "90,4 điểm, đứng thứ 2/21 phường, xã, tăng bốn bậc so với năm 2023.",
    ))
    assert doc["title"] == "Phường Tân An đứng thứ hai về Chỉ số CCHC năm 2024"
    assert doc["published"] == "2025-03-03"
    assert doc["text"].splitlines()[0] == doc["title"]
    assert doc["text"].count("Phường Tân An đứng thứ hai") == 1   # the title line is not read twice


def test_a_sites_name_in_capitals_above_the_menus_is_no_headline():
    doc = read_article(page(
        "BÁO ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN PHỦ MỚI",
        "Trang chủ | Thời sự | Kinh tế | Xã hội",
        "Năm 2024, Chỉ số cải cách hành chính của tỉnh đạt 86,02%, xếp thứ 41/63 tỉnh, thành phố, "
        "tăng 9 bậc so với năm 2023; Chỉ số SIPAS đạt 80,5%, cao hơn năm trước.",
    ))
    assert doc["title"] is None


def test_a_box_of_other_headlines_inside_the_article_is_left_out_and_the_article_goes_on():
    # (round 12: the article was cut at the box, and its results below it lost)
    doc = read_article(page(
        "Trang chủ | Thời sự | Kinh tế | Xã hội",
        "Hà Tĩnh công bố Chỉ số CCHC năm 2023 của các huyện",
        "Ngọc Lan - 12/02/2024 09:10",
        "Sáng 11/2, UBND tỉnh Hà Tĩnh tổ chức hội nghị công bố Chỉ số cải cách hành chính năm 2023.",
        "Xem thêm",
        "» Can Lộc đặt mục tiêu vào tốp 3",
        "» Thạch Hà đứng thứ 5 về DDCI năm 2022",
        "Ở khối cấp huyện, thị xã Hồng Lĩnh dẫn đầu 13 huyện, thị xã, thành phố với 91,2%; huyện Hương Khê "
        "đứng thứ 13/13 và giảm 4 bậc so với năm trước.",
        "Bình luận (2)",
        "Nguyễn Văn Hùng: Huyện Kỳ Anh năm nay tăng 3 bậc là rất đáng mừng, mong các xã trong huyện cố gắng hơn nữa.",
    ))
    facts = extract_text_facts(doc["text"], doc["title"], published=doc["published"])
    assert {f["unit"]: (f["rank"], f["rank_total"], f["rank_change"]) for f in facts} == {
        "thị xã Hồng Lĩnh": (1, 13, None), "huyện Hương Khê": (13, 13, -4)}
    assert "Thạch Hà" not in doc["text"] and "Kỳ Anh" not in doc["text"]   # the box's headlines; the comments


def test_a_list_of_other_headlines_after_the_article_still_ends_it():
    # the headlines run into the tags and comments: no article below them
    doc = read_article(page(
        "Trang chủ | Thời sự | Kinh tế | Xã hội",
        "Hà Tĩnh công bố Chỉ số CCHC năm 2023 của các huyện",
        "Ngọc Lan - 12/02/2024 09:10",
        "Ở khối cấp huyện, thị xã Hồng Lĩnh dẫn đầu 13 huyện, thị xã, thành phố với 91,2%.",
        "Tin liên quan",
        "Can Lộc đặt mục tiêu vào tốp 3",
        "Thạch Hà đứng thứ 5 về DDCI năm 2022",
        "Từ khóa: CCHC, Hà Tĩnh",
        "Ý kiến bạn đọc",
        "Trần Hoa: Huyện Kỳ Anh năm nay tăng 3 bậc là rất đáng mừng, mong các xã trong huyện cố gắng hơn nữa trong năm tới.",
    ))
    assert doc["text"].endswith("với 91,2%.")
    # a paragraph right under the label is no box of headlines: the label ends the article as before
    doc = read_article(page(
        "Trang chủ | Thời sự | Kinh tế | Xã hội",
        "Hà Tĩnh công bố Chỉ số CCHC năm 2023 của các huyện",
        "Ngọc Lan - 12/02/2024 09:10",
        "Ở khối cấp huyện, thị xã Hồng Lĩnh dẫn đầu 13 huyện, thị xã, thành phố với 91,2%.",
        "Bài liên quan",
        "Năm 2022, huyện Thạch Hà đứng thứ 5 về DDCI, tăng 2 bậc so với năm trước; huyện đặt mục tiêu vào tốp 3 "
        "trong năm 2024 và tiếp tục cải thiện chỉ số thành phần.",
    ))
    assert doc["text"].endswith("với 91,2%.")
