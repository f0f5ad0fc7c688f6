"""Ranking tables in an article's text -> facts (a row of a table is its own sentence).

Tables reach the text in four shapes: trafilatura's pipe rows ("| 1 | UBND huyện X | 90,48 |"),
columns laid out with spaces (<pre>), tables flattened by a CMS to one cell per line, and rows
written as text under a header in words ("Khối quận, huyện (Hạng - Đơn vị - Điểm)", then
"1 UBND quận Thanh Khê 95,5"). The header names the columns (Đơn vị / Điểm / Chỉ số / Xếp hạng
...); component columns ("Điểm thẩm định", "Điểm điều tra xã hội học") are never the score.
A table without a header is read by the shapes of its values: a unit, a whole number that falls
as the rows go down (the rank), a decimal (the score).

The table's year and index come from its own header and caption (the lines just above it),
else from the article; FACTS.md 3: the number of rows is not a stated group size.
"""
import math
import re
from dataclasses import dataclass

from parindex.extract.assemble import YEAR_KINDS, Context, canonical_unit
from parindex.model.normalize import fold_tones
from parindex.extract.rules import Rules
from parindex.extract.units import Unit, find_units, typed_item
from parindex.extract.values import find_indexes, find_values

_UNIT_COL = re.compile(r"đơn vị|cơ quan|^tên|địa phương|^tỉnh|^xã|^huyện|^sở|^phường|^quận|^thị xã|^thành phố|sở, ngành",
                       re.IGNORECASE)
_RANK_COL = re.compile(r"xếp hạng|thứ hạng|xếp thứ|^hạng|^thứ tự xếp|^vị trí|^vị thứ", re.IGNORECASE)
_SCORE_COLS = [re.compile(p, re.IGNORECASE) for p in
               (r"chỉ số|^pci|^papi|^sipas|^par|\bddci\b|thang điểm 100", r"tổng điểm|tổng số điểm|^tổng|điểm tổng hợp",
                r"điểm đạt|kết quả|^điểm|điểm số|^điểm\b")]
_NOT_SCORE = re.compile(r"thẩm định|điều tra|xhh|tự đánh giá|tự chấm|trực tiếp|thành phần|tối đa|trừ|tăng|giảm|năm trước",
                        re.IGNORECASE)
_CHANGE_COL = re.compile(r"tăng|giảm|thay đổi", re.IGNORECASE)
# a column compared with an earlier year ("So với 2022", "So với năm trước"): its cells say how
# the place moved in words ("tăng 1 bậc", "giữ nguyên"), read like a sentence's (changes only)
_COMPARED_COL = re.compile(r"^so với\b|^thay đổi\b|^tăng\s*[/,]?\s*giảm\b", re.IGNORECASE)
_PLACES = re.compile(r"bậc|hạng|vị trí", re.IGNORECASE)
_POINTS_COL = re.compile(r"điểm|%|chỉ số|tỷ lệ", re.IGNORECASE)
# the appraised score of a self-assessment ("Điểm tự đánh giá | Điểm thẩm định") is the result
# where no survey of citizens adds to it; beside a survey column it is a component
_APPRAISED = re.compile(r"thẩm định", re.IGNORECASE)
_SURVEY = re.compile(r"điều tra|xhh|xã hội học|khảo sát|hài lòng", re.IGNORECASE)
_ELIDED = re.compile(r"^\s*(?:\.{3,}|…)\s*$")
_STT = re.compile(r"^(?:stt|tt|số tt|số thứ tự|thứ tự)$", re.IGNORECASE)
_ALIGNED = re.compile(r"\S {3,}\S")
_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{1,4})?$")
# "Khối quận, huyện (Hạng - Đơn vị - TT)": a header in words, the columns in parentheses
_WORD_HEADER = re.compile(r"\(([^()]*?(?:\s[-–/]\s[^()]*?){1,6})\)\s*:?\s*$")
# "1 UBND quận Thanh Khê 1", "3 Sở Tư pháp 89,12 3": numbers around a name


def is_table_row(line: str) -> bool:
    return line.count("|") >= 2 or len(_ALIGNED.findall(line)) >= 2


def _cells(line: str):
    if line.count("|") >= 1 and line.strip().strip("|").count("|") >= 1:
        return [c.strip() for c in line.strip().strip("|").split("|")]
    if len(_ALIGNED.findall(line)) >= 2:
        return re.split(r"\s{3,}", line.strip())
    return None


def columns(header: list[str]) -> dict | None:
    """Column roles of a header row: {'unit': i, 'rank': j, 'score': k, 'change': l, 'stt': m}."""
    roles = {}
    for i, cell in enumerate(header):
        text = cell.strip()
        if _STT.match(text):
            roles.setdefault("stt", i)
        elif (_CHANGE_COL.search(text) and _PLACES.search(text)) or _COMPARED_COL.search(text):
            # (before the rank: "Tăng, giảm thứ hạng so với năm 2022" is a move, not a place)
            roles.setdefault("change", i)
        elif _RANK_COL.search(text):
            roles.setdefault("rank", i)
        elif _UNIT_COL.search(text) and "unit" not in roles:
            roles["unit"] = i
    for pattern in _SCORE_COLS:
        for i, cell in enumerate(header):
            if i not in roles.values() and pattern.search(cell.strip()) and not _NOT_SCORE.search(cell):
                roles.setdefault("score", i)
        if "score" in roles:
            break
    if "score" not in roles and not any(_SURVEY.search(cell) for cell in header):
        for i, cell in enumerate(header):
            if i not in roles.values() and _APPRAISED.search(cell):
                roles["score"] = i
                break
    if "unit" in roles and ("rank" in roles or "score" in roles):
        return roles
    return None


@dataclass
class Table:
    header: list           # the header's cells (empty when read by value shapes)
    roles: dict
    rows: list             # (cells, start, end): offsets into the text
    first_line: int        # line number where the table starts (its caption is above)


def _lines(text):
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((line, pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip()))


def _short_words(line: str) -> bool:
    return 0 < len(line.strip()) <= 40 and not _is_number(line)


def find_tables(text: str):
    """Every table of the text, in order."""
    lines = _lines(text)
    i = 0
    while i < len(lines):
        found = _pipe_table(lines, i) or _flat_table(lines, i) or _word_header_table(lines, i) or _bare_pipe_rows(lines, i)
        if found is None:
            i += 1
            continue
        table, i = found
        if table.rows:
            yield table


def _is_rule(cells) -> bool:
    return cells is not None and set("".join(cells)) <= set("-: ")


def _two_row_header(lines, i):
    """A header over two rows, as an HTML table with rowspan and colspan comes out: a group label
    spanning columns above the names of its columns ("| TT | Đơn vị | Kết quả năm 2024 | |" then
    "| | | Điểm | Xếp hạng |"). A label is carried right into the empty cells it spanned; each
    column's name is its own word, then the label ("Điểm năm 2023", as a one-row header writes it).
    (cells, roles, the line after the header) or None."""
    top = _cells(lines[i][0])
    j = i + 1
    if top and j < len(lines) and _is_rule(_cells(lines[j][0])):
        j += 1
    sub = _cells(lines[j][0]) if top and j < len(lines) else None
    if not sub or len(sub) != len(top) or _is_rule(sub) or any(_is_number(c) for c in sub if c):
        return None
    carried, label = [], ""
    for cell in top:
        label = cell or label
        carried.append(label)
    header = [" ".join(part for part in (own, above) if part) for above, own in zip(carried, sub)]
    roles = columns(header)
    return (header, roles, j + 1) if roles else None


def _pipe_table(lines, i):
    cells = _cells(lines[i][0])
    roles = columns(cells) if cells else None
    rows, j = [], i + 1
    two_rows = _two_row_header(lines, i) if cells else None
    if two_rows is not None and len(two_rows[1]) > len(roles or {}):
        cells, roles, j = two_rows   # ("Kết quả năm 2024" alone would read as the score column)
    if not roles:
        return None
    # a legend of the header's columns may come between it and the rows
    k = j
    while k < len(lines) and k - j < 12 and _cells(lines[k][0]) is None and len(lines[k][0]) <= 80:
        k += 1
    if k < len(lines) and _cells(lines[k][0]) is not None:
        j = k
    while j < len(lines):
        row = _cells(lines[j][0])
        if row is None and _ELIDED.match(lines[j][0]) and j + 1 < len(lines) and _cells(lines[j + 1][0]):
            j += 1   # "..." for rows left out: the rows after it are the same table's
            continue
        if row is None:
            break
        start, end = lines[j][1], lines[j][2]
        # a row whose last cells wrapped onto lines of their own ("... | 88 phiếu" / "13.77" / "Khá")
        while len(row) < len(cells) and j + 1 < len(lines) and _cells(lines[j + 1][0]) is None \
                and 0 < len(lines[j + 1][0].strip()) <= 40:
            j += 1
            row.append(lines[j][0].strip())
            end = lines[j][2]
        if not set("".join(row)) <= set("-: "):
            rows.append((row, start, end))
        j += 1
    return Table(cells, roles, rows, i), j


def _flat_table(lines, i):
    """'Xếp hạng' / 'Tên tỉnh' / 'Điểm PCI' / ... then the rows, one cell per line."""
    if not _short_words(lines[i][0]):
        return None
    k = i
    while k < len(lines) and k - i < 8 and _short_words(lines[k][0]):
        k += 1
    header = [l.strip() for l, _, _ in lines[i:k]]
    roles = columns(header)
    if not roles or len(header) < 2:
        return None
    n, rows, j = len(header), [], k
    while j + n <= len(lines):
        chunk = lines[j:j + n]
        cells = [l.strip() for l, _, _ in chunk]
        if not _row_fits(cells, roles):
            break
        rows.append((cells, chunk[0][1], chunk[-1][2]))
        j += n
    if not rows:
        return None
    return Table(header, roles, rows, i), j


def _row_fits(cells, roles) -> bool:
    """A row under a header: numbers where the header has numbers, a name where it has units."""
    if _is_number(cells[roles["unit"]]):
        return False
    return all(_is_number(cells[roles[r]]) or not cells[roles[r]].strip() for r in ("rank", "score", "stt") if r in roles)


_COLUMN_WORDS = re.compile(
    r"\s*(số thứ tự|stt|tt|tên đơn vị|tên cơ quan|đơn vị|cơ quan|địa phương|tên (?:huyện|xã|sở|tỉnh)|"
    r"tỉnh, thành phố|tỉnh|huyện|xã|phường|sở, ngành|tổng điểm|điểm số|điểm đạt|điểm|chỉ số(?: \w+)?|kết quả|"
    r"xếp hạng|thứ hạng|hạng|xếp loại|phân loại|nhóm|mức độ|mức|tăng/giảm|tăng, giảm|tăng giảm)\s*(?:[|/–-]\s*)?",
    re.IGNORECASE)


def _spaced_header(line: str):
    """'STT Đơn vị Điểm Xếp hạng': a header of column words and nothing else."""
    cells, pos = [], 0
    while pos < len(line):
        m = _COLUMN_WORDS.match(line, pos)
        if not m or m.end() == pos:
            return None
        cells.append(m.group(1))
        pos = m.end()
    return cells if len(cells) >= 3 else None


def _word_header_table(lines, i):
    """Rows written as text under a header in words: 'STT Đơn vị Điểm Xếp hạng' / '3 Sở Tư pháp
    89,12 3', or 'Khối quận, huyện (Hạng - Đơn vị - TT)' / '1 UBND quận Thanh Khê 1'."""
    m = _WORD_HEADER.search(lines[i][0])
    if m:
        header = [c.strip() for c in re.split(r"\s[-–/]\s", m.group(1))]
    else:
        header = _spaced_header(lines[i][0])
        if header is None:
            return None
    roles = columns(header)
    if not roles:
        return None
    rows, j = [], i + 1
    while j < len(lines):
        cells = _text_row_cells(lines[j][0], roles, len(header))
        if cells is None and rows and _ELIDED.match(lines[j][0]) and j + 1 < len(lines) \
                and _text_row_cells(lines[j + 1][0], roles, len(header)) is not None:
            j += 1   # "..." for rows left out, as in a pipe table: the rows after it are the same table's
            continue
        if cells is None:
            break
        rows.append((cells, lines[j][1], lines[j][2]))
        j += 1
    return Table(header, roles, rows, i), j


_GRADE = re.compile(r"\s+(xuất sắc|rất tốt|tốt|khá|trung bình|yếu|kém|đạt|chưa đạt|hoàn thành(?: tốt| xuất sắc)?"
                    r"(?: nhiệm vụ)?|[ABCD])\s*$", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,4})?)\s+")
_TRAILING = re.compile(r"\s+([+-]?\d{1,3}(?:[.,]\d{1,4})?)\s*$")
# the cells of a row may be set apart by dashes, as its header's are: "2 - Xã A - 90,88 - 2"
_LEADING_DASH = re.compile(r"^\s*[-–]\s+")
_TRAILING_DASH = re.compile(r"\s+[-–]\s*$")


def _text_row_cells(line, roles, n):
    """A row written as text: numbers before the name (as many as the header has columns
    before the unit), then the name, then numbers and grades (the rest)."""
    rest, cells = line.strip(), []
    for _ in range(roles["unit"]):
        rest = _LEADING_DASH.sub("", rest) if cells else rest
        m = _LEADING.match(rest)
        if not m:
            return None
        cells.append(m.group(1))
        rest = rest[m.end():]
    tail = []
    while len(cells) + 1 + len(tail) < n:
        rest = _TRAILING_DASH.sub("", rest)
        m = _TRAILING.search(rest) or _GRADE.search(rest)
        if not m:
            return None
        tail.insert(0, m.group(1))
        rest = rest[:m.start()]
    name = rest.strip(" :-–|")
    # "Phường 4" keeps its number: a type word alone is not a name
    if not name or _is_number(name) or re.fullmatch(r"(?:ubnd\s+)?(?:phường|quận|xã|huyện)", name, re.IGNORECASE):
        return None
    return cells + [name] + tail


def _bare_pipe_rows(lines, i):
    """Rows with no header: 'Thừa Thiên Huế | 46,0415', '1 | Sở Tư pháp | 91,2'."""
    first = _cells(lines[i][0])
    if not first or not any(_is_number(c) for c in first):
        return None
    if i > 0 and _cells(lines[i - 1][0]) and any(_is_number(c) for c in _cells(lines[i - 1][0])):
        return None
    rows, j = [], i
    while j < len(lines):
        cells = _cells(lines[j][0])
        if not cells or len(cells) != len(first):
            break
        rows.append((cells, lines[j][1], lines[j][2]))
        j += 1
    roles = _roles_by_shape([c for c, _, _ in rows])
    if roles is None:
        return None
    return Table([], roles, rows, i), j


def _roles_by_shape(rows) -> dict | None:
    n = len(rows[0])
    roles = {}
    for col in range(n):
        values = [r[col].strip() for r in rows]
        if all(not _is_number(v) and re.search(r"[^\W\d]", v) for v in values):
            roles.setdefault("unit", col)
        elif all(_is_number(v) and re.search(r"[.,]", v) for v in values):
            roles.setdefault("score", col)
        elif all(v.isdigit() for v in values):
            ranks = [int(v) for v in values]
            if ranks == sorted(ranks) and "unit" not in roles:
                roles.setdefault("rank", col)
    if "unit" not in roles or not ("score" in roles or "rank" in roles):
        return None
    if "rank" in roles and "score" in roles:
        scores = [_number(r[roles["score"]]) for r in rows]
        if scores != sorted(scores, reverse=True):
            del roles["rank"]   # a running number, not a rank: the scores do not fall with it
    return roles


def _number(cell: str):
    cell = cell.strip().replace(",", ".")
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_MAYBE_TABLE = re.compile(r"\|.*\||^[^|\n]+\|[^|\n]*\d|^(?:stt|tt|số tt|xếp hạng|hạng|thứ hạng)\b|\S {3,}\S.* {3,}\S|\([^()]*\s-\s[^()]*\)\s*:?$",
                          re.IGNORECASE | re.MULTILINE)
_DATE_YEAR = re.compile(r"(?:tháng\s*\d{1,2}|/\d{1,2})\s*(?:năm|/)\s*(?:19|20)\d\d", re.IGNORECASE)


_PROSE = re.compile(r"(?:\w+\s+){7}.*[.!?]\s*$")   # a sentence of eight words or more, with its full stop


def _caption_year_index(lines, table, rules, ctx):
    """Year and index of a table: its header, then the nearest lines above it, then the article."""
    year, index = None, None
    pieces = [" ".join(table.header)] + [lines[k] for k in range(table.first_line - 1, max(-1, table.first_line - 4), -1)]
    for n, piece in enumerate(pieces):
        folded = fold_tones(_DATE_YEAR.sub(" ", piece))
        values = find_values(folded, rules)
        if n and _PROSE.search(piece) and any(v.kind not in YEAR_KINDS + ("total",) for v in values):
            # a sentence that states results is the article's prose, no caption: its years are
            # its own ("Kết quả năm 2023 của 12 huyện như sau." states only the group's size)
            break
        if year is None:
            years = [v.value for v in values if v.kind == "year"]
            year = years[0] if years else None
        if index is None:
            found = find_indexes(folded, rules)
            index = found[0][2] if found else None
    return year or ctx.year, index or ctx.index


_TYPE_IN_HEADER = re.compile(r"\b(xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh|sở)\b", re.IGNORECASE)
_HEADER_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def _year_columns(table, table_year: int | None = None) -> dict:
    """{year: roles} for a table that puts several years side by side ('Điểm 2022 | Xếp hạng 2022
    | Điểm 2021 | Xếp hạng 2021'); empty when the header names one year or none. A column that
    names no year is of the table's own year (its caption's, else the one its header names
    first): 'Hạng | Đơn vị | Chỉ số 2024 (%) | Hạng năm 2023' ranks 2024 in its first column."""
    years, yearless = {}, []
    for i, cell in enumerate(table.header):
        m = _HEADER_YEAR.search(cell)
        # ("So với 2022" compares with the year before: no column of that year's own)
        if i == table.roles["unit"] or _COMPARED_COL.search(cell.strip()):
            continue
        if m:
            years.setdefault(int(m.group(1)), []).append(i)
        else:
            yearless.append(i)
    if len(years) < 2:
        return {}
    own_year = table_year if table_year in years else next(iter(years))
    out = {}
    for year, cols in years.items():
        roles = columns([table.header[i] if i in cols or i == table.roles["unit"] else "" for i in range(len(table.header))])
        if year == own_year and yearless:
            wider = columns([table.header[i] if i in cols or i in yearless or i == table.roles["unit"] else ""
                             for i in range(len(table.header))]) or {}
            roles = {**wider, **(roles or {})} if wider else roles   # (its own year's columns first)
        if roles:
            out[year] = roles
    return out


def _row_unit(cell: str, header_cell: str, rules: Rules, local_names: dict | None):
    """The unit of a row: a unit column's cell names one, with or without its type word."""
    found = find_units(cell, rules, local_names)
    found = [u for u in found if not u.context] or found
    if found:
        return found[0]
    name = cell.strip()
    kind = _TYPE_IN_HEADER.search(header_cell or "")
    if not kind or not re.match(r"[^\W\d]", name) or not name[0].isupper() or len(name) > 60:
        return None
    word = kind.group(1).lower()
    if word == "sở":
        units = find_units("các sở: " + name, rules)   # "Tư pháp" in a column of departments
        return Unit(0, len(name), units[0].text, "department", "table.bare_name") if units else None
    if word == "tỉnh" and not find_units(name, rules):
        return None
    # (the list heads' reading: "các xã: Khánh Bình Tây" and a column "Xã" type a name alike)
    return typed_item(0, name, word, rules, rule="table.bare_name")


def table_facts(text: str, title: str | None, ctx: Context, rules: Rules, local_names: dict | None = None) -> list[dict]:
    facts = []
    if not _MAYBE_TABLE.search(text):
        return facts
    lines = text.split("\n")
    for table in find_tables(text):
        year, index = _caption_year_index(lines, table, rules, ctx)
        by_year = _year_columns(table, year) or ({year: table.roles} if year else {})
        header_unit = table.header[table.roles["unit"]] if table.header else ""
        for cells, start, end in table.rows:
            if len(cells) <= max(table.roles.values()):
                continue
            unit = _row_unit(cells[table.roles["unit"]], header_unit, rules, local_names)
            if unit is None:
                continue
            for row_year, roles in by_year.items():
                fact = _row_fact(cells, roles, table.header, unit, row_year, index, rules, (start, end))
                if fact:
                    facts.append(fact)
    return facts


_RANK_OF_TOTAL = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


def _rank_cell(cell: str):
    """(rank, size) of a rank column's cell: "3" -> (3, None); "3/14" states the size too."""
    m = _RANK_OF_TOTAL.match(cell)
    if m:
        rank, total = int(m.group(1)), int(m.group(2))
        return (rank, total) if 1 <= rank <= total else (None, None)
    rank = _number(cell)
    if rank is not None and rank == int(rank) and 1 <= rank <= 1000:
        return int(rank), None
    return None, None


def _signed_move(cell: str, header_cell: str) -> bool:
    """A signed whole number ("+2", "-1") or a 0 under a column compared with the year before
    that counts no points ("So với 2023", "Thay đổi so với năm trước") is a move of places, as
    under "Tăng/giảm bậc"; a bare "2" there may count anything."""
    return bool(_COMPARED_COL.search(header_cell.strip()) and not _POINTS_COL.search(header_cell)
                and re.fullmatch(r"\s*(?:[+\-–−]\s*\d{1,2}|0)\s*", cell))


def _change_cell(cell: str, header_cell: str, rules: Rules):
    """The move of a change column's cell: a signed number where the header counts places
    ("Tăng/giảm (bậc)": "+2", "-1"); else words read by the change rules ("tăng 1 bậc",
    "giảm 2 bậc") or one that says the place was kept ("giữ nguyên"); a number of points is none."""
    number = _number(cell)
    if number is not None:
        whole = number == int(number) and abs(number) < 1000
        return int(number) if whole and (_PLACES.search(header_cell) or _signed_move(cell, header_cell)) else None
    folded = fold_tones(cell.strip())
    if rules.markers["unchanged_cell"].fullmatch(folded):
        return 0
    moved = rules.markers["moved_cell"].fullmatch(folded)
    if moved and _PLACES.search(header_cell):
        # "tăng 2" under "Tăng/giảm bậc": the header says what the number counts
        return int(moved["amount"]) * (-1 if moved["down"] else 1)
    moves = [v.value for v in find_values(folded, rules) if v.kind == "change"]
    return moves[0] if len(moves) == 1 else None


def _row_fact(cells, roles, header, unit, year, index, rules, span):
    if len(cells) <= max(roles.values()):
        return None
    unit_text, level = canonical_unit(unit, rules, year)
    fact = {"unit": unit_text, "level": level, "index": index, "year": year,
            "rank": None, "rank_total": None, "rank_change": None, "score": None, "score_min": None,
            "rules": ["table.row"], "_cue_rank": False, "evidence_span": span}
    if "rank" in roles:
        fact["rank"], fact["rank_total"] = _rank_cell(cells[roles["rank"]])
    if "score" in roles:
        score = _number(cells[roles["score"]])
        if score is not None and 0 < score <= 1000:
            fact["score"] = score
    if "change" in roles:
        header_cell = header[roles["change"]] if roles["change"] < len(header) else ""
        fact["rank_change"] = _change_cell(cells[roles["change"]], header_cell, rules)
    return fact
