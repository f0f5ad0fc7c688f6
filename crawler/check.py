"""`parindex sources check` and `sources list` as data: how the crawler reads a URL, and
what each site of a sources file did in its last crawl.

    check_url(config, "https://bao.vn/print/ten-bai-a1.html")
    -> {"url": ..., "site": "bao", "kind": "ignored", "reason": "a print copy",
        "canonical": "https://bao.vn/ten-bai-a1.html"}
"""
from urllib.parse import urlsplit

from parindex.crawler.classify import classify
from parindex.crawler.urls import canonical


def check_url(config, url: str) -> dict | None:
    """The site that serves `url` (None when none does), the kind the crawler reads it as,
    why, and for a copy the article it copies. None when `url` is not an http(s) URL.
    Offline: the URL alone is read, as the crawler reads a link before fetching it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    site = config.site_for(url)
    folded = canonical(url, site.variants if site else ())
    verdict = classify(folded, site=site)
    row = {"url": url.strip(), "site": site.key if site else None, "kind": verdict.kind,
           "reason": verdict.reason, "canonical": verdict.canonical}
    if folded != url.strip() and verdict.canonical is None and site and site.variants:
        row["canonical"] = folded     # a copy the site's variants fold onto its article
    if row["canonical"]:
        row["reason"] += f" of {row['canonical']}"
    return row


def _errors(errors: dict | None) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted((errors or {}).items()))


def site_rows(config, last: dict, totals: dict) -> list[dict]:
    """One row per site of the sources file: what it is, and its last crawl's figures
    (`last`: store.runs.last_crawl_by_site; `totals`: store.pages.site_totals)."""
    rows = []
    for site in config.sites.values():
        run = last.get(site.key) or {}
        total = totals.get(site.key) or {}
        rows.append({
            "site": site.key, "name": site.name, "kind": site.kind, "province": site.province,
            "start": len(site.start), "feeds": len(site.feeds), "sitemaps": len(site.sitemaps),
            "overrides": "yes" if (site.article or site.listing or site.ignore) else "",
            "last_run": run.get("run_id"), "started": run.get("started"), "status": run.get("status"),
            "requests": run.get("requests"), "answered": run.get("answered"),
            "relevant": run.get("articles_relevant"), "irrelevant": run.get("articles_irrelevant"),
            "errors": _errors(run.get("errors")) if run else None,
            "relevant_stored": total.get("relevant"),
        })
    return rows
