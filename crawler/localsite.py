"""Serve a folder of pages on 127.0.0.1 for the length of a crawl (the bundled corpus site).

    with serve_folder("corpus/site") as base:     # "http://127.0.0.1:<free port>"
        crawl(db_path, sources="corpus/sources.toml", base=base)
"""
import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_SITE = REPO / "corpus" / "site"
CORPUS_SOURCES = REPO / "corpus" / "sources.toml"


class LocalServer(ThreadingHTTPServer):
    # The default backlog of 5 refuses connections when Scrapy opens many at once.
    request_queue_size = 128
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that hangs up (a crawler's timeout or size limit) is not a server fault.
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the crawl's own log says what was fetched
        pass


@contextlib.contextmanager
def serve(handler_class, host: str = "127.0.0.1"):
    """Run `handler_class` on a free port in a background thread; yield the server."""
    server = LocalServer((host, 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, name="local-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def origin(server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


@contextlib.contextmanager
def serve_folder(folder):
    folder = Path(folder)
    if not (folder / "index.html").is_file():
        raise FileNotFoundError(f"{folder}: no index.html: not a site folder (run corpus/build_site.py?)")
    with serve(functools.partial(QuietHandler, directory=str(folder))) as server:
        yield origin(server)
