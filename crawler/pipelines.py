"""Items -> the pages table, one transaction per page (so a kill loses at most the page in hand)."""
import store


class StorePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item, spider=None):
        spider = self.crawler.spider
        store.pages.save_page(spider.db, item["url"], final_url=item["final_url"], source=item["source"],
                              kind=item["kind"], status=item["status"], content_type=item["content_type"],
                              body=item["body"], etag=item["etag"], last_modified=item["last_modified"],
                              relevant=item["relevant"], error=item["error"])
        self.crawler.stats.inc_value("parindex/pages_stored")
        return item
