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
it with the pattern's lower-case twin (model/lowercase.py): IGNORECASE makes the engine compare
every character both ways, which cost more than twice as much on a page.
"""
import functools
import re

from parindex.model import lowercase
from parindex.model.loading import PATTERNS_DIR, read_patterns
from parindex.model.normalize import fold_tones, nfc


def compile_topic(pattern: str) -> re.Pattern:
    """The topic pattern as every rule is compiled: tone-folded (hoà = hòa), any case."""
    return re.compile(fold_tones(pattern), re.IGNORECASE)


def about(regex: re.Pattern, *texts: str | None) -> bool:
    """Does any of the texts match the topic pattern `regex` (compiled by compile_topic)?"""
    return any(text and lowercase.search(regex, text) for text in texts)


@functools.lru_cache(maxsize=1)
def topic_regex() -> re.Pattern:
    try:
        return compile_topic(read_patterns("values.yaml")["markers"]["topic"])
    except (KeyError, TypeError):
        raise ValueError(f"{PATTERNS_DIR / 'values.yaml'}: markers.topic is missing") from None


def about_indexes(*texts: str | None) -> bool:
    """True when any of the texts (a title, a body, a sentence) names an index or its ranking."""
    return about(topic_regex(), *(nfc(text) for text in texts if text))


def topic_words(*texts: str | None) -> list[str]:
    """The topic's words found in the texts, lower case and sorted; empty when it is not about the indexes."""
    regex = topic_regex()
    return sorted({m.group(0).lower() for text in texts if text for m in regex.finditer(nfc(text))})
