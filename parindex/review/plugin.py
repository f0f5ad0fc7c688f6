"""The Datasette plugin of parindex: review routes, reviewer sessions, SQL helpers.

Every hook is inert unless the metadata carries the `parindex-review` plugin settings
(parindex.review.app.make_datasette puts them there), so a plain `datasette` run in the
same environment is not changed by it.
"""
import sqlite3
from urllib.parse import urlencode

from datasette import Response, hookimpl

from parindex.model.normalize import unit_key
from parindex.review import session, sitefacet, views


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
    ]


@hookimpl
def actor_from_request(datasette, request):
    if views.config(datasette) is None:
        return None
    name = session.reviewer_from_cookie(datasette, request.cookies.get(session.COOKIE))
    return {"id": name, "parindex_reviewer": True} if name else None


def _sql_unit_key(value):
    return unit_key(value) if isinstance(value, str) else None


def _hide_password_hashes(action, table, column, *_):
    # Datasette lets anyone run SELECTs; the hashes read as NULL on its connections.
    if action == sqlite3.SQLITE_READ and table == "reviewers" and column == "password_hash":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, database, datasette):
    settings = views.config(datasette)
    if settings is None or database != settings["database"]:
        return
    conn.create_function("unit_key", 1, _sql_unit_key, deterministic=True)
    conn.set_authorizer(_hide_password_hashes)


@hookimpl
def menu_links(datasette, actor, request):
    if views.config(datasette) is None:
        return None
    if actor and actor.get("parindex_reviewer"):
        return [{"href": "/-/review", "label": "Review facts"},
                {"href": "/-/logout", "label": f"Log out ({actor['id']})"}]
    return [{"href": "/-/login?next=/-/review", "label": "Log in to review"}]


@hookimpl
def forbidden(datasette, request, message):
    settings = views.config(datasette)
    # With --private everything asks for a login: send strangers to the form, not a 403.
    if settings and settings.get("private") and request.actor is None:
        return Response.redirect("/-/login?" + urlencode({"next": request.full_path}))
    return None


@hookimpl
def register_facet_classes():
    return [sitefacet.SiteFacet]


@hookimpl
def filters_from_request(request, database, table, datasette):
    if views.config(datasette) is None:
        return None
    return sitefacet.site_filter(request, table)
