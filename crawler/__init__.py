"""Scrapy project that gathers news pages into the pages table."""
