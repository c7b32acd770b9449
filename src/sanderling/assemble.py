"""Assembling PLOVER records from detections, resolved entities, dates and contexts."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sanderling.ontology import Ontology
from sanderling.types import Article, DateResolution, Entity, EventRecord


@dataclass(slots=True)
class Draft:
    """Everything known about one event before it becomes a record."""

    category: str
    modes: list[str]
    contexts: list[str]
    actors: list[Entity]
    recipients: list[Entity]
    event_text: str
    event_span: tuple[int, int]
    sentence: tuple[int, int, int]  # sequence, start, end (article offsets)
    date: DateResolution
    confidence: float
    why: dict[str, str]


def record_id(doc_id: str, category: str, span: tuple[int, int]) -> str:
    """Stable across runs: the same article coded by the same rules gives the same id."""
    digest = hashlib.sha1(f"{doc_id}\x1f{category}\x1f{span[0]}\x1f{span[1]}".encode()).hexdigest()
    return f"SDL-{digest[:16]}"


def _codes(ents: Sequence[Entity]) -> frozenset[str]:
    return frozenset(e.code for e in ents)


VAGUE_PRECISION = {"story", "unknown", "week", "month", "year"}


AUXILIARY = frozenset({"negation", "future", "hypothetical", "historical"})


def _parties(d: Draft) -> tuple[frozenset[str], frozenset[str]]:
    if not d.recipients:
        return _codes(d.actors), frozenset()
    return _codes(d.actors), _codes(d.recipients)


def _identities(d: Draft) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for e in (*d.actors, *d.recipients):
        if e.identifier_id:
            ids.setdefault(e.code, set()).add(e.identifier_id)
    return ids


def same_event(a: Draft, b: Draft) -> bool:
    """One article telling the same event twice ("a phone call ... the conversation").

    Same category, parties and auxiliary status; modes equal or one unspecified; no party
    known under two different identities (Xi-Trump is not Ma-Azar); compatible dates.
    """
    if a.category != b.category or _parties(a) != _parties(b):
        return False
    if AUXILIARY.intersection(a.contexts) != AUXILIARY.intersection(b.contexts):
        return False
    if a.modes and b.modes and set(a.modes) != set(b.modes):
        return False
    ia, ib = _identities(a), _identities(b)
    if any(ia[code].isdisjoint(ib[code]) for code in ia.keys() & ib.keys()):
        return False
    return _compatible(a.date, b.date)


def _compatible(a: DateResolution, b: DateResolution) -> bool:
    """Same day, or one of the two is vague: one article telling the same event twice."""
    if a.date is None or b.date is None or a.date == b.date:
        return True
    return a.precision in VAGUE_PRECISION or b.precision in VAGUE_PRECISION


def _better(a: Draft, b: Draft) -> Draft:
    """The draft to keep: the precise date first, then the more confident; modes united."""
    rank = {"day": 0, "week": 1, "month": 2, "year": 3, "story": 4, "unknown": 5}
    ka = (rank.get(a.date.precision, 6) if a.date.date else 7, -a.confidence)
    kb = (rank.get(b.date.precision, 6) if b.date.date else 7, -b.confidence)
    keep, other = (a, b) if ka <= kb else (b, a)
    if not keep.modes and other.modes:
        keep.modes = list(other.modes)
    return keep


def to_records(
    article: Article,
    drafts: Sequence[Draft],
    onto: Ontology,
    coder: str,
    coded_date: dt.date | None = None,
) -> list[EventRecord]:
    """Merge in-article repeats and build the PLOVER records, in text order."""
    kept: list[Draft] = []
    for d in drafts:
        for i, k in enumerate(kept):
            if same_event(k, d):
                kept[i] = _better(k, d)
                break
        else:
            kept.append(d)
    today = (coded_date or dt.date.today()).isoformat()
    cite = {
        "title": article.title,
        "url": article.url,
        "publication": article.source,
        "language": article.language or "en",
        "citation": article.id,
    }
    records = []
    for d in kept:
        seq, s_start, s_end = d.sentence
        records.append(
            EventRecord(
                id=record_id(article.id, d.category, d.event_span),
                doc_id=article.id,
                date=d.date.date.isoformat() if d.date.date else None,
                date_precision=d.date.precision if d.date.date else "unknown",
                date_text=d.date.text,
                event=d.category,
                mode=list(dict.fromkeys(d.modes)),
                context=list(dict.fromkeys(d.contexts)),
                actor=d.actors,
                recipient=d.recipients,
                event_text=d.event_text,
                text=article.text[s_start:s_end],
                text_info={"sequence": seq, "start": s_start, "end": s_end},
                quad_code=onto.quad(d.category),
                event_scale=onto.score(d.category, d.modes),
                event_loc=None,
                cite_info=dict(cite),
                coder=coder,
                coded_date=today,
                confidence=round(d.confidence, 3),
                event_span=d.event_span,
                extra={"why": d.why} if d.why else {},
            )
        )
    records.sort(key=lambda r: (r.text_info["start"], r.event_span))
    return records
