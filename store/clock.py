from datetime import datetime, timezone


def now() -> str:
    """ISO 8601 UTC to the second: sorts as text, reads as time."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
