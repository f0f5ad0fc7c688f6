class ExtractError(ValueError):
    """An input that cannot be read as an article. The message is one line, fit for stderr."""
