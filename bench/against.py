"""Is this checkout's extraction faster than an earlier install's, on pages neither has seen?

    .venv/bin/python bench/against.py /tmp/old/.venv/bin/python            # 2 turns of 5 rounds
    .venv/bin/python bench/against.py /tmp/old/.venv/bin/python --turns 3

Each interpreter runs, in its own process and in turns (this one, the other, this one, ...), the
same pages as bench/extract.py's relevant, long and irrelevant sets on one core, and times them against
trafilatura alone in the same process; the figures are the medians of each turn's rounds, the
ratio to trafilatura, so a neighbour's load falls on both sides of each ratio alike.

Every page is read as if new: the units of its sentences are forgotten before it, as the
extractor itself does since 0.4.1 (extract.units.new_document). Earlier versions kept them across
pages, which made a bench that repeats pages read them at about 1.6× where new pages took 4×.
"""
import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(rounds: int) -> dict:
    import gc
    import random
    import time

    import importlib.util

    from parindex.extract import ExtractError, extract_document, units

    # bench/extract.py, by its path: the same pages and baseline
    spec = importlib.util.spec_from_file_location("bench_extract", HERE / "extract.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    dev = [p.read_bytes() for p in bench.DEV]
    rng = random.Random(7)
    sets = {"relevant": dev, "long": [bench.long_page(rng.choice(dev), rng) for _ in range(30)],
            "irrelevant": [bench.irrelevant(rng.choice(dev), rng) for _ in range(30)]}
    for page in dev:
        extract_document(page)   # models and rules loaded, outside the timings
    bench.baseline(dev[0])

    def new_page(page):
        units._entities.cache_clear()
        try:
            extract_document(page)
        except ExtractError:
            pass   # an irrelevant page may hold no article text: it costs what it costs

    def timed(pages, read):
        gc.collect()
        start = time.perf_counter()
        for page in pages:
            read(page)
        return time.perf_counter() - start

    out = {}
    for name, pages in sets.items():
        ratios = [timed(pages, new_page) / timed(pages, bench.baseline) for _ in range(rounds)]
        out[name] = statistics.median(ratios)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", nargs="?", help="the other install's python")
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rounds)))
        return
    if not args.other:
        parser.error("name the other install's python")
    pythons = {"this": sys.executable, "other": args.other}
    seen = {name: [] for name in pythons}
    for _ in range(args.turns):
        for name, python in pythons.items():
            run = subprocess.run([python, __file__, "--child", "--rounds", str(args.rounds)],
                                 capture_output=True, text=True, check=True)
            seen[name].append(json.loads(run.stdout.strip().splitlines()[-1]))
    for name in pythons:
        figures = {k: [turn[k] for turn in seen[name]] for k in seen[name][0]}
        print(f"{name:>5} ({pythons[name]}): " + ", ".join(
            f"{k} {statistics.median(v):.2f}× trafilatura [{min(v):.2f}-{max(v):.2f}]" for k, v in figures.items()))
    for k in seen["this"][0]:
        this = statistics.median(turn[k] for turn in seen["this"])
        other = statistics.median(turn[k] for turn in seen["other"])
        print(f"{k}: this checkout takes {this / other:.2f}× the other's time per page")


if __name__ == "__main__":
    main()
