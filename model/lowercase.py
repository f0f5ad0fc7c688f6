"""Patterns written for IGNORECASE, run without it on text lower-cased once.

    lowercase.search(regex, text)       # what regex.search(text) finds, at the same place
    lowercase.finditer(regex, text)     # what regex.finditer(text) gives
    lower_twin(regex.pattern)           # the pattern itself, for lower_text(text)

IGNORECASE makes the regular-expression engine compare every character both ways; the
lower-case twin of a pattern (its letters lower-cased, no IGNORECASE) searched in the text
lower-cased once finds the same matches at the same offsets in a third to half of the time.
The groups of a match are then in lower case: read a group's text from the original text at
the match's offsets where its case matters. Where the twin could read otherwise, the pattern
runs as compiled: a pattern that sets its own case rules ("(?-i:[A-Z])" wants a capital), and a
text with a letter that lower() lengthens or that IGNORECASE pairs otherwise ("İ", "ſ").
"""
import functools
import re

# escapes (\b, \W, \S) and group names ((?P<Name>, (?P=Name)) stay as written
_KEPT_OR_TEXT = re.compile(r"\\.|\(\?P(?:<\w+>|=\w+\))|[^\\(]+|\(", re.DOTALL)
# (?i), (?-i:...): a pattern that sets its own case rules has no lower-case twin
_INLINE_FLAGS = re.compile(r"(?<!\\)\(\?[aiLmsux-]")

try:   # letters IGNORECASE takes for others that lower() does not turn into them: "ſ" for "s"
    from re._casefix import _EXTRA_CASES
    _ODD_LETTERS = {chr(c) for key, extra in _EXTRA_CASES.items() for c in (key, *extra) if c > 127}
except ImportError:  # pragma: no cover  (Python < 3.11 keeps them elsewhere)
    _ODD_LETTERS = set("ıſµςϐϑϕϖϰϱϵẛ")
_ODD = re.compile("[" + re.escape("".join(sorted(_ODD_LETTERS))) + "\\u0130]")   # and "İ", which lower() lengthens


def lower_text(text: str) -> str | None:
    """text.lower(), for the lower-case twins; None where a twin could read it otherwise than
    IGNORECASE does (a letter lower() lengthens or does not pair): use the pattern as compiled."""
    if _ODD.search(text):
        return None
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


@functools.lru_cache(maxsize=256)
def lower_twin(pattern: str) -> re.Pattern | None:
    """The pattern (written for IGNORECASE) for lower-cased text, without IGNORECASE: its letters
    lower-cased, escapes and group names kept. lower_twin(p).search(lower_text(text)) finds what
    re.compile(p, re.IGNORECASE).search(text) finds, at the same place.
    None for a pattern with inline flags ("(?-i:[A-Z])" wants a capital: lower case has none)."""
    if _INLINE_FLAGS.search(pattern):
        return None
    lowered = _KEPT_OR_TEXT.sub(lambda m: m.group(0) if m.group(0)[:1] in "\\(" else m.group(0).lower(), pattern)
    return re.compile(lowered)


def search(regex: re.Pattern, text: str):
    """regex.search(text), for a regex compiled with IGNORECASE; its groups may be in lower case."""
    twin = lower_twin(regex.pattern)
    lowered = lower_text(text) if twin is not None else None
    return regex.search(text) if lowered is None else twin.search(lowered)


def finditer(regex: re.Pattern, text: str):
    """regex.finditer(text), for a regex compiled with IGNORECASE; groups may be in lower case."""
    twin = lower_twin(regex.pattern)
    lowered = lower_text(text) if twin is not None else None
    return regex.finditer(text) if lowered is None else twin.finditer(lowered)
