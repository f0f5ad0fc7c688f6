"""`parindex sources check` and `parindex sources list`: how the crawler reads a URL, offline,
held against real page URLs of the sites that publish the results (../shared/crawl/real-urls.tsv),
and what each site's last crawl did."""
import json
import subprocess

import pytest

from parindex.crawler.testsite import TestSite, cli

# What each label of real-urls.tsv must be read as (an "other" page: anything but an article).
EXPECTED = {"article": "article", "listing": "listing", "print": "ignored", "amp": "ignored", "other": None}


@pytest.fixture(scope="module")
def real(shared, tmp_path_factory):
    """`sources check --file --format jsonl` over every URL of real-urls.tsv, with the shipped sources."""
    rows = [line.split("\t") for line in (shared / "crawl" / "real-urls.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    labels = {url.strip(): label for label, url in rows}
    urls = tmp_path_factory.mktemp("check") / "urls.txt"
    urls.write_text("\n".join(labels) + "\n", encoding="utf-8")
    done = subprocess.run(cli("sources", "check", "--file", urls, "--format", "jsonl"), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    checked = [json.loads(line) for line in done.stdout.splitlines()]
    return labels, checked


def test_every_real_url_is_answered_with_its_site_kind_and_reason(real):
    labels, checked = real
    assert [row["url"] for row in checked] == list(labels)
    for row in checked:
        assert set(row) >= {"url", "site", "kind", "reason"}
        assert row["site"], row            # every host of the file is a site of the shipped sources
        assert row["kind"] in ("article", "listing", "ignored") and row["reason"]


def test_at_least_95_percent_of_real_articles_are_read_as_articles(real):
    labels, checked = real
    articles = [row for row in checked if labels[row["url"]] == "article"]
    assert len(articles) >= 70
    read = [row for row in articles if row["kind"] == "article"]
    assert len(read) / len(articles) >= 0.95, [r["url"] for r in articles if r["kind"] != "article"]


def test_real_listings_copies_and_other_pages_are_not_read_as_articles(real):
    labels, checked = real
    for row in checked:
        expected = EXPECTED[labels[row["url"]]]
        if labels[row["url"]] != "article":
            assert row["kind"] != "article", row
        if expected and labels[row["url"]] != "article":
            assert row["kind"] == expected, row


def test_a_print_or_amp_copy_names_the_article_it_copies_when_its_url_tells(real):
    labels, checked = real
    copies = {row["url"]: row for row in checked if labels[row["url"]] in ("print", "amp")}
    amp = copies["https://m.baogialai.com.vn/gia-lai-dung-dau-khu-vuc-tay-nguyen-ve-chi-so-sipas-post274056.amp"]
    # The site folds its mobile host onto the main one; the AMP copy's article is an .html.
    assert amp["canonical"] == "https://baogialai.com.vn/gia-lai-dung-dau-khu-vuc-tay-nguyen-ve-chi-so-sipas-post274056.html"
    printed = copies["https://nvsk.vnanet.vn/print/infographics-papi-2023-thua-thien-hue-dat-diem-chi-so-cao-nhat-144407.vna"]
    assert printed["canonical"] == "https://nvsk.vnanet.vn/infographics-papi-2023-thua-thien-hue-dat-diem-chi-so-cao-nhat-144407.vna"
    assert printed["reason"] == f"a print copy of {printed['canonical']}"


def test_check_without_a_site_a_bad_line_and_a_table(tmp_path):
    done = subprocess.run(cli("sources", "check", "https://khong-co.example.vn/tin/ten-bai-dai-a123456.html",
                              "not a url", "https://baotayninh.vn/tag/chi-so-cai-cach-hanh-chinh-12.html"),
                          capture_output=True, text=True, timeout=60)
    # The bad line is named on stderr; the others are still answered; the exit status says so.
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["parindex sources check: not a url: not an http(s) URL"]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[0]["site"] is None and rows[0]["kind"] == "article"
    assert rows[1]["site"] == "baotayninh" and rows[1]["kind"] == "listing" and "tag" in rows[1]["reason"]
    # A table fits the terminal's width (COLUMNS): a wide one keeps every cell whole.
    import os
    table = subprocess.run(cli("sources", "check", "https://baotayninh.vn/kim-anh-dan-dau-a173904.html",
                               "--format", "table"), capture_output=True, text=True, timeout=60,
                           env={**os.environ, "COLUMNS": "160"})
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["url", "site", "kind", "reason"]
    assert "baotayninh  article  a headline ending in an id (-a173904)" in lines[2]


def test_check_reads_a_site_override_from_the_sources_file(tmp_path):
    sources = tmp_path / "s.toml"
    sources.write_text('[crawler]\ncontact = "mailto:a@b.c"\n[site.x]\nname = "X"\nstart = ["https://x.vn/"]\n'
                       "ignore = ['/tin-noi-bo/']\narticle = ['/chuyen-trang/[a-z-]+$']\n", encoding="utf-8")
    done = subprocess.run(cli("sources", "check", "--sources", sources, "https://x.vn/chuyen-trang/mot",
                              "https://x.vn/tin-noi-bo/ten-bai-rat-dai-mot-hai-ba-bon-a123456.html"),
                          capture_output=True, text=True, timeout=60)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert (rows[0]["kind"], rows[0]["reason"]) == ("article", "matches the article pattern of site 'x'")
    assert (rows[1]["kind"], rows[1]["reason"]) == ("ignored", "matches the ignore pattern of site 'x'")


def test_check_refuses_an_unreadable_file_and_no_url(tmp_path):
    missing = subprocess.run(cli("sources", "check", "--file", tmp_path / "nope.txt"), capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"parindex sources check: {tmp_path / 'nope.txt'}: cannot read: No such file or directory"
    nothing = subprocess.run(cli("sources", "check"), capture_output=True, text=True, timeout=60)
    assert nothing.returncode == 1 and "no URL given" in nothing.stderr


def test_list_shows_each_site_with_its_last_crawls_figures(tmp_path):
    db = tmp_path / "l.db"
    before = subprocess.run(cli("sources", "list", "--db", db, "--format", "jsonl"), capture_output=True, text=True,
                            timeout=60)
    assert before.returncode == 0 and not db.exists()        # a missing database is left alone
    shipped = [json.loads(line) for line in before.stdout.splitlines()]
    assert len(shipped) > 100 and all(row["last_run"] is None for row in shipped)
    with TestSite(articles=3) as site:
        sources = site.write_sources(tmp_path / "sources.toml")
        subprocess.run(cli("crawl", "--db", db, "--sources", sources, "--base", site.base,
                           "--set", "DOWNLOAD_TIMEOUT=0.5", "--set", "RETRY_TIMES=0"), capture_output=True, timeout=120)
    done = subprocess.run(cli("sources", "list", "--db", db, "--sources", sources, "--format", "jsonl"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert row["site"] == "testsite" and row["last_run"] == 1 and row["status"] == "ok"
    assert row["relevant"] == 9 and row["irrelevant"] == 1 and row["relevant_stored"] == 9
    assert row["overrides"] == "yes" and row["requests"] > 10 and "http_404 1" in row["errors"]
