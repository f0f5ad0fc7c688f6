"""Full-text search of the articles: what people type, accents or not, as a phrase or as words.

    search_articles(db, "dong thap")                 # the phrase "Đồng Tháp" (any accents), best first
    search_articles(db, "dong thap", phrase=False)   # both words anywhere in the article
    fts_query("Đồng Tháp")                           # -> '"dong thap"', for articles_fts MATCH

The index (`articles_fts`, store/schema.py) holds each article's title, text and `text_folded`
(no accents, đ as d), so "dong thap" finds "Đồng Tháp". As a phrase it does not find "đóng"
and "thấp" apart, which is what two words anywhere would.

Ranking by relevance (FTS5's bm25) costs time for every match: words found in most articles of
a large database (a million facts) took most of a second. So a search ranks at most
RANK_AT_MOST matches, the most recently stored ones; where fewer match, all are ranked.
"""
from __future__ import annotations

import re

from parindex.model.normalize import search_key

RANK_AT_MOST = 2000
# Facts of a search, in `query`'s order, with a limit: where more articles than this match, the
# facts are read in that order (the year, index, level index) and the first `limit` of matching
# articles kept; where fewer match, their facts are read by article and sorted. (A word in every
# article took a second the second way at a million facts, a rare one the first way.)
SCAN_IN_ORDER_FROM = 2000


def fts_query(text: str, phrase: bool = True) -> str:
    """The FTS5 query for what a person typed: its words folded as `text_folded` is (đ -> d),
    one phrase (phrase=True) or each word apart (every one must be in the article)."""
    words = re.findall(r"\w+", search_key(text) or "")
    if not words:
        return ""
    if phrase:
        return '"' + " ".join(words) + '"'
    return " ".join(f'"{w}"' for w in words)


def _match_after(db, match: str, n: int) -> int | None:
    """The article id of the match that comes after the n newest ones, or None when no more than
    n articles match (read in the full-text index alone: milliseconds)."""
    row = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC "
                     "LIMIT 1 OFFSET ?", [match, n]).fetchone()
    return None if row is None else row[0]


def newest_matches_from(db, match: str) -> int | None:
    """The lowest article id among the RANK_AT_MOST most recently stored matches, or None when
    there are no more matches than that (then every match is ranked)."""
    beyond = _match_after(db, match, RANK_AT_MOST)
    return None if beyond is None else beyond + 1


def search_articles(db, text: str, limit: int = 50, phrase: bool = True) -> list[dict]:
    """Articles that have `text` (a phrase, or with phrase=False every word of it), accents or
    not, best first: by relevance among all matches, or among the RANK_AT_MOST most recently
    stored ones where more match."""
    match = fts_query(text, phrase)
    if not match:
        return []
    newest = newest_matches_from(db, match)
    sql = ("SELECT articles.id, articles.title, articles.published, articles.site, articles.url "
           "FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
           "WHERE articles_fts MATCH :q")
    params = {"q": match, "limit": limit}
    if newest is not None:
        sql += " AND articles_fts.rowid >= :newest"
        params["newest"] = newest
    return list(db.query(sql + " ORDER BY articles_fts.rank LIMIT :limit", params))


def many_match(db, match: str) -> bool:
    """More than SCAN_IN_ORDER_FROM articles match."""
    return _match_after(db, match, SCAN_IN_ORDER_FROM) is not None


def article_filter(match: str) -> str:
    """SQL condition on `facts.article_id`: the article matches `match` (bound as :q)."""
    return "facts.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)"
