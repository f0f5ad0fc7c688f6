"""Slow down password guessing: a few failed logins per reviewer name and per address.

Each attempt is counted as a failure *before* its password is checked and forgiven if it
succeeds, so fifty attempts sent at once get no more checks than fifty sent one by one.
Once a name (known or not, so that the answer tells nothing) or an address has used up its
failures within the window, every login for it is refused, the right password too, until
the oldest failure leaves the window.

The counts live in the server process: a restart forgets them. Behind a reverse proxy every
request comes from the proxy's address, so only the per-name limit then tells people apart.
"""
import time
import weakref
from collections import deque
from dataclasses import dataclass

PER_NAME = 5            # failed logins of one reviewer name ...
PER_ADDRESS = 20        # ... or from one address (several reviewers behind one office router) ...
WINDOW = 15 * 60        # ... within this many seconds
MAX_KEYS = 10_000       # names and addresses remembered at most (a flood of made-up names)


@dataclass(frozen=True)
class Attempt:
    keys: tuple
    at: float


class LoginThrottle:
    def __init__(self, per_name=PER_NAME, per_address=PER_ADDRESS, window=WINDOW,
                 clock=time.monotonic, max_keys=MAX_KEYS):
        self.limits = {"name": per_name, "address": per_address}
        self.window, self.clock, self.max_keys = window, clock, max_keys
        self.failures: dict[tuple, deque] = {}

    def _recent(self, key, now) -> deque:
        times = self.failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.failures[key]
        return times

    def begin(self, name: str, address: str | None) -> tuple[Attempt | None, float]:
        """(attempt, 0) when the password may be checked, counted as failed until
        `succeeded`; (None, seconds to wait) when the name or the address is locked."""
        now = self.clock()
        keys = [("name", (name or "").strip().lower())]
        if address:
            keys.append(("address", address))
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.limits[key[0]]:
                wait = max(wait, times[0] + self.window - now)
        if wait > 0:
            return None, wait
        for key in keys:
            self.failures.setdefault(key, deque()).append(now)
        self._forget_oldest()
        return Attempt(tuple(keys), now), 0.0

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: this attempt is no failure, and the name starts afresh.
        The address keeps its other failures (one's own account must not reset a guesser)."""
        for key in attempt.keys:
            times = self.failures.get(key)
            if key[0] == "name":
                self.failures.pop(key, None)
            elif times is not None:
                try:
                    times.remove(attempt.at)
                except ValueError:
                    pass

    def _forget_oldest(self):
        if len(self.failures) <= self.max_keys:
            return
        by_age = sorted(self.failures, key=lambda k: self.failures[k][-1] if self.failures[k] else 0)
        for key in by_age[:len(self.failures) - self.max_keys]:
            del self.failures[key]


_throttles: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def for_datasette(datasette) -> LoginThrottle:
    """The throttle of one server (one Datasette instance)."""
    throttle = _throttles.get(datasette)
    if throttle is None:
        throttle = _throttles[datasette] = LoginThrottle()
    return throttle


def minutes(seconds: float) -> str:
    whole = max(1, int(seconds // 60 + (seconds % 60 > 0)))
    return f"{whole} minute{'s' if whole != 1 else ''}"
