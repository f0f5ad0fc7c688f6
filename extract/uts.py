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
    from underthesea.pipeline.word_tokenize import regex_tokenize

    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    return split_sentences, regex_tokenize


def sent_tokenize(text: str) -> list[str]:
    return _underthesea()[0](text)


def tokenize(text: str) -> list[str]:
    """underthesea's regex tokenizer (regex_tokenize.tokenize, its defaults): the same tokens.

    Its steps, called directly: the text's characters normalised, its combined pattern, each
    token normalised. Two of them cost more there than they need to: each match's text is taken
    by walking the match's named groups for the first one set, which is the whole match (each
    alternative of the pattern is one named group: tests/test_uts.py), and each token is
    normalised anew, where a token's normal form depends on the token alone (kept here)."""
    regex_tokenize = _underthesea()[1]
    text = regex_tokenize.normalize_characters_in_text(text)
    # (the module's pattern as it is now: underthesea recompiles it when given fixed words)
    return [_token_normalize(m.group(0)) for m in regex_tokenize.patterns.finditer(text)]


@functools.lru_cache(maxsize=1 << 16)
def _token_normalize(token: str) -> str:
    return _underthesea()[1].token_normalize(token)


__all__ = ["sent_tokenize", "tokenize"]
