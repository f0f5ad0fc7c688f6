"""Official names of provincial departments, central agencies in a province, and ministries.

There is no coded register of these bodies, so the linker gives them a normalised name only:
the same body written "Sở KH&CN", "Sở Khoa học và Công Nghệ tỉnh Hà Tĩnh" or "Sở Khoa học và
công nghệ" gets one `unit_official`, which lets the export group one department across
provinces and years. Names before and after the 2025 mergers of ministries and departments are
both listed: the evaluated year decides which body existed, the text decides which name is used.
"""
import functools
import re

from parindex.model.loading import PATTERNS_DIR, read_patterns
from parindex.model.normalize import UBND, bare_key, match_key

DEPARTMENTS = [
    "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Công Thương",
    "Sở Xây dựng", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Sở Giáo dục và Đào tạo",
    "Sở Y tế", "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao", "Sở Văn hóa, Thể thao", "Sở Du lịch", "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo", "Sở Quy hoạch - Kiến trúc", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Ban Dân tộc tỉnh", "Ban Quản lý các khu công nghiệp",
    "Ban Quản lý Khu kinh tế tỉnh",
]

CENTRAL_AGENCIES = [
    "Công an tỉnh", "Cục Thuế tỉnh", "Cục Hải quan tỉnh", "Kho bạc Nhà nước tỉnh",
    "Bảo hiểm xã hội tỉnh", "Cục Thống kê tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh",
    "Cục Quản lý thị trường tỉnh", "Cục Thi hành án dân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Thuế tỉnh", "Chi cục Thống kê tỉnh", "Tòa án nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
]

MINISTRIES = [
    "Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Tư pháp",
    "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính", "Bộ Công Thương",
    "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường",
    "Bộ Giao thông vận tải", "Bộ Xây dựng", "Bộ Tài nguyên và Môi trường",
    "Bộ Thông tin và Truyền thông", "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Khoa học và Công nghệ", "Bộ Giáo dục và Đào tạo",
    "Bộ Y tế", "Bộ Dân tộc và Tôn giáo", "Ủy ban Dân tộc", "Ngân hàng Nhà nước Việt Nam",
    "Thanh tra Chính phủ", "Văn phòng Chính phủ",
]

# Abbreviations of the field after "Sở"/"Bộ", by their unaccented key.
FIELD_ABBREVIATIONS = {
    "khdt": "Kế hoạch và Đầu tư", "khcn": "Khoa học và Công nghệ", "gddt": "Giáo dục và Đào tạo",
    "gtvt": "Giao thông vận tải", "tnmt": "Tài nguyên và Môi trường",
    "nnptnt": "Nông nghiệp và Phát triển nông thôn", "nnmt": "Nông nghiệp và Môi trường",
    "tttt": "Thông tin và Truyền thông", "ldtbxh": "Lao động - Thương binh và Xã hội",
    "vhttdl": "Văn hóa, Thể thao và Du lịch", "vhtt": "Văn hóa và Thể thao",
    "dttg": "Dân tộc và Tôn giáo", "ct": "Công Thương", "nv": "Nội vụ", "tp": "Tư pháp",
    "tc": "Tài chính", "xd": "Xây dựng", "yt": "Y tế",
}


@functools.lru_cache(maxsize=1)
def agency_abbreviations() -> dict:
    """Central agencies as reporters abbreviate them, by the abbreviation's unaccented key
    ("kbnn" -> "Kho bạc Nhà nước": "KBNN Nghệ An" is Kho bạc Nhà nước tỉnh). The list is
    patterns/units.yaml's, kept beside the rule that reads these names in a text."""
    found = {bare_key(short): full for rule in read_patterns("units.yaml").get("named", [])
             if rule.get("level") == "central_agency" for short, full in (rule.get("abbreviations") or {}).items()}
    if not found:
        raise ValueError(f"{PATTERNS_DIR / 'units.yaml'}: no central agency lists its abbreviations")
    return found


_ABBREVIATION = re.compile(r"(?<!\w)[A-ZĐ]{2,}(?!\w)")

# A trailing "tỉnh", "thành phố", "TP" and the place after it: "Sở Tư pháp tỉnh Quảng Ninh".
_TRAILING_PLACE = re.compile(r"\s+(?:tỉnh|thành phố|tp\.?|t\.p\.?)(?:\s+.*)?$", re.IGNORECASE)
_HEAD = re.compile(r"^(sở|bộ)\s+(.+)$", re.IGNORECASE)


def _core(name: str, province_names=()) -> str:
    """The name without UBND spelt out, without a trailing province, as an unaccented key."""
    text = UBND.sub("UBND", match_key(name))
    text = _TRAILING_PLACE.sub("", text)
    for province in province_names:
        if text.endswith(" " + province):
            text = text[: -len(province) - 1]
            break
    return bare_key(text)


def _table(names):
    return {_core(n): n for n in names}


_TABLES = {"department": _table(DEPARTMENTS), "central_agency": _table(CENTRAL_AGENCIES),
           "ministry": _table(MINISTRIES)}


def official_agency_name(unit: str, level: str, province_names=()) -> str:
    """Normalised name of a department, central agency or ministry.

    province_names: folded province names to drop from the end ("sở tư pháp hà nội").
    A body outside the table keeps its own words, tidied (NFC, one space, place dropped).
    """
    text = re.sub(r"\s+", " ", unit).strip()
    head = _HEAD.match(text)
    if head and bare_key(head.group(2)) in FIELD_ABBREVIATIONS:
        text = f"{head.group(1).capitalize()} {FIELD_ABBREVIATIONS[bare_key(head.group(2))]}"
    if level == "central_agency":
        spelled = agency_abbreviations()
        text = _ABBREVIATION.sub(lambda m: spelled.get(bare_key(m.group(0)), m.group(0)), text)
        text = re.sub(r"^(Ngân hàng Nhà nước)(?! chi nhánh)", r"\1 chi nhánh", text)   # "NHNN tỉnh": the branch
    key = _core(text, province_names)
    for table_level in (level, "department", "central_agency", "ministry"):
        found = _TABLES.get(table_level, {}).get(key)
        if found:
            return found
    tidy = _TRAILING_PLACE.sub("", text) if level != "ministry" else text
    folded = match_key(tidy)
    for province in province_names:
        if folded.endswith(" " + province):
            tidy = tidy[: len(tidy) - len(province) - 1]
            break
    tidy = tidy.strip() or text
    return tidy[0].upper() + tidy[1:]
