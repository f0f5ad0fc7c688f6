"""Errors of the public server: one line in the log, a clear page for the person.

Datasette's own handler prints every error with `rich` and the local variables of each
frame (35 kB for one mistyped `_sort`), which fills the log of a public server and copies
request data into it. Here a client's mistake (bad SQL, a bad parameter, a refused query)
is one line; a database that cannot be written (full disk, read-only file) is a page that
says so (503) and one line; anything else is one line and a plain traceback.
"""
import sys
import traceback

from datasette import Response
from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from parindex import store


def _log(request, text: str) -> None:
    sys.stderr.write(f"parindex serve: {request.method} {request.path}: {text}\n")
    sys.stderr.flush()


def describe(exception) -> tuple[int, str, str | None, dict]:
    """(status, message, title, extra JSON fields) of an exception, and log it."""
    if isinstance(exception, store.StoreError):
        # The reason only: the file's path is nobody's business on a public server.
        return 503, (f"The database could not be written: {exception.reason}. Nothing was "
                     "changed; try again later, and tell whoever runs this server."), \
            "Not saved", {}
    if isinstance(exception, Base400):
        return exception.status, exception.args[0], None, {}
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        # Datasette raises these for what the request asked ("Cannot sort table by <x>"),
        # with 500 unless told otherwise: the request's fault, so 400.
        status = 400 if exception.status == 500 else exception.status
        return status, message, exception.title, dict(exception.error_dict or {})
    return 500, str(exception), None, {}


def handle_exception(datasette, request, exception):
    status, message, title, info = describe(exception)
    if isinstance(exception, (store.StoreError, Base400, DatasetteError)):
        _log(request, f"{status} {type(exception).__name__}: {str(exception).splitlines()[0] if str(exception) else ''}")
    else:
        _log(request, f"500 {type(exception).__name__}: {exception}")
        traceback.print_exception(exception, file=sys.stderr)

    async def render():
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        html = await template.render_async(dict(info, urls=datasette.urls,
                                                app_css_hash=datasette.app_css_hash(),
                                                menu_links=lambda: []))
        return Response.html(html, status=status, headers=headers)

    return render
