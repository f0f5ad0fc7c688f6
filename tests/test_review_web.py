"""The review pages over HTTP (Datasette's test client): who may review, CSRF, decisions,
conflicts between reviewers, corrections, bulk accept, undo/redo, private mode, escaping."""
import asyncio
import json
import re
import time

import pytest

from parindex import store
from parindex.review import views
from parindex.review.app import make_datasette
from _review_client import Client
from _review_data import PASSWORD, XSS_TITLE, build

@pytest.fixture
def site(tmp_path):
    path = tmp_path / "parindex.db"
    ids = build(path)
    loop = asyncio.new_event_loop()

    def make(private=False):
        ds = make_datasette(path, private=private, secret="test-secret")
        loop.run_until_complete(ds.invoke_startup())
        return ds

    ds = make()
    yield {"path": path, "ids": ids, "ds": ds, "client": lambda d=ds: Client(d, loop), "make": make}
    loop.close()


def fact(path, fact_id):
    db = store.connect(path, readonly=True)
    try:
        return next(db.query("SELECT * FROM facts WHERE id = ?", [fact_id]))
    finally:
        db.conn.close()


def reviews(path):
    db = store.connect(path, readonly=True)
    try:
        return list(db.query("SELECT * FROM reviews ORDER BY id"))
    finally:
        db.conn.close()


# Who may review

def test_the_review_page_sends_strangers_to_the_login_form(site):
    response = site["client"]().get("/-/review?site=baohatinh.vn")
    assert response.status_code == 302
    assert response.headers["location"] == "/-/login?next=%2F-%2Freview%3Fsite%3Dbaohatinh.vn"


def test_a_reviewer_logs_in_with_the_right_password_and_sees_a_pending_fact(site):
    client = site["client"]()
    response = client.login()
    assert response.status_code == 302 and response.headers["location"] == "/-/review"
    assert "parindex_session" in client.cookies
    page = client.get("/-/review")
    assert page.status_code == 200
    assert 'data-status="pending"' in page.text
    assert "Logged in as lan" in page.text


def test_a_wrong_password_and_an_unknown_reviewer_get_the_same_slow_answer(site, monkeypatch):
    monkeypatch.setattr(views, "FAIL_DELAY", 0.3)
    answers = []
    for name, password in (("lan", "not-the-password"), ("nobody", PASSWORD)):
        client = site["client"]()
        started = time.monotonic()
        response = client.login(name, password)
        answers.append((response.status_code, re.search(r'id="login-error">([^<]*)<', response.text).group(1),
                        time.monotonic() - started >= 0.3, "parindex_session" in client.cookies))
    assert answers == [(403, "Unknown reviewer or wrong password.", True, False)] * 2


def test_a_forged_or_foreign_session_cookie_is_not_a_login(site):
    client = site["client"]()
    client.cookies["parindex_session"] = '{"id": "lan", "e": 99999999999}'
    assert client.get("/-/review").status_code == 302
    other = make_datasette(site["path"], secret="another-secret")
    from parindex.review import session
    client.cookies["parindex_session"] = session.cookie_value(other, "lan")
    assert client.get("/-/review").status_code == 302


def test_a_session_ends_when_its_reviewer_is_removed(site):
    client = site["client"]()
    client.login()
    db = store.connect(site["path"])
    db["reviewers"].delete("lan")
    db.conn.close()
    assert client.get("/-/review").status_code == 302


def test_login_only_redirects_inside_the_site(site):
    client = site["client"]()
    client.get("/-/login")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post("/-/login", {"name": "lan", "password": PASSWORD, "next": target})
        assert response.headers["location"] == "/-/review"


def test_logout_ends_the_session(site):
    client = site["client"]()
    client.login()
    client.get("/-/logout")
    client.post("/-/logout", {})
    assert "parindex_session" not in client.cookies
    assert client.get("/-/review").status_code == 302


# CSRF

def test_posts_without_the_csrf_token_are_refused_and_change_nothing(site):
    client = site["client"]()
    client.login()
    fact_id = site["ids"]["xã Kim Anh"]
    for path, data in (("/-/review/decide", {"fact_id": fact_id, "action": "accept"}),
                       ("/-/review/undo", {}), ("/-/review/accept-all", {"expected": "12"}),
                       ("/-/login", {"name": "lan", "password": PASSWORD})):
        assert client.post(path, data, csrf=False).status_code == 403, path
    forged = client.post("/-/review/decide", {"fact_id": fact_id, "action": "accept", "csrftoken": "forged"},
                         csrf=False)
    assert forged.status_code == 403
    assert fact(site["path"], fact_id)["status"] == "pending"
    assert reviews(site["path"]) == []


# Decisions

def test_accepting_updates_the_fact_logs_the_decision_and_moves_on(site):
    client = site["client"]()
    client.login()
    fact_id = site["ids"]["xã Kim Anh"]
    response = client.post("/-/review/decide", {"fact_id": fact_id, "action": "accept",
                                                "filter-site": "baohaiduong.vn"})
    assert response.status_code == 302
    assert response.headers["location"] == f"/-/review?site=baohaiduong.vn&after={fact_id}"
    row = fact(site["path"], fact_id)
    assert (row["status"], row["reviewed_by"]) == ("accepted", "lan")
    [log] = reviews(site["path"])
    assert (log["fact_id"], log["action"], log["reviewer"]) == (fact_id, "accept", "lan")
    assert json.loads(log["before"])["status"] == "pending"
    page = client.get(response.headers["location"])
    assert f'data-fact-id="{fact_id}"' not in page.text
    assert "Accepted: xã Kim Anh, PAR 2023." in page.text


def test_a_second_decision_on_a_decided_fact_is_a_conflict_that_overwrites_nothing(site):
    lan, minh = site["client"](), site["client"]()
    lan.login("lan")
    minh.login("minh")
    fact_id = site["ids"]["huyện Can Lộc"]
    # Both see the fact pending; minh decides first.
    assert 'data-status="pending"' in lan.get(f"/-/review?fact={fact_id}").text
    minh.post("/-/review/decide", {"fact_id": fact_id, "action": "accept"})
    response = lan.post("/-/review/decide", {"fact_id": fact_id, "action": "reject"})
    assert response.status_code == 409
    assert "Conflict: fact" in response.text and "decided by minh" in response.text
    assert "Nothing was changed." in response.text
    row = fact(site["path"], fact_id)
    assert (row["status"], row["reviewed_by"]) == ("accepted", "minh")
    assert [r["reviewer"] for r in reviews(site["path"])] == ["minh"]


def test_a_correction_is_checked_and_a_wrong_one_changes_nothing(site):
    client = site["client"]()
    client.login()
    fact_id = site["ids"]["xã Kim Tân"]
    base = {"fact_id": fact_id, "action": "correct", "unit": "xã Kim Tân",
            "level": "commune", "index": "PAR", "year": "2023", "rank": "2", "rank_total": "18"}
    for change, field in (({"rank": "19"}, "rank"), ({"year": "2049"}, "year"),
                          ({"level": "village"}, "level"), ({"index": "XYZ"}, "index"),
                          ({"rank": "two"}, "rank")):
        response = client.post("/-/review/decide", {**base, **change})
        assert response.status_code == 400, change
        assert f'data-field="{field}"' in response.text
        assert "The correction was not saved" in response.text
    assert fact(site["path"], fact_id)["status"] == "pending"
    assert reviews(site["path"]) == []


def test_a_valid_correction_keeps_the_reviewers_values(site):
    client = site["client"]()
    client.login()
    fact_id = site["ids"]["xã Kim Tân"]
    response = client.post("/-/review/decide", {
        "fact_id": fact_id, "action": "correct", "unit": "xã Kim Tân",
        "level": "commune", "index": "PAR", "year": "2023", "rank": "4", "rank_total": "18",
        "province": "Hải Dương", "score": "88,25", "note": "bảng xếp hạng", "filter-site": "baohaiduong.vn"})
    # The fact's own province and year are not taken for the queue's filter.
    assert response.headers["location"] == f"/-/review?site=baohaiduong.vn&after={fact_id}"
    row = fact(site["path"], fact_id)
    assert (row["status"], row["rank"], row["score"]) == ("corrected", 4, 88.25)
    [log] = reviews(site["path"])
    assert (log["action"], log["note"]) == ("correct", "bảng xếp hạng")
    assert json.loads(log["after"])["rank"] == 4 and json.loads(log["before"])["rank"] == 2


def test_undo_restores_the_fact_and_redo_applies_the_decision_again(site):
    client = site["client"]()
    client.login()
    fact_id = site["ids"]["huyện Tân Lạc"]
    client.post("/-/review/decide", {"fact_id": fact_id, "action": "reject"})
    response = client.post("/-/review/undo", {"fact_id": fact_id})
    assert response.headers["location"] == f"/-/review?fact={fact_id}"
    assert fact(site["path"], fact_id)["status"] == "pending"
    client.post("/-/review/redo", {"fact_id": fact_id})
    assert fact(site["path"], fact_id)["status"] == "rejected"
    assert [r["action"] for r in reviews(site["path"])] == ["reject", "undo", "reject"]
    nothing = client.post("/-/review/redo", {"fact_id": fact_id})
    assert "Nothing to redo." in client.get(nothing.headers["location"]).text


def test_the_counter_and_filters_narrow_the_queue(site):
    client = site["client"]()
    client.login()
    page = client.get("/-/review?site=baohatinh.vn&year=2023")
    assert re.search(r'id="left">(\d+)<', page.text).group(1) == "2"
    assert "Kỳ Anh" in page.text
    empty = client.get("/-/review?province=Hà Tĩnh&level=commune")
    assert "Nothing to review in this filter." in empty.text


def test_accepting_a_filtered_set_asks_first_and_accepts_exactly_that_set(site):
    client = site["client"]()
    client.login()
    confirm = client.get("/-/review/accept-all?site=baohatinh.vn")
    assert re.search(r'id="bulk-count">(\d+)<', confirm.text).group(1) == "3"
    stale = client.post("/-/review/accept-all", {"filter-site": "baohatinh.vn", "expected": "2"})
    assert stale.status_code == 409 and "Nothing was accepted" in stale.text
    assert reviews(site["path"]) == []
    done = client.post("/-/review/accept-all", {"filter-site": "baohatinh.vn", "expected": "3"})
    assert done.status_code == 302
    db = store.connect(site["path"], readonly=True)
    statuses = dict(db.execute("SELECT a.site, group_concat(DISTINCT f.status) FROM facts f "
                               "JOIN articles a ON a.id = f.article_id GROUP BY a.site").fetchall())
    db.conn.close()
    assert statuses["baohatinh.vn"] == "accepted"
    assert statuses["baohaiduong.vn"] == "pending"
    assert [r["note"] for r in reviews(site["path"])] == ["bulk accept"] * 3


# Browsing, private mode, secrets

def test_browsing_is_open_and_private_mode_asks_for_a_login_everywhere(site):
    name = site["path"].stem
    assert site["client"]().get(f"/{name}/facts").status_code == 200
    private = site["make"](private=True)
    stranger = site["client"](private)
    response = stranger.get(f"/{name}/facts")
    assert response.status_code == 302 and response.headers["location"].startswith("/-/login?next=")
    assert stranger.get("/").status_code == 302
    stranger.login()
    assert stranger.get(f"/{name}/facts").status_code == 200


def test_password_hashes_cannot_be_read_through_datasette(site):
    client = site["client"]()
    name = site["path"].stem
    assert client.get(f"/{name}/reviewers").status_code == 403
    rows = client.get(f"/{name}.json?sql=select+name,+password_hash+from+reviewers&_shape=array").json()
    assert rows == [{"name": "lan", "password_hash": None}, {"name": "minh", "password_hash": None}]


def test_article_text_titles_and_links_are_escaped_on_the_review_page(site):
    client = site["client"]()
    client.login()
    page = client.get(f"/-/review?fact={site['ids']['xã An Lạc']}").text
    assert XSS_TITLE not in page and "<script>window.__xss" not in page
    assert "&lt;script&gt;window.__xss = &#34;title&#34;&lt;/script&gt;" in page
    assert '<mark id="evidence">Xã &lt;script&gt;' in page
    assert 'href="javascript:' not in page


def test_review_pages_forbid_foreign_scripts_and_framing(site):
    client = site["client"]()
    client.login()
    policy = client.get("/-/review").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy
    assert "frame-ancestors 'none'" in client.get("/-/login").headers["content-security-policy"]


def test_a_fact_that_no_longer_exists_is_named(site):
    client = site["client"]()
    client.login()
    response = client.get("/-/review?fact=0000deadbeef")
    assert response.status_code == 404
    assert "No fact 0000deadbeef: re-extraction may have replaced it." in response.text


def test_a_decided_fact_seen_later_takes_no_new_decision(site):
    lan, minh = site["client"](), site["client"]()
    lan.login("lan")
    minh.login("minh")
    fact_id = site["ids"]["huyện Lạc Sơn"]
    lan.post("/-/review/decide", {"fact_id": fact_id, "action": "accept"})
    # minh walks the decided facts too (status=all) and tries to change lan's decision.
    page = minh.get(f"/-/review?status=all&fact={fact_id}")
    assert "already decided" in page.text
    for action in ("reject", "accept"):
        response = minh.post("/-/review/decide", {"fact_id": fact_id, "action": action, "filter-status": "all"})
        assert response.status_code == 409 and "is accepted now, not pending: decided by lan" in response.text
    assert fact(site["path"], fact_id)["reviewed_by"] == "lan"
    assert [r["reviewer"] for r in reviews(site["path"])] == ["lan"]
