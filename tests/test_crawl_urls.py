"""Canonical URLs: one spelling per page, so a page is stored once and fetched once."""
from parindex.crawler.sources import Variant
from parindex.crawler.urls import canonical

import re


def test_tracking_parameters_and_fragments_go_and_real_parameters_stay():
    assert canonical("https://baotayninh.vn/a-a1.html?utm_source=facebook&utm_medium=social#comments") == \
        "https://baotayninh.vn/a-a1.html"
    assert canonical("https://bao.vn/tin?id=5&fbclid=IwAR0&zarsrc=30&gidzl=x") == "https://bao.vn/tin?id=5"


def test_host_case_and_query_order_do_not_make_a_new_page():
    assert canonical("https://BAOTAYNINH.vn/Default.aspx?tabid=175&ID=4098") == \
        canonical("https://baotayninh.vn/Default.aspx?ID=4098&tabid=175")


def test_the_path_keeps_its_case_and_its_vietnamese():
    url = canonical("https://bao.vn/Tin-Tức/Cải-cách.html")
    assert url == "https://bao.vn/Tin-T%E1%BB%A9c/C%E1%BA%A3i-c%C3%A1ch.html"
    assert canonical(url) == url


def test_declared_print_amp_and_mobile_copies_fold_onto_the_article():
    variants = [Variant(re.compile(r"^https://m\.bao\.vn/"), "https://bao.vn/"),
                Variant(re.compile(r"/(print|amp)/"), "/")]
    for copy in ("https://m.bao.vn/tin-a1.html", "https://bao.vn/print/tin-a1.html",
                 "https://bao.vn/amp/tin-a1.html?utm_campaign=x"):
        assert canonical(copy, variants) == "https://bao.vn/tin-a1.html"
