"""Pages -> extract -> store: the runner between the crawler's pages and the fact database.

    from parindex.pipeline import extract_files_into_db, extract_new_pages
    extract_files_into_db("parindex.db", ["corpus/"], on_error=print)
    with store.connect("parindex.db") as db:
        extract_new_pages(db)              # what `parindex run` does after a crawl
        extract_new_pages(db, force=True)  # what `parindex reextract` does

Each page is one transaction: a run killed at any moment leaves whole articles only, and the
next run takes up the pages whose content or extractor version is not yet in the database.
With jobs > 1 the pages are extracted by worker processes (parindex.extract.jobs) and written
here, by this one process, in the order of the pages: the database is the one a single job writes.
"""
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from parindex import store
from parindex.extract import EXTRACTOR_VERSION, ExtractError
from parindex.extract.jobs import Failed, Task, extract_in_order
from parindex.inputs import iter_files, read_bytes
from parindex.progress import Progress, Silent

COUNTS = ("pages", "pages_extracted", "pages_unchanged", "pages_failed", "articles_new",
          "facts_new", "facts_updated", "facts_unchanged", "facts_removed", "facts_reviewed_kept",
          "suggestions", "facts_invalid")
MAX_ERRORS_KEPT = 1000  # the runs row keeps the first ones; the count says how many there were


def _one_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _page_name(url: str) -> str:
    return PurePosixPath(unquote(urlsplit(url).path)).name or url


def _content_type(path: Path) -> str:
    return "text/plain; charset=utf-8" if path.suffix.lower() == ".txt" else "text/html"


class _Batch:
    """The counts and errors of one run, and the runs row that records them."""

    def __init__(self, db, kind: str, on_error, source=None):
        self.db, self.on_error = db, on_error
        self.counts = dict.fromkeys(COUNTS, 0)
        self.errors: dict[str, str] = {}
        self.run_id = store.runs.start_run(db, kind, source=source, extractor_version=EXTRACTOR_VERSION)

    def fail(self, name, reason: str):
        self.counts["pages_failed"] += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors[str(name)] = reason
        if self.on_error:
            self.on_error(name, reason)

    def save(self, page_id: int, name, outcome) -> int:
        """Write what extraction gave for one page; return the number of facts found."""
        if isinstance(outcome, ExtractError):
            # Not an article: recorded, so the same bytes are not tried again by this version.
            store.facts.save_failure(self.db, page_id, _one_line(outcome), EXTRACTOR_VERSION)
            self.fail(name, _one_line(outcome))
            return 0
        if isinstance(outcome, Failed):
            # an extractor bug on one page: marked like any page that is no article, so it is
            # not tried again until the extractor changes, and the batch goes on
            store.facts.save_failure(self.db, page_id, outcome.reason, EXTRACTOR_VERSION)
            self.fail(name, outcome.reason)
            return 0
        saved = store.facts.save_document(self.db, page_id, outcome, EXTRACTOR_VERSION)
        self.counts["pages_extracted"] += 1
        for key, value in saved.items():
            self.counts[key] = self.counts.get(key, 0) + value
        return len(outcome["facts"])

    def finish(self, status: str) -> dict:
        store.runs.finish_run(self.db, self.run_id, status, self.counts, self.errors)
        return {**self.counts, "run_id": self.run_id, "errors": self.errors}


def _finish_failed(batch: _Batch):
    try:
        batch.finish("failed")
    except store.StoreError:
        pass  # the disk that failed the run may refuse its last line too; the row stays `running`


def _page_task(page_id: int, url: str, content_type, body, name=None) -> Task:
    """A stored page to extract; its key (page id, the name errors are reported under)."""
    return Task(key=(page_id, url if name is None else name), content=body, name=_page_name(url),
                content_type=content_type, url=url if url.startswith(("http://", "https://")) else None)


def extract_new_pages(db, progress: bool = False, *, force: bool = False, on_error=None,
                      page_ids=None, source=None, jobs: int | None = 1, label: str | None = None) -> dict:
    """Extract the stored pages whose content hash or extractor version changed since last time.

    force=True extracts every extractable page again (`reextract`): unchanged results change
    nothing, pending facts take the new values, reviewed facts get suggestions.
    page_ids limits the run to those pages. jobs: worker processes (None: one per core).
    Returns the run's counts, run_id and errors.
    Raises store.StoreError when the database fails (disk full...): the run is `failed`.
    """
    batch = _Batch(db, "reextract" if force else "extract", on_error, source=source)
    # label: what the progress lines start with, the command the person typed
    label = label or ("parindex reextract" if force else "parindex extract")

    def tasks(todo):
        for page_id in todo:
            page = store.pages.page_info(db, page_id)
            yield _page_task(page_id, page["final_url"] or page["url"], page["content_type"],
                             store.pages.body(db, page_id))

    try:
        with store.reading(db):
            todo = store.pages.pages_to_extract(db, EXTRACTOR_VERSION, force=force, ids=page_ids)
        with store.reading(db), (Progress if progress else Silent)(len(todo), label) as bar:
            for task, outcome in extract_in_order(tasks(todo), jobs, count=len(todo)):
                batch.counts["pages"] += 1
                bar.advance(facts=batch.save(*task.key, outcome))
    except BaseException:
        _finish_failed(batch)
        raise
    return batch.finish("ok")


def extract_files_into_db(db_path, paths, on_error, progress: bool = True, jobs: int | None = 1) -> dict | None:
    """`parindex extract --db`: store local files as pages (source and kind "local", url
    file://<absolute path>) and extract those that are new or changed.

    on_error(path, reason) hears of every input that could not be read or extracted, and of the
    database itself when it fails (then the batch stops: returns None). progress: a bar on a
    terminal, log lines otherwise (parindex.progress); False for none. jobs: worker processes
    (None: one per core).
    """
    try:
        db = store.connect(db_path)
    except store.StoreError as err:
        on_error(db_path, err.reason)
        return None
    try:
        files = list(iter_files(paths))
        try:
            batch = _Batch(db, "extract", on_error, source="local")
        except store.StoreError as err:
            on_error(db_path, err.reason)
            return None
        try:
            with store.reading(db), (Progress if progress else Silent)(len(files), "parindex extract") as bar:
                tasks = (_file_task(db, batch, path, problem) for path, problem in files)
                for task, outcome in extract_in_order(tasks, jobs, count=len(files)):
                    batch.counts["pages"] += 1
                    page_id, path, *problem = task.key
                    if problem and problem[0]:
                        batch.fail(path, problem[0])   # here, so that errors keep the files' order
                    bar.advance(facts=batch.save(page_id, path, outcome) if task.content is not None else 0)
        except store.StoreError as err:
            _finish_failed(batch)
            on_error(db_path, err.reason)
            return None
        except BaseException:
            _finish_failed(batch)
            raise
        return batch.finish("ok")
    finally:
        db.close()


def _file_task(db, batch: _Batch, path: Path, problem) -> Task:
    """One local file as a stored page to extract, or a task with nothing to extract (content
    None, key (None, path, why)) when it cannot be read or is stored unchanged."""
    if problem:
        return Task(key=(None, path, problem), content=None)
    try:
        body = read_bytes(path)
    except (OSError, ValueError) as err:
        return Task(key=(None, path, _one_line(err)), content=None)
    url = path.resolve().as_uri()
    if store.pages.stored_hash(db, url) == store.pages.content_hash(body):
        page_id = store.pages.get_page_id(db, url)  # same bytes: the page row stays as it was
    else:
        page_id = store.pages.save_page(db, url, final_url=url, source="local", kind="local", status=None,
                                        content_type=_content_type(path), body=body)
    if not store.pages.pages_to_extract(db, EXTRACTOR_VERSION, ids=[page_id]):
        batch.counts["pages_unchanged"] += 1
        return Task(key=(page_id, path, None), content=None)
    return _page_task(page_id, url, _content_type(path), body, name=path)
