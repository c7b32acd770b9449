"""End to end over the seed articles, the PLOVER gold-standard sentences and the Guardian sample.

Score floors are the acceptance criteria of the coder issues; the numbers measured at the time of
writing are in the README. The corpora are read from ../shared at run time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanderling.evaluate import load_gold, score
from sanderling.ingest import iter_inputs
from sanderling.run import code_all
from sanderling.types import Article, EventRecord
from tests.conftest import shared_path


def _articles(*paths: Path) -> list[Article]:
    return [a for a in iter_inputs([str(p) for p in paths]) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def seeds(coder) -> tuple[list[Article], list[EventRecord]]:  # type: ignore[no-untyped-def]
    arts = _articles(shared_path("seeds"))
    return arts, code_all(coder, arts)


@pytest.fixture(scope="module")
def gsr(coder) -> tuple[list[Article], list[EventRecord]]:  # type: ignore[no-untyped-def]
    arts = _articles(shared_path("gold", "plover_gsr.docs.jsonl"))
    return arts, code_all(coder, arts)


def check_offsets(articles: list[Article], records: list[EventRecord]) -> int:
    # The GSR docs file repeats one id (PLOVER-GSR01-COERCE-0004) for two sentences, so an id can
    # name several articles; the record must fit one of them.
    by_id: dict[str, list[str]] = {}
    for a in articles:
        by_id.setdefault(a.id, []).append(a.text)
    n = 0
    for r in records:
        fits = [
            t for t in by_id[r.doc_id] if t[r.text_info["start"] : r.text_info["end"]] == r.text
        ]
        assert fits, r.id
        text = fits[0]
        for e in (*r.actor, *r.recipient):
            assert text[e.start : e.end] == e.entity_text, (r.id, e)
            assert e.entity_text.strip() == e.entity_text and e.entity_text
            n += 1
        s, e2 = r.event_span
        assert r.text_info["start"] <= s < e2 <= r.text_info["end"], r.id
        if r.date_text:
            assert r.date_text in text
    return n


def test_seed_scores(seeds) -> None:  # type: ignore[no-untyped-def]
    _, records = seeds
    report = score(load_gold(shared_path("gold", "seeds.gold.jsonl")), records)
    # Issue 3's acceptance (issue 2 asked for 0.80 / 0.70); measured 1.00 / 0.87.
    assert report.recall >= 0.90, report.to_dict()
    assert report.precision >= 0.80, report.to_dict()
    # Issue 4: actor and recipient codes right where the category is found (measured 1.00).
    assert report.actor_accuracy >= 0.95, report.to_dict()


def test_seed_offsets(seeds) -> None:  # type: ignore[no-untyped-def]
    articles, records = seeds
    assert check_offsets(articles, records) > 20


def test_seed_consults_are_phone_calls_with_gold_dates(seeds) -> None:  # type: ignore[no-untyped-def]
    """Every gold phone CONSULT has a predicted phone CONSULT on the same parties and gold date."""
    _, records = seeds
    gold = [
        g
        for g in map(json.loads, shared_path("gold", "seeds.gold.jsonl").read_text().splitlines())
        if g["event"] == "CONSULT" and "phone" in g["mode"] and g["confidence"] == "sure"
    ]
    assert len(gold) == 5
    for g in gold:
        parties = {a["code"] for a in g["actor"]}
        found = [
            r
            for r in records
            if r.doc_id == g["doc"]
            and r.event == "CONSULT"
            and "phone" in r.mode
            and {e.code for e in r.actor + r.recipient} == parties
            and (g["date"] is None or r.date == g["date"])
        ]
        assert found, g["quote"]


def test_seed_contexts(seeds) -> None:  # type: ignore[no-untyped-def]
    _, records = seeds
    health = [r for r in records if "health" in r.context and "diplomatic" in r.context]
    assert len(health) >= 0.8 * len(records)


def test_gsr_scores(gsr) -> None:  # type: ignore[no-untyped-def]
    _, records = gsr
    report = score(load_gold(shared_path("gold", "plover_gsr.gold.jsonl")), records)
    # Issue 3's acceptance: category recall 0.85, full-match recall 0.75.
    # Measured 0.866 / 0.820 (precision 0.810).
    assert report.category_recall >= 0.85, report.to_dict()
    assert report.recall >= 0.75, report.to_dict()
    assert report.precision >= 0.74, report.to_dict()


def test_gsr_actor_accuracy(gsr) -> None:  # type: ignore[no-untyped-def]
    # Issue 4: of the gold events whose category is found, the share whose actor and recipient
    # codes match; the issue asks 0.90. Measured 0.946 (264 of 279).
    _, records = gsr
    report = score(load_gold(shared_path("gold", "plover_gsr.gold.jsonl")), records)
    assert report.actor_accuracy >= 0.90, report.to_dict()


def test_gsr_offsets(gsr) -> None:  # type: ignore[no-untyped-def]
    articles, records = gsr
    assert check_offsets(articles, records) > 100


@pytest.mark.slow
def test_guardian_offsets(coder) -> None:  # type: ignore[no-untyped-def]
    arts = _articles(shared_path("corpora", "guardian_sample.csv"))
    assert len(arts) == 249
    records = code_all(coder, arts)
    assert len(records) > 500
    check_offsets(arts, records)
