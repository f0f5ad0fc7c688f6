"""Write rows as table, csv, json or jsonl: one shape for every verb."""
import csv
import json
import shutil
import sys

FORMATS = ("table", "csv", "json", "jsonl")


def default_format(stream=None) -> str:
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "jsonl"


LIST_SEPARATOR = " | "  # as in the exported files
FIRST_COLUMN_WIDTH = 40  # the name a row is about is cut last, and not below this
MIN_WIDTH = 10  # a longer value is cut to this at the least (with …)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def fit_widths(headers: list[str], natural: list[int], room: int) -> list[int]:
    """Widths for the columns that fit `room` characters, in the callers' order (the most
    important first); the columns that do not fit are left out (a shorter list).

    Each column gets at least its header or MIN_WIDTH, whichever is less of its natural
    width (the first one up to FIRST_COLUMN_WIDTH); what room is left goes to the columns
    left to right, up to their natural width."""
    floors = [min(n, FIRST_COLUMN_WIDTH if i == 0 else max(len(h), MIN_WIDTH))
              for i, (h, n) in enumerate(zip(headers, natural))]
    kept, used = [], 0
    for i, floor in enumerate(floors):
        extra = floor + (2 if kept else 0)
        if kept and used + extra > room:
            break
        kept.append(floor)
        used += extra
    widths = list(kept)
    for i in range(len(widths)):
        more = min(natural[i] - widths[i], max(0, room - used))
        widths[i] += more
        used += more
    return widths


def _clip(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[:width - 1] + "…"


def _table(rows, columns, stream):
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    # A column empty in every row says nothing: it goes (csv and json keep every column).
    keep = [i for i in range(len(columns)) if not cells or any(r[i] for r in cells)]
    columns = [columns[i] for i in keep]
    cells = [[r[i] for i in keep] for r in cells]
    room = shutil.get_terminal_size((160, 20)).columns
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    widths = fit_widths(columns, natural, room)
    stream.write("  ".join(_clip(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
    stream.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        stream.write("  ".join(_clip(v, w) for v, w in zip(r, widths)).rstrip() + "\n")
    left_out = columns[len(widths):]
    if left_out:
        stream.write(f"({len(left_out)} more column{'s' if len(left_out) > 1 else ''} at this width: "
                     f"{', '.join(left_out)}; --format csv or json shows every column)\n")


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
        _table(rows, columns, stream)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
