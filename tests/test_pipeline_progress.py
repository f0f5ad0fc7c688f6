"""parindex.progress: pages done, facts found, rate and time left; a bar on a terminal, lines elsewhere."""
import io
import os
import pty
import select

from parindex.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_without_a_terminal_it_writes_a_plain_line_every_ten_seconds_and_at_the_end():
    stream, clock = io.StringIO(), Clock()
    with Progress(300, "parindex extract", stream=stream, clock=clock) as progress:
        for _ in range(100):
            clock.now += 0.05
            progress.advance(facts=2)
        clock.now = 10.0
        progress.advance(facts=1)
    lines = stream.getvalue().splitlines()
    # time left from the rate after the first three pages: 199 pages at 98 pages in 9.85 s
    assert lines == ["parindex extract: 101/300 pages, 201 facts, 10.1 pages/s, 20s left",
                     "parindex extract: done, 101/300 pages, 201 facts, 10.1 pages/s, 20s left"]


def test_the_time_left_is_not_estimated_from_the_first_pages_that_load_the_rules():
    """The first page of a run loads the rules and models (seconds): an estimate taken from it
    said 39 s for a 7 s run. None is shown until a few pages are done, then it is from those."""
    stream, clock = io.StringIO(), Clock()
    progress = Progress(200, "extract", stream=stream, clock=clock)
    clock.now = 4.0
    progress.advance()                    # loading the rules, then the first page
    assert progress.left() is None and "left" not in progress.line()
    for _ in range(20):
        clock.now += 0.05
        progress.advance()
    assert 8 <= progress.left() <= 10     # 179 pages at 0.05 s, not at (5 s / 21 pages) each


def test_a_failed_run_ends_with_stopped_not_done():
    stream = io.StringIO()
    try:
        with Progress(10, "parindex reextract", stream=stream, clock=Clock()) as progress:
            progress.advance()
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    assert stream.getvalue().startswith("parindex reextract: stopped, 1/10 pages")


def _read_all(fd) -> str:
    """Everything written to the terminal so far (a single read may return only the first chunk)."""
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def test_on_a_terminal_it_draws_a_bar_with_facts_and_rate():
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        with Progress(4, "extract", stream=terminal) as progress:
            for _ in range(4):
                progress.advance(facts=3)
    shown = _read_all(master)
    os.close(master)
    assert "extract" in shown and "4/4" in shown and "12 facts" in shown and "pages/s" in shown
