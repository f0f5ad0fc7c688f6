"""The review page in a real browser: headless Chromium (Debian's) driven by Playwright.

A reviewer logs in, decides three facts with the keyboard, undoes and redoes one; a
page whose article tries to run script runs nothing. Screenshots of the review page
and of a faceted facts page go to the test output folder.
"""
import asyncio
import json
import re
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from parindex import store
from parindex.review.app import make_datasette
from _review_data import PASSWORD, build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "parindex.db"
    ids = build(path)
    ds = make_datasette(path, secret="browser-test")
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(ds.app(), host="127.0.0.1", port=port, log_level="warning",
                                       lifespan="off"))

    async def run():
        # Its own thread and loop: Playwright's sync API owns the main thread's loop.
        await ds.invoke_startup()
        await uv.serve()

    thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "path": path, "ids": ids}
    uv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    # A script the Content-Security-Policy blocks, or one that fails, shows up here.
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(server["url"] + "/-/review")
    assert "/-/login" in page.url
    page.fill("#login-name", "lan")
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    yield page
    context.close()


def _shown(page) -> str:
    return page.get_attribute("#review-card", "data-fact-id")


def _press(page, key):
    with page.expect_navigation():
        page.keyboard.press(key)


def _facts_and_log(path, ids):
    db = store.connect(path, readonly=True)
    try:
        facts = {i: next(db.query("SELECT * FROM facts WHERE id = ?", [i])) for i in ids}
        log = [(r["fact_id"], r["action"], r["reviewer"]) for r in db.query("SELECT * FROM reviews ORDER BY id")]
        return facts, log
    finally:
        db.conn.close()


def test_a_reviewer_decides_three_facts_by_keyboard_and_undoes_and_redoes_one(page, server, output_dir):
    page.goto(server["url"] + "/-/review?site=baohaiduong.vn")
    assert page.inner_text("#left") == "4"
    page.screenshot(path=str(output_dir / "review.png"), full_page=True)

    # j and k follow links: each press waits for the next page's load event, by which time its
    # key handler is attached (waiting only for the card could press k before the script ran).
    first = _shown(page)
    _press(page, "j")
    assert _shown(page) != first
    _press(page, "k")
    assert _shown(page) == first

    accepted = _shown(page)
    _press(page, "a")
    assert "Accepted:" in page.inner_text(".message-info")

    corrected = _shown(page)
    old_rank = int(page.input_value("#f-rank"))
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "f-rank"
    page.keyboard.type(str(old_rank + 1))  # the rank is selected: typing replaces it
    _press(page, "Enter")

    rejected = _shown(page)
    _press(page, "r")
    assert page.inner_text("#left") == "1"

    _press(page, "u")
    assert _shown(page) == rejected and page.inner_text("#fact-status") == "pending"
    facts, _ = _facts_and_log(server["path"], [rejected])
    assert facts[rejected]["status"] == "pending"
    _press(page, "Shift+U")

    facts, log = _facts_and_log(server["path"], [accepted, corrected, rejected])
    assert len({accepted, corrected, rejected}) == 3
    assert [(facts[i]["status"], facts[i]["reviewed_by"]) for i in (accepted, corrected, rejected)] == [
        ("accepted", "lan"), ("corrected", "lan"), ("rejected", "lan")]
    assert facts[corrected]["rank"] == old_rank + 1
    assert log == [(accepted, "accept", "lan"), (corrected, "correct", "lan"), (rejected, "reject", "lan"),
                   (rejected, "undo", "lan"), (rejected, "reject", "lan")]
    db = store.connect(server["path"], readonly=True)
    correction = db.execute("SELECT before, after FROM reviews WHERE action = 'correct'").fetchone()
    db.conn.close()
    assert (json.loads(correction[0])["rank"], json.loads(correction[1])["rank"]) == (old_rank, old_rank + 1)
    assert page.dialogs == [] and page.errors == []
    # Datasette's menu script is allowed by the policy: the menu opens and closes.
    page.click("header details.nav-menu summary")
    assert page.evaluate("document.querySelector('details.nav-menu').open") is True
    page.click("h1")
    assert page.evaluate("document.querySelector('details.nav-menu').open") is False


def test_a_correction_beyond_the_group_size_is_stopped_in_the_browser(page, server):
    page.goto(server["url"] + "/-/review?site=baohatinh.vn")
    shown = _shown(page)
    total = int(page.input_value("#f-rank_total"))
    page.keyboard.press("e")
    page.keyboard.type(str(total + 1))
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # a submit would navigate; the browser's check keeps us here
    assert _shown(page) == shown and page.inner_text("#fact-status") == "pending"
    assert "beyond" in page.evaluate("document.getElementById('f-rank').validationMessage")
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('fields').disabled") is True


def test_an_article_that_carries_script_runs_nothing_on_the_review_page(page, server, output_dir):
    page.goto(f"{server['url']}/-/review?fact={server['ids']['xã An Lạc']}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # time for an onerror or a script to fire, were one there
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == [] and page.errors == []
    assert "<script>" in page.inner_text("#article-title")
    assert "<script>" in page.inner_text("#evidence")
    assert page.locator("#review-card img, #review-card script").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    # The page still works: keys act on it as on any other.
    page.keyboard.press("e")
    assert page.evaluate("document.getElementById('fields').disabled") is False
    page.screenshot(path=str(output_dir / "review-xss.png"), full_page=True)


def test_the_faceted_facts_page(page, server, output_dir):
    page.goto(server["url"] + "/parindex/facts?_facet=province&_sort=year")
    assert page.locator(".facet-info").count() >= 5
    assert re.search(r"Hải Dương\s*7", page.inner_text(".facet-results"))
    page.screenshot(path=str(output_dir / "facts-facets.png"), full_page=True)


def test_the_facts_table_shows_its_first_row_and_evidence_without_scrolling(page, server, output_dir):
    # 1280x900, as a reviewer's laptop: the column descriptions fold away, the facets stay short,
    # the article's title stays on one line, and the evidence comes right after the unit.
    page.goto(server["url"] + "/parindex/facts")
    page.wait_for_load_state("load")
    row = page.locator("table.rows-and-columns tbody tr").first.bounding_box()
    assert row["y"] + row["height"] <= 900, row
    evidence = page.locator("table.rows-and-columns tbody tr").first.locator("td.col-evidence").bounding_box()
    assert evidence["x"] < 1280 - 200 and evidence["y"] + evidence["height"] <= 900, evidence
    folded = page.locator("details.parindex-columns")
    assert folded.count() == 1 and folded.evaluate("d => d.open") is False
    assert "The unit as written" in folded.text_content()  # still there, a click away
    assert page.errors == []
    page.screenshot(path=str(output_dir / "facts-table.png"))


def test_a_long_headline_leaves_the_evidence_on_screen(page, server):
    fact_id = server["ids"]["xã Kim Anh"]
    db = store.connect(server["path"])
    article = db.execute("SELECT article_id FROM facts WHERE id = ?", [fact_id]).fetchone()[0]
    title = db.execute("SELECT title FROM articles WHERE id = ?", [article]).fetchone()[0]
    db.execute("UPDATE articles SET title = ? WHERE id = ?",
               ["Kết quả Chỉ số cải cách hành chính cấp xã của huyện Kim Thành năm 2023 " * 8, article])
    db.conn.commit()
    try:
        page.goto(f"{server['url']}/-/review?fact={fact_id}&status=all")
        box = page.locator("#evidence").bounding_box()
        assert box["y"] + box["height"] <= 900, box
        assert page.locator("#article-title").bounding_box()["height"] < 80  # two lines at most
    finally:
        db.execute("UPDATE articles SET title = ? WHERE id = ?", [title, article])
        db.conn.commit()
        db.conn.close()


def test_a_vietnamese_browser_gets_the_review_page_in_vietnamese_and_english_stays_a_click_away(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(server["url"] + "/-/review?site=baohatinh.vn")
        assert page.inner_text("h1") == "Đăng nhập để duyệt dữ kiện"
        page.fill("#login-name", "minh")
        page.fill("#login-password", PASSWORD)
        with page.expect_navigation():
            page.click("#login-submit")
        assert page.inner_text("h1") == "Duyệt dữ kiện"
        assert "Chấp nhận" in page.inner_text("#accept-form") and "Sửa" in page.inner_text("#edit-button")
        assert "Phím tắt" in page.inner_text(".keys")
        assert page.inner_text("#fact-status") == "chờ duyệt"
        with page.expect_navigation():
            page.click("#language-link")
        assert page.inner_text("h1") == "Review facts"
        page.goto(server["url"] + "/-/review?site=baohatinh.vn")  # the choice is remembered
        assert page.inner_text("h1") == "Review facts"
    finally:
        context.close()


# Hostile pages (../shared/reliability/web_login_csrf_attacker_page.html)

@pytest.fixture
def attacker_site(server, shared):
    """The reproducer's attacker page, served from another site (127.0.0.2: an address is a
    site of its own, while another port of 127.0.0.1 would be the same site to SameSite
    cookies), aimed at our server with the credentials of the attacker's own account (minh)."""
    import functools
    from http.server import SimpleHTTPRequestHandler

    from parindex.crawler.localsite import origin, serve

    html = (shared / "reliability" / "web_login_csrf_attacker_page.html").read_text(encoding="utf-8")
    html = (html.replace("http://127.0.0.1:8765", server["url"])
                .replace("value=bob", "value=minh").replace("value=bobs-password-1", f"value={PASSWORD}"))
    assert server["url"] in html and "value=minh" in html

    class Attacker(SimpleHTTPRequestHandler):
        def do_GET(self):
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with serve(functools.partial(Attacker), host="127.0.0.2") as httpd:
        yield origin(httpd) + "/"


def test_a_page_on_another_site_cannot_log_the_visitor_in_as_someone_else(browser, server, attacker_site):
    context = browser.new_context()
    victim = context.new_page()
    # The victim has been to the review site before (its CSRF cookie is set), then opens the attacker's page.
    victim.goto(server["url"] + "/-/login")
    with victim.expect_navigation(url=re.compile(re.escape(server["url"]) + "/-/login")):
        victim.goto(attacker_site)
    assert "sent from another site" in victim.inner_text("#login-error")
    assert not [c for c in context.cookies() if c["name"] == "parindex_session"]
    victim.goto(server["url"] + "/-/review")
    assert "/-/login" in victim.url                         # not logged in as minh
    context.close()


def test_logging_out_in_the_browser_ends_the_session_for_a_copied_cookie_too(browser, page, server):
    page.goto(server["url"] + "/-/review")
    assert "/-/review" in page.url and "Logged in as lan" in page.inner_text("body")
    copied = [c for c in page.context.cookies() if c["name"] == "parindex_session"]
    assert copied
    page.goto(server["url"] + "/-/logout")
    with page.expect_navigation():
        page.click("#logout-submit")
    assert "Logged out." in page.inner_text("body")
    elsewhere = browser.new_context()
    elsewhere.add_cookies(copied)
    thief = elsewhere.new_page()
    thief.goto(server["url"] + "/-/review")
    assert "/-/login" in thief.url
    elsewhere.close()
