"""The review pages in Vietnamese or English: which one a browser gets, and that every text
of the pages has its Vietnamese (a text without one would show in English on a Vietnamese page)."""
import re
from pathlib import Path

import pytest

from parindex.review import i18n

REVIEW = Path(i18n.__file__).parent
CALL = re.compile(r"""\bt\(\s*(["'])(.+?)\1""")


class Request:
    def __init__(self, header=None, args=None, cookies=None):
        self.headers = {"accept-language": header} if header else {}
        self.args = args or {}
        self.cookies = cookies or {}


@pytest.mark.parametrize("header, lang", [
    ("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"),
    ("vi", "vi"),
    ("en-US,en;q=0.9,vi;q=0.8", "en"),
    ("fr-FR,fr;q=0.9,vi;q=0.5", "vi"),    # the first language parindex speaks
    ("fr-FR,de;q=0.9", "en"),
    ("en;q=0.5,vi;q=0.9", "vi"),          # by quality, not by order
    (None, "en"),
])
def test_the_browsers_language_chooses(header, lang):
    assert i18n.language(Request(header)) == lang


def test_a_choice_on_the_page_or_remembered_wins_over_the_browser():
    assert i18n.language(Request("vi-VN", args={"lang": "en"})) == "en"
    assert i18n.language(Request("en-US", cookies={i18n.COOKIE: "vi"})) == "vi"
    assert i18n.language(Request("vi-VN", args={"lang": "xx"})) == "vi"


def test_every_text_of_the_review_pages_has_its_vietnamese():
    sources = [*REVIEW.glob("templates/*.html"), REVIEW / "views.py", REVIEW / "plugin.py"]
    used = {text for path in sources for _, text in CALL.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 60
    names = {"province", "year", "level", "index", "site", "status", "pending", "accepted", "corrected",
             "rejected", "accept", "reject", "correct", "undo", "redo", "all", "unit", "rank", "score"}
    # A text split over lines ("..." "...") is caught by its first part; "level:" ~ level below.
    missing = sorted(t for t in used | names if t not in i18n.VI and not any(k.startswith(t) for k in i18n.VI))
    assert missing == []
    from parindex.model.catalogue import LEVELS
    assert all(f"level:{level}" in i18n.VI for level in LEVELS)
    assert i18n.translate("vi", "{left} pending left in this filter (of {total} facts).", left=3, total=9) == \
        "Còn 3 dữ kiện chờ duyệt trong bộ lọc này (trên tổng số 9)."
    assert i18n.translate("en", "Accept") == "Accept"
