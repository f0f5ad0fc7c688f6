"""The crawler on sites in nine real CMS shapes (crawler/cmssites.py), each on its own port of
127.0.0.1, with no article or listing pattern: which pages it finds and stores, in which
order it fetches them, and `parindex sources add` writing a table that then crawls.
Every crawl runs in its own process, as users run it."""
import sqlite3
import subprocess

import pytest

from parindex.crawler.cmssites import SHAPES, CmsSites, key
from parindex.crawler.testsite import cli


def stored(db, site):
    """{path: row} of the pages the crawl stored for `site`."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {key(r["url"][len(site.base):]): dict(r) for r in conn.execute("SELECT * FROM pages")
            if r["url"].startswith(site.base + "/")}
    conn.close()
    return rows


def keys(paths):
    return {key(p) for p in paths}


def crawl(tmp, sources_text, name, *extra):
    sources = tmp / f"{name}.toml"
    sources.write_text(sources_text, encoding="utf-8")
    db = tmp / f"{name}.db"
    done = subprocess.run(cli("crawl", "--db", db, "--sources", sources, *extra), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return db, done


@pytest.fixture(scope="module")
def all_shapes(tmp_path_factory):
    """Every shape crawled once, from its home page alone."""
    tmp = tmp_path_factory.mktemp("cms")
    with CmsSites() as sites:
        text = sites.sources_text()
        assert "article" not in text and "listing" not in text
        db, done = crawl(tmp, text, "all")
        yield {"sites": sites, "db": db, "done": done}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_relevant_article_is_found_and_nothing_else_is_stored_as_an_article(all_shapes, shape):
    site = all_shapes["sites"][shape]
    rows = stored(all_shapes["db"], site)
    relevant = {path for path, row in rows.items() if row["kind"] == "article" and row["relevant"] == 1}
    assert relevant == keys(site.relevant)
    # No home, section, pagination, tag page or copy is stored as an article.
    articles = {path for path, row in rows.items() if row["kind"] == "article"}
    assert articles <= keys(site.relevant | site.irrelevant)
    assert {path for path, row in rows.items() if row["kind"] == "listing"} <= keys(site.listings)
    assert keys(site.listings) & set(rows) >= keys({"/"})


@pytest.mark.parametrize("shape", list(SHAPES))
def test_print_and_amp_copies_login_and_contact_pages_are_never_requested(all_shapes, shape):
    site = all_shapes["sites"][shape]
    asked = keys(site.fetched())
    assert not asked & keys(site.copies)
    assert not asked & keys({"/lien-he", "/dang-nhap", "/gioi-thieu"})


def test_a_section_whose_url_looks_like_an_article_is_read_as_a_listing(all_shapes):
    site = all_shapes["sites"]["idprefix"]
    rows = stored(all_shapes["db"], site)
    trap = rows[key("/pci-tinh-nl1187.html")]
    assert trap["kind"] == "listing"
    # Followed as a listing: the one article that only it links to was found.
    only_there = [a for a in site.articles if a.relevant and a.path.endswith(f"-a{170000 + 13}.html")]
    assert only_there and rows[key(only_there[0].path)]["relevant"] == 1


def test_an_article_whose_url_looks_like_a_section_is_stored_as_an_article(all_shapes):
    site = all_shapes["sites"]["monthfolder"]
    row = stored(all_shapes["db"], site)[key("/chinh-tri/ket-qua-cchc/")]
    assert row["kind"] == "article" and row["relevant"] == 1 and row["body"] is not None


def test_the_run_records_each_sites_figures(all_shapes):
    conn = sqlite3.connect(all_shapes["db"])
    import json

    counts = json.loads(conn.execute("SELECT counts FROM runs").fetchone()[0])
    conn.close()
    for site in all_shapes["sites"]:
        figures = counts["sites"][site.shape]
        assert figures["articles_relevant"] == len(site.relevant)
        assert figures["answered"] > 0 and figures["errors"] == {}


def article_order(site, paths):
    """The articles among the requests, in order: (relevant, headline speaks of the indexes)."""
    by_path = {key(a.path): a for a in site.articles}
    return [(by_path[key(p)].relevant, by_path[key(p)].focused) for p in paths if key(p) in by_path]


@pytest.mark.parametrize("shape", ["dnn", "wordpress", "ext"])
def test_articles_that_speak_of_the_indexes_are_fetched_before_the_others(tmp_path, shape):
    with CmsSites([shape]) as sites:
        site = sites[shape]
        crawl(tmp_path, sites.sources_text(), "focused", "--set", "CONCURRENT_REQUESTS=1")
        focused = article_order(site, site.fetched())
        site.requests.clear()
        crawl(tmp_path, sites.sources_text(), "unfocused", "--set", "CONCURRENT_REQUESTS=1",
              "--set", "PARINDEX_FOCUS=false")
        unfocused = article_order(site, site.fetched())
    # One request at a time: the articles whose links speak of the indexes come first (one
    # request may already be under way when a listing shows another one), and as many
    # articles as there are of them are all relevant.
    speaking = sum(1 for _, f in focused if f)
    assert speaking >= 4
    assert all(relevant for relevant, _ in focused[:speaking])
    assert max(i for i, (_, f) in enumerate(focused) if f) <= speaking
    # The same crawl in page order fetches some other article before them.
    first_other = next(i for i, (_, f) in enumerate(unfocused) if not f)
    assert first_other < max(i for i, (_, f) in enumerate(unfocused) if f)


def test_a_page_cap_is_spent_on_the_articles_about_the_indexes_first(tmp_path):
    with CmsSites(["dnn"]) as sites:
        site = sites["dnn"]
        # One request at a time, as a polite crawl of a remote site nearly is.
        db, _ = crawl(tmp_path, sites.sources_text() + "max_pages = 5\n", "capped", "--set", "CONCURRENT_REQUESTS=1")
        rows = stored(db, site)
    fetched = {p for p, r in rows.items() if r["kind"] == "article"}
    assert len(fetched) == 5
    assert all(rows[p]["relevant"] == 1 for p in fetched)


def test_a_listing_that_led_to_relevant_articles_is_read_first_on_the_next_run(tmp_path):
    # "Tin tổng hợp" (news) is a menu link, "Đời sống" (life) a link of the page's body: the
    # first run reads life first. News held a relevant article; life did not.
    with CmsSites(["dnn"]) as sites:
        site = sites["dnn"]
        news, life = key("/Default.aspx?tabid=177"), key("/Default.aspx?tabid=178")
        crawl(tmp_path, sites.sources_text(), "twice", "--set", "CONCURRENT_REQUESTS=1")
        first = [key(p) for p in site.fetched()]
        site.requests.clear()
        db, _ = crawl(tmp_path, sites.sources_text(), "twice", "--set", "CONCURRENT_REQUESTS=1")
        second = [key(p) for p in site.fetched()]
        rows = stored(db, site)
    assert first.index(life) < first.index(news)
    assert rows[news]["relevant"] == 1 and rows[life]["relevant"] is None
    assert second.index(news) < second.index(life)


def test_sources_add_writes_tables_that_then_crawl_every_relevant_article(tmp_path):
    sources = tmp_path / "mine.toml"
    with CmsSites() as sites:
        outputs = {}
        for site in sites:
            done = subprocess.run(cli("sources", "add", site.base + "/", "--sources", sources,
                                      "--contact", "mailto:test@example.org", "--key", site.shape),
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            outputs[site.shape] = done.stdout
        text = sources.read_text(encoding="utf-8")
        db = tmp_path / "added.db"
        done = subprocess.run(cli("crawl", "--db", db, "--sources", sources), capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        found = {site.shape: stored(db, site) for site in sites}
        expected = {site.shape: keys(site.relevant) for site in sites}
    assert "article =" not in text and "listing =" not in text
    # What each probe found: sitemaps where the site has one, feeds, the reform section.
    assert "/sitemap.xml  (urlset" in outputs["idprefix"] and "named in robots.txt" in outputs["liferay"]
    assert "/rss/home.rss" in outputs["monthfolder"] and "/feed/" in outputs["wordpress"]
    assert "/rss/cai-cach-hanh-chinh.rss" in outputs["ext"]
    assert "no sitemap found" in outputs["dnn"] and "no feed found" in outputs["dnn"]
    assert "section  " in outputs["dnn"] and "Default.aspx?tabid=175" in outputs["dnn"]
    assert "crawl it:     parindex crawl --sources" in outputs["dnn"]
    for shape, rows in found.items():
        relevant = {p for p, r in rows.items() if r["kind"] == "article" and r["relevant"] == 1}
        assert relevant == expected[shape], shape


def test_sources_add_refuses_a_site_already_there_and_a_site_that_does_not_answer(tmp_path):
    sources = tmp_path / "mine.toml"
    with CmsSites(["dnn"]) as sites:
        base = sites["dnn"].base
        first = subprocess.run(cli("sources", "add", base + "/", "--sources", sources), capture_output=True,
                               text=True, timeout=120)
        again = subprocess.run(cli("sources", "add", base + "/Default.aspx?tabid=175", "--sources", sources),
                               capture_output=True, text=True, timeout=120)
    before = sources.read_text(encoding="utf-8")
    gone = subprocess.run(cli("sources", "add", base + "/", "--sources", tmp_path / "other.toml",
                              "--set", "RETRY_TIMES=0"), capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 1
    assert again.stderr.strip() == f"parindex sources add: {sources}: site 'site-{base.rsplit(':', 1)[1]}' " \
                                   f"already serves {base}/Default.aspx?tabid=175"
    assert gone.returncode == 1 and len(gone.stderr.strip().splitlines()) == 1
    assert gone.stderr.startswith(f"parindex sources add: {base}/: the home page cannot be fetched: ")
    assert "Traceback" not in gone.stderr and not (tmp_path / "other.toml").exists()
    assert sources.read_text(encoding="utf-8") == before
