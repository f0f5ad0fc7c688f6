"""Shared test fixtures: where the repo, the shared evaluation sets and the test output live."""
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
OUTPUT = REPO / "test-output"

# What parindex keeps between runs (model/cache.py) goes under the test output, not into the
# home of whoever runs the tests; the commands the tests start inherit it.
os.environ.setdefault("PARINDEX_CACHE_DIR", str(OUTPUT / "cache"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the checkout (CI puts it there too)."""
    assert SHARED.is_dir(), f"{SHARED} is missing: the evaluation sets live there"
    return SHARED


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Screenshots, charts and other artefacts a person may want to look at after a run."""
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
