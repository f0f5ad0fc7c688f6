"""A small parindex database for the review and browsing tests, built through store.

Four news articles from three sites, with facts that share a sentence, two sources
that disagree on one district, a province written "Hoà Bình" and "Hòa Bình", and an
article whose title, text and link try to run script in the review page.
"""
from parindex import store
from parindex.review.passwords import hash_password

PASSWORD = "mật-khẩu-dài"
XSS_TITLE = '<script>window.__xss = "title"</script>Kết quả <img src=x onerror="window.__xss=\'img\'">'
XSS_URL = "javascript:window.__xss='link'"

_HD_SENTENCE = ("Năm 2023, xã Kim Anh dẫn đầu huyện Kim Thành về Chỉ số CCHC với 91,5 điểm, "
                "xã Kim Tân xếp thứ 2/18 và xã Kim Xuyên xếp thứ 3/18.")
_HD_TEXT = ("Sáng 4/4, huyện Kim Thành tổ chức hội nghị.\n"
            "Theo kết quả công bố, " + _HD_SENTENCE + " Đây là kết quả đáng ghi nhận.\n"
            "Huyện Kim Thành xếp thứ 3/12 huyện, thị xã, thành phố của tỉnh Hải Dương năm 2023, đạt 85,34 điểm.")
_HT_TEXT = ("Chỉ số CCHC năm 2023 của tỉnh Hà Tĩnh đã được công bố.\n"
            "Thị xã Kỳ Anh xếp thứ 2/13, năm 2022 xếp thứ 1/13; huyện Can Lộc xếp thứ 5/13.")
_OTHER_TEXT = ("Tỉnh Hải Dương công bố Chỉ số CCHC năm 2023.\n"
               "Thành phố Hải Dương dẫn đầu với 90,1 điểm, huyện Kim Thành xếp thứ 4/12.\n"
               "Huyện Lạc Sơn (Hoà Bình) xếp thứ 2/10 năm 2023.")
_XSS_SENTENCE = ('Xã <script>window.__xss="evidence"</script>An Lạc xếp thứ 1/9 năm 2023 '
                 '<img src=x onerror="window.__xss=\'evidence-img\'"> <a href="javascript:window.__xss=1">xem</a>.')
_XSS_TEXT = "Mở đầu <b>in đậm</b>.\n" + _XSS_SENTENCE + "\nHết."
_HB_TEXT = "Năm 2023, huyện Lạc Sơn xếp thứ 2/10 trong tỉnh Hòa Bình; huyện Tân Lạc xếp thứ 7/10."


def _fact(text, sentence, unit, level, year, province, **values):
    start = text.index(sentence)
    fact = {"unit": unit, "level": level, "index": values.pop("index", "PAR"), "year": year,
            "province": province, "parent": values.pop("parent", None), "rank": None,
            "rank_total": None, "rank_change": None, "score": None, "score_min": None,
            "evidence": sentence, "start": start, "end": start + len(sentence), "rules": ["test"]}
    fact.update(values)
    return fact


def _line(text, needle):
    return next(line for line in text.split("\n") if needle in line)


ARTICLES = [
    ("https://baohaiduong.vn/kim-thanh-2023", "baohaiduong.vn", "Kim Thành công bố Chỉ số CCHC 2023",
     "2024-04-04", _HD_TEXT, lambda t: [
        _fact(t, _HD_SENTENCE, "xã Kim Anh", "commune", 2023, "Hải Dương", parent="huyện Kim Thành",
              rank=1, score=91.5),
        _fact(t, _HD_SENTENCE, "xã Kim Tân", "commune", 2023, "Hải Dương", parent="huyện Kim Thành",
              rank=2, rank_total=18),
        _fact(t, _HD_SENTENCE, "xã Kim Xuyên", "commune", 2023, "Hải Dương", parent="huyện Kim Thành",
              rank=3, rank_total=18),
        _fact(t, _line(t, "3/12"), "huyện Kim Thành", "district", 2023, "Hải Dương", rank=3,
              rank_total=12, score=85.34)]),
    ("https://baohatinh.vn/cchc-2023", "baohatinh.vn", "Hà Tĩnh: Chỉ số CCHC cấp huyện năm 2023",
     "2024-03-20", _HT_TEXT, lambda t: [
        _fact(t, _line(t, "Kỳ Anh"), "thị xã Kỳ Anh", "district", 2023, "Hà Tĩnh", rank=2, rank_total=13),
        _fact(t, _line(t, "Kỳ Anh"), "thị xã Kỳ Anh", "district", 2022, "Hà Tĩnh", rank=1, rank_total=13),
        _fact(t, _line(t, "Kỳ Anh"), "huyện Can Lộc", "district", 2023, "Hà Tĩnh", rank=5, rank_total=13)]),
    ("https://tintuc.example.vn/hai-duong", "tintuc.example.vn", "Hải Dương: kết quả CCHC",
     "2024-04-10", _OTHER_TEXT, lambda t: [
        _fact(t, _line(t, "dẫn đầu"), "thành phố Hải Dương", "district", 2023, "Hải Dương", rank=1,
              score=90.1),
        _fact(t, _line(t, "dẫn đầu"), "huyện Kim Thành", "district", 2023, "Hải Dương", rank=4,
              rank_total=12),
        _fact(t, _line(t, "Lạc Sơn"), "huyện Lạc Sơn", "district", 2023, "Hoà Bình", rank=2,
              rank_total=10)]),
    ("https://baohoabinh.vn/cchc", "baohoabinh.vn", "Hòa Bình: Chỉ số CCHC 2023", "2024-05-02",
     _HB_TEXT, lambda t: [
        _fact(t, t, "huyện Tân Lạc", "district", 2023, "Hòa Bình", rank=7, rank_total=10)]),
    ("https://xss.example/bai-viet", "xss.example", XSS_TITLE, "2024-06-01", _XSS_TEXT, lambda t: [
        _fact(t, _XSS_SENTENCE, "xã An Lạc", "commune", 2023, "Hải Dương", rank=1, rank_total=9)]),
]


_HASH = []


def password_hash() -> str:
    # scrypt is slow on purpose: hash the test password once per test run.
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


def build(path, reviewers=("lan", "minh")) -> dict:
    """Create the database at `path`; return {unit or (unit, year): fact id}."""
    db = store.connect(path)
    ids = {}
    for url, site, title, published, text, facts_of in ARTICLES:
        page_id = store.pages.save_page(db, url, final_url=url, source=site, kind="article",
                                        status=200, content_type="text/html", body=text.encode())
        facts = facts_of(text)
        store.facts.save_document(db, page_id, {"title": title, "published": published, "site": site,
                                                "url": url, "text": text, "facts": facts}, "test-1")
    # A page URL is canonical http(s) in the store; the article link is where a bad scheme could hide.
    xss_article = db.execute("SELECT id FROM articles WHERE site = 'xss.example'").fetchone()[0]
    db["articles"].update(xss_article, {"url": XSS_URL})
    for row in db.query("SELECT f.id, f.unit, f.year, a.site FROM facts f JOIN articles a ON a.id = f.article_id"):
        ids[(row["unit"], row["year"], row["site"])] = row["id"]
        ids.setdefault(row["unit"], row["id"])
    for name in reviewers:
        store.reviewers.add(db, name, password_hash())
    db.conn.close()
    return ids
