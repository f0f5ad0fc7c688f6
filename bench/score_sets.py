"""Extraction quality on the gold sets: totals, per level, per index, per rule.

    .venv/bin/python bench/score_sets.py                  # seeds, dev, real (tune and held-out parts)
    .venv/bin/python bench/score_sets.py --rules           # and each rule's facts, right and wrong
    .venv/bin/python bench/score_sets.py --misses tune     # misses and false claims of the tune part

The real set is split once, before tuning, by bench/real_split.json: rules are tuned on the
``tune`` part; the ``held-out`` part is only ever reported in aggregate, so that its score stays
an honest estimate of text no rule was written for. ``--misses`` refuses the held-out part.
"""
import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
# this folder holds bench/extract.py, which would shadow the extract package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
SPLIT = json.loads((REPO / "bench" / "real_split.json").read_text(encoding="utf-8"))
HELD_OUT = set(SPLIT["held_out"])

LEVELS = ("province", "district", "commune", "department", "central_agency", "ministry")
INDEXES = ("PAR", "SIPAS", "PAPI", "PCI", "DDCI", "OTHER")


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def set_files(name):
    if name == "seeds":
        return sorted((SHARED / "seeds").glob("*.txt"))
    if name == "dev":
        return sorted((EVAL / "dev").glob("*.html"))
    return sorted((EVAL / "real").glob("*.txt"))


def extract_set(name, aliases):
    """Predicted facts and dates per document stem, as the CLI would print them."""
    try:
        from parindex.extract import ExtractError, extract_document
    except ImportError:  # before the package-dir mapping
        from parindex.extract import ExtractError, extract_document

    facts, dates = defaultdict(list), {}
    for path in set_files(name):
        try:
            doc = extract_document(path.read_bytes(), name=path.name)
        except ExtractError:
            continue
        doc_id = aliases.get(doc["doc"], doc["doc"])
        facts[doc_id] = doc["facts"]
        if doc["published"]:
            dates[doc_id] = doc["published"]
    return facts, dates


def gold_docs(scorer, name):
    docs, aliases = scorer.load_gold([EVAL / f"{name}.gold.json"])
    return docs, aliases


def restrict(docs, pred, keep):
    """Gold documents and predictions with only the records for which keep(record) holds."""
    gold = {d: {**doc, "facts": [f for f in doc.get("facts", []) if keep(f)]} for d, doc in docs.items()}
    return gold, {d: [f for f in facts if keep(f)] for d, facts in pred.items()}


def summary(scorer, docs, pred, dates):
    _, (tp, fp, fn), per_doc, (date_ok, dated) = scorer.score(docs, pred, dates)
    p, r, f = scorer.prf(tp, fp, fn)
    return {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "dates": (date_ok, dated),
            "per_doc": per_doc}


def line(label, s, dates=True):
    out = f"{label:<22} P={s['p']:.3f} R={s['r']:.3f} F1={s['f1']:.3f}  (tp={s['tp']} fp={s['fp']} fn={s['fn']})"
    if dates and s["dates"][1]:
        out += f"  dates {s['dates'][0]}/{s['dates'][1]}"
    return out


def breakdown(scorer, docs, pred, dates, field, values):
    rows = []
    for value in values:
        g, p = restrict(docs, pred, lambda f, v=value: (f.get(field) or ("PAR" if field == "index" else None)) == v)
        s = summary(scorer, g, p, dates)
        if s["tp"] + s["fn"] + s["fp"]:
            rows.append(line(f"  {field}={value}", s, dates=False))
    return rows


def rule_stats(scorer, docs, pred):
    """For each rule: claims of the facts it took part in, and how many the gold confirms."""
    stats = defaultdict(lambda: [0, 0])
    for doc_id, facts in pred.items():
        if doc_id not in docs:
            continue
        gold = scorer.claims_of(docs[doc_id].get("facts", []))
        gold_kf = defaultdict(list)
        for claim in gold:
            gold_kf[claim[:2]].append(claim)
        for fact in facts:
            for claim in scorer.claims_of([fact]):
                right = any(scorer.values_match(claim[1], claim[2], g[2]) for g in gold_kf.get(claim[:2], []))
                for rule in fact.get("rules") or ["(none)"]:
                    stats[rule][0 if right else 1] += 1
    return stats


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="seeds,dev,real")
    ap.add_argument("--rules", action="store_true", help="each rule's claims, right ones and precision, per set")
    ap.add_argument("--misses", choices=["seeds", "dev", "tune"], help="list misses and false claims of one set")
    ap.add_argument("--json", action="store_true", help="one JSON object of the totals")
    args = ap.parse_args(argv)
    scorer = load_scorer()
    totals = {}
    rules = defaultdict(dict)   # rule -> set name -> [right, wrong]
    names = args.sets.split(",")
    for name in names:
        docs, aliases = gold_docs(scorer, name)
        pred, dates = extract_set(name, aliases)
        parts = {name: docs}
        if name == "real":
            parts = {"real": docs,
                     "real-tune": {d: v for d, v in docs.items() if d not in HELD_OUT},
                     "real-held-out": {d: v for d, v in docs.items() if d in HELD_OUT}}
        for part, part_docs in parts.items():
            s = summary(scorer, part_docs, pred, dates)
            totals[part] = {k: s[k] for k in ("p", "r", "f1", "tp", "fp", "fn", "dates")}
            if args.json:
                continue
            print(line(part, s))
            for row in breakdown(scorer, part_docs, pred, dates, "level", LEVELS):
                print(row)
            for row in breakdown(scorer, part_docs, pred, dates, "index", INDEXES):
                print(row)
        if args.rules:
            for rule, counts in rule_stats(scorer, docs, pred).items():
                rules[rule][name] = counts
        if args.misses and (args.misses == name or (args.misses == "tune" and name == "real")):
            shown = parts.get("real-tune", docs)
            per_doc = summary(scorer, shown, pred, dates)["per_doc"]
            for doc_id, d in per_doc.items():
                if d["misses"] or d["false"]:
                    print(f"== {doc_id}: {d['tp']} right, {len(d['misses'])} missed, {len(d['false'])} false")
                    for claim in d["misses"]:
                        print(f"   missed {claim}")
                    for claim in d["false"]:
                        print(f"   false  {claim}")
            for doc_id, doc in shown.items():
                if doc.get("published") and dates.get(doc_id) != doc["published"]:
                    print(f"== {doc_id}: published {dates.get(doc_id)} != {doc['published']}")
    if args.rules:
        # a claim counts for every rule that took part in its fact: the weakest rules sort first
        print("\n" + f"{'rule':<30}" + "".join(f"{n + ' claims/right/P':>26}" for n in names) + f"{'all P':>8}")

        def overall(per_set):
            right = sum(c[0] for c in per_set.values())
            return right / max(1, right + sum(c[1] for c in per_set.values()))
        for rule, per_set in sorted(rules.items(), key=lambda kv: overall(kv[1])):
            cells = "".join(f"{per_set[n][0] + per_set[n][1]:>12}{per_set[n][0]:>7}"
                            f"{per_set[n][0] / max(1, sum(per_set[n])):>7.3f}" if n in per_set else f"{'-':>26}"
                            for n in names)
            print(f"{rule:<30}{cells}{overall(per_set):>8.3f}")
    if args.json:
        print(json.dumps(totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
