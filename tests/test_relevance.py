"""The relevance test: which fetched articles are about administrative reform or
governance indexes (kept, extracted) and which are not (remembered, body dropped)."""
import unicodedata

import pytest

from parindex.crawler.relevance import fold, is_relevant, page_text, relevance

RELEVANT = [
    ("Kim Anh dẫn đầu huyện Kim Thành về chỉ số cải cách hành chính cấp xã", ""),
    ("Hà Tĩnh công bố kết quả", "Năm 2023, Sở Tư pháp đứng thứ 3/20 về Chỉ số CCHC."),
    ("Kết quả PAR INDEX 2023", ""),
    ("Công bố chỉ số SIPAS năm 2023", ""),
    ("", "Tỉnh đạt 43,5 điểm Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)."),
    ("", "Quảng Ninh tiếp tục dẫn đầu bảng xếp hạng Năng lực cạnh tranh cấp tỉnh."),
    ("", "Kết quả DDCI năm 2023 của các sở, ngành."),
    ("", "Chỉ số hài lòng của người dân đạt 85,34%."),
    ("Hội nghị sơ kết công tác", "Công tác cải cách hành chính được chú trọng. "
                                  "Các xã đẩy mạnh cải cách hành chính, cải cách thủ tục hành chính."),
]
IRRELEVANT = [
    ("Đội bóng Hải Dương thắng đậm", "Đội chủ nhà ghi 3 bàn, xếp thứ 2 trên bảng xếp hạng giải hạng Nhì."),
    ("Mưa lớn kéo dài", "Lượng mưa vượt 300 mm, nhiều tuyến đường ngập sâu."),
    ("Lễ hội truyền thống khai mạc", "Ban tổ chức nói cải cách hành chính giúp cấp phép nhanh hơn."),
    ("", ""),
]


@pytest.mark.parametrize("title,text", RELEVANT)
def test_pages_about_the_indexes_are_relevant(title, text):
    assert is_relevant(title, text)


@pytest.mark.parametrize("title,text", IRRELEVANT)
def test_other_news_is_not_even_with_a_passing_mention_or_a_sport_ranking(title, text):
    assert not is_relevant(title, text)


def test_tone_placement_case_and_unicode_form_do_not_matter():
    for spelling in ("Chỉ số hài lòng về sự phục vụ hành chính", "CHỈ SỐ HÀI LÒNG",
                     unicodedata.normalize("NFD", "chỉ số hài lòng")):
        assert relevance(spelling, "") == ["chi so hai long"]
    assert fold("hoà") == fold("hòa") == "hoa"
    assert fold("Đồng  Tháp\n") == "dong thap"


def test_words_inside_other_words_do_not_count():
    assert not is_relevant("Giải thưởng PCIe cho máy tính", "Papillon và spcia")


def test_page_text_leaves_out_menus_links_and_scripts():
    html = """<html><head><title>Lễ hội đền Hùng</title><script>var cchc = "cải cách hành chính";</script></head>
    <body><nav>Cải cách hành chính | Thể thao</nav>
    <article><h1>Lễ hội đền Hùng</h1><p>Hàng nghìn du khách về dự lễ.</p></article>
    <aside><a href="/x">Chỉ số CCHC năm 2023: Hải Dương xếp thứ 5/63</a></aside>
    <ul><li><a href="/y">Công bố Chỉ số cải cách hành chính</a></li></ul>
    <footer>Sở Nội vụ</footer></body></html>"""
    title, text = page_text(html)
    assert "Lễ hội đền Hùng" in title
    assert "Hàng nghìn du khách về dự lễ." in text
    assert "CCHC" not in text and "cải cách" not in text.lower() and "Sở Nội vụ" not in text
    assert not is_relevant(title, text)


def test_page_text_reads_bytes_and_keeps_diacritics_in_nfc():
    title, text = page_text("<title>Hoà Bình</title><body><p>Xã Hoà Bình</p></body>".encode("utf-8"))
    assert title == "Hoà Bình" and text == "Xã Hoà Bình"


def test_every_page_of_the_bundled_site_is_judged_as_its_category_says(repo):
    site = repo / "corpus" / "site"
    judged = {}
    for path in site.glob("*/*.html"):
        if path.name == "index.html":  # a listing, not an article
            continue
        judged[path.relative_to(site).as_posix()] = is_relevant(*page_text(path.read_bytes()))
    relevant = {p for p, r in judged.items() if r}
    assert {p for p in judged if p.startswith("cai-cach-hanh-chinh/")} <= relevant
    assert not any(p.startswith(("the-thao/", "thoi-tiet/", "van-hoa/")) for p in relevant)
    assert len([p for p in relevant if p.startswith("cai-cach-hanh-chinh/")]) == 35
