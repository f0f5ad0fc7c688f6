"""Export time at 100,000 facts beside a plain `select *` of the same rows to CSV.

    .venv/bin/python bench/export.py [--facts 100000] [--keep DIR]

Builds a synthetic database (store's schema; units drawn from the register, linked as the
pipeline links them; 20 facts an article, 12 sites, years 2018-2025, one fact in twenty
reviewed and one in fifty rejected), then times in this process:

- baseline: SELECT every fact joined with its article, written with csv.writer;
- export:   parindex.export.export_dataset (consolidation, CSV, Parquet, JSON, facts.csv,
            datapackage.json, charts), and the same without charts.

Prints seconds and the ratio to the baseline. Target: the full export under 30 s.
"""
import argparse
import csv
import os
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from parindex import store
from parindex.model.normalize import unit_key
from parindex.model.linker import link_facts
from parindex.model.register import get_register
from parindex.export import export_dataset
from parindex.store.facts import fact_id, text_hash

SITES = [f"https://bao{n}.vn" for n in ("haiduong", "hatinh", "nghean", "quangninh", "bacgiang",
                                         "langson", "laocai", "tayninh", "longan", "yenbai",
                                         "ninhbinh", "khanhhoa")]


def _units(rnd: random.Random):
    """(fact template with its link fields) for districts, communes and provinces of the register."""
    reg = get_register()
    districts = [u for (r, lv, _), u in reg.units.items() if r == "legacy" and lv == "district"]
    communes = rnd.sample([u for (r, lv, _), u in reg.units.items() if r == "legacy" and lv == "commune"], 1500)
    provinces = [u for (r, lv, _), u in reg.units.items() if r == "legacy" and lv == "province"]
    raw = ([{"unit": f"{u.kind} {u.name}", "level": "district", "province": u.province,
             "parent": f"tỉnh {u.province}"} for u in districts]
           + [{"unit": f"{u.kind} {u.name}", "level": "commune", "province": u.province,
               "parent": u.district} for u in communes]
           + [{"unit": f"{u.kind} {u.name}", "level": "province", "province": u.name, "parent": None}
              for u in provinces])
    linked = link_facts([{**f, "year": 2023} for f in raw])
    return [{k: v for k, v in f.items() if k != "year"} for f in linked]


def build(path: Path, n_facts: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    templates = _units(rnd)
    db = store.connect(path)
    articles, facts = [], []
    per_article = 20
    stamp = "2026-01-01T00:00:00Z"
    for a in range(n_facts // per_article):
        site = SITES[a % len(SITES)]
        text = f"Bài {a}: kết quả chỉ số cải cách hành chính."
        digest = text_hash(text)
        articles.append({"id": a + 1, "text_hash": digest, "url": f"{site}/bai-{a}.html",
                         "title": f"Bài {a}", "published": f"20{19 + a % 7}-0{1 + a % 9}-1{a % 10}",
                         "site": site, "text": text, "text_folded": text, "extractor_version": "bench",
                         "created_at": stamp})
        year = 2018 + a % 8
        seen = set()
        for i, t in enumerate(rnd.sample(templates, per_article + 5)):
            key = unit_key(t["unit"])
            if (t["level"], key) in seen or len(seen) == per_article:
                continue  # one fact per unit name and level in an article, as extraction promises
            seen.add((t["level"], key))
            roll = rnd.random()
            status = "rejected" if roll < 0.02 else ("accepted" if roll < 0.07 else "pending")
            facts.append({**t, "id": fact_id(digest, "PAR", t["level"], key, year), "article_id": a + 1,
                          "unit_key": key, "index": "PAR", "year": year, "rank": rnd.randint(1, 30),
                          "rank_total": 30, "rank_change": rnd.randint(-3, 3),
                          "score": round(rnd.uniform(70, 95), 2), "score_min": None,
                          "evidence": f"{t['unit']} xếp thứ {i + 1}.", "start": 0, "end": 10,
                          "rules": '["bench"]', "extractor_version": "bench", "status": status,
                          "successors": str(t["successors"]).replace("'", '"'),
                          "candidates": str(t["candidates"]).replace("'", '"'),
                          "unit_ambiguous": int(bool(t["unit_ambiguous"])),
                          "created_at": stamp, "updated_at": stamp})
    with store.transaction(db):
        db["articles"].insert_all(articles, batch_size=2000)
        db["pages"].insert_all([{"url": r["url"], "final_url": r["url"], "source": r["site"],
                                 "kind": "article", "status": 200, "article_id": r["id"]}
                                for r in articles], batch_size=2000)
        db["facts"].insert_all(facts, batch_size=2000)
    db.conn.close()


def baseline(db_path: Path, out: Path) -> int:
    db = store.connect(db_path, readonly=True)
    cursor = db.execute("SELECT f.*, a.url, a.title, a.published FROM facts f "
                        "JOIN articles a ON a.id = f.article_id ORDER BY f.id")
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([d[0] for d in cursor.description])
        for row in cursor:
            writer.writerow(row)
            n += 1
    db.conn.close()
    return n


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the chart workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the database and dataset in this folder")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="parindex-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "bench.db"
    try:
        t = time.perf_counter()
        get_register()
        print(f"register load (linker, once per process): {time.perf_counter() - t:6.2f} s")
        if not db_path.exists():
            t = time.perf_counter()
            build(db_path, args.facts)
            print(f"synthetic database, {args.facts:,} facts:    {time.perf_counter() - t:6.2f} s")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
              "(wall times grow with the load; CPU times much less)")
        t, c = time.perf_counter(), _cpu()
        n = baseline(db_path, work / "select-star.csv")
        base, base_cpu = time.perf_counter() - t, _cpu() - c
        print(f"baseline: select * to CSV ({n:,} rows):    {base:6.2f} s wall {base_cpu:6.2f} s CPU   1.0x")
        t, c = time.perf_counter(), _cpu()
        summary = export_dataset(db_path, work / "dataset-nocharts", charts=False)
        plain, plain_cpu = time.perf_counter() - t, _cpu() - c
        print(f"export without charts:                  {plain:6.2f} s wall {plain_cpu:6.2f} s CPU"
              f"   {plain / base:.1f}x")
        t, c = time.perf_counter(), _cpu()
        summary = export_dataset(db_path, work / "dataset")
        full, full_cpu = time.perf_counter() - t, _cpu() - c
        charts = sum(1 for f in summary["files"] if f.startswith("charts/"))
        print(f"export with {charts} charts:                 {full:6.2f} s wall {full_cpu:6.2f} s CPU"
              f"   {full / base:.1f}x   ({summary['rankings']:,} ranking rows, "
              f"{summary['conflicts']:,} conflicts)")
        print(f"target: full export under 30 s -> {'met' if full < 30 else 'MISSED'}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
