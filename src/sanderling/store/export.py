"""Exports of deduplicated events: plover-jsonl, csv, parquet and ICEWS-style CAMEO rows.

plover-jsonl and parquet hold the full event dicts (``Store.events()``) and read back equal
(``read_export``); csv is one flat row per event; cameo is one tab-separated ICEWS-style row per
(source, target) pair, with the CAMEO code from ``data/cameo.yaml``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

FORMATS = ("plover-jsonl", "csv", "parquet", "cameo")

CSV_COLUMNS = [
    "id",
    "date",
    "date_precision",
    "event",
    "mode",
    "context",
    "actor_codes",
    "actor_sectors",
    "recipient_codes",
    "recipient_sectors",
    "quad_code",
    "event_scale",
    "confidence",
    "num_sources",
    "num_articles",
    "doc_ids",
    "quotes",
]
CAMEO_COLUMNS = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Source Code",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Target Code",
    "Story ID",
    "Publisher",
    "Num Sources",
]


@dataclass(frozen=True, slots=True)
class CameoCategory:
    root: str
    modes: Mapping[str, str]
    sector_codes: Mapping[str, str]


@lru_cache(maxsize=1)
def load_cameo_map() -> dict[str, CameoCategory]:
    """PLOVER category -> CAMEO codes, from the bundled ``data/cameo.yaml``."""
    from sanderling.ontology import data_path

    raw = yaml.safe_load(data_path("cameo.yaml").read_text(encoding="utf-8"))
    return {
        name: CameoCategory(
            root=str(c["root"]),
            modes={str(k): str(v) for k, v in (c.get("modes") or {}).items()},
            sector_codes={str(k): str(v) for k, v in (c.get("sector_codes") or {}).items()},
        )
        for name, c in raw["categories"].items()
    }


def cameo_code(event: Mapping[str, Any]) -> str:
    """CAMEO code of an event: its first mode with a code, else by actor sector, else the root."""
    cat = load_cameo_map().get(str(event["event"]))
    if cat is None:
        return ""
    for m in event.get("mode") or []:
        if m in cat.modes:
            return cat.modes[m]
    sectors = {a.get("sector") for a in event.get("actor") or []}
    for sector, code in sorted(cat.sector_codes.items()):
        if sector in sectors:
            return code
    return cat.root


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """ICEWS names countries; codes that are not ISO 3166 alpha-3 (IGO, NGO...) stay as they are."""
    import pycountry

    c = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return str(c.name) if c is not None else code


def _join(items: Sequence[Any]) -> str:
    return ";".join(str(x) for x in items)


def _uniq(items: Sequence[Any]) -> list[Any]:
    return list(dict.fromkeys(x for x in items if x not in (None, "")))


def csv_row(ev: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": ev["id"],
        "date": ev.get("date") or "",
        "date_precision": ev.get("date_precision") or "",
        "event": ev["event"],
        "mode": _join(ev.get("mode") or []),
        "context": _join(ev.get("context") or []),
        "actor_codes": _join(_uniq([a["code"] for a in ev["actor"]])),
        "actor_sectors": _join(_uniq([a["sector"] for a in ev["actor"]])),
        "recipient_codes": _join(_uniq([a["code"] for a in ev["recipient"]])),
        "recipient_sectors": _join(_uniq([a["sector"] for a in ev["recipient"]])),
        "quad_code": ev.get("quad_code"),
        "event_scale": ev.get("event_scale"),
        "confidence": ev.get("confidence"),
        "num_sources": ev["num_sources"],
        "num_articles": ev["num_articles"],
        "doc_ids": _join(_uniq([s["doc_id"] for s in ev["sources"]])),
        "quotes": " | ".join(_uniq([s["quote"] for s in ev["sources"]])),
    }


def cameo_rows(ev: Mapping[str, Any]) -> list[dict[str, Any]]:
    """ICEWS-style rows: one per (source entity, target entity) pair of different codes.

    Directed events pair actors with recipients; undirected ones (CONSULT, no recipient) give
    both directions between their parties; a one-party event gives one row without target.
    """
    actors = ev["actor"]
    if ev["recipient"]:
        pairs = [(a, r) for a in actors for r in ev["recipient"] if a["code"] != r["code"]]
    else:
        pairs = [(a, b) for a in actors for b in actors if a["code"] != b["code"]]
    if not pairs:
        pairs = [(a, None) for a in actors[:1]]
    modes = [m for m in ev.get("mode") or []]
    base = {
        "Event ID": ev["id"],
        "Event Date": ev.get("date") or "",
        "Event Text": ev["event"] + (f" ({', '.join(modes)})" if modes else ""),
        "CAMEO Code": cameo_code(ev),
        "Intensity": ev.get("event_scale"),
        "Story ID": _join(_uniq([s["doc_id"] for s in ev["sources"]])),
        "Publisher": _join(_uniq([s.get("outlet") for s in ev["sources"]])),
        "Num Sources": ev["num_sources"],
    }
    rows = []
    for src, tgt in pairs:
        row = dict(base)
        row.update(
            {
                "Source Name": src.get("entity_text") or src["code"],
                "Source Sectors": src.get("sector") or "",
                "Source Country": country_name(src["code"]),
                "Source Code": src["code"] + (src.get("sector") or ""),
                "Target Name": (tgt.get("entity_text") or tgt["code"]) if tgt else "",
                "Target Sectors": (tgt.get("sector") or "") if tgt else "",
                "Target Country": country_name(tgt["code"]) if tgt else "",
                "Target Code": (tgt["code"] + (tgt.get("sector") or "")) if tgt else "",
            }
        )
        rows.append(row)
    return rows


def _parquet_schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    entity = pa.struct(
        [
            ("code", s),
            ("sector", s),
            ("entity_text", s),
            ("identifier_text", s),
            ("identifier_id", s),
        ]
    )
    source = pa.struct(
        [
            ("doc_id", s),
            ("mention_id", s),
            ("quote", s),
            ("text", s),
            ("span", pa.list_(pa.int64())),
            ("date", s),
            ("date_precision", s),
            ("published", s),
            ("url", s),
            ("outlet", s),
            ("title", s),
        ]
    )
    return pa.schema(
        [
            ("id", s),
            ("event", s),
            ("mode", pa.list_(s)),
            ("context", pa.list_(s)),
            ("actor", pa.list_(entity)),
            ("recipient", pa.list_(entity)),
            ("directed", pa.bool_()),
            ("date", s),
            ("date_precision", s),
            ("quad_code", pa.int64()),
            ("event_scale", pa.float64()),
            ("confidence", pa.float64()),
            ("num_sources", pa.int64()),
            ("num_articles", pa.int64()),
            ("dedup_key", s),
            ("sources", pa.list_(source)),
        ]
    )


def write_export(
    events: Sequence[Mapping[str, Any]], path: str | os.PathLike[str], fmt: str
) -> int:
    """Write ``events`` to ``path`` in ``fmt``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "plover-jsonl":
        with open(path, "w", encoding="utf-8") as f:
            for ev in events:
                f.write(json.dumps(ev, ensure_ascii=False) + "\n")
        return len(events)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(list(events), schema=_parquet_schema()), path)
        return len(events)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
            w.writeheader()
            for ev in events:
                w.writerow(csv_row(ev))
        return len(events)
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CAMEO_COLUMNS, delimiter="\t")
        w.writeheader()
        for ev in events:
            for row in cameo_rows(ev):
                w.writerow(row)
                n += 1
    return n


def read_export(path: str | os.PathLike[str], fmt: str) -> list[dict[str, Any]]:
    """Read back a plover-jsonl or parquet export as event dicts."""
    if fmt == "plover-jsonl":
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return list(pq.read_table(path).to_pylist())
    raise ValueError(f"cannot read back {fmt!r} exports")
