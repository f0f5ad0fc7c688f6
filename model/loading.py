"""Loading the large tables a process keeps for its whole life (the unit register, the rule
patterns, spaCy's pipeline) with Python's cyclic garbage collector paused.

Such a load allocates hundreds of thousands of objects that all survive; each allocation burst
starts a collection that walks every object already alive, spaCy's and the register's included,
and finds nothing to free. Paused, loading the register takes 0.18 s instead of 0.30 s, and a
command that reads an article starts 0.1-0.3 s sooner on the machine we measured (bench/startup.py). The collector is turned back on as it was, exceptions included.

The YAML of patterns/ is read with libyaml's parser where PyYAML was built with it (0.08 s of
a start down to 0.01 s); it reads the same safe subset as the pure-Python one.
"""
import contextlib
import gc

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str):
    """The data of a YAML document (the safe subset: no Python objects); yaml.YAMLError if bad."""
    return yaml.load(text, Loader=_SAFE_LOADER)


@contextlib.contextmanager
def collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
