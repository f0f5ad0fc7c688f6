"""The topic test (model/topic.py): which fetched articles the crawler keeps, and which pages
the extractor reads. One test: the crawler and the extractor give the same verdict."""
import unicodedata

import pytest

from parindex.crawler.relevance import is_relevant, page_text
from parindex.extract.article import read_article
from parindex.model.topic import about_indexes, topic_words

RELEVANT = [
    ("Kim Anh dẫn đầu huyện Kim Thành về chỉ số cải cách hành chính cấp xã", ""),
    ("Hà Tĩnh công bố kết quả", "Năm 2023, Sở Tư pháp đứng thứ 3/20 về Chỉ số CCHC."),
    ("Kết quả PAR INDEX 2023", ""),
    ("Công bố chỉ số SIPAS năm 2023", ""),
    ("", "Tỉnh đạt 43,5 điểm Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)."),
    ("", "Quảng Ninh tiếp tục dẫn đầu bảng xếp hạng Năng lực cạnh tranh cấp tỉnh."),
    ("", "Kết quả DDCI năm 2023 của các sở, ngành."),
    ("", "Chỉ số hài lòng của người dân đạt 85,34%."),
    # a ranking on another index: the extractor reads it (index OTHER), so the crawler keeps it
    ("Công bố xếp hạng chuyển đổi số cấp tỉnh năm 2023", "Tỉnh đứng thứ 12/63."),
]
IRRELEVANT = [
    ("Mưa lớn kéo dài", "Lượng mưa vượt 300 mm, nhiều tuyến đường ngập sâu."),
    ("Lễ hội truyền thống khai mạc", "Hàng nghìn du khách về dự lễ dâng hương."),
    # the one-stop desk and online public services, with no index named: nothing to extract
    ("Huyện đẩy mạnh một cửa", "Bộ phận một cửa tiếp nhận hồ sơ; dịch vụ công trực tuyến "
                               "mức độ 4 được mở rộng, người dân nộp hồ sơ dịch vụ công trực tuyến."),
    ("", ""),
]


@pytest.mark.parametrize("title,text", RELEVANT)
def test_pages_about_the_indexes_are_relevant(title, text):
    assert is_relevant(title, text)


@pytest.mark.parametrize("title,text", IRRELEVANT)
def test_other_news_is_not(title, text):
    assert not is_relevant(title, text)


def test_tone_placement_case_and_unicode_form_do_not_matter():
    for spelling in ("Chỉ số hài lòng về sự phục vụ hành chính", "CHỈ SỐ HÀI LÒNG",
                     unicodedata.normalize("NFD", "chỉ số hài lòng")):
        assert about_indexes(spelling) and "chỉ số" in topic_words(spelling)


def test_words_inside_other_words_do_not_count():
    assert not is_relevant("Giải thưởng PCIe cho máy tính", "Khe cắm PCIe thế hệ mới")


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


def _page(title: str, text: str, chrome: str = "Trang chủ | Thời sự | Thể thao") -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title or 'Tin tức'}</title></head><body>"
            f"<nav><a href='/'>{chrome}</a></nav><article><h1>{title or 'Tin tức'}</h1>"
            + "".join(f"<p>{text}</p>" for _ in range(3)) +
            "<p>Bài viết do phóng viên thực hiện tại địa phương trong tuần qua.</p></article>"
            "<footer>Báo điện tử tỉnh</footer></body></html>")


@pytest.mark.parametrize("title,text,expected", [(t, x, True) for t, x in RELEVANT]
                         + [(t, x, False) for t, x in IRRELEVANT if t or x])
def test_the_crawler_and_the_extractor_give_the_same_verdict(title, text, expected):
    html = _page(title, text)
    crawler = is_relevant(*page_text(html))
    extractor = read_article(html)["on_topic"]
    assert crawler == extractor == expected


def test_what_the_crawler_keeps_the_extractor_reads_also_when_only_the_menu_names_an_index():
    # The crawler looks at what a reader sees of the article; the extractor's quick look before
    # its rules also counts the menus. Same test, wider text: it may read more, never less.
    html = _page("Lễ hội đền Hùng", "Hàng nghìn du khách về dự lễ dâng hương.",
                 chrome="Trang chủ | Chỉ số CCHC | Thể thao")
    assert not is_relevant(*page_text(html))
    assert read_article(html)["on_topic"] is True


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
