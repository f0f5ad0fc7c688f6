"""The sources file: the shipped list is well formed, and a broken file is refused with one
line that names the file, the site and the key."""
import re
from urllib.parse import urlsplit

import pytest

from parindex.crawler.sources import DEFAULT_PATH, SourcesError, load_sources, parse_sources

CRAWLER = '[crawler]\ncontact = "mailto:me@example.org"\n'
GOOD_SITE = """
[site.baotayninh]
name = "Báo Tây Ninh"
province = "Tây Ninh"
start = ["https://baotayninh.vn/thoi-su-chinh-tri/cai_cach_hanh_chinh/"]
article = ['^https://baotayninh\\.vn/[^/]+-a\\d+\\.html$']
"""


def load_text(tmp_path, text, base=None):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return load_sources(path, base=base)


def test_the_shipped_file_has_at_least_30_real_sites_each_well_formed():
    config = load_sources(DEFAULT_PATH)
    assert len(config.sites) >= 30
    for site in config.sites.values():
        assert site.name, site.key
        for url in site.start + site.sitemaps + site.feeds:
            parts = urlsplit(url)
            assert parts.scheme == "https" and "." in parts.hostname, (site.key, url)
            assert parts.hostname in site.domains, (site.key, url)
    provincial = [s for s in config.sites.values() if s.kind == "provincial"]
    portals = [s for s in config.sites.values() if s.kind == "portal"]
    assert len(provincial) >= 30 and all(s.province for s in provincial)
    assert len(portals) >= 5 and any(".gov.vn" in d for s in portals for d in s.domains)


def test_every_shipped_site_has_its_own_hosts():
    config = load_sources(DEFAULT_PATH)
    owners = {}
    for site in config.sites.values():
        for url in site.start:
            owners.setdefault(urlsplit(url).hostname, set()).add(site.key)
    assert {host: keys for host, keys in owners.items() if len(keys) > 1} == {}


def test_the_user_agent_carries_the_contact_address():
    config = load_sources(DEFAULT_PATH)
    assert config.user_agent.startswith("parindex/") and "mailto:" in config.user_agent


def test_shipped_sites_need_no_pattern_and_patterns_are_overrides():
    config = load_sources(DEFAULT_PATH)
    # One site of the shipped file declares a pattern: a Drupal node that is a list.
    assert [s.key for s in config.sites.values() if s.article or s.listing or s.ignore] == ["sonoivu-bacgiang"]
    site = config.sites["sonoivu-bacgiang"]
    assert site.is_listing("https://sonoivu.bacgiang.gov.vn/node/195660?page=2")
    mobile = config.sites["baophapluat"].variants[0]
    assert mobile.match.sub(mobile.replace, "https://m.baophapluat.vn/a-post1.html") == \
        "https://baophapluat.vn/a-post1.html"


def test_select_picks_sites_by_name_and_refuses_unknown_names(tmp_path):
    config = load_text(tmp_path, CRAWLER + GOOD_SITE)
    assert [s.key for s in config.select(["baotayninh"])] == ["baotayninh"]
    assert [s.key for s in config.select([])] == ["baotayninh"]
    with pytest.raises(SourcesError, match="no site named 'baotaynihn'"):
        config.select(["baotaynihn"])


def test_site_relative_urls_resolve_against_the_base_and_key_pages_by_site(tmp_path):
    text = CRAWLER + '[site.local]\nname = "L"\nstart = ["/"]\nfeeds = ["/rss.xml"]\narticle = [\'/tin/\']\n'
    site = load_text(tmp_path, text, base="http://127.0.0.1:8123").sites["local"]
    assert site.start == ("http://127.0.0.1:8123/",) and site.feeds == ("http://127.0.0.1:8123/rss.xml",)
    assert site.domains == ("127.0.0.1",)
    # Served on another port next time, the same page is the same row.
    assert site.page_key("http://127.0.0.1:8123/tin/a.html") == "http://local.local/tin/a.html"
    with pytest.raises(SourcesError, match=r"site 'local': start: '/' is relative and no base URL"):
        load_text(tmp_path, text)


def test_the_bundled_corpus_sources_load_with_a_base(repo):
    config = load_sources(repo / "corpus" / "sources.toml", base="http://127.0.0.1:9")
    site = config.sites["corpus"]
    assert site.is_article("http://127.0.0.1:9/cai-cach-hanh-chinh/d001.html")
    assert site.is_listing("http://127.0.0.1:9/cai-cach-hanh-chinh/trang-2/")
    assert not site.is_article("http://127.0.0.1:9/cai-cach-hanh-chinh/trang-2/")


BROKEN = [
    # (what is wrong, the TOML, the message expected)
    ("not TOML at all", "[site.x\nname = ", r"sources\.toml: not valid TOML: "),
    ("no contact", GOOD_SITE, r"\[crawler\]: contact: missing"),
    ("no sites", CRAWLER, r"no \[site\.<name>\] tables"),
    ("a typo in a key", CRAWLER + GOOD_SITE + "startt = []\n", r"site 'baotayninh': startt: unknown key"),
    ("no name", CRAWLER + GOOD_SITE.replace('name = "Báo Tây Ninh"\n', ""), r"site 'baotayninh': name: missing"),
    ("nothing to start from", CRAWLER + GOOD_SITE.replace("start = ", "feeds = []\n#"),
     r"site 'baotayninh': start: at least one of start, sitemaps, feeds"),
    ("a bad regex", CRAWLER + GOOD_SITE.replace(r"-a\d+", r"-a(\d+"),
     r"site 'baotayninh': article: bad regular expression"),
    ("a bad ignore pattern", CRAWLER + GOOD_SITE + "ignore = ['[']\n",
     r"site 'baotayninh': ignore: bad regular expression '\[': "),
    ("a start page that is not a URL", CRAWLER + GOOD_SITE.replace("https://baotayninh.vn/thoi", "ftp://x/thoi"),
     r"site 'baotayninh': start: 'ftp://x/thoi.*' is not an http\(s\) URL"),
    ("a string where a list belongs", CRAWLER + GOOD_SITE + "sitemaps = 3\n",
     r"site 'baotayninh': sitemaps: must be a list of strings"),
    ("a negative page cap", CRAWLER + GOOD_SITE + "max_pages = -5\n",
     r"site 'baotayninh': max_pages: must be a whole number >= 1"),
    ("a listing cap of zero", CRAWLER + GOOD_SITE + "max_listing_pages = 0\n",
     r"site 'baotayninh': max_listing_pages: must be a whole number >= 1, not 0"),
    ("a listing depth that is not a number", CRAWLER + GOOD_SITE + 'max_listing_depth = "deep"\n',
     r"site 'baotayninh': max_listing_depth: must be a whole number >= 0, not 'deep'"),
    ("a half variant", CRAWLER + GOOD_SITE + "variants = [{ match = '/amp/' }]\n",
     r"site 'baotayninh': variants\[0\]: must be"),
    ("a flag that is not a boolean", CRAWLER + GOOD_SITE + 'robots_sitemaps = "yes"\n',
     r"site 'baotayninh': robots_sitemaps: must be true or false"),
    ("an unknown kind", CRAWLER + GOOD_SITE + 'kind = "blog"\n', r"site 'baotayninh': kind: 'blog' is not one of"),
    ("a capitalised site name", CRAWLER + GOOD_SITE.replace("[site.baotayninh]", "[site.BaoTayNinh]"),
     r"site 'BaoTayNinh': the name must be lower-case"),
]


@pytest.mark.parametrize("problem,text,message", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_gets_one_line_naming_the_site_and_the_key(tmp_path, problem, text, message):
    with pytest.raises(SourcesError) as caught:
        load_text(tmp_path, text)
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith(str(tmp_path / "sources.toml"))
    assert re.search(message, line), line


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SourcesError, match=r"nope\.toml: no such sources file"):
        load_sources(tmp_path / "nope.toml")


def test_a_file_in_another_encoding_is_refused_cleanly(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_bytes((CRAWLER + GOOD_SITE).encode("utf-16"))
    with pytest.raises(SourcesError, match="sources.toml: "):
        load_sources(path)


def test_parse_sources_takes_data_already_read():
    config = parse_sources({"crawler": {"contact": "mailto:a@b.c"},
                            "site": {"x": {"name": "X", "start": ["https://x.vn/"], "article": ["/a"]}}})
    assert config.sites["x"].domains == ("x.vn",)


def test_a_site_serves_its_own_hosts_and_ports(tmp_path):
    text = CRAWLER + GOOD_SITE + 'domains = ["m.baotayninh.vn"]\n' + \
        '[site.a]\nname = "A"\nstart = ["http://127.0.0.1:8001/"]\n[site.b]\nname = "B"\nstart = ["http://127.0.0.1:8002/"]\n'
    config = load_text(tmp_path, text)
    for url in ("https://baotayninh.vn/x-a1.html", "http://www.baotayninh.vn/", "https://m.baotayninh.vn/y"):
        assert config.site_for(url).key == "baotayninh", url
    # Local sites share a host: the port tells them apart.
    assert config.site_for("http://127.0.0.1:8002/tin-a1.html").key == "b"
    assert config.site_for("http://127.0.0.1:8003/") is None
    assert config.site_for("https://news.baotayninh.vn/") is None


def test_every_host_of_the_real_result_pages_is_a_shipped_site(shared):
    config = load_sources(DEFAULT_PATH)
    urls = [line.split("\t")[1].strip() for line in (shared / "crawl" / "real-urls.tsv").read_text().splitlines()
            if line and not line.startswith("#")]
    assert len(urls) > 80
    assert [u for u in urls if config.site_for(u) is None] == []
