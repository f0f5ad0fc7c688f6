"""Fuzz the extractor with hostile mutations of the gold pages: every input must end in time,
with facts that can be true, or with one ExtractError line.

    .venv/bin/python bench/fuzz.py                    # 10,000 inputs, seed 13: the full run
    .venv/bin/python bench/fuzz.py --inputs 500 --seed 7

Prints the number of inputs, the exceptions other than ExtractError (with the first of each
kind), the slowest inputs, and the facts that break model.validity. tests/test_fuzz.py runs a
sample of the same generator in the suite; this script is the full run. Timings are figures
to read, not assertions: the machines are shared.
"""
import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# this folder holds bench/extract.py, which would shadow nothing now, but keep the path clean
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ODD_NUMBERS = ["inf", "NaN", "-3", "1e6", "85,34,56", "３/６３", "0", "2049", "1000000", "-0,5", "99999999999999999999",
               "1/0", "0/0", "1e308", "١٢٣"]
SENTENCE = "huyện Kim Thành xếp thứ 3/12, tăng 2 bậc, đạt 85,34 điểm về Chỉ số CCHC năm 2023"


def corpus() -> list[bytes]:
    pages = sorted((SHARED / "eval" / "dev").glob("*.html")) + sorted((SHARED / "seeds").glob("*.txt"))
    return [p.read_bytes() for p in pages]


def _flip(rng, data):
    if not data:
        return data
    data = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _truncate(rng, data):
    return data[:rng.randrange(1, len(data))] if len(data) > 1 else data


def _nest(rng, data):
    depth = rng.choice([50, 500, 3000, 20000])
    return b"<html><body>" + b"<div>" * depth + data + b"</div>" * rng.choice([0, depth])


def _controls(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 60)):
        data.insert(rng.randrange(len(data) + 1), rng.choice([0, 1, 7, 8, 11, 12, 27, 31, 127]))
    return bytes(data)


def _encodings(rng, data):
    text = data.decode("utf-8", errors="replace")
    cut = rng.randrange(len(text) + 1)
    encoding = rng.choice(["cp1258", "utf-16", "latin-1", "utf-16-le", "cp1252"])
    return text[:cut].encode("utf-8") + text[cut:].encode(encoding, errors="replace")


def _long_line(rng, data):
    joiner = rng.choice(["; ", ", ", " ", "; năm 2022 ", " và "])
    return data + ("<p>" + joiner.join([SENTENCE] * rng.choice([200, 1000, 3000])) + "</p>").encode()


def _numbers(rng, data):
    text = data.decode("utf-8", errors="replace")
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for _ in range(rng.randint(1, 30)):
        if not digits:
            break
        i = rng.choice(digits)
        text = text[:i] + rng.choice(ODD_NUMBERS) + text[i + 1:]
    return text.encode("utf-8")


def _digit_run(rng, data):
    run = "9" * rng.choice([1000, 20000, 60000])
    return data + f"<p>Chỉ số CCHC năm 2023 {run} năm liên tiếp {run}</p>".encode()


def _empty(rng, data):
    return rng.choice([b"", b" ", b"\x00" * 100, b"<html></html>", b"\xff\xfe", b"<" * 5000, b"\n" * 10000])


MUTATIONS = [_flip, _truncate, _nest, _controls, _encodings, _long_line, _numbers, _digit_run, _empty]


def inputs(count: int, seed: int):
    """(label, bytes) pairs, the same for the same count and seed."""
    rng = random.Random(seed)
    pages = corpus()
    for i in range(count):
        mutation = MUTATIONS[i % len(MUTATIONS)]
        page = rng.choice(pages)
        data = mutation(rng, page)
        if rng.random() < 0.3:   # some inputs take two mutations
            data = rng.choice(MUTATIONS)(rng, data) or data
        yield f"{i}:{mutation.__name__.strip('_')}", data


def run(count: int, seed: int, budget: float | None = None):
    from parindex.extract import ExtractError, extract_document
    from parindex.extract.document import BUDGET
    from parindex.model.validity import problems

    exceptions, invalid, times = {}, [], []
    refused = 0
    for label, data in inputs(count, seed):
        start = time.perf_counter()
        try:
            doc = extract_document(data, name=label, budget=budget or BUDGET)
            invalid += [(label, f["unit"], problems(f)) for f in doc["facts"] if problems(f)]
        except ExtractError as err:
            refused += 1
            assert "\n" not in str(err), (label, str(err))
        except Exception as err:  # what the fuzzing is for
            exceptions.setdefault(type(err).__name__, (label, str(err)[:200], 0))
            name, first, n = exceptions[type(err).__name__]
            exceptions[type(err).__name__] = (name, first, n + 1)
        times.append((time.perf_counter() - start, label))
    return {"inputs": count, "refused": refused, "exceptions": exceptions, "invalid": invalid,
            "slowest": sorted(times, reverse=True)[:5], "total_seconds": sum(t for t, _ in times)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    result = run(args.inputs, args.seed)
    print(f"inputs: {result['inputs']:,} (seed {args.seed}), one-line refusals: {result['refused']:,}")
    print(f"exceptions other than ExtractError: {sum(n for _, _, n in result['exceptions'].values())}")
    for kind, (label, message, n) in result["exceptions"].items():
        print(f"  {kind} x{n}, first on input {label}: {message}")
    print(f"facts that break the validity check: {len(result['invalid'])}")
    for label, unit, why in result["invalid"][:10]:
        print(f"  input {label}: {unit}: {why}")
    print("slowest inputs: " + ", ".join(f"{label} {t:.2f} s" for t, label in result["slowest"]))
    print(f"total {result['total_seconds']:.0f} s, {result['total_seconds'] / result['inputs'] * 1000:.0f} ms an input")
    return 1 if result["exceptions"] or result["invalid"] else 0


if __name__ == "__main__":
    sys.exit(main())
