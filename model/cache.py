"""Tables built from files that rarely change, kept between runs in the user's cache directory.

The register of units takes 0.17 s to build from its SQLite file at every start of a command
that reads an article, and 0.05 s to read back from a pickle of it: cron users start such
commands many times a day. A table is kept under a name and a key made of what it was built
from: the files of its data and the source of the code that builds it (model/*.py), each by its
size and time of change. Change any of them and the next start builds it again.

Where: $PARINDEX_CACHE_DIR, else $XDG_CACHE_HOME/parindex, else ~/.cache/parindex. An empty
PARINDEX_CACHE_DIR turns the cache off. A directory that cannot be written, or a kept file that
cannot be read, costs the build and nothing else: the cache is never a reason to fail.
"""
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

_MODEL = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    if "PARINDEX_CACHE_DIR" in os.environ:
        return Path(os.environ["PARINDEX_CACHE_DIR"]) if os.environ["PARINDEX_CACHE_DIR"] else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "parindex"


def key(data_files: list[Path]) -> str:
    """What a table depends on: its data files and the model's code as they are now (size and
    time of change: a start stats them, reads none), Python's version."""
    digest = hashlib.sha256(sys.version.encode())
    for path in [*data_files, *sorted(_MODEL.glob("*.py"))]:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def kept(name: str, data_files: list[Path], build):
    """build(), or what an earlier run kept of it for the same data and code."""
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"{name}-{key(data_files)}.pickle"
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except Exception:   # missing, unreadable, or from another pickle: build it again
        pass
    table = build()
    _keep(name, path, table)
    return table


def _keep(name: str, path: Path, table) -> None:
    part = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # written aside, then renamed: a reader never sees half a file, even when two commands
        # start together or one is killed while writing
        handle, part = tempfile.mkstemp(dir=path.parent, prefix=f"{name}-", suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(table, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
        part = None
        for older in path.parent.glob(f"{name}-*.pickle"):   # built from data or code since changed
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if part:
            Path(part).unlink(missing_ok=True)
