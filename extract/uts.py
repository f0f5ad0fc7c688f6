"""underthesea's sentence splitter and tokenizer, loaded on first use, without its side effect.

Importing underthesea calls logging.basicConfig(), which gives the root logger a handler in
the host program (a crawl would then print every library's debug lines). The root logger is
put back as it was. It is imported when a sentence is first split (0.2-0.5 s): a command that
reads no article text does without it.
"""
import functools
import logging


@functools.lru_cache(maxsize=1)
def _underthesea():
    root = logging.getLogger()
    handlers = list(root.handlers)
    from underthesea import sent_tokenize as split_sentences
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize as split_tokens

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    return split_sentences, split_tokens


def sent_tokenize(text: str) -> list[str]:
    return _underthesea()[0](text)


def tokenize(text: str) -> list[str]:
    return _underthesea()[1](text)


__all__ = ["sent_tokenize", "tokenize"]
