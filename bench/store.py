"""The store's speed, in one run: extraction into the database against `extract --format jsonl`,
then a synthetic database of 100,000 facts in 20,000 articles: its size, a query by unit and
year, and a full-text search.

    .venv/bin/python bench/store.py [--facts 100000] [--articles 20000] [--rounds 5]

Figures:
- extract --db vs --format jsonl on the public seeds and dev pages (same process, extractor
  warmed up, a fresh database each round, medians): the ratio; target <= 1.3.
- build time of the synthetic database (store.facts.save_document per article, 500 to a
  transaction) and its size on disk after a checkpoint.
- `query --unit --year` (store.queries.find_facts on a read-only connection, the CLI's path
  without process start-up): median ms, target < 50 ms; and as a ratio to a bare
  `SELECT count(*) FROM facts` in the same connection.
- full-text search `--search` (store.queries.search_articles): median ms, target < 100 ms.
"""
import argparse
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from parindex import store
from parindex.model.normalize import unit_key
from parindex.commands.extract import document_rows, read_documents
from parindex.output import write_rows
from parindex.pipeline import extract_files_into_db

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PROVINCES = ["Hải Dương", "Đồng Tháp", "Hà Tĩnh", "Quảng Ninh", "Bắc Giang", "Đắk Lắk", "Lạng Sơn",
             "Thừa Thiên Huế", "Nghệ An", "Long An", "Yên Bái", "Ninh Bình", "Khánh Hòa", "Tây Ninh"]
WORDS = ("chỉ số cải cách hành chính năm huyện xã phường thị trấn đứng thứ tăng bậc giảm điểm đạt "
         "dẫn đầu kết quả công bố ủy ban nhân dân tỉnh sở ngành đánh giá sự hài lòng người dân "
         "doanh nghiệp thủ tục dịch vụ công trực tuyến chuyển đổi số").split()
SYLLABLES = "an bình đông tây nam bắc kim thành hòa lộc phú mỹ long tân sơn hà thanh đức".split()


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_extract(rounds: int, workdir: Path) -> None:
    inputs = [SHARED / "seeds", SHARED / "eval" / "dev"]
    pages = sum(1 for folder in inputs for p in folder.iterdir() if p.suffix in (".html", ".txt"))
    quiet = lambda *a: None  # noqa: E731

    def jsonl():
        write_rows(document_rows(read_documents(inputs, quiet)), [], "jsonl", stream=io.StringIO())

    counter = iter(range(10**6))

    def into_db():
        extract_files_into_db(workdir / f"extract-{next(counter)}.db", inputs, quiet, progress=False)

    jsonl(), into_db()  # warm up: imports, models, caches
    # alternate the two, so a neighbour's load on a shared machine falls on both alike
    base, db_time = [], []
    for _ in range(rounds):
        base.append(median_time(jsonl, 1))
        db_time.append(median_time(into_db, 1))
    base, db_time = statistics.median(base), statistics.median(db_time)
    print(f"extract {pages} pages: --format jsonl {base * 1000:.0f} ms, --db {db_time * 1000:.0f} ms, "
          f"ratio {db_time / base:.2f} (target <= 1.3)")


def synthetic_documents(articles: int, facts: int, rnd: random.Random):
    per_article, extra = divmod(facts, articles)
    for n in range(articles):
        province = rnd.choice(PROVINCES)
        units = []
        for k in range(per_article + (1 if n < extra else 0)):
            level = rnd.choice(["district", "commune", "department"])
            name = " ".join(rnd.sample(SYLLABLES, 2)).title() + f" {n % 97}-{k}"
            kind = {"district": "huyện", "commune": "xã", "department": "Sở"}[level]
            units.append((f"{kind} {name}", level))
        words = [rnd.choice(WORDS) for _ in range(300)]
        text = f"Tỉnh {province} công bố kết quả năm {2018 + n % 8}. " + " ".join(words) + f" Bài số {n}."
        year = 2018 + n % 8
        yield n, province, {
            "title": f"{province}: công bố Chỉ số CCHC năm {year}", "published": f"{year + 1}-04-0{1 + n % 9}",
            "site": f"Báo {province}", "text": text,
            "facts": [{"unit": unit, "unit_key": unit_key(unit), "level": level, "index": "PAR", "year": year,
                       "province": province, "rank": i + 1, "rank_total": 20, "score": 80 + rnd.random() * 15,
                       "evidence": text[:40], "start": 0, "end": 40, "rules": ["bench"]}
                      for i, (unit, level) in enumerate(units)]}


def bench_database(articles: int, facts: int, workdir: Path) -> None:
    path = workdir / "synthetic.db"
    db = store.connect(path)
    rnd = random.Random(2024)
    started = time.perf_counter()
    docs = synthetic_documents(articles, facts, rnd)
    sample_units = []
    while True:
        batch = [next(docs, None) for _ in range(500)]
        batch = [d for d in batch if d]
        if not batch:
            break
        with store.transaction(db):
            for n, province, doc in batch:
                page_id = store.pages.save_page(db, f"https://bao.vn/{n}.html", final_url=None, source="bench",
                                                kind="article", status=200, content_type="text/html",
                                                body=doc["text"].encode())
                store.facts.save_document(db, page_id, doc, "bench")
                if n % 997 == 0 and doc["facts"]:
                    sample_units.append((doc["facts"][0]["unit_key"], doc["facts"][0]["year"]))
    build = time.perf_counter() - started
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = path.stat().st_size
    counts = store.connect(path, readonly=True)
    n_facts = counts["facts"].count
    n_articles = counts["articles"].count
    counts.close()
    print(f"synthetic database: {n_facts:,} facts, {n_articles:,} articles, built in {build:.1f} s "
          f"({build / n_articles * 1000:.2f} ms an article), {size / 1e6:.1f} MB on disk")

    db = store.connect(path, readonly=True)
    baseline = median_time(lambda: db.execute("SELECT count(*) FROM facts").fetchone(), 20)
    units = iter(sample_units * 20)

    def by_unit():
        key, year = next(units)
        rows = store.queries.find_facts(db, unit_key=key, year=year)
        assert rows, key

    unit_time = median_time(by_unit, 40)
    print(f"query by unit and year: {unit_time * 1000:.2f} ms (target < 50 ms); "
          f"{unit_time / baseline:.2f}x a bare SELECT count(*) FROM facts ({baseline * 1000:.2f} ms)")
    words = iter(["dong thap", "hai duong", "Khánh Hòa", "dak lak", "doanh nghiep truc tuyen"] * 20)
    search_time = median_time(lambda: store.queries.search_articles(db, next(words)), 25)
    print(f"full-text search: {search_time * 1000:.2f} ms (target < 100 ms), best 50 articles; "
          f"{search_time / baseline:.2f}x the bare count")
    filtered = median_time(lambda: store.queries.find_facts(db, provinces=["Đồng Tháp"], year=2023,
                                                             level="district"), 10)
    print(f"query by province, year and level: {filtered * 1000:.1f} ms")
    db.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        bench_extract(args.rounds, Path(tmp))
        bench_database(args.articles, args.facts, Path(tmp))


if __name__ == "__main__":
    main()
