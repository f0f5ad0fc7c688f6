"""How fast is `extract` next to trafilatura alone, on one core and on every core, and does
memory stay flat?

    .venv/bin/python bench/extract.py               # ~1,000 pages a set, 3 rounds, 10,000 streamed
    .venv/bin/python bench/extract.py --quick       # a tenth of that
    .venv/bin/python bench/extract.py --jobs 4 --rounds 5

Sets: relevant pages (the dev pages repeated); long relevant pages (the same with sixty
paragraphs of reform-work news between their paragraphs: figures, dates, counts that rank
nothing); irrelevant pages (the same site chrome around sport and weather stories, so both sides
pay for the same HTML).

Repeating pages measures what new pages cost: the extractor keeps nothing of a page's sentences
for the next page (extract.units.new_document). Until extractor 0.4.0 it kept their units, and
this bench's relevant pages read 1.6× where pages it had not seen took about 4×.

The baseline is trafilatura alone on one core: `bare_extraction` with its metadata, as one
would call it. Each round times, in turn, the baseline, the whole extraction with --jobs 1
and with --jobs N (parindex.extract.jobs, as the CLI runs it; its workers started before the
timing), on the same bytes; the figures are medians over the rounds of each round's own ratios,
so a neighbour's load falls on both sides of a ratio alike. The speed-up is --jobs 1 time over
--jobs N time, round by round. The load average is printed with them: on a shared machine the
speed-up can only be what the other processes leave free.
"""
import argparse
import gc
import os
import random
import resource
import statistics
import time
from pathlib import Path

import lxml.html
import trafilatura

from parindex.extract import ExtractError, extract_document
from parindex.extract.jobs import Task, default_jobs, extract_in_order
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
# Written for this bench: how a long report on a province's reform work reads between its results.
REFORM_WORK = [
    "Trong năm, bộ phận tiếp nhận và trả kết quả của huyện đã tiếp nhận 15.620 hồ sơ, trong đó 15.410 hồ sơ "
    "được giải quyết đúng hạn.",
    "Ngày 12/3, UBND tỉnh ban hành Kế hoạch số 45/KH-UBND về công tác cải cách hành chính.",
    "Toàn tỉnh có 1.250 thủ tục hành chính, trong đó 980 thủ tục được cung cấp dịch vụ công trực tuyến toàn trình.",
    "Sở Nội vụ đã tổ chức 8 đoàn kiểm tra tại 24 cơ quan, đơn vị và chấn chỉnh 15 trường hợp chậm trễ.",
    "Hội nghị có sự tham dự của hơn 300 đại biểu đến từ các sở, ban, ngành và 10 huyện, thị xã, thành phố.",
    "Từ ngày 1/7, người dân có thể nộp hồ sơ qua Cổng dịch vụ công quốc gia vào bất cứ lúc nào.",
    "Kinh phí thực hiện trong năm là 3,5 tỷ đồng, được bố trí từ ngân sách tỉnh và ngân sách huyện.",
    "Đến tháng 10, toàn bộ xã, phường đã kết nối mạng truyền số liệu chuyên dùng của cơ quan nhà nước.",
    "Các đại biểu chỉ ra những hạn chế như việc cập nhật dữ liệu còn chậm, một số cán bộ chưa thành thạo phần mềm.",
    "Giai đoạn 2021-2025, tỉnh đặt mục tiêu đơn giản hóa ít nhất 20% quy định liên quan đến hoạt động kinh doanh.",
    "Trung tâm Phục vụ hành chính công tỉnh bố trí 52 quầy giao dịch với 86 công chức, viên chức làm việc thường xuyên.",
    "Tại buổi làm việc, lãnh đạo huyện đề nghị các phòng chuyên môn rà soát lại 37 quy trình nội bộ trước ngày 30/6.",
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


def long_page(page: bytes, rng: random.Random, paragraphs: int = 60) -> bytes:
    """The same page with reform-work paragraphs after each of its own."""
    tree = lxml.html.document_fromstring(page.decode("utf-8", errors="replace"))
    own = [p for p in tree.iter("p") if (p.text_content() or "").strip()]
    for k in range(paragraphs):
        anchor = own[k % len(own)] if own else tree.find(".//body")
        extra = lxml.html.fromstring(f"<p>{rng.choice(REFORM_WORK)} {rng.choice(REFORM_WORK)}</p>")
        anchor.addnext(extra) if own else anchor.append(extra)
    return lxml.html.tostring(tree, encoding="utf-8")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(page: bytes):
    return trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True)


def time_baseline(pages) -> float:
    gc.collect()
    start = time.perf_counter()
    for page in pages:
        baseline(page)
    return time.perf_counter() - start


def time_extract(pages, jobs: int) -> float:
    gc.collect()
    tasks = (Task(key=n, content=page, name=f"p{n}.html") for n, page in enumerate(pages))
    start = time.perf_counter()
    for _ in extract_in_order(tasks, jobs=jobs, count=len(pages)):
        pass
    return time.perf_counter() - start


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_ceiling(jobs: int, n: int = 3_000_000) -> float:
    """The speed-up N processes of pure Python arithmetic get over one on this machine now: what
    --jobs N can reach at best (a VM's cores may share one physical core)."""
    import multiprocessing
    start = time.perf_counter()
    for _ in range(jobs):
        _burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_burn, [n])   # the workers started
        start = time.perf_counter()
        pool.map(_burn, [n] * jobs, chunksize=1)
        parallel = time.perf_counter() - start
    return serial / parallel


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the pages")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="N for --jobs N (default: the cores)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rng = random.Random(7)
    dev = [p.read_bytes() for p in DEV]
    relevant = (dev * (1000 // len(dev) + 1))[:1000 // scale]
    long_relevant = [long_page(rng.choice(dev), rng) for _ in range(300 // scale)]
    others = [irrelevant(rng.choice(dev), rng) for _ in range(1000 // scale)]
    extract_document(dev[0])   # load the models and rules once, outside the timings
    baseline(dev[0])
    time_extract(dev * 2, args.jobs)   # start the workers' server (it loads the extractor once)
    print(f"pages: {len(relevant)} relevant (dev pages repeated), {len(long_relevant)} long relevant "
          f"(60 more paragraphs), {len(others)} irrelevant (same chrome); --jobs {args.jobs} of "
          f"{os.cpu_count()} cores; {args.rounds} rounds")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"machine ceiling: {args.jobs} processes of plain arithmetic run {machine_ceiling(args.jobs):.2f}x "
          f"as fast as one (the best --jobs {args.jobs} can do here now)")
    for name, pages, target in (("relevant", relevant, 1.5), ("long", long_relevant, None),
                                ("irrelevant", others, 1.1)):
        one, many, speedup, base_rates = [], [], [], []
        for _ in range(args.rounds):
            base = time_baseline(pages)
            t1 = time_extract(pages, 1)
            tn = time_extract(pages, args.jobs)
            one.append(t1 / base)
            many.append(tn / base)
            speedup.append(t1 / tn)
            base_rates.append(len(pages) / base)
        aim = f" (target <= {target})" if target else ""
        print(f"{name:>10}: trafilatura alone {statistics.median(base_rates):6.1f} docs/s; "
              f"extract --jobs 1 ratio {statistics.median(one):4.2f} [{min(one):.2f}-{max(one):.2f}]{aim}, "
              f"--jobs {args.jobs} ratio {statistics.median(many):4.2f} [{min(many):.2f}-{max(many):.2f}], "
              f"speed-up {statistics.median(speedup):4.2f}x [{min(speedup):.2f}-{max(speedup):.2f}]")
    print(f"machine ceiling after: {machine_ceiling(args.jobs):.2f}x")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
    print(f"memory while streaming {stream} documents (one job): start {before:.0f} MB, " + ", ".join(marks)
          + " (target < 400 MB resident)")


if __name__ == "__main__":
    main()
