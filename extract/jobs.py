"""Extract many documents on every core, the results in the order the inputs came.

    from parindex.extract.jobs import Task, extract_in_order
    tasks = (Task(key=path, content=path.read_bytes(), name=path.name) for path in paths)
    for task, outcome in extract_in_order(tasks, jobs=4, count=len(paths)):
        ...   # outcome: a document (dict), an ExtractError, a Failed, or None (task.content None)

With one job (or fewer tasks than make workers worth starting) the documents are extracted in
this process. With more, worker processes do it: they come from a server process that has loaded
the rules, the unit pipeline and the register once (`parindex.extract.warm`), so each starts
ready. The caller stays the one reader of the inputs and the one writer of the results: it
gets them back in the order it gave them, which is what makes a database written with four
jobs the same as one written with one, and a progress bar count as before. A bounded number of
tasks is in flight, so memory does not grow with the batch.

The workers leave when the process that started them is gone (kill -9 included): each waits on
a pipe whose only writing end that process holds, and exits when it reads the end of it. They ignore Ctrl-C; the caller stops them. A worker that
dies (the kernel's out-of-memory killer) stops the batch with WorkerLost.

As with any worker processes started this way (multiprocessing's forkserver or spawn), a script
that asks for jobs > 1 must start its work under `if __name__ == "__main__":`, since each
worker imports the script's module first.
"""
import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from parindex.extract.errors import ExtractError

# Workers cost a second or two to start: below this many tasks per job, one process is faster.
MIN_TASKS_PER_JOB = 4
IN_FLIGHT_PER_JOB = 3


@dataclass(frozen=True)
class Task:
    key: object                       # the caller's own: a page id, a path
    content: bytes | str | None       # None: nothing to extract, the outcome is None
    name: str = ""
    url: str | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class Failed:
    """The extractor failed on one input (a bug, not a property of the page)."""
    reason: str


class WorkerLost(RuntimeError):
    """A worker process ended in the middle of its work (killed, out of memory): the batch stops
    there. What the caller wrote stays; the next run goes on from there."""

    def __init__(self):
        super().__init__("an extraction worker process ended in the middle of its work (killed? out "
                         "of memory?): stopped; run the command again to go on")


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def _one_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def extract_one(task: Task):
    """The outcome of one task: a document, the ExtractError of an input that is no article, or
    Failed for an extractor bug (one page must not stop a batch)."""
    if task.content is None:
        return None
    from parindex import extract   # the package's extractor, loaded on first use
    try:
        return extract.extract_document(task.content, name=task.name, url=task.url,
                                        content_type=task.content_type)
    except ExtractError as err:
        return ExtractError(_one_line(err))
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001
        return Failed(f"extractor failed: {type(err).__name__}: {_one_line(err)}")


def extract_in_order(tasks, jobs: int | None = None, count: int | None = None):
    """Yield (task, outcome) for every task, in the order of `tasks` (an iterable read lazily, in
    the calling thread). jobs: worker processes (default: the cores); count: how many tasks
    there are, when known (few tasks are done here, without workers)."""
    jobs = jobs or default_jobs()
    if count is not None:
        jobs = min(jobs, max(1, count // MIN_TASKS_PER_JOB))
    if jobs <= 1:
        for task in tasks:
            yield task, extract_one(task)
        return
    yield from _in_workers(iter(tasks), jobs)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The server imports and warms the extractor once; every worker is forked from it ready.
    # (Only the first pool of a process starts the server: later ones find it running.)
    context.set_forkserver_preload(["parindex.extract.warm"])
    return context


def _in_workers(tasks, jobs: int):
    context = _context()
    # The workers' lifeline: this process holds the only writing end; when it is gone (ended,
    # or killed), the workers read the end of the pipe and leave.
    lifeline, holder = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(lifeline,))
    pending = deque()
    try:
        yield from _submitted(pool, tasks, pending, jobs)
    except BrokenProcessPool:
        # a worker died: seen by the result waited for, or by the next submit, whichever is first
        raise WorkerLost() from None
    finally:
        # after the last result, or when the caller stops early (an error, Ctrl-C)
        pool.shutdown(wait=True, cancel_futures=True)
        holder.close()
        lifeline.close()


def _submitted(pool, tasks, pending, jobs: int):
    for task in tasks:
        if task.content is None:
            pending.append((task, None))
        else:
            pending.append((task, pool.submit(extract_one, task)))
        while len(pending) > jobs * IN_FLIGHT_PER_JOB:
            yield _done(pending.popleft())
    while pending:
        yield _done(pending.popleft())


def _done(item):
    task, future = item
    return task, (future.result() if future is not None else None)


def _start_worker(lifeline):
    """In each worker: Ctrl-C is the caller's to handle; leave when the caller is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from parindex.extract import warm  # noqa: F401  (no-op where the server had warmed it)

    def watch():
        try:
            lifeline.recv()   # nothing is ever sent: this returns when the caller's end closes
        except (EOFError, OSError):
            pass
        os._exit(0)

    threading.Thread(target=watch, name="parindex-lifeline", daemon=True).start()
