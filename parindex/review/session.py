"""Reviewer sessions: a cookie signed with the Datasette secret, carrying a name and an expiry."""
import time

from itsdangerous import BadSignature

COOKIE = "parindex_session"
NAMESPACE = "parindex-session"
LIFETIME = 12 * 3600  # a working day; a stolen cookie does not last for ever


def cookie_value(datasette, name: str, now: float | None = None) -> str:
    return datasette.sign({"id": name, "e": int((now or time.time()) + LIFETIME)}, NAMESPACE)


def reviewer_from_cookie(datasette, value: str | None, now: float | None = None) -> str | None:
    """The reviewer's name, or None for a missing, forged, foreign or expired cookie."""
    if not value:
        return None
    try:
        data = datasette.unsign(value, NAMESPACE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    if not isinstance(data.get("e"), int) or data["e"] < (now or time.time()):
        return None
    return data["id"]


def set_cookie(response, value: str, secure: bool = False):
    response.set_cookie(COOKIE, value, max_age=LIFETIME, httponly=True, samesite="lax",
                        secure=secure, path="/")


def clear_cookie(response):
    response.set_cookie(COOKIE, "", expires=0, max_age=0, httponly=True, samesite="lax", path="/")
