"""What the review page shows of a fact: the passage around its evidence, safe links."""
from parindex.review import card

TEXT = "Tiêu đề.\nĐầu đoạn. Xã Kim Anh dẫn đầu huyện. Cuối đoạn.\nĐoạn sau."
EVIDENCE = "Xã Kim Anh dẫn đầu huyện."


def test_the_passage_is_the_paragraph_split_around_the_evidence():
    start = TEXT.index(EVIDENCE)
    assert card.passage(TEXT, start, start + len(EVIDENCE), EVIDENCE) == {
        "before": "Đầu đoạn. ", "evidence": EVIDENCE, "after": " Cuối đoạn."}


def test_a_long_paragraph_is_trimmed_on_both_sides():
    text = "x" * 2000 + EVIDENCE + "y" * 2000
    shown = card.passage(text, 2000, 2000 + len(EVIDENCE), EVIDENCE)
    assert shown["before"] == "…" + "x" * card.PASSAGE_CHARS
    assert shown["after"] == "y" * card.PASSAGE_CHARS + "…"


def test_offsets_that_miss_the_evidence_show_the_evidence_alone():
    assert card.passage(TEXT, 0, 5, EVIDENCE) == {"before": "", "evidence": EVIDENCE, "after": ""}
    assert card.passage(None, None, None, EVIDENCE)["evidence"] == EVIDENCE


def test_only_http_links_are_followed():
    assert card.safe_url("https://baohaiduong.vn/a") == "https://baohaiduong.vn/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "vbscript:x",
                "//evil.example", "", None):
        assert card.safe_url(bad) is None, bad
