"""parindex: administrative-reform rankings from Vietnamese news, as reviewed facts."""
__version__ = "0.1.0"
