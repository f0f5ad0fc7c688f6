"""Is this text about the indexes? The one topic test of parindex.

    about_indexes("Chỉ số CCHC năm 2023", body)   -> True
    topic_words("Chỉ số CCHC năm 2023")           -> ["cchc", "chỉ số"]

The words are data: `markers.topic` of patterns/values.yaml, where the people who write the
extraction rules keep them. The crawler asks it of a page's title and visible text to decide
whether to keep the page (crawler/relevance.py); the extractor asks it of a page before it runs
its rules, and of a paragraph or sentence for index hints and score context (extract/rules.py
compiles it through compile_topic). One pattern, compiled one way: the two cannot disagree
about the same text.

A yes or no for a whole page (`about`, `about_indexes`) lower-cases the text once and searches
it with the pattern's lower-case twin: IGNORECASE makes the engine compare every character both
ways, which cost more than twice as much on a page. Where the matches themselves are wanted
(their words, their places) the pattern is used as compiled.
"""
import functools
import re
from pathlib import Path

import yaml

from parindex.model.normalize import fold_tones, nfc

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"


def compile_topic(pattern: str) -> re.Pattern:
    """The topic pattern as every rule is compiled: tone-folded (hoà = hòa), any case."""
    return re.compile(fold_tones(pattern), re.IGNORECASE)


# escapes (\b, \W, \S) and group names ((?P<Name>, (?P=Name)) stay as written
_KEPT_OR_TEXT = re.compile(r"\\.|\(\?P(?:<\w+>|=\w+\))|[^\\(]+|\(", re.DOTALL)
# (?i), (?-i:...): a pattern that sets its own case rules has no lower-case twin
_INLINE_FLAGS = re.compile(r"(?<!\\)\(\?[aiLmsux-]")


try:   # letters IGNORECASE takes for others that lower() does not turn into them: "ſ" for "s"
    from re._casefix import _EXTRA_CASES
    _ODD_LETTERS = {chr(c) for key, extra in _EXTRA_CASES.items() for c in (key, *extra) if c > 127}
except ImportError:  # pragma: no cover  (Python < 3.11 keeps them elsewhere)
    _ODD_LETTERS = set("ıſµςϐϑϕϖϰϱϵẛ")
_ODD = re.compile("[" + re.escape("".join(sorted(_ODD_LETTERS))) + "\u0130]")   # and "İ", which lower() lengthens


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


def about(regex: re.Pattern, *texts: str | None) -> bool:
    """Does any of the texts match the topic pattern `regex` (compiled by compile_topic)?"""
    twin = lower_twin(regex.pattern)
    for text in texts:
        if not text:
            continue
        lowered = lower_text(text) if twin is not None else None
        if (twin.search(lowered) if lowered is not None else regex.search(text)):
            return True
    return False


@functools.lru_cache(maxsize=1)
def topic_regex() -> re.Pattern:
    path = PATTERNS_DIR / "values.yaml"
    values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return compile_topic(values["markers"]["topic"])
    except (KeyError, TypeError):
        raise ValueError(f"{path}: markers.topic is missing") from None


def about_indexes(*texts: str | None) -> bool:
    """True when any of the texts (a title, a body, a sentence) names an index or its ranking."""
    return about(topic_regex(), *(nfc(text) for text in texts if text))


def topic_words(*texts: str | None) -> list[str]:
    """The topic's words found in the texts, lower case and sorted; empty when it is not about the indexes."""
    regex = topic_regex()
    return sorted({m.group(0).lower() for text in texts if text for m in regex.finditer(nfc(text))})
