"""Why a page could not be fetched, and whether asking again next run could change that.

A page that failed for good (too large, a compressed bomb, a redirect loop, a redirect to a
place we must not go) is stored without a body and with its reason, so that it is not
fetched again on every run; a timeout or a 5xx is not: the next run tries again.
"""
import re

_EXPECTED = re.compile(r"(?:Expected to receive|Received) (\d+) bytes .*?max size \((\d+)\)", re.S)
_DECOMPRESSED = re.compile(r"\((\d+) B compressed, (\d+) B decompressed so far\) exceeded "
                           r"DOWNLOAD_MAXSIZE \((\d+) B\)")


def _bytes(n) -> str:
    return f"{int(n):,} bytes"


def too_large(message: str, limit: int | None = None) -> str:
    """The stored reason of a page over the size limit, with the sizes: a user who reads
    "larger than the limit" wants to know by how much, and what the limit was."""
    found = _EXPECTED.search(message or "")
    if found:
        size, limit = found.groups()
        return f"larger than the download size limit: {_bytes(size)} (the limit is {_bytes(limit)})"
    if limit:
        # No length announced: the download stopped at the limit.
        return f"larger than the download size limit: more than {_bytes(limit)} (stopped reading there)"
    return "larger than the download size limit"


def ignored(message: str, redirected: bool) -> tuple[str, str | None] | None:
    """(error kind, stored reason or None) of a request Scrapy ignored; None when it is a
    rule followed on a page never fetched (robots.txt, an off-site link): not a failure."""
    text = message or ""
    low = text.lower()
    found = _DECOMPRESSED.search(text)
    if found:
        compressed, _, limit = found.groups()
        return "too_large", (f"larger than the download size limit once decompressed: more than "
                             f"{_bytes(limit)} from {_bytes(compressed)} compressed")
    if "max redirections reached" in low:
        return "too_many_redirects", "too many redirects (a redirect chain or loop)"
    if not redirected:
        return None
    # The page itself answered, with a redirect to somewhere we do not go: it will again.
    if "robots" in low:
        return "redirect_forbidden", "redirects to a page that robots.txt forbids"
    if "offsite" in low:
        return "redirect_offsite", "redirects to another site"
    return None


REDIRECT_LOOP = ("redirect_loop", "redirect loop (redirects back to an address it came through)")
