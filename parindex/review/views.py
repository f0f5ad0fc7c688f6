"""The review pages: Datasette route handlers, thin over card, corrections and store.

Reads run on Datasette's read connections, writes on its single write connection, both
through store functions (store.queue, store.reviews, store.reviewers): no SQL here.
"""
import asyncio
import base64
import hashlib
import re
from urllib.parse import urlencode

import sqlite_utils
from datasette import Response

from parindex import store
from parindex.model.catalogue import CLAIMS, INDEXES, LEVELS, first_year
from parindex.model.validity import last_year
from parindex.review import card, corrections, i18n, passwords, session, throttle
from parindex.review.metadata import PLUGIN
from parindex.review.redirects import safe_next
from parindex.store import queue
from parindex.store.reviews import Conflict, InvalidFact

ACTIONS = ("accept", "reject", "correct")
FORM_PREFIX = "filter-"  # the filters in a form, apart from the fact's fields of the same names
FAIL_DELAY = 1.0  # seconds a wrong login waits: slows guessing, tells nothing


def config(datasette) -> dict | None:
    """The plugin's settings, or None when Datasette serves something that is not parindex."""
    return datasette.plugin_config(PLUGIN)


def _database(datasette):
    return datasette.get_database(config(datasette)["database"])


async def read(datasette, fn, *args):
    return await _database(datasette).execute_fn(lambda conn: fn(conn, *args))


async def write(datasette, fn, *args, **kwargs):
    return await _database(datasette).execute_write_fn(
        lambda conn: fn(sqlite_utils.Database(conn), *args, **kwargs))


_TRUSTED_INLINE = "_close_open_menus.html"  # Datasette's one inline script on every page
_csp = []


async def page(datasette, template, context, request, status=200):
    """A rendered page with a Content-Security-Policy: should anything from an article ever
    slip through the escaping, the browser still runs no script but ours and Datasette's,
    and no other site may frame the page to steer a reviewer's keys."""
    if not _csp:
        trusted = await datasette.jinja_env.get_template(_TRUSTED_INLINE).render_async()
        hashes = [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                  for body in re.findall(r"<script>(.*?)</script>", trusted, re.S)]
        _csp.append("default-src 'self'; script-src 'self' " + " ".join(f"'sha256-{h}'" for h in hashes)
                    + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
                    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    lang = i18n.language(request)
    switch = [(k, v) for k in request.args.keys() for v in request.args.getlist(k) if k != "lang"]
    context = {**context, "lang": lang, "t": i18n.translator(lang),
               "other_language": ("en" if lang == "vi" else "vi"),
               "language_link": request.path + "?" + urlencode(switch + [("lang", "en" if lang == "vi" else "vi")])}
    html = await datasette.render_template(template, context, request=request)
    response = Response.html(html, status=status, headers={"Content-Security-Policy": _csp[0]})
    if request.args.get("lang") in i18n.LANGUAGES:  # a choice made on the page is remembered
        response.set_cookie(i18n.COOKIE, request.args["lang"], max_age=365 * 86400, samesite="lax", path="/")
    return response


def _t(request):
    return i18n.translator(i18n.language(request))


async def current_reviewer(datasette, request) -> str | None:
    """The logged-in reviewer, if the name is still in `reviewers` (removing it ends the session)."""
    actor = request.actor or {}
    name = actor.get("id") if actor.get("parindex_reviewer") else None
    if name and await read(datasette, store.reviewers.exists, name):
        return name
    return None


def _login_redirect(request):
    return Response.redirect("/-/login?" + urlencode({"next": request.full_path}))


def _filter_query(filters: dict, **extra) -> str:
    params = {k: v for k, v in filters.items() if not (k == "status" and v == "pending")}
    params.update({k: v for k, v in extra.items() if v is not None})
    return urlencode(params)


def _page_state(conn, filters, fact_id, after):
    """Which fact to show and everything around it, in one read."""
    if fact_id is None:
        fact_id = queue.next_pending(conn, filters, after) if after else queue.first(conn, filters)
    shown = card.load(conn, fact_id) if fact_id else None
    return {
        "card": shown,
        "previous": queue.neighbour(conn, filters, fact_id, -1) if shown else None,
        "next": queue.neighbour(conn, filters, fact_id, 1) if shown else None,
        "skip_to": queue.next_pending(conn, filters, fact_id) if shown else None,
        "left": queue.count(conn, filters, pending_only=True),
        "in_filter": queue.count(conn, {**filters, "status": "all"}, pending_only=False),
        "choices": queue.choices(conn),
    }


async def _render_review(datasette, request, reviewer, filters, fact_id=None, after=None,
                         status=200, message=None, errors=None, form=None):
    state = await read(datasette, _page_state, filters, fact_id, after)
    if fact_id and state["card"] is None and message is None:
        message, status = _t(request)("No fact {fact}: re-extraction may have replaced it.", fact=fact_id), 404
    values = dict(state["card"]["claims"]) if state["card"] else {}
    if form:
        values.update({k: form.get(k) for k in CLAIMS if k in form})
    context = {
        **state, "reviewer": reviewer, "filters": filters, "message": message,
        "database_name": config(datasette)["database"],
        "errors": errors or {}, "values": values, "editing": bool(errors),
        "filter_names": queue.FILTERS, "statuses": ("pending", "all") + queue.STATUSES[1:],
        "levels": LEVELS, "indexes": INDEXES, "first_year": first_year(None), "last_year": last_year(),
        "query": lambda **extra: _filter_query(filters, **extra),
    }
    return await page(datasette, "parindex_review.html", context, request, status)


async def review(request, datasette):
    reviewer = await current_reviewer(datasette, request)
    if reviewer is None:
        return _login_redirect(request)
    filters = queue.clean_filters(request.args)
    return await _render_review(datasette, request, reviewer, filters,
                                fact_id=request.args.get("fact") or None,
                                after=request.args.get("after") or None)


def _claims_of(conn, fact_id):
    shown = card.load(conn, fact_id)
    return shown["claims"] if shown else None


async def decide(request, datasette):
    reviewer = await current_reviewer(datasette, request)
    if reviewer is None:
        return Response.text("Log in to review: /-/login", status=403)
    form = await request.post_vars()
    t = _t(request)
    filters = queue.clean_filters(form, FORM_PREFIX)
    fact_id, action = form.get("fact_id", ""), form.get("action", "")
    if action not in ACTIONS or not fact_id:
        return Response.text(f"unknown action {action!r} or missing fact", status=400)
    changes = None
    if action == "correct":
        current = await read(datasette, _claims_of, fact_id)
        if current is None:
            return await _render_review(datasette, request, reviewer, filters, status=404,
                                        message=t("Fact {fact} no longer exists.", fact=fact_id))
        changes, errors = corrections.parse(form, current)
        if not errors and not changes:
            errors = {"unit": t("nothing was changed: accept the fact instead (a)")}
        if errors:
            return await _render_review(datasette, request, reviewer, filters, fact_id=fact_id,
                                        status=400, errors=errors, form=form,
                                        message=t("The correction was not saved: {reasons}", reasons="; ".join(
                                            f"{t(k)}: {v}" for k, v in errors.items())))
    try:
        fact = await write(datasette, store.reviews.decide, fact_id, action, reviewer,
                           changes=changes, note=(form.get("note") or "").strip() or None,
                           # Only a pending fact takes a decision: a decided one stays
                           # as its reviewer left it (they can undo), whoever looks at it later.
                           expect_status="pending")
    except Conflict as conflict:
        return await _render_review(datasette, request, reviewer, filters, fact_id=fact_id,
                                    status=409, message=t("Conflict: {reason}. Nothing was changed.",
                                                          reason=conflict))
    except InvalidFact as invalid:  # the form checks first with the same rules: a last guard
        return await _render_review(datasette, request, reviewer, filters, fact_id=fact_id,
                                    status=400, errors=invalid.problems, form=form,
                                    message=t("The correction was not saved: {reasons}", reasons=invalid))
    except KeyError:
        return await _render_review(datasette, request, reviewer, filters, status=404,
                                    message=t("Fact {fact} no longer exists.", fact=fact_id))
    datasette.add_message(request, t("{status}: {unit}, {index} {year}.", status=t(fact["status"]).capitalize(),
                                     unit=fact["unit"], index=fact["index"], year=fact["year"]))
    return Response.redirect("/-/review?" + _filter_query(filters, after=fact_id))


async def _undo_or_redo(request, datasette, fn, verb):
    reviewer = await current_reviewer(datasette, request)
    if reviewer is None:
        return Response.text("Log in to review: /-/login", status=403)
    form = await request.post_vars()
    t = _t(request)
    filters = queue.clean_filters(form, FORM_PREFIX)
    try:
        fact = await write(datasette, fn, reviewer)
    except Conflict as conflict:
        return await _render_review(datasette, request, reviewer, filters, fact_id=form.get("fact_id"),
                                    status=409, message=t("Conflict: {reason}. Nothing was changed.",
                                                          reason=conflict))
    if fact is None:
        datasette.add_message(request, t("Nothing to {verb}.", verb=t(verb)), datasette.WARNING)
        return Response.redirect("/-/review?" + _filter_query(filters, fact=form.get("fact_id") or None))
    datasette.add_message(request, t("{verb} done: {unit}, {index} {year} is {status} again.",
                                     verb=t(verb).capitalize(), unit=fact["unit"], index=fact["index"],
                                     year=fact["year"], status=t(fact["status"])))
    return Response.redirect("/-/review?" + _filter_query(filters, fact=fact["id"]))


async def undo(request, datasette):
    return await _undo_or_redo(request, datasette, store.reviews.undo_last, "undo")


async def redo(request, datasette):
    return await _undo_or_redo(request, datasette, store.reviews.redo_last, "redo")


def _bulk_state(conn, filters):
    return {"count": queue.count(conn, filters, pending_only=True),
            "sample": [card.load(conn, fid)["fact"] for fid in queue.pending_ids(conn, filters, 20)]}


async def accept_all(request, datasette):
    reviewer = await current_reviewer(datasette, request)
    if reviewer is None:
        return _login_redirect(request) if request.method == "GET" else Response.text(
            "Log in to review: /-/login", status=403)
    source = await request.post_vars() if request.method == "POST" else request.args
    filters = queue.clean_filters(source, FORM_PREFIX if request.method == "POST" else "")
    message, status = None, 200
    if request.method == "POST":
        try:
            expected = int(source.get("expected", ""))
        except ValueError:
            return Response.text("missing the confirmed count", status=400)
        try:
            accepted = await write(datasette, store.reviews.accept_pending, filters, reviewer, expected)
        except Conflict as conflict:
            message, status = _t(request)("Conflict: {reason}. Nothing was accepted; look again.",
                                          reason=conflict), 409
        else:
            datasette.add_message(request, _t(request)("Accepted {n} facts.", n=accepted))
            return Response.redirect("/-/review?" + _filter_query(filters))
    state = await read(datasette, _bulk_state, filters)
    return await page(datasette, "parindex_accept_all.html",
                      {**state, "filters": filters, "message": message, "reviewer": reviewer,
                       "query": _filter_query(filters), "filter_names": queue.FILTERS},
                      request, status)


def _password_hash(path, name):
    db = store.connect(path, readonly=True)
    try:
        found = store.reviewers.get(db, name)
        return found["password_hash"] if found else None
    finally:
        db.conn.close()


CSRF_COOKIE = "ds_csrftoken"  # Datasette's (asgi-csrf) double-submit cookie
READONLY = ("This database is open read-only (a read-only file or folder): browsing works, "
            "reviewing is off.")


async def login(request, datasette):
    target = safe_next(request.args.get("next"))
    error, status, name = None, 200, ""
    if config(datasette).get("readonly"):
        return await page(datasette, "parindex_login.html",
                          {"error": _t(request)(READONLY), "readonly": True, "next": target, "name": name},
                          request, 503)
    if request.method == "POST":
        form = await request.post_vars()
        name = (form.get("name") or "").strip()
        password = form.get("password") or ""
        target = safe_next(form.get("next"))
        response = await _check_login(request, datasette, name, password, target)
        if isinstance(response, Response):
            return response
        error, status, headers = response
        rendered = await page(datasette, "parindex_login.html", {"error": error, "next": target, "name": name},
                              request, status)
        rendered.headers.update(headers)
        return rendered
    return await page(datasette, "parindex_login.html", {"error": error, "next": target, "name": name},
                      request, status)


async def _check_login(request, datasette, name, password, target):
    """The redirect of a good login, or (error, status, headers) for the form."""
    # asgi-csrf checks the token of a POST that carries cookies and lets one without any
    # cookie pass: a form on another site could log a reviewer in as someone else. A login
    # POST must come with the cookie that our own form's page set.
    t = _t(request)
    if CSRF_COOKIE not in request.cookies:
        return (t("The login form has expired or was sent from another site: log in from this "
                  "page (cookies must be on)."), 403, {})
    guard = throttle.for_datasette(datasette)
    address = (request.scope.get("client") or (None,))[0]
    attempt, wait = guard.begin(name, address)
    if attempt is None:
        return (t("Too many failed logins for this reviewer or from this address: try again in {wait}.",
                  wait=throttle.minutes(wait)), 429, {"Retry-After": str(int(wait) + 1)})
    # A separate read-only connection: Datasette's own ones cannot read the hashes.
    stored = await asyncio.to_thread(_password_hash, _database(datasette).path, name)
    if await asyncio.to_thread(passwords.verify_password, password, stored):
        guard.succeeded(attempt)
        token = await write(datasette, store.sessions.create, name, session.LIFETIME)
        response = Response.redirect(target)
        session.set_cookie(response, session.cookie_value(datasette, token),
                           secure=request.scheme == "https")
        return response
    await asyncio.sleep(FAIL_DELAY)
    return t("Unknown reviewer or wrong password."), 403, {}


async def logout(request, datasette):
    if request.method == "POST":
        token = session.token_from_cookie(datasette, request.cookies.get(session.COOKIE))
        if token and not config(datasette).get("readonly"):
            # Ended in the database: a copy of the cookie kept elsewhere is worth nothing now.
            await write(datasette, store.sessions.end, token)
        response = Response.redirect("/")
        session.clear_cookie(response)
        datasette.add_message(request, _t(request)("Logged out."))
        return response
    return await page(datasette, "parindex_logout.html", {}, request)
