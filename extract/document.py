"""One document in, one article with its facts out."""
from pathlib import PurePath

from parindex.extract.article import read_article
from parindex.extract.errors import ExtractError
from parindex.extract.facts import extract_text_facts
from parindex.extract.version import EXTRACTOR_VERSION  # noqa: F401  (its home is version.py)
from parindex.model.linker import link_facts


def extract_document(content, name: str = "", url: str | None = None,
                     content_type: str | None = None) -> dict:
    """Read HTML (bytes or str) or plain text and return the article and its facts.

    Raises ExtractError with a one-line reason for input that is not an article.
    """
    article = read_article(content, url=url, content_type=content_type, name=name)
    text = article["text"]
    facts = []
    # a page whose visible text never names an index has no facts: skip the rules
    found = [] if article["on_topic"] is False else extract_text_facts(text, article["title"], published=article["published"])
    for fact in found:
        fact["evidence"] = text[fact["start"]:fact["end"]]
        facts.append(fact)
    if facts:
        # the register fills a province the text makes certain (convention 9) and gives codes
        facts = link_facts(facts)
    return {"doc": PurePath(name).stem if name else "", "title": article["title"],
            "published": article["published"], "site": article["site"], "url": url,
            "text": text, "facts": facts}


def extract_facts(content, **kwargs) -> list[dict]:
    return extract_document(content, **kwargs)["facts"]
