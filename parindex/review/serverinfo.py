"""What the public server tells about itself, and what requests it turns away at the door."""
from pathlib import Path

from datasette import Response


async def databases(request, datasette):
    """/-/databases(.json): Datasette's list, with the file's name instead of its absolute
    path (which tells a stranger the server's user and folders)."""
    return Response.json([
        {"name": db.name, "route": db.route, "path": Path(db.path).name if db.path else None,
         "size": db.size, "is_mutable": db.is_mutable, "is_memory": db.is_memory, "hash": db.hash}
        for name, db in datasette.databases.items() if name != "_internal"])


MULTIPART_REFUSED = (b"parindex: multipart/form-data is not accepted here; forms are sent as "
                     b"application/x-www-form-urlencoded\n")


def refuse_multipart(app):
    """An ASGI wrapper: a multipart POST gets a 400. No page of this server takes files, and
    the CSRF layer (asgi-csrf 0.11 with python-multipart 0.0.34) crashes on such a body when
    the request carries any cookie: a 500 and a traceback for anyone who sends one."""

    async def wrapped(scope, receive, send):
        if scope.get("type") == "http" and scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
            if content_type.split(b";", 1)[0].strip().lower() == b"multipart/form-data":
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(MULTIPART_REFUSED)).encode())]})
                await send({"type": "http.response.body", "body": MULTIPART_REFUSED})
                return
        await app(scope, receive, send)

    return wrapped
