"""`parindex sources add | check | list`: the sites of a sources file."""
import sys

import click

from parindex.commands.options import db_option, fail, format_option


def sources_option(func):
    return click.option("--sources", "sources_path", default=None, metavar="FILE",
                        help="Sources file (default: crawler/sources.toml).")(func)


@click.group()
def sources():
    """Add a news site, see how its URLs are read, list the sites with their last crawl."""


@sources.command()
@click.argument("url")
@sources_option
@click.option("--key", default=None, help="Name of the new [site.<name>] table (default: from the host).")
@click.option("--name", "display_name", default=None, help="The outlet's name (default: the home page's).")
@click.option("--province", default=None, help="For a provincial outlet or portal.")
@click.option("--kind", type=click.Choice(["national", "provincial", "portal", "aggregator", "local"]), default=None,
              help="What the site is, written into its table (left out when not given).")
@click.option("--contact", default=None, metavar="mailto:ADDRESS",
              help="For a new sources file: who site owners can write to.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting for the probe.")
def add(url, sources_path, key, display_name, province, kind, contact, overrides):
    """Look at the site at URL and add it to the sources file: no regular expression needed.

    \b
        parindex sources add https://baoxyz.vn/
        parindex sources add http://127.0.0.1:8000/ --sources my-sites.toml --contact mailto:me@example.org

    Reads the home page, robots.txt and the sitemaps it names, /sitemap.xml, the feeds the
    home page links to, and the sections and tags whose names speak of the indexes; prints
    what it found and appends a [site.<name>] table with them.
    """
    from pathlib import Path

    from parindex.commands.crawl import _settings
    from parindex.crawler import discover
    from parindex.crawler.probe import ProbeError, probe
    from parindex.crawler.run import CrawlSetupError
    from parindex.crawler.sources import DEFAULT_PATH, SourcesError, load_sources

    path = Path(sources_path) if sources_path else DEFAULT_PATH
    try:
        config = load_sources(path) if path.exists() else None
        if config is not None:
            serving = config.site_for(url)
            if serving is not None:
                fail("sources add", f"{path}: site {serving.key!r} already serves {url}")
            if key and key in config.sites:
                fail("sources add", f"{path}: there is a site named {key!r} already")
        user_agent = config.user_agent if config else f"parindex/0.1 (+{contact or discover.shipped_contact()})"
        found = probe(url, user_agent=user_agent, overrides=_settings("sources add", overrides))
    except (SourcesError, ProbeError, CrawlSetupError) as err:
        fail("sources add", err)
    key = key or discover.site_key(found["home"], set(config.sites) if config else ())
    found.update(name=display_name or found.get("name"), province=province, kind=kind)
    for line in report_lines(found):
        click.echo(line)
    table = discover.site_table(key, found)
    try:
        discover.append_site(path, key, table, contact=contact)
    except SourcesError as err:
        fail("sources add", err)
    click.echo(f"added [site.{key}] to {path}:")
    click.echo("    " + table.rstrip("\n").replace("\n", "\n    "))
    where = "" if path == DEFAULT_PATH else f" --sources {path}"
    click.echo(f"check a URL:  parindex sources check{where} URL")
    click.echo(f"crawl it:     parindex crawl{where} --site {key}")


def report_lines(found: dict) -> list[str]:
    lines = [f"{found['home']}: {found.get('name') or '(no name)'} (home page: HTTP {found.get('status')})"]
    named = found.get("robots") or []
    lines.append(f"  robots.txt names {len(named)} sitemap{'s' if len(named) != 1 else ''}")
    for url, how, kind, entries in found["sitemaps"]:
        lines.append(f"  sitemap  {url}  ({kind}, {entries} entries; {how})")
    if not found["sitemaps"]:
        lines.append("  no sitemap found")
    for url, title, items, _ in found["feeds"]:
        lines.append(f"  feed     {url}  ({items} items{'; ' + title if title else ''})")
    if not found["feeds"]:
        lines.append("  no feed found")
    for url, anchor, articles in found["sections"]:
        lines.append(f"  section  {url}  ({anchor or 'no link text'}; {articles} article links)")
    if not found["sections"]:
        lines.append("  no section or tag page about the indexes found: the crawl starts from the home page")
    return lines


@sources.command()
@click.argument("urls", nargs=-1)
@sources_option
@click.option("--base", default=None, metavar="URL",
              help="Origin that site-relative URLs in the sources file resolve against.")
@click.option("--file", "url_file", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Read the URLs from this file, one a line ('-': standard input).")
@format_option
def check(urls, sources_path, base, url_file, fmt):
    """Say for each URL which site serves it, whether the crawler reads it as an article, a
    listing or leaves it alone, and why. Offline: nothing is fetched.

    \b
        parindex sources check https://baotayninh.vn/kim-anh-dan-dau-a173904.html
        parindex sources check --file urls.txt --format jsonl

    JSON lines: url, site (null when no site of the sources file serves it), kind (article,
    listing or ignored), reason, and canonical (the article a print or AMP copy copies).
    """
    from parindex.crawler.check import check_url
    from parindex.crawler.sources import DEFAULT_PATH, SourcesError, load_sources
    from parindex.output import default_format, write_rows

    try:
        config = load_sources(sources_path or DEFAULT_PATH, base=base)
    except SourcesError as err:
        fail("sources check", err)
    lines = list(urls)
    if url_file:
        try:
            stream = sys.stdin if url_file == "-" else open(url_file, encoding="utf-8")
            with stream:
                lines += [line.strip() for line in stream]
        except (OSError, UnicodeDecodeError) as err:
            fail("sources check", f"{url_file}: cannot read: {getattr(err, 'strerror', None) or err}")
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        fail("sources check", "no URL given (pass URLs or --file FILE)")
    rows, bad = [], 0
    for line in lines:
        row = check_url(config, line)
        if row is None:
            bad += 1
            click.echo(f"parindex sources check: {line}: not an http(s) URL", err=True)
            continue
        rows.append(row)
    write_rows(rows, ["url", "site", "kind", "reason"], fmt or default_format())
    sys.exit(1 if bad else 0)


@sources.command(name="list")
@sources_option
@db_option(help="The database whose crawls are shown (left alone when missing).")
@format_option
def list_(sources_path, db_path, fmt):
    """The sites of the sources file, with what their last crawl did.

    \b
        parindex sources list --db parindex.db
    """
    from pathlib import Path

    from parindex import store
    from parindex.crawler.check import site_rows
    from parindex.crawler.sources import DEFAULT_PATH, SourcesError, load_sources
    from parindex.output import default_format, write_rows

    try:
        # Site-relative URLs (a local site served on a port chosen at each run) are only
        # counted here: any origin will do.
        config = load_sources(sources_path or DEFAULT_PATH, base="http://localhost")
    except SourcesError as err:
        fail("sources list", err)
    last, totals = {}, {}
    if db_path and Path(db_path).exists():
        try:
            db = store.connect(db_path, readonly=True)
            try:
                last, totals = store.runs.last_crawl_by_site(db), store.pages.site_totals(db)
            finally:
                db.close()
        except store.StoreError as err:
            fail("sources list", err)
    rows = site_rows(config, last, totals)
    write_rows(rows, ["site", "name", "kind", "start", "feeds", "sitemaps", "overrides", "last_run", "status",
                      "requests", "answered", "relevant", "irrelevant", "errors", "relevant_stored"],
               fmt or default_format())


COMMANDS = [sources]
