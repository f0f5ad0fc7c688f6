"""Loading the large tables a process keeps for its whole life (the unit register, the rule
patterns, spaCy's pipeline) with Python's cyclic garbage collector paused.

Such a load allocates hundreds of thousands of objects that all survive; each allocation burst
starts a collection that walks every object already alive, spaCy's and the register's included,
and finds nothing to free. Paused, loading the register takes 0.18 s instead of 0.30 s, and a
command that reads an article starts 0.1-0.3 s sooner on the machine we measured (bench/startup.py). The collector is turned back on as it was, exceptions included.

Pausing only defers the walk: the first collection after the load, and the one at the
process's exit, still visit every object loaded. So the outermost load ends by moving what is
alive into the collector's permanent generation (gc.freeze), which later collections skip: a
cold `parindex extract one.txt` ends about 0.3 s sooner, and a long run's full collections no
longer walk the tables it keeps. Only what loads once per process may use this: whatever is
alive at the end, garbage included, is kept for the life of the process.

The YAML of patterns/ is read with libyaml's parser where PyYAML was built with it (0.08 s of
a start down to 0.01 s); it reads the same safe subset as the pure-Python one.
"""
import contextlib
import functools
import gc
import time
from pathlib import Path

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# the rules as data (installed as parindex.patterns): the model reads the few words of theirs it
# needs too (the topic's words, the agencies' abbreviations), extract/rules.py all of them
PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"


def read_yaml(text: str):
    """The data of a YAML document (the safe subset: no Python objects); yaml.YAMLError if bad."""
    return yaml.load(text, Loader=_SAFE_LOADER)


_loading_seconds = 0.0   # spent in outermost loads so far in this process


def seconds_loading() -> float:
    """Seconds this process has spent in loads (collector_paused) so far: what a page's time
    budget leaves out when one is loaded in the middle of a page (a ruler built on first use)."""
    return _loading_seconds


@contextlib.contextmanager
def collector_paused():
    """For a load done once per process: the collector paused meanwhile; at the outermost load's
    end, what is alive is frozen (never walked again) and the collector is back as it was. The
    outermost load's time is counted (seconds_loading)."""
    global _loading_seconds
    was_enabled = gc.isenabled()
    outermost = was_enabled
    start = time.monotonic()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
        if outermost:
            _loading_seconds += time.monotonic() - start


@functools.lru_cache(maxsize=4)
def read_patterns(name: str) -> dict:
    """The data of one file of patterns/ ("values.yaml", "units.yaml"), read once per process.
    Shared: read it, do not change it."""
    path = PATTERNS_DIR / name
    try:
        return read_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {str(err).splitlines()[0]}") from None
