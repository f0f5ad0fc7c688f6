"""How long does one `parindex` command take from a cold process, next to the libraries it needs?

    .venv/bin/python bench/startup.py             # 7 rounds
    .venv/bin/python bench/startup.py --rounds 15
    .venv/bin/python bench/startup.py --against /tmp/old/bin/python   # an earlier install too

cron users start `parindex extract one.txt` or `parindex query` many times a day: what they
wait for is a whole process, Python's start and every import included. Each round runs, one
after the other, every command below and the baselines, so that a neighbour's load falls on all
of them alike; the figures are medians over the rounds, and each command's ratio is taken round
by round against:

- `python -c pass`: the interpreter alone;
- `python -c "import spacy, underthesea"`: the floor the two language libraries set for any
  command that reads an article about the indexes (spaCy's token rules, underthesea's words).

With --against, every parindex command is also run by another interpreter (a virtualenv with an
earlier checkout installed) in the same rounds, and its ratio to that run is printed.

The texts are written for this bench: one about a commune's ranking, one about the weather.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ON_TOPIC = (
    "Chỉ số cải cách hành chính năm 2024 của huyện Kim Thành\n\n"
    "Theo kết quả công bố, xã Kim Anh xếp thứ nhất trong 18 xã, thị trấn của huyện Kim Thành về "
    "Chỉ số cải cách hành chính năm 2024, đạt 91,25 điểm, tăng 2 bậc so với năm trước. Xã Tuấn "
    "Việt đứng thứ hai với 89,6 điểm; thị trấn Phú Thái xếp cuối bảng.\n"
)
OFF_TOPIC = (
    "Không khí lạnh tràn về các tỉnh miền Bắc\n\n"
    "Nhiệt độ thấp nhất ở vùng núi có nơi dưới 8 độ C; vùng đồng bằng trời rét, có mưa nhỏ vài nơi "
    "trong đêm và sáng sớm.\n"
)


# A user's Python writes the .pyc of parindex's modules on the first run and reads them after;
# a shell that forbids it (PYTHONDONTWRITEBYTECODE) would have every round compile them again.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
NO_CACHE = {**ENV, "PARINDEX_CACHE_DIR": ""}


def timed(argv, cwd, env=ENV) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench/startup.py: {' '.join(argv)} failed: {done.stderr.strip().splitlines()[-1:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--against", metavar="PYTHON", help="also time the commands with this interpreter's parindex")
    args = parser.parse_args()
    python = sys.executable
    parindex = [python, "-m", "parindex"]
    earlier = [args.against, "-m", "parindex"] if args.against else None
    with tempfile.TemporaryDirectory(prefix="parindex-startup-") as tmp:
        tmp = Path(tmp)
        (tmp / "on.txt").write_text(ON_TOPIC, encoding="utf-8")
        (tmp / "off.txt").write_text(OFF_TOPIC, encoding="utf-8")
        db = tmp / "facts.db"
        subprocess.run(parindex + ["extract", "--db", str(db), "on.txt"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ours = {
            "extract on-topic.txt": ["extract", "--format", "jsonl", "on.txt"],
            "extract off-topic.txt": ["extract", "--format", "jsonl", "off.txt"],
            "extract --db, stored already": ["extract", "--db", str(db), "on.txt"],
            "query --unit": ["query", "--db", str(db), "--unit", "Kim Anh"],
        }
        commands = {"python -c pass": [python, "-c", "pass"],
                    "import spacy, underthesea": [python, "-c", "import spacy, underthesea"]}
        for name, argv in ours.items():
            commands[name] = parindex + argv
            if earlier:
                commands[f"  earlier: {name}"] = earlier + argv
        # the register built at each start, as before it was kept between runs (model/cache.py)
        commands["extract on-topic.txt, cache off"] = parindex + ours["extract on-topic.txt"]
        envs = {"extract on-topic.txt, cache off": NO_CACHE}
        for name, argv in commands.items():   # the files in the page cache, the .pyc and the cache written
            timed(argv, tmp, envs.get(name, ENV))
        times = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                times[name].append(timed(argv, tmp, envs.get(name, ENV)))
    print(f"{args.rounds} rounds, {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'command':41} {'median s':>9} {'range':>13} {'x python':>9} {'x spacy+uts':>12}"
          + (f" {'x earlier':>10}" if earlier else ""))
    bare, floor = times["python -c pass"], times["import spacy, underthesea"]
    for name, runs in times.items():
        over_bare = statistics.median(t / b for t, b in zip(runs, bare))
        over_floor = statistics.median(t / f for t, f in zip(runs, floor))
        line = (f"{name:41} {statistics.median(runs):9.3f} {min(runs):6.3f}-{max(runs):.3f} "
                f"{over_bare:9.1f} {over_floor:12.2f}")
        if earlier and f"  earlier: {name}" in times:
            line += f" {statistics.median(t / e for t, e in zip(runs, times[f'  earlier: {name}'])):10.2f}"
        print(line)


if __name__ == "__main__":
    main()
