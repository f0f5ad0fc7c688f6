"""A `site` facet and filter for the facts table: the site lives on the article, one join away.

Datasette's column facets see only the table's own columns; this facet counts facts
by their article's site and `?_site=` keeps the facts of one site, with no view in the
schema.
"""
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import path_with_added_args, path_with_removed_args
from datasette.database import QueryInterrupted

PARAM = "_site"


class SiteFacet(Facet):
    type = "site"

    async def suggest(self):
        return []

    async def facet_results(self):
        if self.table != "facts" or not self.get_configs():
            return [], []
        size = self.get_facet_size()
        sql = (f"select a.site as value, count(*) as count from ({self.sql}) f "
               "join articles a on a.id = f.article_id where a.site is not null "
               f"group by a.site order by count desc, value limit {size + 1}")
        try:
            rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                         custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        except QueryInterrupted:
            return [], ["site"]
        chosen = self.request.args.getlist(PARAM)
        results = []
        for row in rows.rows[:size]:
            selected = row["value"] in chosen
            path = (path_with_removed_args(self.request, {PARAM: row["value"]}) if selected
                    else path_with_added_args(self.request, {PARAM: row["value"]}))
            results.append({"value": row["value"], "label": row["value"], "count": row["count"],
                            "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                            "selected": selected})
        return [{"name": "site", "type": self.type, "hideable": False,
                 "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {PARAM: None})),
                 "results": results, "truncated": len(rows) > size}], []


def site_filter(request, table) -> FilterArguments | None:
    """`?_site=NAME` on the facts table: the facts read from that site's articles."""
    sites = request.args.getlist(PARAM) if table == "facts" else []
    if not sites:
        return None
    names = {f"parindex_site_{i}": site for i, site in enumerate(sites)}
    placeholders = ", ".join(f":{name}" for name in names)
    return FilterArguments(
        [f"article_id in (select id from articles where site in ({placeholders}))"], params=names,
        human_descriptions=[f'site is "{site}"' for site in sites])
