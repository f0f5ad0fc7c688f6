"""The extractor's version, apart from the extractor itself: the pipeline compares it with what
each stored page was extracted by, without loading trafilatura, spaCy and underthesea."""

# Bump when rules or code change what is extracted: the pipeline re-extracts stored pages.
EXTRACTOR_VERSION = "0.4.7"
