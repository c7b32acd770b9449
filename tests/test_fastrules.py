"""The lookup attribute_ruler and the caching lemmatizer give exactly spaCy's annotations."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from spacy.language import Language

from sanderling.ingest import iter_inputs
from sanderling.nlp import UNUSED_COMPONENTS, load_pipeline
from sanderling.types import Article
from tests.conftest import shared_path

OWN = [
    "Y'all gonna see: there are three ministers who ain't leaving, let's go.",
    "The Kenyan police arrested 40 protesters in Nairobi on Monday, officials said.",
    "C'mon, he got ta sign it! \"We won't,\" she replied -- it's over.\n\n  Next paragraph.",
]


@pytest.fixture(scope="module")
def pair() -> tuple[Language, Language]:
    return (
        load_pipeline(exclude=UNUSED_COMPONENTS),
        load_pipeline(exclude=UNUSED_COMPONENTS, fast=True),
    )


def _same(pair: tuple[Language, Language], texts: Iterable[str]) -> int:
    spacy_nlp, fast_nlp = pair
    assert "sanderling_attribute_ruler" not in spacy_nlp.pipe_names
    n = 0
    for a, b in zip(spacy_nlp.pipe(texts), fast_nlp.pipe(texts), strict=True):
        for x, y in zip(a, b, strict=True):
            assert (x.pos_, str(x.morph), x.lemma_, x.tag_) == (
                y.pos_,
                str(y.morph),
                y.lemma_,
                y.tag_,
            ), x.text
            n += 1
    return n


def test_fast_ruler_is_installed(pair: tuple[Language, Language]) -> None:
    fast = pair[1]
    assert type(fast.get_pipe("attribute_ruler")).__name__ == "FastAttributeRuler"
    assert type(fast.get_pipe("lemmatizer")).__name__ == "FastLemmatizer"
    assert fast.pipe_names == pair[0].pipe_names


def test_identical_on_own_sentences(pair: tuple[Language, Language]) -> None:
    assert _same(pair, OWN) > 50


def test_identical_on_real_news(pair: tuple[Language, Language]) -> None:
    arts = iter_inputs([str(shared_path("corpora", "guardian_sample.csv"))])
    texts = [a.text for a in arts if isinstance(a, Article)][:25]
    assert _same(pair, texts) > 10_000


def test_lemmatizer_tables_stay_readable(pair: tuple[Language, Language]) -> None:
    # The prefilter reads irregular forms from the lemmatizer's tables ("met" -> meet).
    from sanderling.prefilter import irregular_forms

    assert irregular_forms(pair[1]) == irregular_forms(pair[0])
    assert "met" in irregular_forms(pair[1])["meet"]
