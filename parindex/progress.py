"""Progress of a long run: a bar on a terminal, plain log lines when stderr is a file or a pipe."""
import sys
import time

import click

LOG_EVERY_SECONDS = 10.0
# The first pages pay for loading the rules and models (and for starting the workers): the
# time left is estimated from the pages after them, and not shown before.
ESTIMATE_AFTER = 3


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Count pages done and facts found; show them with the rate and the time left.

        with Progress(len(pages), "extract") as progress:
            for page in pages:
                ...
                progress.advance(facts=len(doc["facts"]))
    """

    def __init__(self, total: int, label: str, stream=None, tty: bool | None = None, clock=time.monotonic):
        self.total, self.label, self.clock = total, label, clock
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.done = self.facts = 0
        self.started = self.last_log = clock()
        self._mark = None   # (time, pages done) once ESTIMATE_AFTER pages are done
        self._bar = None

    def __enter__(self):
        if self.tty:
            self._bar = click.progressbar(length=self.total, label=self.label, file=self.stream,
                                          show_eta=False, show_pos=True,
                                          item_show_func=lambda _: self._extra())
            self._bar.__enter__()
        return self

    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def left(self) -> float | None:
        """Seconds left at the rate since the first pages; None before there is one."""
        if self._mark is None or self.done >= self.total:
            return None
        since, done = self._mark
        elapsed = self.clock() - since
        if self.done <= done or elapsed <= 0:
            return None
        return (self.total - self.done) * elapsed / (self.done - done)

    def _tail(self) -> str:
        left = self.left()
        return f", {_duration(left)} left" if left is not None else ""

    def _extra(self) -> str:
        return f"{self.facts} facts, {self.rate():.1f} pages/s{self._tail()}"

    def line(self) -> str:
        """`parindex extract: 120/3000 pages, 45 facts, 32.1 pages/s, 1m30s left`."""
        return f"{self.label}: {self.done}/{self.total} pages, {self.facts} facts, {self.rate():.1f} pages/s{self._tail()}"

    def advance(self, pages: int = 1, facts: int = 0):
        self.done += pages
        self.facts += facts
        if self._mark is None and self.done >= ESTIMATE_AFTER:
            self._mark = (self.clock(), self.done)
        if self._bar is not None:
            self._bar.update(pages)
        elif self.clock() - self.last_log >= LOG_EVERY_SECONDS:
            self.last_log = self.clock()
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
        ending = "stopped" if exc and exc[0] is not None else "done"
        self.stream.write(self.line().replace(f"{self.label}:", f"{self.label}: {ending},", 1) + "\n")
        self.stream.flush()
        return False


class Silent:
    """Same interface, no output: for the library and for tests."""

    def __init__(self, *args, **kwargs):
        self.done = self.facts = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def advance(self, pages: int = 1, facts: int = 0):
        self.done += pages
        self.facts += facts
