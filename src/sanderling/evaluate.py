"""Scoring coded records against hand-coded gold events.

Matching rule (issue 2): same document and category; when gold has recipients, predicted actors
overlap gold actors and predicted recipients overlap gold recipients (either direction for
CONSULT); when gold has none, the predicted parties overlap the gold actors in min(2, |gold actors|)
codes and name no one else. IGO, UNO and EUR count as one class. Recall is over gold events marked
``sure``; precision over distinct predicted events (doc, category, actor codes, recipient codes).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanderling.ontology import load_ontology
from sanderling.types import EventRecord


@dataclass(frozen=True, slots=True)
class GoldEvent:
    doc: str
    event: str
    actors: frozenset[str]
    recipients: frozenset[str]
    sure: bool
    quote: str
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Predicted:
    doc: str
    event: str
    actors: frozenset[str]
    recipients: frozenset[str]
    text: str
    confidence: float


@dataclass
class Report:
    recall: float
    precision: float
    f1: float
    category_recall: float
    actor_accuracy: float
    n_gold_sure: int
    n_predicted: int
    per_category: dict[str, dict[str, int]]
    missed: list[GoldEvent] = field(default_factory=list)
    unmatched: list[Predicted] = field(default_factory=list)
    calibration: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "recall": self.recall,
            "precision": self.precision,
            "f1": self.f1,
            "category_recall": self.category_recall,
            "actor_accuracy": self.actor_accuracy,
            "n_gold_sure": self.n_gold_sure,
            "n_predicted": self.n_predicted,
            "per_category": self.per_category,
            "calibration": self.calibration,
            "missed": [
                {
                    "doc": g.doc,
                    "event": g.event,
                    "actors": sorted(g.actors),
                    "recipients": sorted(g.recipients),
                    "quote": g.quote,
                }
                for g in self.missed
            ],
            "unmatched": [
                {
                    "doc": p.doc,
                    "event": p.event,
                    "actors": sorted(p.actors),
                    "recipients": sorted(p.recipients),
                    "text": p.text,
                }
                for p in self.unmatched
            ],
        }


def _norm_codes(codes: Iterable[str], igo: frozenset[str]) -> frozenset[str]:
    return frozenset("IGO" if c in igo else c for c in codes if c)


def load_gold(path: Path) -> list[GoldEvent]:
    igo = load_ontology().igo_class
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            g = json.loads(line)
            out.append(
                GoldEvent(
                    doc=g["doc"],
                    event=g["event"],
                    actors=_norm_codes((a["code"] for a in g.get("actor") or []), igo),
                    recipients=_norm_codes((a["code"] for a in g.get("recipient") or []), igo),
                    sure=g.get("confidence", "sure") == "sure",
                    quote=g.get("quote", ""),
                    raw=g,
                )
            )
    return out


def to_predicted(records: Iterable[EventRecord]) -> list[Predicted]:
    igo = load_ontology().igo_class
    return [
        Predicted(
            doc=r.doc_id,
            event=r.event,
            actors=_norm_codes((e.code for e in r.actor), igo),
            recipients=_norm_codes((e.code for e in r.recipient), igo),
            text=r.text,
            confidence=r.confidence,
        )
        for r in records
    ]


def matches(p: Predicted, g: GoldEvent) -> bool:
    if p.doc != g.doc or p.event != g.event:
        return False
    if g.recipients:
        if p.actors & g.actors and p.recipients & g.recipients:
            return True
        return bool(g.event == "CONSULT" and p.actors & g.recipients and p.recipients & g.actors)
    parties = p.actors | p.recipients
    need = min(2, len(g.actors))
    return len(parties & g.actors) >= need and parties <= g.actors


def score(gold: Sequence[GoldEvent], records: Iterable[EventRecord]) -> Report:
    preds = to_predicted(records)
    distinct: dict[tuple[object, ...], Predicted] = {}
    for p in preds:
        key = (p.doc, p.event, p.actors, p.recipients)
        if key not in distinct or p.confidence > distinct[key].confidence:
            distinct[key] = p
    dpreds = list(distinct.values())
    by_doc: dict[str, list[Predicted]] = defaultdict(list)
    for p in dpreds:
        by_doc[p.doc].append(p)
    gold_by_doc: dict[str, list[GoldEvent]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g.doc].append(g)

    sure = [g for g in gold if g.sure]
    per_cat: dict[str, Counter[str]] = defaultdict(Counter)
    missed: list[GoldEvent] = []
    hit = cat_hit = 0
    for g in sure:
        per_cat[g.event]["gold"] += 1
        cands = by_doc.get(g.doc, [])
        if any(p.event == g.event for p in cands):
            cat_hit += 1
            per_cat[g.event]["category_found"] += 1
        if any(matches(p, g) for p in cands):
            hit += 1
            per_cat[g.event]["matched"] += 1
        else:
            missed.append(g)
    correct = 0
    unmatched: list[Predicted] = []
    for p in dpreds:
        per_cat[p.event]["predicted"] += 1
        if any(matches(p, g) for g in gold_by_doc.get(p.doc, [])):
            correct += 1
            per_cat[p.event]["correct"] += 1
        else:
            unmatched.append(p)
    recall = hit / len(sure) if sure else 0.0
    precision = correct / len(dpreds) if dpreds else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return Report(
        recall=recall,
        precision=precision,
        f1=f1,
        category_recall=cat_hit / len(sure) if sure else 0.0,
        actor_accuracy=hit / cat_hit if cat_hit else 0.0,
        n_gold_sure=len(sure),
        n_predicted=len(dpreds),
        per_category={k: dict(v) for k, v in sorted(per_cat.items())},
        missed=missed,
        unmatched=unmatched,
        calibration=_calibration(dpreds, gold_by_doc),
    )


CONFIDENCE_BINS = ((0.0, 0.5), (0.5, 0.65), (0.65, 0.8), (0.8, 1.01))


def _calibration(
    preds: Sequence[Predicted], gold_by_doc: dict[str, list[GoldEvent]]
) -> list[dict[str, float]]:
    """Share of correct predictions per confidence bin: is 0.8 really more trustworthy than 0.5?"""
    rows = []
    for lo, hi in CONFIDENCE_BINS:
        inside = [p for p in preds if lo <= p.confidence < hi]
        ok = sum(any(matches(p, g) for g in gold_by_doc.get(p.doc, [])) for p in inside)
        rows.append(
            {
                "low": lo,
                "high": min(hi, 1.0),
                "n": len(inside),
                "precision": ok / len(inside) if inside else 0.0,
            }
        )
    return rows
