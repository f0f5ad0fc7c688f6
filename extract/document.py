"""One document in, one article with its facts out, in bounded time, or one ExtractError.

Every input ends: with facts that pass the one validity check of a fact (model.validity), or
with an ExtractError whose message is one line. A page too large, or too slow, to read is
reported as such rather than read for minutes.
"""
from pathlib import PurePath

from parindex.extract.article import read_article
from parindex.extract.errors import ExtractError
from parindex.extract.facts import extract_text_facts
from parindex.extract.version import EXTRACTOR_VERSION  # noqa: F401  (its home is version.py)
from parindex.model.linker import link_facts
from parindex.model.validity import problems

# A crawled page may be 8 MB; an article is some thousands of characters. Past these sizes a
# page is not an article we could read in time, whatever it holds.
MAX_BYTES = 16 * 1024 * 1024
MAX_TEXT = 400_000
# Seconds the rules may take on one page (after the page is parsed): the rules are linear, so
# only a page no reader would call an article comes near it.
BUDGET = 1.5


def extract_document(content, name: str = "", url: str | None = None,
                     content_type: str | None = None, budget: float | None = BUDGET) -> dict:
    """Read HTML (bytes or str) or plain text and return the article and its facts.

    Raises ExtractError with a one-line reason for input that is not an article, that is too
    large, or whose reading takes more than `budget` seconds (None: no limit).
    """
    if len(content) > MAX_BYTES:
        raise ExtractError(f"too large to be an article: {len(content):,} bytes (the limit is {MAX_BYTES:,})")
    try:
        article = read_article(content, url=url, content_type=content_type, name=name)
        text = article["text"]
        if len(text) > MAX_TEXT:
            raise ExtractError(f"too long to read as an article: {len(text):,} characters of text "
                               f"(the limit is {MAX_TEXT:,})")
        # a page whose visible text never names an index has no facts: skip the rules
        found = [] if article["on_topic"] is False else extract_text_facts(
            text, article["title"], published=article["published"], budget=budget)
    except ExtractError:
        raise
    except (ValueError, ArithmeticError, LookupError, RecursionError, UnicodeError) as err:
        # no page may stop a batch: what the rules cannot read is one line, like any bad input
        raise ExtractError(f"cannot read this page: {type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}") from None
    facts = []
    for fact in found:
        fact = _possible(fact)
        if fact is not None:
            fact["evidence"] = text[fact["start"]:fact["end"]]
            facts.append(fact)
    if facts:
        # the register fills a province the text makes certain (convention 9) and gives codes
        facts = link_facts(facts)
    return {"doc": PurePath(name).stem if name else "", "title": article["title"],
            "published": article["published"], "site": article["site"], "url": url,
            "text": text, "facts": facts}


# What to give up of a fact that cannot be true, field by field: a size smaller than its rank
# (read from another sentence), a move larger than the group, a rank of 0; a fact whose unit,
# level, index or year is impossible is no fact.
_DROPPABLE = ("rank_total", "rank_change", "rank", "score", "score_min")


def _possible(fact: dict) -> dict | None:
    for _ in range(len(_DROPPABLE) + 1):
        wrong = problems(fact)
        if not wrong:
            return fact
        if any(field not in _DROPPABLE for field in wrong):
            return None
        for field in wrong:
            fact[field] = None
    return None


def extract_facts(content, **kwargs) -> list[dict]:
    return extract_document(content, **kwargs)["facts"]
