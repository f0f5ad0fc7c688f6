"""The review pages in Vietnamese or English, chosen by the browser's language.

    lang = language(request)                # "vi" when the browser asks for Vietnamese first
    t = translator(lang)
    t("{left} pending left", left=3)        # "Còn 3 dữ kiện chờ duyệt" in Vietnamese

English is the key and the fallback: a text without a Vietnamese entry is shown in English.
`?lang=vi` or `?lang=en` on a page overrides the browser and is remembered in a cookie.
Datasette's own pages (tables, SQL) stay as Datasette writes them.
"""
LANGUAGES = ("en", "vi")
COOKIE = "parindex_lang"

VI = {
    # the review page
    "Review facts": "Duyệt dữ kiện",
    "Filter": "Lọc",
    "all": "tất cả",
    "province": "tỉnh",
    "year": "năm",
    "level": "cấp",
    "index": "chỉ số",
    "site": "trang tin",
    "status": "trạng thái",
    "pending": "chờ duyệt",
    "accepted": "đã chấp nhận",
    "corrected": "đã sửa",
    "rejected": "đã loại",
    "{left} pending left in this filter (of {total} facts).":
        "Còn {left} dữ kiện chờ duyệt trong bộ lọc này (trên tổng số {total}).",
    "Accept all {left} pending in this filter…": "Chấp nhận cả {left} dữ kiện chờ duyệt trong bộ lọc này…",
    "Nothing to review in this filter.": "Không còn dữ kiện nào cần duyệt trong bộ lọc này.",
    "by {reviewer} at {at}": "bởi {reviewer} lúc {at}",
    "already decided: only its reviewer's undo ({key}) takes it back":
        "đã có quyết định: chỉ người đã duyệt mới hoàn tác được ({key})",
    "(untitled article)": "(bài không có tiêu đề)",
    "unknown site": "không rõ trang tin",
    "no date": "không rõ ngày",
    "open the article": "mở bài báo",
    "not an http(s) link": "không phải liên kết http(s)",
    "no link": "không có liên kết",
    "The fact": "Dữ kiện",
    "level:province": "cấp tỉnh",
    "level:district": "cấp huyện",
    "level:commune": "cấp xã",
    "level:department": "sở, ngành",
    "level:central_agency": "cơ quan trung ương",
    "level:ministry": "bộ, cơ quan ngang bộ",
    "unit": "đơn vị",
    "parent": "thuộc",
    "rank": "thứ hạng",
    "rank total": "trên tổng số",
    "rank change": "thay đổi thứ hạng",
    "change": "thay đổi",
    "score": "điểm",
    "score at least": "điểm tối thiểu",
    "note": "ghi chú",
    "why (optional)": "lý do (không bắt buộc)",
    "(none)": "(trống)",
    "(unknown)": "(không rõ)",
    "Save correction (Enter)": "Lưu bản sửa (Enter)",
    "Cancel (Esc)": "Hủy (Esc)",
    "Accept": "Chấp nhận",
    "Reject": "Loại",
    "Correct": "Sửa",
    "Skip": "Bỏ qua",
    "Undo my last": "Hoàn tác quyết định vừa rồi",
    "Redo": "Làm lại",
    "Previous": "Trước",
    "Next": "Tiếp",
    "A later extraction reads this sentence differently:": "Lần trích xuất sau đọc câu này khác đi:",
    "Other facts from the same sentence": "Các dữ kiện khác trong cùng câu",
    "None.": "Không có.",
    "Decisions": "Các quyết định",
    "fact": "dữ kiện",
    "rules": "quy tắc",
    "none": "không có",
    "the row": "xem dòng dữ liệu",
    "Keys": "Phím tắt",
    "accept": "chấp nhận",
    "reject": "loại",
    "correct": "sửa",
    "Enter saves, Esc cancels": "Enter lưu, Esc hủy",
    "skip": "bỏ qua",
    "undo": "hoàn tác",
    "redo": "làm lại",
    "next/previous": "tiếp/trước",
    "Logged in as {reviewer}.": "Đang đăng nhập: {reviewer}.",
    "rank {rank} is beyond the {total} ranked": "thứ hạng {rank} vượt quá tổng số {total} đơn vị được xếp hạng",
    # login, logout
    "Log in": "Đăng nhập",
    "Log in to review facts": "Đăng nhập để duyệt dữ kiện",
    "Reviewer": "Người duyệt",
    "Password": "Mật khẩu",
    "No account? Someone with access to the server adds one:":
        "Chưa có tài khoản? Người quản trị máy chủ tạo tài khoản bằng lệnh:",
    "Log out": "Đăng xuất",
    "Logged out.": "Đã đăng xuất.",
    "Unknown reviewer or wrong password.": "Sai tên người duyệt hoặc mật khẩu.",
    "Too many failed logins for this reviewer or from this address: try again in {wait}.":
        "Đăng nhập sai quá nhiều lần với tên này hoặc từ địa chỉ này: hãy thử lại sau {wait}.",
    "The login form has expired or was sent from another site: log in from this page (cookies must be on).":
        "Biểu mẫu đăng nhập đã hết hạn hoặc được gửi từ trang khác: hãy đăng nhập từ trang này "
        "(cần bật cookie).",
    "This database is open read-only (a read-only file or folder): browsing works, reviewing is off.":
        "Cơ sở dữ liệu đang mở ở chế độ chỉ đọc: vẫn xem được, nhưng không duyệt được.",
    # accept all
    "Accept all pending facts?": "Chấp nhận tất cả dữ kiện chờ duyệt?",
    "Accept every pending fact of this filter?": "Chấp nhận mọi dữ kiện chờ duyệt trong bộ lọc này?",
    "none: every pending fact of the database": "không có: mọi dữ kiện chờ duyệt trong cơ sở dữ liệu",
    "{count} pending facts will be marked accepted by {reviewer}, each logged in the review log.":
        "{count} dữ kiện chờ duyệt sẽ được {reviewer} chấp nhận, mỗi quyết định được ghi vào nhật ký duyệt.",
    "The first {n}:": "{n} dữ kiện đầu tiên:",
    "evidence": "câu dẫn chứng",
    "Yes, accept these {count} facts": "Đồng ý, chấp nhận {count} dữ kiện này",
    "No, go back": "Không, quay lại",
    "Nothing is pending in this filter.": "Không có dữ kiện nào chờ duyệt trong bộ lọc này.",
    "Back to the review": "Quay lại trang duyệt",
    # messages after a decision
    "{status}: {unit}, {index} {year}.": "{status}: {unit}, {index} {year}.",
    "Accepted {n} facts.": "Đã chấp nhận {n} dữ kiện.",
    "Nothing to {verb}.": "Không có gì để {verb}.",
    "{verb} done: {unit}, {index} {year} is {status} again.":
        "Đã {verb}: {unit}, {index} {year} trở lại trạng thái {status}.",
    "Conflict: {reason}. Nothing was changed.": "Xung đột: {reason}. Không có gì thay đổi.",
    "Conflict: {reason}. Nothing was accepted; look again.":
        "Xung đột: {reason}. Chưa chấp nhận dữ kiện nào; hãy xem lại.",
    "The correction was not saved: {reasons}": "Bản sửa chưa được lưu: {reasons}",
    "No fact {fact}: re-extraction may have replaced it.":
        "Không có dữ kiện {fact}: lần trích xuất lại có thể đã thay thế nó.",
    "Fact {fact} no longer exists.": "Dữ kiện {fact} không còn nữa.",
    "nothing was changed: accept the fact instead (a)": "chưa thay đổi gì: hãy chấp nhận dữ kiện (a)",
    # Datasette's menu
    "Log in to review": "Đăng nhập để duyệt",
    "Log out ({reviewer})": "Đăng xuất ({reviewer})",
    "English": "English",
    "Tiếng Việt": "Tiếng Việt",
}


def _preferred(header: str | None) -> list[str]:
    """Languages of an Accept-Language header, best first ("vi-VN,vi;q=0.9,en;q=0.8")."""
    ranked = []
    for n, part in enumerate((header or "").split(",")):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if code:
            ranked.append((-quality, n, code.strip().lower()))
    return [code for _, _, code in sorted(ranked)]


def language(request) -> str:
    """vi or en: the page's ?lang=, else the remembered choice, else the browser's first
    language that parindex speaks, else English."""
    for chosen in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    for code in _preferred(request.headers.get("accept-language")):
        base = code.split("-")[0]
        if base in LANGUAGES:
            return base
    return "en"


def translate(lang: str, text: str, **values) -> str:
    template = VI.get(text, text) if lang == "vi" else text
    return template.format(**values) if values else template


def translator(lang: str):
    return lambda text, **values: translate(lang, text, **values)
