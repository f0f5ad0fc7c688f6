"""Pages -> extract -> store: the runner between the crawler's pages and the fact database.

    from parindex.pipeline import extract_files_into_db, extract_new_pages
    extract_files_into_db("parindex.db", ["corpus/"], on_error=print)
    with store.connect("parindex.db") as db:
        extract_new_pages(db)              # what `parindex run` does after a crawl
        extract_new_pages(db, force=True)  # what `parindex reextract` does

Each page is one transaction: a run killed at any moment leaves whole articles only, and the
next run takes up the pages whose content or extractor version is not yet in the database.
"""
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from parindex import store
from parindex.extract import EXTRACTOR_VERSION, ExtractError, extract_document
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

    def extract(self, page_id: int, url: str, content_type, body: bytes, name=None) -> int:
        """Extract one page into the database; return the number of facts found."""
        try:
            document = extract_document(body, name=_page_name(url), content_type=content_type,
                                        url=url if url.startswith(("http://", "https://")) else None)
        except ExtractError as err:
            # Not an article: recorded, so the same bytes are not tried again by this version.
            store.facts.save_failure(self.db, page_id, _one_line(err), EXTRACTOR_VERSION)
            self.fail(name or url, _one_line(err))
            return 0
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as err:  # an extractor bug on one page must not stop the batch
            reason = f"extractor failed: {type(err).__name__}: {_one_line(err)}"
            # marked like any page that is no article: not tried again until the extractor changes
            store.facts.save_failure(self.db, page_id, reason, EXTRACTOR_VERSION)
            self.fail(name or url, reason)
            return 0
        saved = store.facts.save_document(self.db, page_id, document,
                                          EXTRACTOR_VERSION)
        self.counts["pages_extracted"] += 1
        for key, value in saved.items():
            self.counts[key] = self.counts.get(key, 0) + value
        return len(document["facts"])

    def finish(self, status: str) -> dict:
        store.runs.finish_run(self.db, self.run_id, status, self.counts, self.errors)
        return {**self.counts, "run_id": self.run_id, "errors": self.errors}


def _finish_failed(batch: _Batch):
    try:
        batch.finish("failed")
    except store.StoreError:
        pass  # the disk that failed the run may refuse its last line too; the row stays `running`


def extract_new_pages(db, progress: bool = False, *, force: bool = False, on_error=None,
                      page_ids=None, source=None, label: str | None = None) -> dict:
    """Extract the stored pages whose content hash or extractor version changed since last time.

    force=True extracts every extractable page again (`reextract`): unchanged results change
    nothing, pending facts take the new values, reviewed facts get suggestions.
    page_ids limits the run to those pages. Returns the run's counts, run_id and errors.
    Raises store.StoreError when the database fails (disk full...): the run is `failed`.
    """
    batch = _Batch(db, "reextract" if force else "extract", on_error, source=source)
    # label: what the progress lines start with, the command the person typed
    label = label or ("parindex reextract" if force else "parindex extract")
    try:
        with store.reading(db):
            todo = store.pages.pages_to_extract(db, EXTRACTOR_VERSION, force=force, ids=page_ids)
        with store.reading(db), (Progress if progress else Silent)(len(todo), label) as bar:
            for page_id in todo:
                page = store.pages.page_info(db, page_id)
                body = store.pages.body(db, page_id)
                batch.counts["pages"] += 1
                facts = batch.extract(page_id, page["final_url"] or page["url"], page["content_type"], body)
                bar.advance(facts=facts)
    except BaseException:
        _finish_failed(batch)
        raise
    return batch.finish("ok")


def extract_files_into_db(db_path, paths, on_error, progress: bool = True) -> dict | None:
    """`parindex extract --db`: store local files as pages (source and kind "local", url
    file://<absolute path>) and extract those that are new or changed.

    on_error(path, reason) hears of every input that could not be read or extracted, and of the
    database itself when it fails (then the batch stops: returns None). progress: a bar on a
    terminal, log lines otherwise (parindex.progress); False for none.
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
                for path, problem in files:
                    batch.counts["pages"] += 1
                    bar.advance(facts=_store_file(db, batch, path, problem))
        except store.StoreError as err:
            _finish_failed(batch)
            on_error(db_path, err.reason)
            return None
        return batch.finish("ok")
    finally:
        db.close()


def _store_file(db, batch: _Batch, path: Path, problem) -> int:
    if problem:
        batch.fail(path, problem)
        return 0
    try:
        body = read_bytes(path)
    except (OSError, ValueError) as err:
        batch.fail(path, _one_line(err))
        return 0
    url = path.resolve().as_uri()
    if store.pages.stored_hash(db, url) == store.pages.content_hash(body):
        page_id = store.pages.get_page_id(db, url)  # same bytes: the page row stays as it was
    else:
        page_id = store.pages.save_page(db, url, final_url=url, source="local", kind="local", status=None,
                                        content_type=_content_type(path), body=body)
    if not store.pages.pages_to_extract(db, EXTRACTOR_VERSION, ids=[page_id]):
        batch.counts["pages_unchanged"] += 1
        return 0
    return batch.extract(page_id, url, _content_type(path), body, name=path)

