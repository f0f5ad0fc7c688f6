"""Small news sites on 127.0.0.1 in the URL shapes of real Vietnamese CMSs: for the tests
(and a try of `parindex sources add` by hand), never for users.

    with CmsSites() as sites:                 # every shape, each site on a port of its own
        site = sites["dnn"]
        site.base                              # "http://127.0.0.1:<port>"
        site.relevant, site.irrelevant         # the article URLs, by what they hold
        site.copies, site.listings             # print/AMP copies; home, sections, tags, pages
        site.requests                          # every path asked for, in order

    python -m parindex.crawler.cmssites       # serve them all; prints each shape and its origin

Each site has a home page (a menu, a footer, the latest articles), a section about
administrative reform with two pages, a sports section, a neutral section, a tag page,
articles about the indexes (most with a headline that says so, one whose headline does not)
and articles about other things, print or AMP copies linked from every article, and a
sitemap, a feed, both or neither. The shapes:

    idprefix     /<slug>-a170001.html, sections /thoi-su/<section>/?p=2, /print/ copies, sitemap;
                 and a section whose URL looks like an article's (/pci-tinh-nl1187.html)
    monthfolder  /<section>/202311/<slug>-5120001/, /<section>/trang-2/, /amp/ copies, RSS feed;
                 and an article whose URL looks like a section's (/chinh-tri/ket-qua-cchc/)
    idfolder     /14/245001/<Slug>.aspx, /14/?page=2, ?print=1 copies, neither sitemap nor feed
    dnn          /Default.aspx?tabid=175&ID=2401, &currentpage=2, &print=1 copies, neither
    splist       SharePoint lists: /ct/cms/tintuc/Lists/<List>/View_Detail.aspx?ItemID=301,
                 PrintView.aspx copies, an RSS feed
    liferay      /web/guest/tin-tuc/-/asset_publisher/Xk3b/content/<slug>, ?..._cur=2 pages,
                 ?..._viewMode=print copies, a sitemap named in robots.txt
    sppages      SharePoint pages: /portal/Pages/2023-4-24/<Slug>.aspx, ?Page=2,
                 /portal/pages/print.aspx?p=37401 copies, neither sitemap nor feed
    ext          /<slug>-c48860001.epi, /<section>/trang2.epi, /tag/<Tag>.epi, /amp/ copies,
                 an RSS page listing a feed per section
    wordpress    /2024/01/<slug>/, /category/<section>/page/2/, /tag/<tag>/, /<article>/amp/
                 copies, /feed/, /wp-sitemap.xml named in robots.txt

All text here is written for these tests.
"""
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url

from parindex.crawler.localsite import origin, serve

# ── what the articles say (templates written for these tests) ───────────────

UNITS = ["Kim Thành", "Thanh Hà", "Nam Sách", "Tứ Kỳ", "Gia Lộc", "Bình Giang", "Cẩm Giàng", "Ninh Giang"]
RESULT_TITLES = [
    "Huyện {u} dẫn đầu chỉ số cải cách hành chính năm 2023",
    "Công bố chỉ số PAPI năm 2023: {u} tăng 5 bậc",
    "{u} xếp thứ 2 về chỉ số hài lòng SIPAS",
    "Kết quả xếp hạng chỉ số CCHC các huyện: {u} đứng đầu",
    "Chỉ số năng lực cạnh tranh PCI: {u} vào nhóm khá",
]
QUIET_TITLE = "Huyện {u} tổng kết công tác năm 2023 và nhiệm vụ năm mới"
OTHER_TITLES = [
    "Đội bóng của tỉnh thắng trận mở màn giải hạng Nhì",
    "Lễ hội truyền thống làng Đông thu hút đông đảo du khách",
    "Mưa lớn kéo dài ở các huyện phía bắc trong ba ngày tới",
    "Hội thi nấu ăn của phụ nữ thành phố diễn ra sôi nổi",
    "Giải chạy việt dã mùa xuân có hơn hai nghìn người tham gia",
    "Chợ phiên vùng cao nhộn nhịp những ngày cuối năm",
]


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def result_body(unit: str, n: int) -> str:
    return _paragraphs(
        f"Sáng ngày {n + 3}/4/2024, Ủy ban nhân dân tỉnh tổ chức hội nghị công bố kết quả Chỉ số cải cách "
        f"hành chính năm 2023 của các sở, ban, ngành và các huyện, thành phố trong tỉnh.",
        f"Theo kết quả được công bố, huyện {unit} đạt {80 + n},{n * 7 % 100:02d} điểm, xếp thứ {n + 1}/12, "
        f"tăng {n + 1} bậc so với năm trước. Đây là năm thứ hai liên tiếp huyện nằm trong nhóm dẫn đầu.",
        "Lãnh đạo tỉnh đề nghị các đơn vị còn ở nhóm cuối tập trung khắc phục hạn chế, nhất là ở các tiêu chí "
        "về thủ tục hành chính, chuyển đổi số và tiếp nhận hồ sơ trực tuyến của người dân.",
    )


def quiet_body(unit: str) -> str:
    return _paragraphs(
        f"Chiều qua, huyện {unit} tổ chức hội nghị tổng kết công tác năm 2023 với sự tham dự của lãnh đạo "
        "các xã, thị trấn và các phòng, ban chuyên môn của huyện.",
        "Trong năm, huyện giữ vững vị trí trong nhóm đầu của tỉnh về Chỉ số cải cách hành chính, số hồ sơ "
        "được giải quyết đúng hạn tăng so với năm trước.",
        "Năm mới, huyện đặt mục tiêu đẩy mạnh chuyển đổi số, nâng cao chất lượng phục vụ người dân và doanh "
        "nghiệp tại bộ phận một cửa.",
    )


def other_body(n: int) -> str:
    return _paragraphs(
        f"Chiều thứ bảy, hơn {n + 2} nghìn người đã có mặt từ sớm để theo dõi sự kiện được tổ chức hằng năm "
        "tại trung tâm văn hóa thể thao của tỉnh.",
        "Ban tổ chức cho biết năm nay có thêm nhiều hoạt động mới dành cho thiếu nhi và người cao tuổi, "
        "cùng các gian hàng giới thiệu sản phẩm của địa phương.",
        "Theo kế hoạch, sự kiện sẽ tiếp tục diễn ra đến hết tuần sau với chương trình biểu diễn nghệ thuật "
        "vào buổi tối tại quảng trường.",
    )


def slug(text: str) -> str:
    from parindex.model.normalize import search_key

    words = "".join(c if c.isalnum() else " " for c in search_key(text)).split()
    return "-".join(words)


def title_slug(text: str) -> str:
    return "-".join(w.capitalize() for w in slug(text).split("-"))


# ── the shapes ──────────────────────────────────────────────────────────────

@dataclass
class Shape:
    article: object          # (slug, n, section) -> path
    section: object          # (section, page) -> path
    tag: object              # (tag) -> path
    copy: object             # (article path) -> path of its print or AMP copy
    sitemap: str | None = None           # path of a sitemap, or None
    sitemap_in_robots: bool = False
    feed: str | None = None              # path of an RSS feed announced on the home page
    rss_page: bool = False               # a /rss.html page listing a feed per section
    name_in_meta: bool = True


SECTIONS = {"reform": "cai-cach-hanh-chinh", "sport": "the-thao", "news": "tin-tong-hop", "life": "doi-song"}
SECTION_NAMES = {"reform": "Cải cách hành chính", "sport": "Thể thao", "news": "Tin tổng hợp",
                 "life": "Đời sống"}
TAG = "chi-so-papi"


def _with(path: str, query: str) -> str:
    return path + ("&" if "?" in path else "?") + query


SHAPES = {
    "idprefix": Shape(
        article=lambda s, n, sec: f"/{s}-a{170000 + n}.html",
        section=lambda sec, page: f"/thoi-su/{sec}/" + (f"?p={page}" if page > 1 else ""),
        tag=lambda t: f"/tag/{t}.html",
        copy=lambda a: "/print" + a,
        sitemap="/sitemap.xml"),
    "monthfolder": Shape(
        article=lambda s, n, sec: f"/{sec}/202311/{s}-{5120000 + n}/",
        section=lambda sec, page: f"/{sec}/" + (f"trang-{page}/" if page > 1 else ""),
        tag=lambda t: f"/chu-de/{t}/",
        copy=lambda a: "/amp" + a,
        feed="/rss/home.rss"),
    "idfolder": Shape(
        article=lambda s, n, sec: f"/{14 + list(SECTIONS.values()).index(sec)}/{245000 + n}/{title_slug(s)}.aspx",
        section=lambda sec, page: f"/{14 + list(SECTIONS.values()).index(sec)}/" + (f"?page={page}" if page > 1 else ""),
        tag=lambda t: f"/tags/{t}.aspx",
        copy=lambda a: _with(a, "print=1"),
        name_in_meta=False),
    "dnn": Shape(
        article=lambda s, n, sec: f"/Default.aspx?tabid={175 + list(SECTIONS.values()).index(sec)}&ID={2400 + n}",
        section=lambda sec, page: f"/Default.aspx?tabid={175 + list(SECTIONS.values()).index(sec)}"
                                  + (f"&currentpage={page}" if page > 1 else ""),
        tag=lambda t: f"/Default.aspx?tabid=300&tag={t}",
        copy=lambda a: _with(a, "print=1")),
    "splist": Shape(
        article=lambda s, n, sec: f"/ct/cms/tintuc/Lists/{title_slug(sec).replace('-', '')}/View_Detail.aspx?ItemID={300 + n}",
        section=lambda sec, page: f"/ct/cms/tintuc/Pages/{sec}.aspx" + (f"?Page={page}" if page > 1 else ""),
        tag=lambda t: f"/ct/cms/tintuc/Pages/tag-{t}.aspx",
        copy=lambda a: a.replace("View_Detail.aspx", "PrintView.aspx"),
        feed="/ct/cms/tintuc/rss.xml", name_in_meta=False),
    "liferay": Shape(
        article=lambda s, n, sec: f"/web/guest/tin-tuc/-/asset_publisher/Xk3b/content/{s}",
        section=lambda sec, page: f"/web/guest/{sec}" + (
            f"?p_p_id=101_INSTANCE_Xk3b&_101_INSTANCE_Xk3b_cur={page}" if page > 1 else ""),
        tag=lambda t: f"/web/guest/tag/{t}",
        copy=lambda a: _with(a, "p_p_state=pop_up&_101_INSTANCE_Xk3b_viewMode=print"),
        sitemap="/sitemap.xml", sitemap_in_robots=True),
    "sppages": Shape(
        article=lambda s, n, sec: f"/portal/Pages/2023-4-{n + 1}/{title_slug(s)}.aspx",
        section=lambda sec, page: f"/portal/Pages/{title_slug(sec)}.aspx" + (f"?Page={page}" if page > 1 else ""),
        tag=lambda t: f"/portal/Pages/Tag-{title_slug(t)}.aspx",
        copy=lambda a: f"/portal/pages/print.aspx?p={37400 + zlib.crc32(a.encode()) % 1000}"),
    "ext": Shape(
        article=lambda s, n, sec: f"/{s}-c{48860000 + n}.epi",
        section=lambda sec, page: f"/{sec}.epi" if page == 1 else f"/{sec}/trang{page}.epi",
        tag=lambda t: f"/tag/{title_slug(t)}.epi",
        copy=lambda a: "/amp" + a,
        rss_page=True, name_in_meta=False),
    "wordpress": Shape(
        article=lambda s, n, sec: f"/2024/0{n % 9 + 1}/{s}/",
        section=lambda sec, page: f"/category/{sec}/" + (f"page/{page}/" if page > 1 else ""),
        tag=lambda t: f"/tag/{t}/",
        copy=lambda a: a + "amp/",
        feed="/feed/", sitemap="/wp-sitemap.xml", sitemap_in_robots=True),
}


# ── one site ────────────────────────────────────────────────────────────────

@dataclass
class Article:
    path: str
    title: str
    body: str
    section: str
    relevant: bool
    focused: bool            # its headline speaks of the indexes


@dataclass
class Site:
    shape: str
    number: int
    pages: dict = field(default_factory=dict)      # canonical path -> (status, content type, body)
    articles: list = field(default_factory=list)
    listing_paths: set = field(default_factory=set)
    copy_paths: set = field(default_factory=set)
    requests: list = field(default_factory=list)   # paths asked for, in order
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def relevant(self) -> set:
        return {a.path for a in self.articles if a.relevant}

    @property
    def irrelevant(self) -> set:
        return {a.path for a in self.articles if not a.relevant}

    @property
    def listings(self) -> set:
        return set(self.listing_paths)

    @property
    def copies(self) -> set:
        return set(self.copy_paths)

    @property
    def name(self) -> str:
        return f"Báo Thử Nghiệm {self.shape}"

    def url(self, path: str) -> str:
        return self.base + path

    def fetched(self) -> list:
        with self.lock:
            return list(self.requests)


def key(path: str) -> str:
    """Paths as the crawler asks for them (its URLs are canonical: sorted query, escaped)."""
    return canonicalize_url("http://h" + path)[len("http://h"):]


def _page(site: Site, title: str, main: str, *, crumbs=(), date=None) -> str:
    shape = SHAPES[site.shape]
    s = SECTIONS
    section = shape.section
    menu = "".join(f'<li><a href="{section(s[k], 1)}">{SECTION_NAMES[k]}</a></li>' for k in ("reform", "sport", "news"))
    meta = f'<meta property="og:site_name" content="{site.name}">' if shape.name_in_meta else ""
    feed = (f'<link rel="alternate" type="application/rss+xml" title="Tin mới" href="{shape.feed}">'
            if shape.feed else "")
    crumb = ""
    if crumbs:
        crumb = ('<div class="breadcrumb"><a href="/">Trang chủ</a> › '
                 + " › ".join(f'<a href="{href}">{text}</a>' for href, text in crumbs) + "</div>")
    dated = f'<div class="time">Cập nhật: {date}</div>' if date else ""
    rss = '<li><a href="/rss.html">RSS</a></li>' if shape.rss_page else ""
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title} - {site.name}</title>"
            f"{meta}{feed}</head><body><header><a href='/'>{site.name}</a></header>"
            f"<nav class='main-menu'><ul><li><a href='/'>Trang chủ</a></li>{menu}</ul></nav>{crumb}"
            f"<main><h1>{title}</h1>{dated}{main}</main>"
            f"<footer><ul><li><a href='/lien-he'>Liên hệ</a></li><li><a href='/dang-nhap'>Đăng nhập</a></li>"
            f"<li><a href='/gioi-thieu'>Giới thiệu</a></li>{rss}</ul><p>Cơ quan chủ quản: Báo Thử Nghiệm.</p>"
            f"</footer></body></html>")


def _teasers(site: Site, articles) -> str:
    return "".join(f'<div class="item"><h3><a href="{a.path}">{a.title}</a></h3>'
                   f'<p class="sapo">{a.title.split(":")[0]}.</p></div>' for a in articles)


def build(shape_name: str, number: int = 0) -> Site:
    """The pages of one site of the shape (paths only: feeds and sitemaps get the origin when served)."""
    shape = SHAPES[shape_name]
    site = Site(shape=shape_name, number=number)
    sec = SECTIONS
    n = 0

    def article(title, body, section, relevant, focused):
        nonlocal n
        n += 1
        path = shape.article(slug(title), n, sec[section])
        found = Article(path, title, body, section, relevant, focused)
        site.articles.append(found)
        return found

    reform = [article(RESULT_TITLES[i].format(u=UNITS[i + number % 3]), result_body(UNITS[i], i), "reform", True, True)
              for i in range(4)]
    quiet = article(QUIET_TITLE.format(u=UNITS[5]), quiet_body(UNITS[5]), "reform", True, False)
    news_quiet = article(QUIET_TITLE.format(u=UNITS[6]), quiet_body(UNITS[6]), "news", True, False)
    other = [article(OTHER_TITLES[i], other_body(i), "sport" if i % 2 == 0 else "life", False, False)
             for i in range(6)]
    # Shapes with a trap: a section whose URL looks like an article's, or the other way round.
    trap_article = None
    if shape_name == "monthfolder":
        trap_article = Article("/chinh-tri/ket-qua-cchc/", RESULT_TITLES[4].format(u=UNITS[7]), result_body(UNITS[7], 4),
                               "reform", True, True)
        site.articles.append(trap_article)
    only_in_trap = None
    if shape_name == "idprefix":
        only_in_trap = article(RESULT_TITLES[4].format(u=UNITS[7]), result_body(UNITS[7], 4), "reform", True, True)

    def put(path, body, kind="text/html; charset=utf-8", status=200):
        site.pages[key(path)] = (status, kind, body.encode("utf-8") if isinstance(body, str) else body)

    def listing(path, title, items, extra="", crumbs=()):
        site.listing_paths.add(path)
        put(path, _page(site, title, _teasers(site, items) + extra, crumbs=crumbs))

    for a in site.articles:
        copy = shape.copy(a.path)
        site.copy_paths.add(copy)
        section = shape.section(sec[a.section], 1)
        related = [b for b in site.articles if b is not a][:2]
        main = (f'<div class="content">{a.body}</div><p class="tools"><a href="{copy}">In bài</a></p>'
                f'<aside class="related"><h4>Tin liên quan</h4>{_teasers(site, related)}</aside>')
        put(a.path, _page(site, a.title, main, crumbs=[(section, SECTION_NAMES[a.section])], date="12/04/2024 08:30"))
        put(copy, f"<html><body><h1>{a.title}</h1>{a.body}</body></html>")

    reform_section = shape.section(sec["reform"], 1)
    first, second = reform[:2] + [quiet], reform[2:]
    listing(reform_section, SECTION_NAMES["reform"], first,
            extra=f'<div class="paging"><a href="{shape.section(sec["reform"], 2)}">Trang sau</a></div>')
    listing(shape.section(sec["reform"], 2), SECTION_NAMES["reform"] + " - trang 2", second,
            extra=f'<div class="paging"><a href="{reform_section}">Trang trước</a></div>')
    sport = [a for a in other if a.section == "sport"]
    listing(shape.section(sec["sport"], 1), SECTION_NAMES["sport"], sport[:2],
            extra=f'<div class="paging"><a href="{shape.section(sec["sport"], 2)}">Trang sau</a></div>')
    listing(shape.section(sec["sport"], 2), SECTION_NAMES["sport"] + " - trang 2", sport[2:])
    listing(shape.section(sec["news"], 1), SECTION_NAMES["news"], [news_quiet])
    listing(shape.section(sec["life"], 1), SECTION_NAMES["life"], [a for a in other if a.section == "life"])
    listing(shape.tag(TAG), "Chỉ số PAPI", [reform[1], reform[3]])
    if only_in_trap:
        # Looks like an article (an id after the slug); holds six teasers.
        trap = "/pci-tinh-nl1187.html"
        listing(trap, "Chuyên trang PCI", [only_in_trap] + other[:3] + reform[:2])
    # The home page: the other articles first (a crawl in page order would fetch them first).
    body_links = other[:3] + [reform[0]]
    extra = (f'<div class="more"><a href="{shape.section(sec["life"], 1)}">{SECTION_NAMES["life"]}</a> · '
             f'<a href="{shape.tag(TAG)}">Chỉ số PAPI</a>'
             + (' · <a href="/pci-tinh-nl1187.html">Chuyên trang PCI</a>' if only_in_trap else "")
             # A short link text: only the page itself can tell this is an article.
             + (f' · <a href="{trap_article.path}">Kết quả</a>' if trap_article else "") + "</div>")
    listing("/", "Trang chủ", body_links, extra=extra)
    for path in ("/lien-he", "/dang-nhap", "/gioi-thieu"):
        put(path, _page(site, "Thông tin", "<p>Trang thông tin của tòa soạn.</p>"))
    return site


def serve_site(site: Site):
    """The site's request handler: its pages, robots.txt, and its feeds and sitemap with
    absolute URLs (known once it is served)."""
    shape = SHAPES[site.shape]

    def dynamic(path):
        if path == "/robots.txt":
            text = "User-agent: *\nDisallow: /admin/\n"
            if shape.sitemap and shape.sitemap_in_robots:
                text += f"\nSitemap: {site.base}{shape.sitemap}\n"
            return 200, "text/plain", text.encode()
        if shape.sitemap and path == shape.sitemap:
            locs = [a.path for a in site.articles] + [shape.section(SECTIONS["reform"], 1)]
            urls = "".join(f"<url><loc>{site.base}{p}</loc></url>" for p in locs)
            return 200, "application/xml", ("<?xml version='1.0' encoding='UTF-8'?><urlset "
                                            f"xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>").encode()
        feeds = {}
        if shape.feed:
            feeds[shape.feed] = site.articles[:3] + site.articles[-2:]
        if shape.rss_page:
            for name, section in SECTIONS.items():
                feeds[f"/rss/{section}.rss"] = [a for a in site.articles if a.section == name]
            if path == "/rss.html":
                links = "".join(f'<li><a href="/rss/{s}.rss">{SECTION_NAMES[n]}</a></li>' for n, s in SECTIONS.items())
                return 200, "text/html; charset=utf-8", _page(site, "RSS", f"<ul>{links}</ul>").encode()
        if path in feeds:
            items = "".join(f"<item><title>{a.title}</title><link>{site.base}{a.path}</link></item>"
                            for a in feeds[path])
            return 200, "application/rss+xml", (f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'>"
                                                f"<channel><title>{site.name}</title>{items}</channel></rss>").encode()
        return None

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            with site.lock:
                site.requests.append(self.path)
            found = dynamic(urlsplit(self.path).path) or site.pages.get(key(self.path))
            status, kind, body = found or (404, "text/html", b"<h1>404</h1>")
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format, *args):
            pass

    return Handler


class CmsSites:
    """Every shape (or those named), each served on a free port of 127.0.0.1."""
    __test__ = False

    def __init__(self, shapes=None):
        self.sites = {name: build(name, i) for i, name in enumerate(shapes or SHAPES)}
        self._contexts = []

    def __getitem__(self, name) -> Site:
        return self.sites[name]

    def __iter__(self):
        return iter(self.sites.values())

    def __enter__(self):
        for site in self.sites.values():
            context = serve(serve_site(site))
            server = context.__enter__()
            site.base = origin(server)
            self._contexts.append(context)
        return self

    def __exit__(self, *exc):
        for context in reversed(self._contexts):
            context.__exit__(*exc)

    def sources_text(self, contact="mailto:test@example.org") -> str:
        """A sources file with one table per site: its home page only, and no pattern."""
        tables = [f'[crawler]\nuser_agent = "parindex-test"\ncontact = "{contact}"\n']
        for site in self:
            tables.append(f'[site.{site.shape}]\nname = "{site.name}"\nkind = "local"\nstart = ["{site.base}/"]\n'
                          "robots_sitemaps = true\n")
        return "\n".join(tables)


if __name__ == "__main__":
    import signal as _signal

    with CmsSites() as running:
        for served in running:
            print(f"{served.shape:12} {served.base}/", flush=True)
        try:
            _signal.sigwait({_signal.SIGTERM, _signal.SIGINT})
        except KeyboardInterrupt:
            pass
    time.sleep(0)
    sys.exit(0)
