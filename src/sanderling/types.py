"""Plain data classes passed between pipeline stages.

Every stage takes and returns these; none of them holds a model or a connection,
so they pickle cheaply to worker processes and Ray tasks.
Offsets are always character offsets into ``Article.text`` (the article as ingested).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

DATE_PRECISIONS = ("day", "week", "month", "year", "story", "unknown")


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from an input.

    ``text`` is the article exactly as ingested (a whole ``.txt`` file, or the text
    field of a JSONL/CSV row); ``body_start`` is where the body starts after an
    optional ``date`` header line, so NLP never sees the header.
    """

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    origin: str = ""
    body_start: int = 0


@dataclass(frozen=True, slots=True)
class Skip:
    """An input (or part of one) that could not be coded, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.where}: {self.reason}"


@dataclass(slots=True)
class Entity:
    """A resolved actor or recipient mention (PLOVER entity object)."""

    code: str
    sector: str
    entity_text: str
    start: int
    end: int
    identifier_text: str | None = None
    identifier_id: str | None = None
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "sector": self.sector,
            "entity_text": self.entity_text,
            "identifier_text": self.identifier_text,
            "identifier_id": self.identifier_id,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class DateResolution:
    """When an event happened, as far as the text tells."""

    date: dt.date | None
    precision: str = "unknown"
    text: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class EventRecord:
    """One PLOVER record (field names from the PLOVER manual's Data Fields chapter)."""

    id: str
    doc_id: str
    date: str | None
    date_precision: str
    date_text: str | None
    event: str
    mode: list[str]
    context: list[str]
    actor: list[Entity]
    recipient: list[Entity]
    event_text: str
    text: str
    text_info: dict[str, int]
    quad_code: int
    event_scale: float
    event_loc: dict[str, Any] | None
    cite_info: dict[str, Any]
    coder: str
    coded_date: str
    confidence: float
    event_span: tuple[int, int] = (0, 0)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["actor"] = [e.to_dict() for e in self.actor]
        out["recipient"] = [e.to_dict() for e in self.recipient]
        out["event_span"] = list(self.event_span)
        if not self.extra:
            out.pop("extra")
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventRecord:
        def ents(items: list[dict[str, Any]]) -> list[Entity]:
            return [
                Entity(
                    code=e["code"],
                    sector=e.get("sector") or "",
                    entity_text=e.get("entity_text") or "",
                    start=int(e.get("start") or 0),
                    end=int(e.get("end") or 0),
                    identifier_text=e.get("identifier_text"),
                    identifier_id=e.get("identifier_id"),
                )
                for e in items
            ]

        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        known["actor"] = ents(d.get("actor") or [])
        known["recipient"] = ents(d.get("recipient") or [])
        known["event_span"] = tuple(d.get("event_span") or (0, 0))
        return cls(**known)
