"""Article extraction: a publisher's HTML page in, a clean article out (no Django)."""

from .article import extract_article
from .types import ExtractedArticle, ExtractionError, Figure, Image, NoArticleText

__all__ = [
    "ExtractedArticle",
    "ExtractionError",
    "Figure",
    "Image",
    "NoArticleText",
    "extract_article",
]
