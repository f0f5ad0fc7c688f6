"""Write rows as table, csv, json or jsonl: one shape for every verb."""
import csv
import json
import shutil
import sys

FORMATS = ("table", "csv", "json", "jsonl")


def default_format(stream=None) -> str:
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "jsonl"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_rows(rows, columns, fmt, stream=None):
    """rows: iterable of dicts; columns: the order to show (json/jsonl keep every key)."""
    stream = stream or sys.stdout
    rows = list(rows) if fmt in ("table", "json") else rows
    if fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(rows, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
    elif fmt == "table":
        cells = [[_cell(row.get(c)) for c in columns] for row in rows]
        width = shutil.get_terminal_size((160, 20)).columns
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        cap = max(12, width // max(1, len(columns)) * 2)
        widths = [min(w, cap) for w in widths]
        line = "  ".join(c.ljust(w)[:w] for c, w in zip(columns, widths))
        stream.write(line.rstrip() + "\n" + "  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            stream.write("  ".join(v.ljust(w)[:w] for v, w in zip(r, widths)).rstrip() + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
