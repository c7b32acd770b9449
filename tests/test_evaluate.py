"""The gold matching rule of `sanderling evaluate`, case by case."""

from __future__ import annotations

import json
from pathlib import Path

from sanderling.evaluate import GoldEvent, Predicted, load_gold, matches, score
from sanderling.types import Entity, EventRecord


def gold(
    event: str, actors: set[str], recipients: set[str] = frozenset(), sure: bool = True
) -> GoldEvent:  # type: ignore[assignment]
    return GoldEvent("d", event, frozenset(actors), frozenset(recipients), sure, "", {})


def pred(event: str, actors: set[str], recipients: set[str] = frozenset()) -> Predicted:  # type: ignore[assignment]
    return Predicted("d", event, frozenset(actors), frozenset(recipients), "", 0.7)


def test_with_recipients_both_sides_must_overlap() -> None:
    g = gold("ACCUSE", {"CHN"}, {"USA"})
    assert matches(pred("ACCUSE", {"CHN"}, {"USA", "GBR"}), g)
    assert not matches(pred("ACCUSE", {"CHN"}), g)
    assert not matches(pred("ACCUSE", {"USA"}, {"CHN"}), g)
    assert not matches(pred("REJECT", {"CHN"}, {"USA"}), g)


def test_consult_matches_in_either_direction() -> None:
    g = gold("CONSULT", {"KOR"}, {"CHN"})
    assert matches(pred("CONSULT", {"CHN"}, {"KOR"}), g)


def test_without_recipients_parties_must_cover_and_stay_inside() -> None:
    g = gold("CONSULT", {"CHN", "USA"})
    assert matches(pred("CONSULT", {"CHN", "USA"}), g)
    assert matches(pred("CONSULT", {"CHN"}, {"USA"}), g)
    assert not matches(pred("CONSULT", {"CHN"}), g)  # needs min(2, 2) codes
    assert not matches(pred("CONSULT", {"CHN", "USA", "RUS"}), g)  # names someone else
    assert matches(pred("AID", {"CHN"}), gold("AID", {"CHN"}))


def _record(doc: str, event: str, actors: list[str], recipients: list[str]) -> EventRecord:
    def ents(codes: list[str]) -> list[Entity]:
        return [Entity(code=c, sector="GOV", entity_text=c, start=0, end=0) for c in codes]

    return EventRecord(
        id="x",
        doc_id=doc,
        date=None,
        date_precision="unknown",
        date_text=None,
        event=event,
        mode=[],
        context=[],
        actor=ents(actors),
        recipient=ents(recipients),
        event_text="",
        text="",
        text_info={"sequence": 0, "start": 0, "end": 0},
        quad_code=1,
        event_scale=0.0,
        event_loc=None,
        cite_info={},
        coder="t",
        coded_date="2026-01-01",
        confidence=0.7,
    )


def test_score_counts_distinct_predictions_and_sure_gold(tmp_path: Path) -> None:
    rows = [
        {
            "doc": "a",
            "event": "CONSULT",
            "actor": [{"code": "CHN"}, {"code": "USA"}],
            "recipient": [],
            "confidence": "sure",
        },
        {
            "doc": "a",
            "event": "SUPPORT",
            "actor": [{"code": "USA"}],
            "recipient": [{"code": "UNO"}],
            "confidence": "plausible",
        },
        {
            "doc": "a",
            "event": "ACCUSE",
            "actor": [{"code": "CHN"}],
            "recipient": [{"code": "USA"}],
            "confidence": "sure",
        },
    ]
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    g = load_gold(path)
    records = [
        _record("a", "CONSULT", ["CHN", "USA"], []),
        _record("a", "CONSULT", ["USA", "CHN"], []),  # same distinct event
        _record(
            "a", "SUPPORT", ["USA"], ["IGO"]
        ),  # UNO and IGO are one class; plausible gold counts for precision
        _record("a", "REJECT", ["CHN"], ["USA"]),
    ]
    rep = score(g, records)
    assert rep.n_gold_sure == 2
    assert rep.recall == 0.5
    assert rep.n_predicted == 3
    assert abs(rep.precision - 2 / 3) < 1e-9
    assert rep.per_category["ACCUSE"]["gold"] == 1
    assert [m.event for m in rep.missed] == ["ACCUSE"]
    assert [u.event for u in rep.unmatched] == ["REJECT"]
