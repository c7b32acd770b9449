"""The trigger lexicon loads, validates and matches tokens by its conditions."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanderling.lexicon import Lexicon, LexiconError
from sanderling.ontology import load_ontology


def test_bundled_lexicon_covers_all_categories() -> None:
    lex = Lexicon.load()
    onto = load_ontology()
    assert {t.category for t in lex.triggers} == set(onto.categories)
    assert len(lex.triggers) > 250


def test_every_entry_has_the_ontology_score() -> None:
    onto = load_ontology()
    for t in Lexicon.load().triggers:
        assert t.score == onto.score(t.category, [t.mode] if t.mode else []), t.source


def test_scores_follow_the_manual_table() -> None:
    onto = load_ontology()
    assert onto.score("CONSULT", ["phone"]) == 1.5
    assert onto.score("ASSAULT", ["aerial"]) == -9.5
    assert onto.score("AID") == 10.0
    assert onto.quad("REQUEST") == 3 and onto.quad("COOPERATE") == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("category: NOPE\nentries: []\n", "not a PLOVER category"),
        ("category: CONSULT\nentries:\n  - {lemma: meet, mode: bogus}\n", "not a CONSULT mode"),
        ("category: CONSULT\nentries:\n  - {lemma: meet, colour: red}\n", "unknown keys"),
        ("category: CONSULT\nentries:\n  - {lemma: meet, dobj: []}\n", "empty"),
        ("category: CONSULT\nentries:\n  - {lemma: meet, weight: 3}\n", "weight"),
        ("category: CONSULT\nentries:\n  - {mode: phone}\n", "needs a lemma"),
    ],
)
def test_validation_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "X.yaml").write_text(body)
    with pytest.raises(LexiconError, match=message):
        Lexicon.load(tmp_path)


def test_most_specific_entry_wins(nlp) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon.load()
    doc = nlp("The two presidents held talks in Geneva.")
    m = lex.match(doc[3])
    assert m is not None and m.trigger.category == "CONSULT"
    assert [t.text for t in m.tokens] == ["held", "talks"]
    doc = nlp("Officials in Lima called on Chile to reopen the border.")
    m = lex.match(doc[3])
    assert m is not None and m.trigger.category == "REQUEST"


def test_conditions_must_hold(nlp) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon.load()
    doc = nlp("The committee held a dinner.")
    assert lex.match(doc[2]) is None
