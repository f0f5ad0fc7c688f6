"""The Datasette plugin of parindex: review routes, reviewer sessions, SQL helpers.

Every hook is inert unless the metadata carries the `parindex-review` plugin settings
(parindex.review.app.make_datasette puts them there), so a plain `datasette` run in the
same environment is not changed by it.
"""
import sqlite3
from urllib.parse import urlencode

from datasette import Response, hookimpl

from parindex import store
from parindex.model.normalize import unit_key
from parindex.model.places import province_key, unit_matches
from parindex.review import errors, i18n, limits, serverinfo, session, sitefacet, views


@hookimpl
def register_routes(datasette):
    if views.config(datasette) is None:
        return []
    return [
        (r"^/-/review$", views.review),
        (r"^/-/review/decide$", views.decide),
        (r"^/-/review/undo$", views.undo),
        (r"^/-/review/redo$", views.redo),
        (r"^/-/review/accept-all$", views.accept_all),
        (r"^/-/login$", views.login),
        (r"^/-/logout$", views.logout),
        (r"^/-/databases(\.(?P<format>json))?$", serverinfo.databases),
    ]


def _bearer(request) -> str | None:
    kind, _, value = (request.headers.get("authorization") or "").partition(" ")
    return value.strip() if kind.lower() == "bearer" and value.strip() else None


@hookimpl
def actor_from_request(datasette, request):
    settings = views.config(datasette)
    if settings is None:
        return None
    api_token = _bearer(request)
    if api_token:
        async def from_token():
            # A script's token reads (what --private closes to strangers); it never reviews.
            name = await views.read(datasette, store.sessions.reviewer_of_api_token, api_token)
            return {"id": name, "parindex_token": True} if name else None
        return from_token
    if settings.get("readonly"):
        return None
    token = session.token_from_cookie(datasette, request.cookies.get(session.COOKIE))
    if token is None:
        return None

    async def from_session():
        # Logged out, expired, or the reviewer removed: the cookie is worth nothing any more.
        name = await views.read(datasette, store.sessions.reviewer_of, token)
        return {"id": name, "parindex_reviewer": True} if name else None

    return from_session


def _sql_unit_key(value):
    return unit_key(value) if isinstance(value, str) else None


def _sql_province_key(value):
    return province_key(value) if isinstance(value, str) else None


def _sql_unit_matches(stored, typed):
    return int(isinstance(stored, str) and isinstance(typed, str) and unit_matches(stored, typed))


# Read as NULL on Datasette's connections, where anyone may run SELECTs: password hashes are
# nobody's business, and page bodies are zlib bytes no browser reads that may be megabytes
# (limits.MAX_VALUE_BYTES keeps values below that).
_HIDDEN = {("reviewers", "password_hash"), ("pages", "body")}
# fts3_tokenizer('simple') hands out a pointer into the library, and its two-argument form
# registers a tokenizer from one: not for strangers.
_DENIED_FUNCTIONS = {"fts3_tokenizer"}


def _authorize(action, arg1, arg2, *_):
    if action == sqlite3.SQLITE_READ and (arg1, arg2) in _HIDDEN:
        return sqlite3.SQLITE_IGNORE
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, database, datasette):
    settings = views.config(datasette)
    if settings is None or database != settings["database"]:
        return
    conn.create_function("unit_key", 1, _sql_unit_key, deterministic=True)
    conn.create_function("province_key", 1, _sql_province_key, deterministic=True)
    conn.create_function("unit_matches", 2, _sql_unit_matches, deterministic=True)
    conn.set_authorizer(_authorize)
    limits.apply(conn)


@hookimpl(hookwrapper=True)
def handle_exception(datasette, request, exception):
    # Datasette awaits every handler's answer and its default one prints a `rich` traceback
    # with every local variable: for parindex only ours is awaited.
    outcome = yield
    if views.config(datasette) is not None:
        outcome.force_result([errors.handle_exception(datasette, request, exception)])


@hookimpl
def asgi_wrapper(datasette):
    if views.config(datasette) is None:
        return lambda app: app
    return serverinfo.refuse_multipart


@hookimpl
def menu_links(datasette, actor, request):
    if views.config(datasette) is None:
        return None
    t = i18n.translator(i18n.language(request) if request is not None else "en")
    if actor and actor.get("parindex_reviewer"):
        return [{"href": "/-/review", "label": t("Review facts")},
                {"href": "/-/logout", "label": t("Log out ({reviewer})", reviewer=actor["id"])}]
    return [{"href": "/-/login?next=/-/review", "label": t("Log in to review")}]


@hookimpl
def forbidden(datasette, request, message):
    settings = views.config(datasette)
    if not (settings and settings.get("private") and request.actor is None):
        return None
    # A script is told in one line; a person is sent to the login form, not a 403.
    if _bearer(request):
        return Response.text("parindex: the API token is unknown, expired or its reviewer's login "
                             "is off\n", status=401)
    if request.path.endswith((".json", ".csv")):
        return Response.text("parindex: this server is private: send an API token "
                             "(Authorization: Bearer ...; `parindex reviewer token NAME`)\n", status=401)
    return Response.redirect("/-/login?" + urlencode({"next": request.full_path}))


@hookimpl
def extra_css_urls(template, database, table, columns, view_name, request, datasette):
    if views.config(datasette) is None or view_name != "table":
        return []
    return ["/parindex-review/table.css"]


@hookimpl
def extra_js_urls(template, database, table, columns, view_name, request, datasette):
    if views.config(datasette) is None or view_name != "table":
        return []
    return ["/parindex-review/table.js"]


@hookimpl
def register_facet_classes():
    return [sitefacet.SiteFacet]


@hookimpl
def filters_from_request(request, database, table, datasette):
    if views.config(datasette) is None:
        return None
    return sitefacet.site_filter(request, table)
