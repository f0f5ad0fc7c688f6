"""One exception for every way the database can fail, with a one-line message."""
import sqlite3


class StoreError(Exception):
    """The database cannot be used: the message is one line naming the file, fit for stderr.

    `path` and `reason` are the two halves, for callers that print the path their own way.
    """

    def __init__(self, message: str, path=None, reason=None):
        super().__init__(message)
        self.path = path
        self.reason = reason or message


def explain(path, err: BaseException) -> StoreError:
    """Turn a sqlite3 error into a StoreError a user can act on."""
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    low = text.lower()
    # (a damaged full-text index fails as "vtable constructor failed" before anything else does)
    if "not a database" in low or "malformed" in low or "corrupt" in low or "vtable constructor failed" in low:
        reason = "not a SQLite database, or a corrupt one"
    elif "disk is full" in low or "disk i/o" in low:
        reason = "disk full (or file size limit reached); the change that did not fit was not written"
    elif "readonly" in low or "read-only" in low or "unable to open" in low:
        reason = "cannot write the database (read-only file or folder)"
    elif "locked" in low or "busy" in low:
        reason = "the database is locked by another process; try again"
    else:
        reason = text
    return StoreError(f"{path}: {reason}" if path else reason, path=path, reason=reason)


__all__ = ["StoreError", "explain", "sqlite3"]
