"""Reviewer sessions: a cookie signed with the Datasette secret, carrying the random token of
a session kept in the database (store.sessions), so that logging out ends it for good."""
import time

from itsdangerous import BadSignature

COOKIE = "parindex_session"
NAMESPACE = "parindex-session"
LIFETIME = 12 * 3600  # a working day; a stolen cookie does not last for ever


def cookie_value(datasette, token: str, now: float | None = None) -> str:
    return datasette.sign({"s": token, "e": int((now or time.time()) + LIFETIME)}, NAMESPACE)


def token_from_cookie(datasette, value: str | None, now: float | None = None) -> str | None:
    """The session token, or None for a missing, forged, foreign or expired cookie. Whether
    the session still lives (not logged out) the database says: store.sessions.reviewer_of."""
    if not value:
        return None
    try:
        data = datasette.unsign(value, NAMESPACE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), str):
        return None
    if not isinstance(data.get("e"), int) or data["e"] < (now or time.time()):
        return None
    return data["s"]


def set_cookie(response, value: str, secure: bool = False):
    response.set_cookie(COOKIE, value, max_age=LIFETIME, httponly=True, samesite="lax",
                        secure=secure, path="/")


def clear_cookie(response):
    response.set_cookie(COOKIE, "", expires=0, max_age=0, httponly=True, samesite="lax", path="/")
