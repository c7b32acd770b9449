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


def test_yaml_particles_are_words_not_booleans(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "CONCEDE.yaml").write_text(
        "category: CONCEDE\nentries:\n  - {lemma: call, prep: [off], dobj: [strike]}\n"
    )
    lex = Lexicon.load(tmp_path)
    assert lex.triggers[0].prep == frozenset({"off"})
    doc = nlp("The union called off the strike on Friday.")
    assert lex.match(doc[2]) is not None


def test_non_word_values_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "X.yaml").write_text("category: CONSULT\nentries:\n  - {lemma: meet, prep: [1]}\n")
    with pytest.raises(LexiconError, match="non-word"):
        Lexicon.load(tmp_path)


def test_bundled_particles_match(nlp) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon.load()
    doc = nlp("Teachers in Accra called off their strike after the talks.")
    m = lex.match(doc[3])
    assert m is not None and m.trigger.category == "CONCEDE"
    doc = nlp("The minister hit back at critics in parliament.")
    m = lex.match(doc[2])
    assert m is not None and m.trigger.category == "ACCUSE"


def test_objects_look_through_containers_and_compounds(nlp) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon.load()
    doc = nlp("Aid workers handed over 300 kg of medicine to the clinic.")
    m = lex.match(doc[2])
    assert m is not None and m.trigger.category == "AID"
    doc = nlp("Chile lifted the state of emergency in the north.")
    m = lex.match(doc[1])
    assert m is not None and m.trigger.category == "CONCEDE"
    doc = nlp("Norway suspended aid deliveries to the region.")
    m = lex.match(doc[1])
    assert m is not None and m.trigger.category == "SANCTION"


def test_subject_conditions(nlp) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon.load()
    doc = nlp("The foreign minister arrived in Rabat on Monday.")
    m = lex.match(doc[3])
    assert m is not None and m.trigger.mode == "visit"
    doc = nlp("A first batch of peacekeeping troops arrived in Juba on Monday.")
    assert lex.match(doc[7]) is None


def test_modal_entries_need_a_demand_on_someone_else(nlp) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon.load()
    doc = nlp("Austria said Hungary must open the border.")
    m = lex.match(doc[1])
    assert m is not None and m.trigger.category == "REQUEST"
    doc = nlp("Austria said we must open the border.")
    assert lex.match(doc[1]) is None
    doc = nlp("Austria said Hungary will open the border.")
    assert lex.match(doc[1]) is None
