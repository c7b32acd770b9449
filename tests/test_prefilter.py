"""The candidate-sentence prefilter: what it keeps, its offsets, and that coding is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanderling.lexicon import default_lexicon
from sanderling.pipeline import Coder, CoderConfig
from sanderling.prefilter import (
    CandidateFilter,
    inflections,
    irregular_forms,
    load_abbreviations,
    split_sentences,
)
from sanderling.textnorm import normalise
from sanderling.types import Article

ARTICLE = (
    "The weather in the capital was mild on Tuesday. Markets were calm.\n\n"
    "Indonesian President Joko Widodo met Malaysian Prime Minister Anwar Ibrahim in Jakarta on "
    "Tuesday. Crowds gathered near the palace. Mr. Widodo later accused smugglers of "
    "undermining the border, and the U.S. ambassador held talks with him.\n\n"
    "Traffic was heavy in the evening."
)


@pytest.fixture(scope="module")
def cfilter(nlp) -> CandidateFilter:  # type: ignore[no-untyped-def]
    return CandidateFilter.from_pipeline(default_lexicon(), nlp)


def test_inflections_cover_regular_and_irregular_forms(nlp) -> None:  # type: ignore[no-untyped-def]
    irregular = irregular_forms(nlp)
    assert {"meets", "meeting", "met"} <= inflections("meet", irregular)
    assert {"accused", "accusing", "accuses"} <= inflections("accuse", irregular)
    assert {"stopped", "stopping"} <= inflections("stop", irregular)
    assert {"fought"} <= inflections("fight", irregular)
    assert {"threw", "thrown"} <= inflections("throw", irregular)


def test_splitter_does_not_cut_at_abbreviations() -> None:
    text = "Mr. Xi met U.S. officials on Jan. 5 in Washington. They talked. Then (quote) ended."
    spans = list(split_sentences(text, load_abbreviations()))
    assert [text[s:e] for s, e in spans] == [
        "Mr. Xi met U.S. officials on Jan. 5 in Washington.",
        "They talked.",
        "Then (quote) ended.",
    ]


def test_light_verbs_need_their_object(cfilter: CandidateFilter) -> None:
    assert cfilter.is_candidate("The two ministers held talks in Geneva.")
    assert not cfilter.is_candidate("The ministers held umbrellas in Geneva.")
    assert not cfilter.is_candidate("The weather in the capital was mild on Tuesday.")
    assert cfilter.is_candidate("Rebels attacked a convoy.")


def test_entries_need_their_modal_and_hyphenated_objects(cfilter: CandidateFilter) -> None:
    # "said X must ..." is a demand; a plain "said" is never an event
    assert not cfilter.is_candidate("The spokesman said the weather in the capital was fine.")
    assert cfilter.is_candidate("The spokesman said the capital must stay calm.")
    assert cfilter.is_candidate("The spokesman said the capital mustn't stay calm.")
    assert cfilter.is_candidate("Villagers staged a sit-in outside the office.")


def test_selection_keeps_candidates_with_exact_offsets(cfilter: CandidateFilter) -> None:
    norm = normalise(ARTICLE)
    sel = cfilter.select(norm)
    assert sel.sentences == 6 and sel.kept_sentences == 2
    assert "Joko Widodo met" in sel.kept.text and "held talks" in sel.kept.text
    assert "weather" not in sel.kept.text and "Traffic" not in sel.kept.text
    for word in ("met", "accused", "talks", "Widodo"):
        i = sel.kept.text.index(word)
        s, e = sel.kept.to_original(i, i + len(word))
        assert ARTICLE[s:e] == word
    # skipped sentences are replayed in reading order: before the first kept piece, or after
    skipped = [(norm.text[s:e], before) for s, e, before in sel.skipped]
    assert [t for t, _ in skipped][:2] == [
        "The weather in the capital was mild on Tuesday.",
        "Markets were calm.",
    ]
    assert skipped[0][1] == 0 and skipped[-1][1] > len(sel.kept.text)


def test_coding_with_and_without_prefilter_agrees(coder: Coder, nlp) -> None:  # type: ignore[no-untyped-def]
    full = Coder(CoderConfig(prefilter=False, coded_date=dt.date(2026, 1, 1)), nlp=nlp)
    art = Article(id="pf", text=ARTICLE, date=dt.date(2024, 3, 5))
    a, b = coder.code_article(art), full.code_article(art)
    assert [(r.event, r.event_span) for r in a] == [(r.event, r.event_span) for r in b]
    assert [[e.code for e in r.actor] for r in a] == [[e.code for e in r.actor] for r in b]
    assert {r.event for r in a} >= {"CONSULT", "ACCUSE"}
    for r in a:  # offsets index the article as ingested
        assert ARTICLE[r.text_info["start"] : r.text_info["end"]] == r.text
        for ent in (*r.actor, *r.recipient):
            assert ARTICLE[ent.start : ent.end] == ent.entity_text
    # "Mr. Widodo" in the kept sentence resolves through the earlier (kept) full name
    accuse = next(r for r in a if r.event == "ACCUSE")
    assert accuse.actor[0].code == "IDN"


WORDS = st.sampled_from(
    ["The", "army", "met", "rebels", "in", "Goma", "Mr.", "U.S.", "talks", "calm", "rain", "on"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=1, max_size=8), min_size=1, max_size=6), st.data())
def test_offsets_map_back_for_any_text(
    cfilter: CandidateFilter, sentences: list[list[str]], data: st.DataObject
) -> None:
    seps = [data.draw(st.sampled_from([" ", "  ", "\n", "\n\n \n"])) for _ in sentences]
    text = "".join(" ".join(words) + "." + sep for words, sep in zip(sentences, seps, strict=True))
    sel = cfilter.select(normalise(text))
    kept = sel.kept.text
    for start in range(len(kept)):
        if kept[start].isspace():
            continue
        s, e = sel.kept.to_original(start, start + 1)
        assert text[s:e] == kept[start]
