"""One document in, one article with its facts out."""
from pathlib import PurePath

from extract.article import read_article
from extract.errors import ExtractError

EXTRACTOR_VERSION = "0.1.0"


def extract_document(content, name: str = "", url: str | None = None,
                     content_type: str | None = None) -> dict:
    """Read HTML (bytes or str) or plain text and return the article and its facts.

    Raises ExtractError with a one-line reason for input that is not an article.
    """
    article = read_article(content, url=url, content_type=content_type, name=name)
    facts = []  # filled by the rules engine (next step)
    return {"doc": PurePath(name).stem if name else "", "title": article["title"],
            "published": article["published"], "site": article["site"], "url": url,
            "text": article["text"], "facts": facts}


def extract_facts(content, **kwargs) -> list[dict]:
    return extract_document(content, **kwargs)["facts"]


__all__ = ["EXTRACTOR_VERSION", "ExtractError", "extract_document", "extract_facts"]
