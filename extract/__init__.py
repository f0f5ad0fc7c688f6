"""Turn Vietnamese news pages into administrative-reform ranking facts.

Pure functions: no database, no Scrapy, no web. Use alone::

    from parindex.extract import extract_facts, extract_document
    facts = extract_facts(open("page.html", "rb").read())
    doc = extract_document(body, name="d007", content_type="text/html; charset=utf-8")

A document is a dict::

    {"doc": name, "title": str|None, "published": "YYYY-MM-DD"|None,
     "site": str|None, "url": str|None, "text": article text,
     "facts": [fact, ...]}

and a fact carries every field of FACTS.md (unit, level, index, year, province,
parent, rank, rank_total, rank_change, score, score_min) plus ``evidence``,
``start``/``end`` (``doc["text"][start:end] == evidence``) and ``rules`` (ids of
the rules in patterns/ that fired).
"""
from parindex.extract.errors import ExtractError
from parindex.model.normalize import unit_key

__all__ = ["EXTRACTOR_VERSION", "ExtractError", "extract_document", "extract_facts", "unit_key"]


def __getattr__(name):
    # The extractor pulls in trafilatura, spaCy and underthesea (seconds to load): only when
    # asked for, so that `from parindex.model.normalize import unit_key` stays cheap for the CLI.
    if name == "EXTRACTOR_VERSION":
        from parindex.extract.version import EXTRACTOR_VERSION
        return EXTRACTOR_VERSION
    if name in ("extract_document", "extract_facts"):
        from parindex.extract import document
        return getattr(document, name)
    raise AttributeError(f"module 'parindex.extract' has no attribute {name!r}")
