"""Local input files: walk folders, read bytes, report what cannot be read."""
from pathlib import Path

SUFFIXES = {".html", ".htm", ".txt"}
MAX_BYTES = 20 * 1024 * 1024  # a news page over 20 MB is not an article (or is an attack)


def iter_files(paths):
    """Yield (path, error) for each input: folders recursively (.html, .htm, .txt), files as given."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
                yield child, None
        elif path.is_file():
            yield path, None
        elif path.exists():
            yield path, "not a regular file"
        else:
            yield path, "no such file or folder"


def read_bytes(path: Path) -> bytes:
    """Read a file, refusing what is too large to be a news page."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        # Exact bytes: rounded to megabytes, 21,000,000 and the 20 MiB limit both read "21 MB".
        raise ValueError(f"too large for a news page: {size:,} bytes (the limit is {MAX_BYTES:,} bytes)")
    return path.read_bytes()
