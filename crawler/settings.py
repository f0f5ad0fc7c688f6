"""Scrapy settings of the parindex crawler: polite by default.

`parindex crawl` builds on these (crawler/run.py); `scrapy crawl news` inside crawler/ reads
them through scrapy.cfg. PARINDEX_* settings are ours: the database, the sources file, the
sites to crawl, the origin of site-relative URLs.
"""
BOT_NAME = "parindex"
SPIDER_MODULES = ["parindex.crawler.spiders"]
NEWSPIDER_MODULE = "parindex.crawler.spiders"

PARINDEX_DB = "parindex.db"
PARINDEX_SOURCES = None          # None: crawler/sources.toml
PARINDEX_SITES = []              # empty: every site in the file
PARINDEX_BASE = None
PARINDEX_IDLE_CLOSE = 0          # seconds a shared (redis) queue must stay empty before we stop

# The contact address from the sources file is appended by crawler/run.py and the spider.
USER_AGENT = "parindex/0.1"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# A news article is tens of kilobytes; megabytes are a file dump or a trap.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
# Stored pages are the cache: Scrapy's own HTTP cache would keep a second copy.
HTTPCACHE_ENABLED = False

LOG_FORMATTER = "parindex.crawler.pipelines.PageLogFormatter"
ITEM_PIPELINES = {"parindex.crawler.pipelines.StorePipeline": 300}
# Before robots.txt (100): a request over its site's page cap is not even checked.
DOWNLOADER_MIDDLEWARES = {"parindex.crawler.caps.PageCap": 50}
EXTENSIONS = {
    "parindex.crawler.extensions.RunRecorder": 500,
    "parindex.crawler.extensions.IdleClose": 510,
    "parindex.crawler.extensions.Progress": 520,
    "parindex.crawler.crawldelay.CrawlDelay": 530,
}
PARINDEX_CRAWL_DELAY = True      # honour robots.txt Crawl-delay (crawler/crawldelay.py)
PARINDEX_CRAWL_DELAY_MAX = 60.0  # seconds: a longer Crawl-delay is held to this
PARINDEX_FOCUS = True            # fetch first what speaks of the indexes (crawler/focus.py)
PARINDEX_PROGRESS = False        # the CLI turns it on: progress on stderr while crawling
PARINDEX_PROGRESS_EVERY = 10.0
PARINDEX_PROGRESS_LABEL = "parindex crawl"  # what the progress lines start with

# For a site served from this machine (the bundled corpus, the test site): the delays
# exist to spare remote servers, so they go; robots.txt (its Crawl-delay too: the site
# asked for it) and the size and time limits stay.
LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "CONCURRENT_REQUESTS": 16,
}


def redis_settings(url: str, idle_close: int = 30) -> dict:
    """Share the request queue and the duplicate filter between processes through Redis."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": url,
        # Not persisted: the last process to go idle clears the queue and the seen-set, so
        # the next scheduled crawl fetches listings and feeds again.
        "SCHEDULER_PERSIST": False,
        "PARINDEX_IDLE_CLOSE": idle_close,
    }
