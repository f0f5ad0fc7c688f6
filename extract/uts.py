"""underthesea's sentence splitter and tokenizer, imported without its side effect.

Importing underthesea calls logging.basicConfig(), which gives the root logger a handler in
the host program (a crawl would then print every library's debug lines). The root logger is
put back as it was.
"""
import logging

_root = logging.getLogger()
_handlers = list(_root.handlers)
from underthesea import sent_tokenize  # noqa: E402
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize  # noqa: E402

for _handler in list(_root.handlers):
    if _handler not in _handlers:
        _root.removeHandler(_handler)

__all__ = ["sent_tokenize", "tokenize"]
