"""Sanderling: news articles in, verifiable PLOVER event records out."""

from sanderling.types import Article, DateResolution, Entity, EventRecord, Skip

__version__ = "0.1.0"
CODER = f"sanderling-{__version__}"

__all__ = ["CODER", "Article", "DateResolution", "Entity", "EventRecord", "Skip", "__version__"]
