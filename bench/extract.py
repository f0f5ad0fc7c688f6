"""How fast is `extract` next to trafilatura alone, and does memory stay flat?

    .venv/bin/python bench/extract.py            # ~1,000 relevant + ~1,000 irrelevant pages, 10,000 streamed
    .venv/bin/python bench/extract.py --quick    # a tenth of that

Relevant pages: the dev pages repeated. Irrelevant pages: the same site chrome (menus, related
lists, footers) around sport and weather stories, so both runs pay for the same HTML. Every
figure is a ratio against trafilatura's bare_extraction on the same bytes in the same run.
"""
import argparse
import gc
import random
import resource
import time
from pathlib import Path

import lxml.html
import trafilatura

from parindex.extract import ExtractError, extract_document
from parindex.extract.rules import load_rules

REPO = Path(__file__).resolve().parent.parent
DEV = sorted((REPO.parent / "shared" / "eval" / "dev").glob("*.html"))
STORIES = [
    "Đội tuyển bóng đá nữ Việt Nam giành chiến thắng 3-1 trước Thái Lan trong trận bán kết trên sân Thiên Trường.",
    "Tiền vệ Hoàng Đức ghi bàn ở phút 78, giúp câu lạc bộ giữ ngôi đầu bảng V-League sau vòng 12.",
    "Trung tâm Dự báo khí tượng thủy văn quốc gia cho biết không khí lạnh sẽ tràn về các tỉnh miền Bắc vào cuối tuần.",
    "Nhiệt độ thấp nhất ở vùng núi có nơi dưới 10 độ C, vùng đồng bằng từ 15 đến 17 độ C.",
    "Giải chạy marathon quốc tế thu hút hơn 8.000 vận động viên đến từ 40 quốc gia và vùng lãnh thổ.",
    "Lễ hội hoa ban năm nay kéo dài ba ngày với nhiều hoạt động văn hóa, thể thao đặc sắc.",
    "Mưa lớn kéo dài khiến nhiều tuyến đường ngập sâu, người dân được khuyến cáo hạn chế ra ngoài.",
    "Huấn luyện viên trưởng hài lòng với tinh thần thi đấu của các cầu thủ trẻ trong trận giao hữu.",
]


# what the extractor itself takes for a page about an index ranking
TOPIC = load_rules().markers["topic"]


def irrelevant(page: bytes, rng: random.Random) -> bytes:
    """The same page with its story replaced by sport or weather news."""
    tree = lxml.html.document_fromstring(page.decode("utf-8", errors="replace"))
    for table in tree.iter("table"):
        if table.get("class") and "tbl" in table.get("class"):
            table.drop_tree()
    for el in tree.iter("h1", "p", "pre"):
        el.text = " ".join(rng.choice(STORIES) for _ in range(rng.randint(2, 4)))
        for child in list(el):
            child.drop_tree()
    for meta in tree.iter("meta"):
        if meta.get("name") == "description" or meta.get("property") in ("og:title", "og:description"):
            meta.set("content", rng.choice(STORIES))
    title = tree.find(".//title")
    if title is not None:
        title.text = rng.choice(STORIES)[:60]
    # whatever else still talks about the index (leads in divs, table cells) becomes a story too
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        if el.text and TOPIC.search(el.text):
            el.text = rng.choice(STORIES)
        if el.tail and TOPIC.search(el.tail):
            el.tail = rng.choice(STORIES)
    return lxml.html.tostring(tree, encoding="utf-8")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, pages) -> float:
    gc.collect()
    start = time.perf_counter()
    for page in pages:
        try:
            function(page)
        except ExtractError:
            pass
    return time.perf_counter() - start


def baseline(page: bytes):
    return trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rng = random.Random(7)
    dev = [p.read_bytes() for p in DEV]
    relevant = (dev * (1000 // len(dev) + 1))[:1000 // scale]
    others = [irrelevant(rng.choice(dev), rng) for _ in range(1000 // scale)]
    extract_document(dev[0])   # load the models and rules once, outside the timings
    baseline(dev[0])
    print(f"pages: {len(relevant)} relevant (dev pages repeated), {len(others)} irrelevant (same chrome)")
    for name, pages, target in (("relevant", relevant, 2.0), ("irrelevant", others, 1.2)):
        base = min(timed(baseline, pages) for _ in range(2))
        ours = min(timed(extract_document, pages) for _ in range(2))
        print(f"{name:>10}: trafilatura alone {len(pages) / base:7.1f} docs/s   extract {len(pages) / ours:7.1f} docs/s"
              f"   ratio {ours / base:4.2f} (target <= {target})")
    stream = 10_000 // scale
    mixed = relevant + others
    before = rss_mb()
    marks = []
    for i in range(stream):
        try:
            extract_document(mixed[i % len(mixed)])
        except ExtractError:
            pass
        if (i + 1) % (stream // 5) == 0:
            marks.append(f"{i + 1}: {rss_mb():.0f} MB")
    print(f"memory while streaming {stream} documents: start {before:.0f} MB, " + ", ".join(marks)
          + " (target < 400 MB resident)")


if __name__ == "__main__":
    main()
