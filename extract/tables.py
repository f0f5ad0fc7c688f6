"""Ranking tables in an article's text -> facts (a row of a table is its own sentence).

Three shapes reach the text: trafilatura's pipe rows ("| 1 | UBND huyện X | 90,48 | 2 |"),
columns laid out with spaces (<pre>), and tables flattened to one cell per line by a CMS.
The header names the columns (Đơn vị / Điểm / Chỉ số / Xếp hạng ...); component columns
("Điểm thẩm định", "Điểm điều tra xã hội học") are never read as the score.
"""
import re

from parindex.extract.assemble import Context, canonical_unit, province_name
from parindex.model.normalize import fold_tones
from parindex.extract.rules import Rules
from parindex.extract.units import find_units
from parindex.extract.values import find_indexes, find_values

_UNIT_COL = re.compile(r"đơn vị|cơ quan|^tên|địa phương|^xã|^huyện|^sở|^phường", re.IGNORECASE)
_RANK_COL = re.compile(r"xếp hạng|thứ hạng|xếp thứ|^hạng|^thứ tự", re.IGNORECASE)
_SCORE_COLS = [re.compile(p, re.IGNORECASE) for p in
               (r"chỉ số", r"tổng điểm|tổng số điểm|^tổng", r"điểm đạt|kết quả|^điểm$|điểm số|^điểm")]
_NOT_SCORE = re.compile(r"thẩm định|điều tra|tự đánh giá|thành phần|tối đa|trừ|tăng|giảm", re.IGNORECASE)
_CHANGE_COL = re.compile(r"tăng|giảm|thay đổi", re.IGNORECASE)
_STT = re.compile(r"^(?:stt|tt|số tt|số thứ tự)$", re.IGNORECASE)
_ALIGNED = re.compile(r"\S {3,}\S")
_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{1,3})?$")


def is_table_row(line: str) -> bool:
    return line.count("|") >= 2 or len(_ALIGNED.findall(line)) >= 2


def _cells(line: str):
    if line.count("|") >= 2:
        return [c.strip() for c in line.strip().strip("|").split("|")]
    if len(_ALIGNED.findall(line)) >= 2:
        return re.split(r"\s{3,}", line.strip())
    return None


def _columns(header):
    roles = {}
    for i, cell in enumerate(header):
        text = cell.strip()
        if _STT.match(text):
            roles.setdefault("stt", i)
        elif _UNIT_COL.search(text) and "unit" not in roles:
            roles["unit"] = i
        elif _RANK_COL.search(text):
            roles.setdefault("rank", i)
        elif _CHANGE_COL.search(text) and "bậc" in text.lower():
            roles.setdefault("change", i)
    for pattern in _SCORE_COLS:
        for i, cell in enumerate(header):
            if i not in roles.values() and pattern.search(cell) and not _NOT_SCORE.search(cell):
                roles.setdefault("score", i)
        if "score" in roles:
            break
    if "unit" in roles and ("rank" in roles or "score" in roles):
        return roles
    return None


def _tables(text: str):
    """(header, rows) where rows are (cells, start, end) with offsets into text."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((line, pos, pos + len(line)))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        line, start, _ = lines[i]
        cells = _cells(line)
        if cells and _columns(cells):
            header, rows, j = cells, [], i + 1
            while j < len(lines):
                row = _cells(lines[j][0])
                if row is None:
                    break
                if set("".join(row)) <= set("-: "):
                    j += 1
                    continue
                rows.append((row, lines[j][1], lines[j][2]))
                j += 1
            yield header, rows, i
            i = j
            continue
        # a table flattened to one cell per line: "STT", "Cơ quan, đơn vị", ..., "Xếp hạng", "1", ...
        if _STT.match(line.strip()):
            k = i + 1
            while k < len(lines) and len(lines[k][0]) <= 40 and not _NUMBER.match(lines[k][0].strip()):
                k += 1
            header = [l for l, _, _ in lines[i:k]]
            roles = _columns(header)
            if roles and len(header) >= 3:
                n, rows, j = len(header), [], k
                while j + n <= len(lines) and _NUMBER.match(lines[j][0].strip()):
                    chunk = lines[j:j + n]
                    rows.append(([l for l, _, _ in chunk], chunk[0][1], chunk[-1][2]))
                    j += n
                yield header, rows, i
                i = j
                continue
        i += 1


def _number(cell: str):
    cell = cell.strip().replace(",", ".")
    try:
        return float(cell)
    except ValueError:
        return None


_MAYBE_TABLE = re.compile(r"\|.*\||^(?:stt|tt|số tt)$|\S {3,}\S.* {3,}\S", re.IGNORECASE | re.MULTILINE)


def table_facts(text: str, title: str | None, ctx: Context, rules: Rules) -> list[dict]:
    facts = []
    if not _MAYBE_TABLE.search(text):
        return facts
    lines = text.split("\n")
    for header, rows, header_line in _tables(text):
        roles = _columns(header)
        caption = " ".join(lines[max(0, header_line - 2):header_line])
        folded = fold_tones(caption)
        years = [v.value for v in find_values(folded, rules) if v.kind == "year"]
        year = years[0] if years else ctx.year
        indexes = find_indexes(folded, rules)
        index = indexes[0][2] if indexes else ctx.index
        if year is None:
            continue
        for cells, start, end in rows:
            if len(cells) <= max(roles.values()):
                continue
            found = [u for u in find_units(cells[roles["unit"]], rules)]
            if not found:
                continue
            unit_text, level = canonical_unit(found[0], rules, year)
            fact = {"unit": unit_text, "level": level, "index": index, "year": year,
                    "rank": None, "rank_total": None, "rank_change": None, "score": None, "score_min": None,
                    "rules": ["table.row"], "_cue_rank": False, "evidence_span": (start, end)}
            if "rank" in roles:
                rank = _number(cells[roles["rank"]])
                if rank and rank == int(rank):
                    fact["rank"] = int(rank)
            if "score" in roles:
                score = _number(cells[roles["score"]])
                if score is not None and 0 < score <= 100:
                    fact["score"] = score
            if "change" in roles:
                change = _number(cells[roles["change"]])
                if change is not None and change == int(change):
                    fact["rank_change"] = int(change)
            facts.append(fact)
    return facts
