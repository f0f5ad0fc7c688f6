"""Build corpus/site/: the bundled offline news site that `parindex run --sources corpus` crawls.

    python corpus/build_site.py            # reads ../shared (seeds, dev pages, gold files)

The output is committed, so the demo and the tests never need ../shared. The site has
what a crawler meets on a real provincial paper: a home page, category listings with
pagination, sitemap.xml, rss.xml (with tracking parameters on its links), robots.txt
with a disallowed folder (holding a page that must never be fetched), relevant articles
(the seeds wrapped as HTML, the dev pages copied byte for byte) and irrelevant ones
(sport, weather, culture) in the same chrome.

Every link is site-relative (sitemap and feed too): the site is served on a free port
chosen at run time, so no absolute origin can be written here. The crawler resolves
relative locations against the document they came from.
"""
import html
import random
import re
import shutil
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
SITE = HERE / "site"
GOLD = HERE / "gold"
PER_PAGE = 6
SITE_NAME = "Tin Địa Phương (trang mẫu ngoại tuyến)"

CATEGORIES = {
    "cai-cach-hanh-chinh": "Cải cách hành chính",
    "the-thao": "Thể thao",
    "thoi-tiet": "Thời tiết",
    "van-hoa": "Văn hóa",
}


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:70].rstrip("-")


def chrome(title: str, body: str) -> str:
    nav = " | ".join(f'<a href="/{slug}/">{html.escape(name)}</a>' for slug, name in CATEGORIES.items())
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - {html.escape(SITE_NAME)}</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
</head>
<body>
<header><a href="/">{html.escape(SITE_NAME)}</a><nav>{nav}</nav></header>
<main>
{body}
</main>
<footer>Trang tin mẫu dùng để chạy thử parindex ngoại tuyến. Liên hệ: toasoan@example.invalid</footer>
</body>
</html>
"""


def headline_index(lines: list[str]) -> int:
    """The seeds start with site chrome ("Vietnam.vn - …", a category, a date line):
    the headline is the first line long enough to be one."""
    for i, line in enumerate(lines):
        if len(line.split()) >= 9:
            return i
    return 0


def seed_article(path: Path) -> dict:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    at = headline_index(lines)
    title = lines[at]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[:at] + lines[at + 1:])
    body = f"<article>\n<h1>{html.escape(title)}</h1>\n{paragraphs}\n</article>"
    return {"title": title, "category": "cai-cach-hanh-chinh",
            "path": f"/cai-cach-hanh-chinh/{slugify(title)}-s{path.name[:3]}.html",
            "html": chrome(title, body)}


def dev_article(path: Path) -> dict:
    raw = path.read_bytes()
    found = re.search(rb"<title>\s*(.*?)\s*</title>", raw, re.S)
    title = found.group(1).decode("utf-8", "replace") if found else path.stem
    title = html.unescape(re.sub(r"\s+", " ", title))
    return {"title": title, "category": "cai-cach-hanh-chinh",
            "path": f"/cai-cach-hanh-chinh/{path.stem}.html", "bytes": raw}


# Irrelevant articles: the crawler must fetch them once, judge them off-topic, and
# remember them so the next run does not fetch them again.
OFF_TOPIC = {
    "the-thao": [
        ("Đội bóng {place} thắng đậm trong trận mở màn giải hạng Nhì",
         "Trên sân vận động {place}, đội chủ nhà ghi {n} bàn trong hiệp hai và giành trọn ba điểm.",
         "Huấn luyện viên cho biết các cầu thủ trẻ đã thi đấu tự tin, bám sát lối chơi đã tập luyện."),
        ("Giải chạy bộ vì cộng đồng tại {place} thu hút hơn {k} vận động viên",
         "Các vận động viên chạy qua những tuyến phố chính của {place} trong buổi sáng mát mẻ.",
         "Ban tổ chức dành toàn bộ số tiền ủng hộ cho quỹ học bổng của học sinh nghèo vượt khó."),
        ("Võ sĩ {place} giành huy chương vàng giải vô địch trẻ toàn quốc",
         "Ở trận chung kết, võ sĩ 17 tuổi thắng điểm sau ba hiệp đấu giằng co.",
         "Đây là tấm huy chương vàng thứ {n} của đội tuyển võ thuật tỉnh trong năm nay."),
    ],
    "thoi-tiet": [
        ("{place} mưa lớn kéo dài, nhiều tuyến đường ngập sâu",
         "Lượng mưa đo được tại {place} trong 24 giờ qua vượt {k} mm, nhiều tuyến đường ngập cục bộ.",
         "Cơ quan khí tượng khuyến cáo người dân hạn chế di chuyển qua các ngầm, tràn."),
        ("Nắng nóng gay gắt, nhiệt độ tại {place} lên tới 3{n} độ C",
         "Đợt nắng nóng dự kiến kéo dài thêm vài ngày trước khi có mưa dông vào chiều tối.",
         "Ngành y tế khuyên người dân uống đủ nước và tránh ra ngoài vào buổi trưa."),
        ("Không khí lạnh tràn về, vùng núi {place} có thể xuất hiện sương muối",
         "Nhiệt độ thấp nhất ở vùng núi cao có thể xuống dưới {n} độ C trong đêm.",
         "Bà con nông dân được khuyến cáo che chắn chuồng trại, giữ ấm cho gia súc."),
    ],
    "van-hoa": [
        ("Lễ hội truyền thống {place} khai mạc với nhiều hoạt động đặc sắc",
         "Lễ hội năm nay có rước kiệu, hát chèo và các trò chơi dân gian thu hút đông đảo du khách.",
         "Ban tổ chức ước tính có khoảng {k} lượt khách đến tham quan trong ba ngày lễ hội."),
        ("Triển lãm ảnh về di sản {place} mở cửa miễn phí",
         "Hơn {n}0 bức ảnh ghi lại kiến trúc đình, chùa và nhịp sống làng quê qua nhiều thập kỷ.",
         "Triển lãm mở cửa đến hết tháng sau tại nhà văn hóa trung tâm."),
        ("Câu lạc bộ dân ca {place} ra mắt chương trình biểu diễn mới",
         "Các nghệ nhân cao tuổi truyền dạy làn điệu cổ cho lớp diễn viên trẻ của câu lạc bộ.",
         "Chương trình sẽ được biểu diễn định kỳ vào tối thứ bảy hằng tuần."),
    ],
}
PLACES = ["Hải Dương", "Tây Ninh", "Nghệ An", "Hà Tĩnh", "Kon Tum", "Quảng Nam", "Bắc Giang",
          "Thái Nguyên", "Tuyên Quang", "Sơn La", "Bình Định"]


def off_topic_articles(per_category: int = 7) -> list[dict]:
    rnd = random.Random(5)  # fixed: the committed site must be reproducible
    out = []
    for category, templates in OFF_TOPIC.items():
        for i in range(per_category):
            head, first, second = templates[i % len(templates)]
            values = {"place": rnd.choice(PLACES), "n": rnd.randint(2, 9), "k": rnd.randint(2, 9) * 100}
            title = head.format(**values)
            day = f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/2024"
            body = (f"<article>\n<h1>{html.escape(title)}</h1>\n<p class=\"date\">Cập nhật ngày: {day}</p>\n"
                    f"<p>{html.escape(first.format(**values))}</p>\n<p>{html.escape(second.format(**values))}</p>\n"
                    "</article>")
            out.append({"title": title, "category": category,
                        "path": f"/{category}/{slugify(title)}-b{len(out) + 1:03d}.html",
                        "html": chrome(title, body)})
    return out


def listing_path(category: str, page: int) -> str:
    return f"/{category}/" if page == 1 else f"/{category}/trang-{page}/"


def listing_pages(category: str, articles: list[dict]) -> dict[str, str]:
    pages = {}
    chunks = [articles[i:i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]
    for number, chunk in enumerate(chunks, 1):
        items = "\n".join(f'<li><a href="{a["path"]}">{html.escape(a["title"])}</a></li>' for a in chunk)
        pager = []
        if number > 1:
            pager.append(f'<a rel="prev" href="{listing_path(category, number - 1)}">Trang trước</a>')
        if number < len(chunks):
            pager.append(f'<a rel="next" href="{listing_path(category, number + 1)}">Trang sau</a>')
        title = f"{CATEGORIES[category]} - trang {number}"
        body = f"<h1>{html.escape(CATEGORIES[category])}</h1>\n<ul class=\"list\">\n{items}\n</ul>\n" \
               f"<div class=\"pager\">{' '.join(pager)}</div>"
        pages[listing_path(category, number)] = chrome(title, body)
    return pages


SECRET = {"title": "Bảng xếp hạng chỉ số cải cách hành chính (bản nháp nội bộ, chưa công bố)",
          "path": "/noi-bo/bang-xep-hang-nhap-a999.html"}


def build(site: Path = SITE, shared: Path = SHARED) -> dict[str, int]:
    if site.exists():
        shutil.rmtree(site)
    relevant = [seed_article(p) for p in sorted((shared / "seeds").glob("*.txt"))]
    relevant += [dev_article(p) for p in sorted((shared / "eval" / "dev").glob("*.html"))]
    irrelevant = off_topic_articles()
    articles = relevant + irrelevant
    files: dict[str, str | bytes] = {}
    for a in articles:
        files[a["path"]] = a.get("bytes") or a["html"]
    for category in CATEGORIES:
        files.update(listing_pages(category, [a for a in articles if a["category"] == category]))
    # Never fetched by a polite crawler: robots.txt disallows /noi-bo/, yet the home page links it.
    files[SECRET["path"]] = chrome(SECRET["title"], f"<article><h1>{SECRET['title']}</h1>"
                                   "<p>Huyện A đứng thứ 1/10 về chỉ số cải cách hành chính năm 2099.</p></article>")
    # The home page mixes the newest of every category, as news front pages do.
    latest = [a for pair in zip(relevant[:8], irrelevant[::3]) for a in pair]
    items = "\n".join(f'<li><a href="{a["path"]}">{html.escape(a["title"])}</a></li>' for a in latest)
    files["/"] = chrome("Trang chủ", f"<h1>Tin mới</h1>\n<ul class=\"latest\">\n{items}\n"
                        f'<li><a href="{SECRET["path"]}">{html.escape(SECRET["title"])}</a></li>\n</ul>')
    urls = "\n".join(f"  <url><loc>{a['path']}</loc></url>" for a in articles)
    files["/sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                             f"{urls}\n</urlset>\n")
    # Feed readers add tracking parameters: the crawler must fold them onto the article URL.
    entries = "\n".join(f"  <item><title>{html.escape(a['title'])}</title>"
                        f"<link>{a['path']}?utm_source=rss&amp;utm_medium=feed</link></item>"
                        for a in relevant[-10:])
    files["/rss.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
                         f"  <title>{html.escape(SITE_NAME)}</title><link>/</link>\n{entries}\n"
                         "</channel></rss>\n")
    files["/robots.txt"] = "User-agent: *\nDisallow: /noi-bo/\n\nSitemap: /sitemap.xml\n"
    for path, content in files.items():
        target = site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    GOLD.mkdir(exist_ok=True)
    for name in ("seeds.gold.json", "dev.gold.json"):
        shutil.copyfile(shared / "eval" / name, GOLD / name)
    return {"relevant": len(relevant), "irrelevant": len(irrelevant), "files": len(files)}


if __name__ == "__main__":
    counts = build()
    print(f"{SITE}: {counts['files']} files, {counts['relevant']} relevant and "
          f"{counts['irrelevant']} irrelevant articles", file=sys.stderr)
