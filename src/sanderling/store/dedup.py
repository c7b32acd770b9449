"""Cross-article deduplication: mentions (one coded record each) -> events.

The rule, in full (docs/store.md repeats it for analysts):

1. **Key.** Mentions can only merge when they share a key: the PLOVER category, the parties
   and the "did not happen (yet)" auxiliary modes (``negation``, ``future``, ``hypothetical``;
   a denied or threatened call is not the call).  Parties are the *set* of actor codes and the
   *set* of recipient codes (directed key).  For reciprocal categories (``reciprocal: true`` in
   the ontology: CONSULT) and for any record with no recipient, the key is the order-free union
   of all parties (undirected key), so "CHN and USA talked" and "CHN called USA" meet.
2. **Date interval** of a mention, from its precision:
   ``day`` -> that day (a *precise* mention); ``week`` -> the ISO week (Mon-Sun) holding the
   date; ``month`` -> the calendar month; ``year`` -> the calendar year (these three are
   *coarse*); no date, or precision ``story``/``unknown`` -> the article's publication date
   +/- ``undated_days`` (*undated*).  With neither an event date nor a publication date the
   mention is *dateless*.
3. **Precise clustering.** Within a key, precise mentions sorted by (day, doc_id, span,
   mention id) are chained by single linkage: a mention joins the current cluster when its day
   is at most ``window_days`` after the cluster's latest day.  So two calls a week apart stay
   apart, and the result does not depend on input order.
4. **Attachment.** Coarse and undated mentions never bridge precise clusters (a "March"
   mention would otherwise glue every call of March together).  Each one joins the precise
   cluster whose day span is within ``window_days`` of its interval; if several qualify, the
   one nearest its anchor (the publication date, else the interval's middle), ties to the
   earlier cluster.
5. **Leftovers.** Coarse/undated mentions that attach nowhere are chained among themselves by
   the same single linkage over their intervals; dateless mentions of a key form one event.
6. **Identities.** A mention never joins a cluster that knows one of its parties under another
   identity (``identifier_id`` from the actor KB): the Xi-Trump call and the Ma-Azar call three
   days later are both CHN-USA CONSULT events, but not one event. Unidentified parties ("China")
   are compatible with any identity.

Event id = sha256 of the key and the first mention id of the cluster in sort order, so re-deriving
the same mentions always yields the same ids.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

UNREAL_MODES = ("future", "hypothetical", "negation")
COARSE = ("week", "month", "year")
_FAR = dt.date.max


@dataclass(frozen=True, slots=True)
class DedupParams:
    """Parameters of the merge rule (stored in the database; a change re-derives all events)."""

    window_days: int = 3
    undated_days: int = 7

    def as_dict(self) -> dict[str, int]:
        return {"window_days": self.window_days, "undated_days": self.undated_days}


@dataclass(frozen=True, slots=True)
class Key:
    event: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    directed: bool
    unreal: tuple[str, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.actors) | set(self.recipients)))

    def text(self) -> str:
        if self.directed:
            who = "+".join(self.actors) + ">" + "+".join(self.recipients)
        else:
            who = "+".join(self.parties)
        return f"{self.event}|{who}" + ("|" + "+".join(self.unreal) if self.unreal else "")


def _codes(entities: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(sorted({str(e["code"]) for e in entities if e.get("code")}))


def record_key(record: Mapping[str, Any], reciprocal: frozenset[str]) -> Key:
    """The merge key of one PLOVER record (a dict as from ``EventRecord.to_dict``)."""
    actors = _codes(record.get("actor") or [])
    recipients = _codes(record.get("recipient") or [])
    # Sanderling writes auxiliary modes into ``context``; older PLOVER data has them in ``mode``.
    aux = {*(record.get("mode") or []), *(record.get("context") or [])}
    unreal = tuple(sorted(aux & set(UNREAL_MODES)))
    event = str(record["event"])
    if not recipients or event in reciprocal:
        parties = tuple(sorted(set(actors) | set(recipients)))
        return Key(event, parties, (), False, unreal)
    return Key(event, actors, recipients, True, unreal)


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Mention:
    """What the merge needs to know about one stored mention."""

    mention_id: str
    doc_id: str
    record: Mapping[str, Any]
    published: dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class _Placed:
    m: Mention
    tier: str  # precise | coarse | undated | dateless
    lo: dt.date | None
    hi: dt.date | None
    anchor: dt.date | None

    def sort_key(self) -> tuple[Any, ...]:
        span = self.m.record.get("event_span") or (0, 0)
        return (
            self.lo or _FAR,
            self.hi or _FAR,
            self.m.doc_id,
            int(span[0]),
            int(span[1]),
            self.m.mention_id,
        )


def interval(m: Mention, params: DedupParams) -> _Placed:
    """Place a mention in time (rule 2 of the module docstring)."""
    prec = m.record.get("date_precision") or "unknown"
    d = parse_date(m.record.get("date"))
    if d is not None and prec == "day":
        return _Placed(m, "precise", d, d, d)
    if d is not None and prec in COARSE:
        if prec == "week":
            lo = d - dt.timedelta(days=d.weekday())
            hi = lo + dt.timedelta(days=6)
        elif prec == "month":
            lo = d.replace(day=1)
            hi = d.replace(day=calendar.monthrange(d.year, d.month)[1])
        else:
            lo, hi = dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
        return _Placed(m, "coarse", lo, hi, m.published or lo + (hi - lo) / 2)
    if m.published is not None:
        tol = dt.timedelta(days=params.undated_days)
        return _Placed(m, "undated", m.published - tol, m.published + tol, m.published)
    return _Placed(m, "dateless", None, None, None)


def _gap(lo1: dt.date, hi1: dt.date, lo2: dt.date, hi2: dt.date) -> int:
    """Days between two intervals (0 when they overlap)."""
    return max(0, (lo2 - hi1).days, (lo1 - hi2).days)


Identities = dict[str, frozenset[str]]


def identities(record: Mapping[str, Any]) -> Identities:
    """Known identities of the parties, by country code (``{"CHN": {"Q15031"}}``)."""
    ids: dict[str, set[str]] = {}
    for e in [*(record.get("actor") or []), *(record.get("recipient") or [])]:
        if e.get("code") and e.get("identifier_id"):
            ids.setdefault(str(e["code"]), set()).add(str(e["identifier_id"]))
    return {k: frozenset(v) for k, v in ids.items()}


def _conflict(a: Identities, b: Identities) -> bool:
    """A party known under two different identities: Xi-Trump and Ma-Azar are two calls."""
    return any(a[code].isdisjoint(b[code]) for code in a.keys() & b.keys())


def _unite(a: Identities, b: Identities) -> Identities:
    return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in a.keys() | b.keys()}


@dataclass(slots=True)
class _Cluster:
    members: list[_Placed]
    lo: dt.date
    hi: dt.date
    ids: Identities

    def add(self, p: _Placed, ids: Identities) -> None:
        assert p.lo is not None and p.hi is not None
        self.members.append(p)
        self.lo, self.hi = min(self.lo, p.lo), max(self.hi, p.hi)
        self.ids = _unite(self.ids, ids)


def _chain(items: list[_Placed], window: int) -> list[_Cluster]:
    """Single linkage over intervals sorted by start: join the latest cluster that reaches
    within ``window`` days and names no party under another identity."""
    clusters: list[_Cluster] = []
    for p in sorted(items, key=_Placed.sort_key):
        assert p.lo is not None and p.hi is not None
        ids = identities(p.m.record)
        for c in reversed(clusters):
            if (p.lo - c.hi).days <= window and not _conflict(c.ids, ids):
                c.add(p, ids)
                break
        else:
            clusters.append(_Cluster([p], p.lo, p.hi, ids))
    return clusters


def cluster(mentions: Sequence[Mention], params: DedupParams) -> list[list[Mention]]:
    """Group the mentions of ONE key into events; deterministic and order-independent."""
    placed = [interval(m, params) for m in mentions]
    precise = _chain([p for p in placed if p.tier == "precise"], params.window_days)
    spans = [(c.lo, c.hi, c.ids) for c in precise]
    attached: list[list[_Placed]] = [list(c.members) for c in precise]
    loose: list[_Placed] = []
    dateless: list[_Placed] = []
    for p in placed:
        if p.tier == "precise":
            continue
        if p.tier == "dateless":
            dateless.append(p)
            continue
        assert p.lo is not None and p.hi is not None and p.anchor is not None
        ids = identities(p.m.record)
        best: tuple[int, int] | None = None
        for i, (lo, hi, cids) in enumerate(spans):
            if _gap(lo, hi, p.lo, p.hi) > params.window_days or _conflict(cids, ids):
                continue
            cand = (_gap(lo, hi, p.anchor, p.anchor), i)
            if best is None or cand < best:
                best = cand
        if best is None:
            loose.append(p)
        else:
            attached[best[1]].append(p)
    groups = attached + [c.members for c in _chain(loose, params.window_days)]
    if dateless:
        groups.append(dateless)
    out = [[p.m for p in sorted(g, key=_Placed.sort_key)] for g in groups]
    out.sort(key=lambda g: interval(g[0], params).sort_key())
    return out


def _entity(e: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "code": e.get("code") or "",
        "sector": e.get("sector") or "",
        "entity_text": e.get("entity_text") or "",
        "identifier_text": e.get("identifier_text"),
        "identifier_id": e.get("identifier_id"),
    }


def _union_entities(groups: Iterable[Iterable[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for ents in groups:
        for e in ents:
            ent = _entity(e)
            if ent["code"]:
                seen.setdefault((ent["code"], ent["sector"]), ent)
    return [seen[k] for k in sorted(seen)]


def _scale(values: list[float]) -> float:
    """Most frequent scale among the mentions; ties to the larger magnitude, then larger value."""
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], abs(v), v))


def build_event(key: Key, group: Sequence[Mention], params: DedupParams) -> dict[str, Any]:
    """The deduplicated PLOVER event (plain JSON-able dict) for one cluster of mentions."""
    first = group[0]
    recs = [m.record for m in group]
    event_id = hashlib.sha256(f"{key.text()}\x1f{first.mention_id}".encode()).hexdigest()[:20]
    if key.directed:
        actor = _union_entities(r.get("actor") or [] for r in recs)
        recipient = _union_entities(r.get("recipient") or [] for r in recs)
    else:
        actor = _union_entities(
            [*(r.get("actor") or []), *(r.get("recipient") or [])] for r in recs
        )
        recipient = []
    date, precision = _event_date(group, params)
    sources = []
    for m in group:
        r = m.record
        span = r.get("event_span") or (0, 0)
        sources.append(
            {
                "doc_id": m.doc_id,
                "mention_id": m.mention_id,
                "quote": r.get("event_text") or "",
                "text": r.get("text") or "",
                "span": [int(span[0]), int(span[1])],
                "date": r.get("date"),
                "date_precision": r.get("date_precision"),
                "published": m.published.isoformat() if m.published else None,
                "url": m.url,
                "outlet": m.outlet,
                "title": m.title,
            }
        )
    return {
        "id": event_id,
        "event": key.event,
        "mode": sorted({x for r in recs for x in (r.get("mode") or [])}),
        "context": sorted({x for r in recs for x in (r.get("context") or [])}),
        "actor": actor,
        "recipient": recipient,
        "directed": key.directed,
        "date": date,
        "date_precision": precision,
        "quad_code": min(int(r.get("quad_code") or 0) for r in recs),
        "event_scale": _scale([float(r.get("event_scale") or 0.0) for r in recs]),
        "confidence": max(float(r.get("confidence") or 0.0) for r in recs),
        "num_sources": len(group),
        "num_articles": len({m.doc_id for m in group}),
        "dedup_key": key.text(),
        "sources": sources,
    }


def _event_date(group: Sequence[Mention], params: DedupParams) -> tuple[str | None, str]:
    """Earliest day-precision date; else the earliest coarse one; else the earliest publication."""
    placed = [interval(m, params) for m in group]
    for tier in ("precise", "coarse"):
        cands = [p for p in placed if p.tier == tier]
        if cands:
            best = min(cands, key=_Placed.sort_key)
            prec = "day" if tier == "precise" else str(best.m.record.get("date_precision"))
            d = parse_date(best.m.record.get("date"))
            return (d.isoformat() if d else None), prec
    pubs = [m.published for m in group if m.published]
    if pubs:
        return min(pubs).isoformat(), "story"
    return None, "unknown"


def derive(
    mentions: Sequence[Mention], params: DedupParams, reciprocal: frozenset[str]
) -> list[dict[str, Any]]:
    """All events for a set of mentions (any mix of keys)."""
    by_key: dict[Key, list[Mention]] = {}
    for m in mentions:
        by_key.setdefault(record_key(m.record, reciprocal), []).append(m)
    events: list[dict[str, Any]] = []
    for key in sorted(by_key, key=Key.text):
        for group in cluster(by_key[key], params):
            events.append(build_event(key, group, params))
    return events
