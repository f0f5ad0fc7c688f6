"""The public server under abuse (../shared/reliability/web_checks.sh, web_bruteforce.py):
what a stranger may ask of it and what they get, over HTTP through Datasette's test client.
The memory cap, the brute-force reproducer, a full disk and read-only data run a real
`parindex serve` in tests/test_serve_limits.py."""
import asyncio
import json
import re

import pytest

from parindex import store
from parindex.review import throttle, views
from parindex.review.throttle import LoginThrottle
from _review_data import PASSWORD
from test_review_web import fact, reviews, site  # noqa: F401  (site is a fixture)


def get(ds, loop, path, **kwargs):
    return loop.run_until_complete(ds.client.get(path, **kwargs))


def _loop(site):
    return site["client"]().loop


# Free SQL: what one query may take

def test_a_blob_larger_than_any_stored_value_is_refused_by_sqlite(site):
    ds, loop, name = site["ds"], _loop(site), site["path"].stem
    response = get(ds, loop, f"/{name}.json", params={"sql": "select zeroblob(200000000) as z"})
    assert response.status_code == 400
    assert response.json()["error"] == "string or blob too big"


def test_a_result_over_the_budget_fails_with_a_clear_message(site):
    ds, loop, name = site["ds"], _loop(site), site["path"].stem
    sql = ("with recursive n(x) as (select 1 union all select x + 1 from n limit 1000) "
           "select x, zeroblob(1900000) from n")
    response = get(ds, loop, f"/{name}.json", params={"sql": sql})
    assert response.status_code == 400
    assert response.json()["error"].startswith("the result is larger than 20,000,000 bytes")
    # Ordinary queries on the same connections are not affected.
    rows = get(ds, loop, f"/{name}.json", params={"sql": "select count(*) as n from facts",
                                                     "_shape": "array"}).json()
    assert rows == [{"n": 12}]


def test_fts3_tokenizer_cannot_be_called_from_free_sql(site):
    ds, loop, name = site["ds"], _loop(site), site["path"].stem
    for sql in ("select hex(fts3_tokenizer('simple'))", "select fts3_tokenizer('simple', x'4141414141414141')"):
        response = get(ds, loop, f"/{name}.json", params={"sql": sql})
        assert response.status_code == 400
        assert response.json()["error"] == "not authorized to use function: fts3_tokenizer"


def test_page_bodies_read_as_null_but_the_rest_of_a_page_reads(site):
    ds, loop, name = site["ds"], _loop(site), site["path"].stem
    rows = get(ds, loop, f"/{name}.json", params={"sql": "select url, body from pages order by id limit 1",
                                                     "_shape": "array"}).json()
    assert rows == [{"url": "https://baohaiduong.vn/kim-thanh-2023", "body": None}]
    assert get(ds, loop, f"/{name}/pages").status_code == 200


def test_the_database_file_cannot_be_downloaded_and_its_path_is_not_shown(site):
    ds, loop, name = site["ds"], _loop(site), site["path"].stem
    listed = get(ds, loop, "/-/databases.json").json()
    assert [(d["name"], d["path"]) for d in listed] == [(name, f"{name}.db")]
    assert str(site["path"].parent) not in get(ds, loop, "/-/databases").text
    assert get(ds, loop, f"/{name}.db").status_code in (403, 404)


# Errors: a clear answer, one line in the log

def test_a_bad_sort_or_bad_sql_is_a_400_and_one_line_in_the_log(site, capfd):
    ds, loop, name = site["ds"], _loop(site), site["path"].stem
    capfd.readouterr()
    bad_sort = get(ds, loop, f"/{name}/facts", params={"_sort": "<x>"})
    bad_sort_json = get(ds, loop, f"/{name}/facts.json", params={"_sort": "<x>"})
    bad_sql = get(ds, loop, f"/{name}.json", params={"sql": "select nosuch from facts"})
    assert (bad_sort.status_code, bad_sort_json.status_code, bad_sql.status_code) == (400, 400, 400)
    assert "Cannot sort table by &lt;x&gt;" in bad_sort.text
    assert bad_sort_json.json()["error"] == "Cannot sort table by <x>"
    log = capfd.readouterr().err
    assert len(log) < 1000, log               # was 35 kB of rich traceback with local variables
    assert "Traceback" not in log and "locals" not in log
    assert f"parindex serve: GET /{name}/facts: 400 DatasetteError: Cannot sort table by <x>" in log.splitlines()


def test_a_multipart_post_with_any_cookie_is_a_400_not_a_crash(site, capfd):
    ds, loop = site["ds"], _loop(site)
    capfd.readouterr()
    response = loop.run_until_complete(ds.client.post(
        "/-/review/decide", cookies={"a": "b"},
        files={"fact_id": (None, "x"), "action": (None, "accept")}))
    assert response.status_code == 400
    assert "multipart/form-data is not accepted" in response.text
    assert "Traceback" not in capfd.readouterr().err


# Login: CSRF, redirects, sessions

def test_a_login_post_without_the_forms_cookie_logs_nobody_in(site):
    """A form on another site posts without our cookies (SameSite=Lax): it used to pass the
    CSRF check and log the victim in as the attacker."""
    client = site["client"]()
    response = client.post("/-/login", {"name": "minh", "password": PASSWORD, "next": "/-/review"},
                           csrf=False)
    assert response.status_code == 403
    assert "sent from another site" in response.text
    assert "parindex_session" not in client.cookies
    # The same browser, from our own form, gets in.
    assert client.login("minh").status_code == 302 and "parindex_session" in client.cookies


@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example", "///evil.example",
    "\\\\evil.example", "/\\evil.example", "http://evil.example/", "https:evil.example", "javascript:alert(1)",
    " /evil", "/ /evil.example", "/\x0b/evil.example", "evil.example",
])
def test_login_redirects_only_to_paths_of_this_site(site, target):
    client = site["client"]()
    client.get("/-/login")
    response = client.post("/-/login", {"name": "lan", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["location"] == "/-/review"


def test_a_path_of_this_site_is_kept_as_the_target(site):
    client = site["client"]()
    client.get("/-/login")
    response = client.post("/-/login", {"name": "lan", "password": PASSWORD,
                                        "next": "/-/review?site=baohatinh.vn&year=2023"})
    assert response.headers["location"] == "/-/review?site=baohatinh.vn&year=2023"


def test_after_logout_a_copy_of_the_old_cookie_is_worth_nothing(site):
    client = site["client"]()
    client.login()
    stolen = dict(client.cookies)
    assert client.get("/-/review").status_code == 200
    client.get("/-/logout")
    client.post("/-/logout", {})
    replay = site["client"]()
    replay.cookies = dict(stolen)
    assert replay.get("/-/review").status_code == 302
    replay.get("/-/login")
    refused = replay.post("/-/review/decide", {"fact_id": site["ids"]["xã Kim Anh"], "action": "accept"})
    assert refused.status_code == 403
    assert fact(site["path"], site["ids"]["xã Kim Anh"])["status"] == "pending" and reviews(site["path"]) == []


def test_a_new_password_ends_every_session_of_that_reviewer(site):
    client = site["client"]()
    client.login()
    db = store.connect(site["path"])
    store.reviewers.add(db, "lan", db["reviewers"].get("lan")["password_hash"])
    db.conn.close()
    assert client.get("/-/review").status_code == 302


def test_sessions_are_kept_hashed_and_closed_to_strangers(site):
    client = site["client"]()
    client.login()
    db = store.connect(site["path"], readonly=True)
    [(key, reviewer)] = db.execute("SELECT id, reviewer FROM sessions").fetchall()
    db.conn.close()
    assert reviewer == "lan" and re.fullmatch(r"[0-9a-f]{64}", key)
    assert key not in json.dumps(client.cookies)
    assert site["client"]().get(f"/{site['path'].stem}/sessions").status_code == 403


# Guessing passwords

@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(views, "FAIL_DELAY", 0)


def test_five_wrong_passwords_lock_the_reviewer_and_the_right_one_no_longer_works(site, quick):
    client = site["client"]()
    codes = [client.login("lan", f"wrong-{i}").status_code for i in range(5)]
    locked = client.login("lan", PASSWORD)
    assert codes == [403] * 5
    assert locked.status_code == 429 and "parindex_session" not in client.cookies
    assert "Too many failed logins" in locked.text and int(locked.headers["retry-after"]) > 60
    # An unknown name is counted the same: the answer tells nothing about who exists.
    assert [client.login("nobody", f"w{i}").status_code for i in range(6)] == [403] * 5 + [429]
    # Another reviewer is not locked out by them (until the address is: 20 failures).
    assert client.login("minh").status_code == 302


def test_twenty_failures_from_one_address_lock_that_address_for_every_name(site, quick):
    client = site["client"]()
    codes = [client.login(f"name{i}", "wrong-password").status_code for i in range(20)]
    assert codes == [403] * 20
    assert client.login("minh").status_code == 429


def test_fifty_guesses_at_once_get_no_more_than_five_checks(site, quick):
    ds, loop = site["ds"], _loop(site)
    client = site["client"]()
    client.get("/-/login")

    async def guess(i):
        data = {"csrftoken": client.token, "name": "lan", "password": f"wrong-{i}", "next": "/-/review"}
        return (await ds.client.post("/-/login", data=data, cookies=client.cookies)).status_code

    async def burst():
        return await asyncio.gather(*(guess(i) for i in range(50)))

    codes = loop.run_until_complete(burst())
    assert sorted(codes) == [403] * 5 + [429] * 45


def test_the_lock_ends_when_the_failures_leave_the_window_and_success_forgives_the_name():
    now = [1000.0]
    guard = LoginThrottle(per_name=2, per_address=4, window=60, clock=lambda: now[0])
    for _ in range(2):
        assert guard.begin("lan", "10.0.0.1")[0] is not None
    attempt, wait = guard.begin("lan", "10.0.0.1")
    assert attempt is None and wait == 60
    now[0] += 61
    attempt, _ = guard.begin("Lan ", "10.0.0.1")
    assert attempt is not None
    guard.succeeded(attempt)
    assert guard.begin("lan", "10.0.0.1")[0] is not None       # the name starts afresh
    # The address keeps its failures: 2 old ones left the window, the forgiven one is gone.
    assert sum(len(v) for k, v in guard.failures.items() if k[0] == "address") == 1
    assert throttle.minutes(61) == "2 minutes" and throttle.minutes(30) == "1 minute"


def test_many_made_up_names_do_not_grow_the_memory_without_end():
    guard = LoginThrottle(max_keys=100)
    for i in range(1000):
        guard.begin(f"name{i}", None)
    assert len(guard.failures) <= 100
