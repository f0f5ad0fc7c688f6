"""store.pages: the crawler's and `extract --db`'s record of what was fetched."""
import hashlib
import zlib

import pytest

from parindex import store


@pytest.fixture
def db(tmp_path):
    return store.connect(tmp_path / "x.db")


def save(db, url="https://baohaiduong.vn/a-1.html", body=b"<html>1</html>", **fields):
    values = {"final_url": url, "source": "baohaiduong", "kind": "article", "status": 200,
              "content_type": "text/html; charset=utf-8", "body": body, **fields}
    return store.pages.save_page(db, url, **values)


def test_a_page_is_stored_compressed_with_its_hash_and_size(db):
    page_id = save(db, body=b"<p>Huy\xe1\xbb\x87n Kim Th\xc3\xa0nh</p>" * 100)
    row = db["pages"].get(page_id)
    raw = b"<p>Huy\xe1\xbb\x87n Kim Th\xc3\xa0nh</p>" * 100
    assert zlib.decompress(row["body"]) == raw and len(row["body"]) < len(raw)
    assert row["content_hash"] == hashlib.sha256(raw).hexdigest()
    assert row["size"] == len(raw)
    assert store.pages.body(db, page_id) == raw
    assert row["fetched_at"].endswith("Z")


def test_saving_the_same_url_again_updates_the_one_row(db):
    first = save(db, body=b"old")
    second = save(db, body=b"new", etag='"v2"')
    assert first == second and db["pages"].count == 1
    assert store.pages.body(db, first) == b"new"
    assert store.pages.validators(db, "https://baohaiduong.vn/a-1.html") == ('"v2"', None)


def test_a_fetch_without_body_keeps_the_body_stored_before(db):
    page_id = save(db, body=b"kept", etag='"e"', last_modified="Tue, 02 Apr 2024 08:00:00 GMT")
    save(db, body=None, status=304)
    assert store.pages.body(db, page_id) == b"kept"
    assert db["pages"].get(page_id)["status"] == 304


def test_known_urls_and_validators(db):
    assert not store.pages.is_known(db, "https://baohaiduong.vn/a-1.html")
    assert store.pages.validators(db, "https://baohaiduong.vn/a-1.html") == (None, None)
    save(db, etag='"abc"', last_modified="Tue, 02 Apr 2024 08:00:00 GMT")
    assert store.pages.is_known(db, "https://baohaiduong.vn/a-1.html")
    assert store.pages.validators(db, "https://baohaiduong.vn/a-1.html") == (
        '"abc"', "Tue, 02 Apr 2024 08:00:00 GMT")


def test_only_fetched_article_pages_not_yet_extracted_are_to_extract(db):
    article = save(db)
    save(db, url="https://baohaiduong.vn/chuyen-muc/", kind="listing")
    save(db, url="https://baohaiduong.vn/gone.html", status=404)
    save(db, url="https://baohaiduong.vn/sport.html", relevant=0)
    local = store.pages.save_page(db, "file:///c/a.html", final_url=None, source="local", kind="local",
                                  status=None, content_type="text/html", body=b"x")
    assert store.pages.pages_to_extract(db, "1") == [article, local]
    store.facts.save_failure(db, article, "no article text", "1")
    assert store.pages.pages_to_extract(db, "1") == [local]
    assert store.pages.pages_to_extract(db, "2") == [article, local], "a new extractor version redoes all"
    assert store.pages.pages_to_extract(db, "1", force=True) == [article, local]
    save(db, body=b"<html>changed</html>")
    assert store.pages.pages_to_extract(db, "1") == [article, local], "changed content is redone"
