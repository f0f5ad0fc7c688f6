"""Where a login may send the reviewer afterwards: a path of this site, nothing else."""
from urllib.parse import urlsplit

DEFAULT = "/-/review"


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the review page.

    Browsers drop tabs and newlines anywhere in a URL and read a backslash as a slash, so
    "/\\t/evil.example" and "/\\\\evil.example" would leave the site as "//evil.example" does:
    any control character, space or backslash is refused, and what is left must parse as a
    path with neither scheme nor host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return DEFAULT
    if any(ch <= " " or ch == "\x7f" or ch == "\\" for ch in target):
        return DEFAULT
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return DEFAULT
    return target
