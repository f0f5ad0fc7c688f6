"""A small news site on 127.0.0.1 that misbehaves the way real ones do: for the tests and
the benchmark, never for users.

    with TestSite(articles=5) as site:
        site.base                  # "http://127.0.0.1:<port>"
        site.write_sources(path)   # a sources file for it
        ...crawl...
        site.hits["/news/tin-1-a1.html"]    # how often each path was requested

What it serves (faults=True): a home listing with a second page, an RSS feed, a sitemap,
relevant and irrelevant articles, a sitemap named only in robots.txt, the same article behind tracking parameters, a print and
an AMP copy, a redirect, a 404, a 500 that succeeds when asked again, a page slower than any
sane timeout, a page over the size limit, a PDF, and a folder robots.txt forbids.
With hostile=True also pages that fail for good (a gzip bomb, redirect loops); with trap=N
two listing traps (a pagination chain of N pages with one new article each, and a calendar of
N pages that only repeat known articles); crawl_delay=S puts a Crawl-delay in robots.txt.
"""
import gzip
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from parindex.crawler.localsite import origin, serve

RELEVANT_BODY = ("<p>Năm 2023, huyện Kim Thành đứng thứ 3/12 về Chỉ số cải cách hành chính, "
                 "tăng 2 bậc so với năm 2022.</p><p>Xã Kim Anh dẫn đầu với 91,43%.</p>")
SPORT_BODY = "<p>Đội bóng địa phương thắng 3-0 trong trận mở màn giải hạng Nhì.</p>"
ETAG = '"home-v1"'

SOURCES = """[crawler]
user_agent = "parindex-test"
contact = "mailto:test@example.org"

[site.testsite]
name = "Test site"
kind = "local"
start = ["/"]
feeds = ["/rss.xml"]
sitemaps = ["/sitemap.xml"]
article = ['^https?://[^/]+/(news|private)/[^/?]+-a\\d+\\.html$']
listing = ['^https?://[^/]+/news/\\?page=\\d+$', '^https?://[^/]+/chuyen-muc/\\?trang=\\d+$',
           '^https?://[^/]+/lich/\\?ngay=\\d+$']
variants = [{ match = '/(print|amp)/news/', replace = '/news/' }]
robots_sitemaps = true
"""


# Pages that fail the same way every time they are asked for.
HOSTILE = ("/news/gzbomb-a22.html", "/news/loop-a40.html", "/news/self-a42.html", "/news/chain-a50.html")


def cli(*args) -> list:
    """The command line of a parindex crawl verb in a fresh process (one Twisted reactor each)."""
    return [sys.executable, "-m", "parindex", *map(str, args)]


def page(title, body, links=(), headlines=False):
    """headlines: each link reads like a headline (as on a real site) instead of its address."""
    items = "".join(f'<li><a href="{href}">{_headline(href) if headlines else href}</a></li>' for href in links)
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><nav><a href='/'>Trang chủ</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<ul>{items}</ul></body></html>").encode("utf-8")


def _headline(href: str) -> str:
    return f"Bản tin số {href.rsplit('-a', 1)[-1].split('.')[0]} của huyện trong tuần này"


class TestSite:
    __test__ = False  # not a pytest class

    def __init__(self, articles=5, faults=True, delay=0.0, slow_seconds=3.0, huge_bytes=300_000,
                 hostile=False, trap=0, crawl_delay=None, host="127.0.0.1", headlines=False):
        self.articles, self.faults, self.delay = articles, faults, delay
        self.headlines = headlines
        self.hostile, self.trap, self.crawl_delay, self.host = hostile, trap, crawl_delay, host
        self.times = []          # (monotonic time, path) of every request, in order
        self._bomb = None
        self.slow_seconds, self.huge_bytes = slow_seconds, huge_bytes
        self.hits = Counter()
        self.lock = threading.Lock()
        self.flaky_served = False
        self._server = None
        self._context = None

    # ── the site's pages ────────────────────────────────────────────────────

    def article_paths(self):
        return [f"/news/tin-{i}-a{i}.html" for i in range(1, self.articles + 1)]

    def home_links(self):
        links = self.article_paths()
        if self.faults:
            links += [
                "/news/the-thao-a101.html",
                "/news/tin-1-a1.html?utm_source=facebook&fbclid=abc#binh-luan",   # tracking copy
                "/print/news/tin-2-a2.html",                                       # print copy
                "/amp/news/tin-3-a3.html",                                         # AMP copy
                "/news/chuyen-trang-a201.html",                                    # redirects
                "/news/khong-con-a404.html", "/news/loi-may-chu-a500.html",
                "/news/cham-a408.html", "/news/qua-lon-a413.html", "/news/bao-cao-a415.html",
                "/private/noi-bo-a403.html",
                "/news/?page=2",
            ]
        if self.hostile:
            links += list(HOSTILE)
        if self.trap:
            links += ["/chuyen-muc/?trang=1", "/lich/?ngay=1"]
        return links

    def bomb(self) -> bytes:
        """10 MB of one letter, gzip-compressed to about 10 kB."""
        if self._bomb is None:
            self._bomb = gzip.compress(b"<html><body><p>" + b"A" * (10 * 1024 * 1024) + b"</p></body></html>", 9)
        return self._bomb

    def hostile_route(self, path):
        if path == "/news/gzbomb-a22.html":
            return 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}, self.bomb()
        if path == "/news/loop-a40.html":
            return 302, {"Location": "/news/loop2-a41.html"}, b""
        if path == "/news/loop2-a41.html":
            return 302, {"Location": "/news/loop-a40.html"}, b""
        if path == "/news/self-a42.html":
            return 302, {"Location": "/news/self-a42.html"}, b""
        if path == "/news/chain-a50.html" or path.startswith("/chain/"):
            step = int(path.rsplit("/", 1)[1]) + 1 if path.startswith("/chain/") else 1
            return 302, {"Location": f"/chain/{step}"}, b""
        return None

    def trap_route(self, path, query):
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/chuyen-muc/" and query.startswith("trang="):
            n = int(query.split("=", 1)[1])
            links = [f"/news/bay-{n}-a{5000 + n}.html"] + ([f"/chuyen-muc/?trang={n + 1}"] if n < self.trap else [])
            return 200, html, page(f"Trang {n}", "", links)
        if path == "/lich/" and query.startswith("ngay="):
            n = int(query.split("=", 1)[1])
            links = ["/news/tin-1-a1.html", "/news/tin-2-a2.html"] + ([f"/lich/?ngay={n + 1}"] if n < self.trap else [])
            return 200, html, page(f"Lịch {n}", "", links)
        if path.startswith("/news/bay-"):
            return 200, html, page(f"Chỉ số CCHC {path}", RELEVANT_BODY)
        return None

    def route(self, path, query, headers):
        """(status, headers dict, body bytes) for a request; None body means 404."""
        if path == "/robots.txt":
            robots = "User-agent: *\nDisallow: /private/\n"
            if self.crawl_delay:
                robots += f"Crawl-delay: {self.crawl_delay}\n"
            if self.faults:
                robots += "\nSitemap: /sitemap-from-robots.xml\n"
            return 200, {"Content-Type": "text/plain"}, robots.encode()
        if path == "/" and not query:
            if headers.get("If-None-Match") == ETAG:
                return 304, {"ETag": ETAG}, b""
            return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": ETAG}, \
                page("Trang chủ", "", self.home_links(), self.headlines)
        if path == "/news/" and query == "page=2" and self.faults:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, \
                page("Trang 2", "", ["/news/trang-hai-a202.html", "/news/?page=2"])
        if path == "/rss.xml":
            items = ["/news/tin-1-a1.html?utm_source=rss", "/news/chi-trong-rss-a301.html"]
            body = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in items)
            return 200, {"Content-Type": "application/rss+xml"}, \
                f"<?xml version='1.0'?><rss version='2.0'><channel>{body}</channel></rss>".encode()
        if path == "/sitemap-from-robots.xml" and self.faults:
            return 200, {"Content-Type": "application/xml"}, (
                "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                "<url><loc>/news/chi-trong-robots-a303.html</loc></url></urlset>").encode()
        if path == "/sitemap.xml":
            return 200, {"Content-Type": "application/xml"}, (
                "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                "<url><loc>/news/chi-trong-sitemap-a302.html</loc></url></urlset>").encode()
        if self.hostile and (found := self.hostile_route(path)):
            return found
        if self.trap and (found := self.trap_route(path, query)):
            return found
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path in self.article_paths() or path in ("/news/trang-hai-a202.html", "/news/chi-trong-rss-a301.html",
                                                    "/news/chi-trong-sitemap-a302.html", "/news/dich-a210.html",
                                                    "/news/chi-trong-robots-a303.html"):
            if self.delay:
                time.sleep(self.delay)
            return 200, html, page(f"Chỉ số CCHC {path}", RELEVANT_BODY)
        if not self.faults:
            return 404, html, None
        if path == "/news/the-thao-a101.html":
            return 200, html, page("Bóng đá", SPORT_BODY)
        if path == "/news/chuyen-trang-a201.html":
            return 301, {"Location": "/news/dich-a210.html"}, b""
        if path == "/news/loi-may-chu-a500.html":
            with self.lock:
                first, self.flaky_served = not self.flaky_served, True
            if first:
                return 500, html, b"<h1>Internal Server Error</h1>"
            return 200, html, page("Chỉ số cải cách hành chính (sau khi thử lại)", RELEVANT_BODY)
        if path == "/news/cham-a408.html":
            time.sleep(self.slow_seconds)
            return 200, html, page("Chậm", RELEVANT_BODY)
        if path == "/news/qua-lon-a413.html":
            return 200, html, page("Quá lớn", RELEVANT_BODY + "<p>" + "x" * self.huge_bytes + "</p>")
        if path == "/news/bao-cao-a415.html":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
        if path == "/private/noi-bo-a403.html":
            return 200, html, page("Nội bộ", RELEVANT_BODY)
        return 404, html, None

    # ── serving ─────────────────────────────────────────────────────────────

    def handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                parts = urlsplit(self.path)
                with site.lock:
                    site.hits[self.path] += 1
                    site.times.append((time.monotonic(), self.path))
                status, headers, body = site.route(parts.path, parts.query, self.headers)
                if body is None:
                    body = b"<h1>404 Not Found</h1>"
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler gave up on it (timeout, size limit)

            def log_message(self, format, *args):
                pass

        return Handler

    def __enter__(self):
        self._context = serve(self.handler(), host=self.host)
        self._server = self._context.__enter__()
        self.base = origin(self._server)
        return self

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)

    def write_sources(self, path, max_pages=None):
        text = SOURCES + (f"max_pages = {max_pages}\n" if max_pages else "")
        path.write_text(text, encoding="utf-8")
        return path

    def fetched(self, path) -> int:
        with self.lock:
            return self.hits[path]


if __name__ == "__main__":
    # `python -m crawler.testsite 2000 [headlines]`: serve in a process of its own (the benchmark does, so
    # the server does not share the crawler's interpreter); prints its origin, serves until killed.
    import signal as _signal

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with TestSite(articles=count, faults=False, headlines="headlines" in sys.argv[2:]) as running:
        print(running.base, flush=True)
        _signal.sigwait({_signal.SIGTERM, _signal.SIGINT})
