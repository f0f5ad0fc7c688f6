"""Page classification with no pattern of the site's (crawler/classify.py), the page's own say
after fetching (crawler/pagekind.py), which links speak of the indexes (crawler/focus.py),
where a link sits (crawler/links.py), and the table `sources add` writes (crawler/discover.py)."""
import tomllib

import pytest
from parsel import Selector

from parindex.crawler import discover
from parindex.crawler.caps import LocalCaps
from parindex.crawler.classify import classify
from parindex.crawler.focus import slug_text, speaks_of_indexes
from parindex.crawler.links import page_links
from parindex.crawler.pagekind import page_kind
from parindex.crawler.sources import parse_sources

# (expected kind, URL): the shapes of Vietnamese CMSs, with made-up slugs and ids.
SHAPES = [
    ("article", "https://bao.vn/kim-thanh-dan-dau-chi-so-a173904.html"),             # id with a letter prefix
    ("article", "https://bao.vn/ten-bai-mot-hai-post224282.html"),
    ("article", "https://bao.vn/chinh-tri/202311/ten-bai-mot-hai-5120467/"),          # no extension, month folder
    ("article", "https://bao.vn/14/163220/Ten-Bai-Mot-Hai.htm"),                     # the id in a folder
    ("article", "https://bao.vn/newsdetail.aspx?cate=12&title=ten-bai"),             # the item in the query string
    ("article", "https://bao.vn/Default.aspx?tabid=212&ID=2417"),                    # DNN
    ("article", "https://bao.vn/index.php?gd=4&cn=118&tc=40217"),
    ("article", "https://bao.vn/ct/cms/Lists/CaiCach/View_Detail.aspx?ItemID=54"),   # SharePoint list
    ("article", "https://bao.vn/chi-tiet/-/view-article/1/12345/ten-bai"),           # Liferay
    ("article", "https://bao.vn/web/guest/tin/-/asset_publisher/Ab12/content/id/4817321"),
    ("article", "https://bao.vn/portal/Pages/2023-4-24/Ten-bai-mot-hai.aspx"),       # SharePoint pages
    ("article", "https://bao.vn/ten-bai-mot-hai-c48869280.epi"),
    ("article", "https://bao.vn/ten-bai-mot-hai-1-144407.vna"),
    ("article", "https://bao.vn/ten-bai-mot-hai-post123456.vnp"),
    ("article", "https://bao.vn/ten-bai-mot-hai-188230415181206982.chn"),
    ("article", "https://bao.vn/ten-bai-mot-hai-post334408.antd"),
    ("article", "https://bao.vn/kinh-te/ten-bai-mot-hai-742419.vov"),
    ("article", "https://bao.vn/2024/01/ten-bai-mot-hai/"),                           # WordPress
    ("article", "https://bao.vn/?p=1234"),
    ("article", "https://bao.vn/thoi-su/ten-bai-mot-hai-ba-bon-nam-sau-bay-tam.html"),  # a long headline
    ("article", "https://bao.vn/tin/ten-bai-mot-hai-CB4D2D7C.html"),                 # a hex id
    ("article", "https://bao.vn/chinh-tri/202012/ten-bai-mot-hai-915355/index.htm"),
    ("article", "https://bao.vn/Tin-tuc/ItemID/3131/View/Details.aspx"),
    ("article", "https://bao.vn/node/195661"),                                       # Drupal
    ("listing", "https://bao.vn/"),
    ("listing", "https://bao.vn/index.html"),
    ("listing", "https://bao.vn/thoi-su/"),
    ("listing", "https://bao.vn/thoi-su-chinh-tri/cai_cach_hanh_chinh/"),
    ("listing", "https://bao.vn/thoi-su-chinh-tri/su-kien/?p=2&d="),                  # pagination
    ("listing", "https://bao.vn/cai-cach-hanh-chinh/trang-2/"),
    ("listing", "https://bao.vn/kinh-te/trang2.epi"),
    ("listing", "https://bao.vn/category/tin-tuc/page/2/"),
    ("listing", "https://bao.vn/tin-tuc?page=35"),
    ("listing", "https://bao.vn/web/guest/cai-cach?p_p_id=101_INSTANCE_x&_101_INSTANCE_x_cur=2"),
    ("listing", "https://bao.vn/chi-so-cai-cach-hanh-chinh-tag2225.html"),            # tags
    ("listing", "https://bao.vn/news-tag32854/tin-tuc-c10"),
    ("listing", "https://bao.vn/tag/Cai-cach-hanh-chinh.epi"),
    ("listing", "https://bao.vn/thu-tuc-hanh-chinh-cong-90272.tag"),
    ("listing", "https://bao.vn/chu-de/chi-so-papi/"),
    ("listing", "https://bao.vn/cai-cach-hanh-chinh.epi"),                            # a section of an .epi site
    ("listing", "https://bao.vn/Default.aspx?tabid=175"),
    ("listing", "https://bao.vn/Pages/Trang-chu.aspx"),
    ("ignored", "https://bao.vn/print/ten-bai-mot-hai-a1234.html"),                   # copies
    ("ignored", "https://bao.vn/amp/ten-bai-mot-hai-a1234.html"),
    ("ignored", "https://bao.vn/ten-bai-mot-hai-a1234.html?amp"),
    ("ignored", "https://bao.vn/ten-bai-mot-hai-a1234.html?print=1"),
    ("ignored", "https://bao.vn/ten-bai-mot-hai-post1234.amp"),
    ("ignored", "https://bao.vn/amp.aspx?newid=12345"),
    ("ignored", "https://bao.vn/portal/pages/print.aspx?p=37414"),
    ("ignored", "https://bao.vn/lien-he"),                                            # service pages
    ("ignored", "https://bao.vn/dang-nhap"),
    ("ignored", "https://bao.vn/login"),
    ("ignored", "https://bao.vn/tim-kiem?q=cchc"),
    ("ignored", "https://bao.vn/rss/cai-cach-hanh-chinh.rss"),
    ("ignored", "https://bao.vn/feed/"),
    ("ignored", "https://bao.vn/uploads/bao-cao.pdf"),
    ("ignored", "https://en.bao.vn/ten-bai-post1.vnp"),                               # the English edition
    ("ignored", "https://bao.vn/en/ten-bai-mot-hai-a1234.html"),
    ("ignored", "mailto:toasoan@bao.vn"),
]


@pytest.mark.parametrize("kind,url", SHAPES, ids=[u for _, u in SHAPES])
def test_each_cms_shape_is_read_without_a_pattern(kind, url):
    verdict = classify(url)
    assert verdict.kind == kind, verdict
    assert verdict.reason


def test_a_copy_names_its_article():
    assert classify("https://bao.vn/print/ten-bai-a1234.html").canonical == "https://bao.vn/ten-bai-a1234.html"
    assert classify("https://bao.vn/ten-bai-a1234.html?amp=1&x=2").canonical == "https://bao.vn/ten-bai-a1234.html?x=2"
    assert classify("https://bao.vn/ten-bai-post1234.amp").canonical == "https://bao.vn/ten-bai-post1234.html"
    assert classify("https://bao.vn/portal/pages/print.aspx?p=37414").canonical is None


def test_menu_breadcrumb_and_footer_links_are_navigation():
    long_slug = "https://bao.vn/van-hoa-the-thao-du-lich-va-doi-song-cong-dong/"
    assert classify(long_slug).kind == "article"                     # a long name alone reads as a headline
    for place in ("menu", "breadcrumb", "footer"):
        verdict = classify(long_slug, anchor="Văn hóa", place=place)
        assert verdict.kind == "listing" and place in verdict.reason
    # An id is an article wherever its link sits (a headline in a ticker).
    assert classify("https://bao.vn/ten-bai-a173904.html", anchor="Tin", place="menu").kind == "article"


def test_a_headline_anchor_makes_an_article_of_a_url_that_says_nothing():
    url = "https://bao.vn/chinh-tri/ket-qua-cchc/"
    assert classify(url).kind == "listing"
    verdict = classify(url, anchor="Huyện Kim Thành dẫn đầu chỉ số cải cách hành chính", place="body")
    assert verdict.kind == "article" and "headline link" in verdict.reason
    assert classify(url, anchor="Kết quả", place="body").kind == "listing"


def test_site_patterns_override_the_generic_rules():
    config = parse_sources({"crawler": {"contact": "mailto:a@b.c"}, "site": {"x": {
        "name": "X", "start": ["https://bao.vn/"], "listing": ["/node/195660"], "ignore": ["/noi-bo/"],
        "article": ["/chuyen-trang/[a-z]+$"]}}})
    site = config.sites["x"]
    assert classify("https://bao.vn/node/195660", site=site).kind == "listing"
    assert classify("https://bao.vn/node/195661", site=site).kind == "article"
    assert classify("https://bao.vn/noi-bo/ten-bai-a123456.html", site=site).kind == "ignored"
    assert classify("https://bao.vn/chuyen-trang/mot", site=site).reason == "matches the article pattern of site 'x'"


# ── after fetching ──────────────────────────────────────────────────────────

BODY = ("<p>Sáng nay, tỉnh công bố kết quả chỉ số cải cách hành chính của các sở, ngành và địa phương năm 2023 "
        "tại hội nghị tổng kết.</p>") * 4


def html(body, head=""):
    return Selector(text=f"<html><head>{head}</head><body><nav><a href='/'>Trang chủ</a></nav>{body}</body></html>")


def teasers(n):
    return "".join(f"<div class='item'><h3><a href='/tin-{i}-a{1000 + i}.html'>Tiêu đề bài viết thứ {i} của chuyên mục"
                   f"</a></h3><p>Tóm tắt ngắn {i}.</p></div>" for i in range(n))


def test_one_main_text_under_a_title_with_a_date_is_an_article():
    kind, why = page_kind(html(f"<h1>Tiêu đề</h1><div class='time'>12/04/2024</div><div>{BODY}</div>" + teasers(8)))
    assert kind == "article" and "dated" in why


def test_many_teasers_and_no_main_text_is_a_listing():
    kind, why = page_kind(html("<h1>Cải cách hành chính</h1>" + teasers(8)))
    assert kind == "listing" and why == "8 teasers and no main text"


def test_a_short_page_is_left_to_its_url():
    assert page_kind(html("<h1>Tiêu đề</h1><p>Một đoạn ngắn.</p>" + teasers(2)))[0] is None


def test_links_know_their_place_and_text():
    selector = html("<div class='breadcrumb'><a href='/thoi-su/'>Thời sự</a></div>"
                    "<main><a href='/a-a1.html'>Huyện   Kim Thành\n dẫn đầu</a><a href='/b' title='Ảnh'><img></a>"
                    "<a href='javascript:void(0)'>x</a></main><footer><a href='/lien-he'>Liên hệ</a></footer>")
    links = [(link.href, link.anchor, link.place) for link in page_links(selector)]
    assert links == [("/", "Trang chủ", "menu"), ("/thoi-su/", "Thời sự", "breadcrumb"),
                     ("/a-a1.html", "Huyện Kim Thành dẫn đầu", "body"), ("/b", "Ảnh", "body"),
                     ("/lien-he", "Liên hệ", "footer")]


# ── the order of fetching ───────────────────────────────────────────────────

def test_a_link_speaks_of_the_indexes_by_its_text_or_its_slug():
    assert speaks_of_indexes("Huyện Kim Thành dẫn đầu", None)
    assert speaks_of_indexes("Công bố chỉ số PAPI năm 2023", None)
    assert speaks_of_indexes(None, "https://bao.vn/cai-cach-hanh-chinh/")
    assert speaks_of_indexes(None, "https://bao.vn/Ch%E1%BB%89-s%E1%BB%91-CCHC")       # Chỉ-số-CCHC
    assert speaks_of_indexes(None, "https://bao.vn/kim-thanh-xep-thu-3-a1.html")
    assert not speaks_of_indexes("Đội bóng thắng trận mở màn", "https://bao.vn/the-thao/doi-bong-a1.html")
    assert not speaks_of_indexes(None, "https://bao.vn/Default.aspx?tabid=175")
    assert slug_text("https://bao.vn/Tin-tức/a_b?id=5") == "tin tuc a b id 5"


def test_local_caps_count_up_to_the_limit_and_take_back():
    caps = LocalCaps()
    assert [caps.take("x", "article", 2) for _ in range(3)] == [True, True, False]
    caps.give_back("x", "article")
    assert caps.take("x", "article", 2) and caps.taken("x", "article") == 2


# ── the table `sources add` writes ──────────────────────────────────────────

def test_a_site_key_comes_from_its_host():
    assert discover.site_key("https://www.baotayninh.vn/") == "baotayninh"
    assert discover.site_key("https://sonoivu.angiang.gov.vn/x") == "sonoivu-angiang"
    assert discover.site_key("https://baotayninh.vn/", taken={"baotayninh"}) == "baotayninh-2"
    assert discover.site_key("http://127.0.0.1:8123/") == "site-8123"


def test_the_table_needs_no_pattern_and_is_appended_to_a_valid_file(tmp_path):
    found = {"home": "https://bao.vn/", "name": 'Báo "Mới"', "sections": [("https://bao.vn/cai-cach/", "CCHC", 3)],
             "sitemaps": [("https://bao.vn/sitemap.xml", "named in robots.txt", "urlset", 10)],
             "feeds": [("https://bao.vn/rss.xml", None, 20, False)], "province": "Tây Ninh", "kind": "provincial"}
    table = discover.site_table("bao", found)
    assert "article" not in table and "listing" not in table
    path = tmp_path / "new.toml"
    discover.append_site(path, "bao", table, contact="mailto:me@example.org")
    config = parse_sources(tomllib.loads(path.read_text(encoding="utf-8")))
    site = config.sites["bao"]
    assert site.name == 'Báo "Mới"' and site.start == ("https://bao.vn/", "https://bao.vn/cai-cach/")
    assert site.sitemaps == ("https://bao.vn/sitemap.xml",) and site.feeds == ("https://bao.vn/rss.xml",)
    assert "mailto:me@example.org" in config.user_agent


def test_feeds_and_sections_are_read_from_a_home_page():
    selector = html("<main><a href='/cai-cach-hanh-chinh/'>Cải cách hành chính</a><a href='/the-thao/'>Thể thao</a>"
                    "<a href='/rss.html'>RSS</a><a href='https://khac.vn/cchc/'>CCHC</a></main>",
                    head="<link rel='alternate' type='application/rss+xml' href='/rss/home.rss'>")
    links = page_links(selector)
    assert discover.feed_candidates(selector, links, "https://bao.vn/") == ["https://bao.vn/rss/home.rss"]
    assert discover.rss_index_pages(links, "https://bao.vn/") == ["https://bao.vn/rss.html"]
    assert discover.topic_sections(links, "https://bao.vn/") == [("https://bao.vn/cai-cach-hanh-chinh/",
                                                                  "Cải cách hành chính")]
    assert discover.feed_items(b"<?xml version='1.0'?><rss><channel><item><link>x</link></item></channel></rss>") == 1
    assert discover.feed_items(b"<html><body>no</body></html>") is None
