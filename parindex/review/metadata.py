"""Datasette metadata for a parindex database: what each table and column means, the
facets people use, and the canned queries people ask for (listed on the home page too).

Canned queries call SQL functions the plugin registers on every connection:
`province_key()` (model.places), so "Hải Dương", "Hai Duong", "tỉnh Hải Dương", "HCM" and
"TP.HCM" find their province, and `unit_matches()`, so "Kim Anh", "xã Kim Anh" and "Ky Anh"
find their unit.
"""
from html import escape

from parindex.model.catalogue import FIELD, FIELDS

PLUGIN = "parindex-review"

_NOT_REJECTED = "f.status != 'rejected'"

QUERIES = {
    "province_districts": {
        "title": "A province's districts, ranked, year by year",
        "description": "Every district-level fact of one province (any spelling of its name, accents "
                       "optional: Hải Dương, Hai Duong, HCM), best rank first within each year and "
                       "index. Rejected facts are left out.",
        "sql": f"""select f.year, f."index", f.rank, f.rank_total, f.unit, f.score, f.rank_change,
  f.status, a.site, f.id as fact_id
from facts f join articles a on a.id = f.article_id
where province_key(f.province) = province_key(:province) and f.level = 'district'
  and (:index = '' or f."index" = :index) and {_NOT_REJECTED}
order by f.year desc, f."index", f.rank is null, f.rank, f.score desc, f.unit""",
    },
    "unit_history": {
        "title": "One unit's history across years and indexes",
        "description": "Every fact about one unit (type word and accents optional: \"Kim Anh\", "
                       "\"xã Kim Anh\", \"TX Ky Anh\"), optionally within one province, by index and "
                       "year, with its source.",
        "sql": f"""select f."index", f.year, f.unit, f.level, f.province, f.rank, f.rank_total,
  f.rank_change, f.score, f.score_min, f.status, a.site, a.published, a.url, f.id as fact_id
from facts f join articles a on a.id = f.article_id
where unit_matches(f.unit_key, :unit)
  and (:province = '' or province_key(f.province) = province_key(:province)) and {_NOT_REJECTED}
order by f."index", f.year, a.published""",
    },
    "disagreeing_sources": {
        "title": "Facts whose sources disagree",
        "description": "Unit, index and year stated by several articles with different ranks, "
                       "group sizes or scores: the facts to check first.",
        "sql": f"""select f.year, f."index", f.level, min(f.unit) as unit, min(f.province) as province,
  count(distinct f.article_id) as articles,
  group_concat(distinct f.rank) as ranks, group_concat(distinct f.rank_total) as rank_totals,
  group_concat(distinct round(f.score, {FIELD["score"].decimals})) as scores, group_concat(distinct a.site) as sites,
  group_concat(f.id) as fact_ids
from facts f join articles a on a.id = f.article_id
where {_NOT_REJECTED}
group by f."index", f.level, f.unit_key, f.year
having count(distinct f.rank) > 1 or count(distinct f.rank_total) > 1
  or count(distinct round(f.score, {FIELD["score"].decimals})) > 1
order by f.year desc, f."index", f.level, unit""",
    },
    "review_backlog": {
        "title": "Review backlog by site",
        "description": "Pending facts per news site, the largest backlog first; review them at /-/review?site=…",
        "sql": """select coalesce(a.site, '(unknown)') as site, count(*) as pending,
  count(distinct f.article_id) as articles, min(f.created_at) as oldest, max(f.created_at) as newest
from facts f join articles a on a.id = f.article_id
where f.status = 'pending'
group by a.site
order by pending desc, site""",
    },
}

# The facts table: the catalogue's fields (model/catalogue.py) and the store's record of each.
RECORD_COLUMNS = {
    "id": "Stable id: the same statement in the same article text keeps its id across runs",
    "article_id": "The article the fact was read from",
    "extractor_version": "Version of the extraction that produced the fact",
    "status": "pending, accepted, corrected or rejected (by a reviewer)",
    "suggestion": "New values a later extraction found for an already reviewed fact",
    "reviewed_by": "The reviewer of the last decision",
    "reviewed_at": "When (UTC) the last decision was made",
    "created_at": "When (UTC) the fact was first stored",
    "updated_at": "When (UTC) the fact last changed",
}
FACT_COLUMNS = {**{field.name: field.meaning for field in FIELDS}, **RECORD_COLUMNS}


DESCRIPTION = ("Facts read from local news (unit, index, evaluated year, rank, score) with the "
               "sentence each came from, and the reviewers' decisions.")


def home_html(database: str) -> str:
    """The home page's description: what is here, and the questions people come with."""
    items = "".join(
        f'<li><a href="/{escape(database)}/{name}">{escape(query["title"])}</a>: '
        f'{escape(query["description"])}</li>' for name, query in QUERIES.items())
    return (f"<p>{escape(DESCRIPTION)} Review pending facts at <a href=\"/-/review\">/-/review</a>; "
            f'browse them in <a href="/{escape(database)}/facts">facts</a>.</p>'
            f'<h2 id="canned-queries">Questions people ask</h2><ul class="canned-queries">{items}</ul>')


def build(database: str, private: bool = False) -> dict:
    """Metadata for serving the database named `database` (the file's stem)."""
    metadata = {
        "title": "parindex: administrative-reform rankings from Vietnamese news",
        "description_html": home_html(database),
        "plugins": {PLUGIN: {"database": database, "private": private}},
        "databases": {database: {
            "title": "parindex database",
            "queries": QUERIES,
            "tables": {
                "facts": {
                    "title": "Facts",
                    "description": "One row per unit, index and evaluated year stated by one article. "
                                   "status tells whether a person has checked it.",
                    "facets": ["province", "year", "level", "index", "status", {"site": "article_id"}],
                    "sort_desc": "year",
                    "columns": FACT_COLUMNS,
                },
                "articles": {
                    "title": "Articles",
                    "description": "The main text of each news article (one row per distinct text). "
                                   "Search ignores diacritics: \"cai cach\" finds \"cải cách\".",
                    "label_column": "title",
                    "facets": ["site"],
                    "columns": {
                        "text_hash": "sha256 of the text: the same text from two URLs is one article",
                        "url": "The first page the text was found at",
                        "published": "The article's own publication date (ISO), null when not shown",
                        "site": "The news site",
                        "text": "Main text (menus, comments and related links removed)",
                        "text_folded": "The text without diacritics (đ as d), for search",
                    },
                },
                "pages": {
                    "title": "Fetched pages",
                    "description": "Every page the crawler fetched (body stored zlib-compressed) and "
                                   "what extraction made of it.",
                    "facets": ["source", "kind", "status"],
                    "columns": {
                        "url": "Canonical URL", "final_url": "URL after redirects",
                        "source": "Site name from sources.toml, or local",
                        "kind": "article, listing, feed, sitemap or local",
                        "relevant": "1 when the page is about administrative reform, 0 when not",
                        "article_id": "The article read from the page",
                        "extract_error": "Why extraction could not read the page",
                        "body": "The page as fetched, zlib-compressed: not served here (empty); "
                                "read it with `parindex query`",
                    },
                },
                "reviews": {
                    "title": "Review log",
                    "description": "Every reviewer decision, append-only: who, when, the fact before "
                                   "and after. An undo is a row of its own.",
                    "facets": ["action", "reviewer"],
                    "sort_desc": "id",
                    "columns": {
                        "action": "accept, reject, correct or undo",
                        "before": "The fact's values and status before the decision (JSON)",
                        "after": "The fact's values and status after the decision (JSON)",
                        "at": "When (UTC)",
                    },
                },
                "runs": {
                    "title": "Runs",
                    "description": "What each crawl and extraction did: counts and errors.",
                    "facets": ["kind", "status"],
                    "sort_desc": "started",
                },
                # Password hashes are nobody's business: hidden and closed to everyone.
                "reviewers": {"hidden": True, "allow": False},
                # Logins: who is logged in since when is not public either.
                "sessions": {"hidden": True, "allow": False},
            },
        }},
    }
    if private:
        metadata["allow"] = {"id": "*"}
    return metadata
