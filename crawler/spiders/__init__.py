"""The spiders: `news` crawls the configured sites, `probe` looks at one site for `sources add`."""
import scrapy


class SeededSpider(scrapy.Spider):
    """A spider whose first requests come from seed_requests(), under Scrapy 2.13's start() and
    the start_requests() of earlier releases alike."""

    async def start(self):
        for request in self.seed_requests():
            yield request

    def start_requests(self):  # Scrapy < 2.13
        yield from self.seed_requests()

    def seed_requests(self):
        raise NotImplementedError
