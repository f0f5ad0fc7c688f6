"""Everything the review page shows about one fact, as plain data for the template.

Article text and titles come from the web: nothing here builds HTML. The passage is
returned as three strings (before, evidence, after) that the template escapes one by one.
The reads are store's (store.queue, store.reviews); this module only shapes them.
"""
import json
from urllib.parse import urlsplit

from parindex import store
from parindex.model.catalogue import CLAIMS

PASSAGE_CHARS = 500  # around the evidence at most, so a page-long "paragraph" stays readable


def safe_url(url: str | None) -> str | None:
    """The URL if a browser may follow it (http or https), else None: no javascript: links."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def passage(text: str | None, start: int | None, end: int | None, evidence: str | None) -> dict:
    """The paragraph around the evidence: {"before", "evidence", "after"}.

    The paragraph runs between the newlines around the evidence, trimmed to
    PASSAGE_CHARS each side. When the offsets no longer point at the evidence (the text
    changed), the evidence is shown alone rather than a wrong highlight.
    """
    if (text is None or start is None or end is None or not (0 <= start <= end <= len(text))
            or (evidence is not None and text[start:end] != evidence)):
        return {"before": "", "evidence": evidence or "", "after": ""}
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before = text[max(para_start, start - PASSAGE_CHARS):start]
    after = text[end:min(para_end, end + PASSAGE_CHARS)]
    if start - para_start > PASSAGE_CHARS:
        before = "…" + before
    if para_end - end > PASSAGE_CHARS:
        after = after + "…"
    return {"before": before, "evidence": text[start:end], "after": after}


def _json_list(value) -> list:
    try:
        loaded = json.loads(value) if value else []
    except ValueError:
        return []
    return loaded if isinstance(loaded, list) else []


def load(db, fact_id: str) -> dict | None:
    """The fact, its article, the highlighted passage, its sentence's other facts and its log."""
    found = store.queue.fact_with_article(db, fact_id)
    if found is None:
        return None
    fact, article = found
    text = article.pop("text")
    article["link"] = safe_url(article["url"])
    fact["rules"] = _json_list(fact.get("rules"))
    suggestion = None
    if fact.get("suggestion"):
        try:
            suggestion = json.loads(fact["suggestion"]).get("changes")
        except (ValueError, AttributeError):
            suggestion = None
    return {"fact": fact, "claims": {name: fact.get(name) for name in CLAIMS},
            "article": article, "passage": passage(text, fact.get("start"), fact.get("end"),
                                                   fact.get("evidence")),
            "siblings": store.queue.same_sentence(db, fact), "history": store.reviews.history(db, fact_id),
            "suggestion": suggestion}
