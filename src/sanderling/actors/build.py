"""``sanderling kb build`` / ``kb validate``: regenerate and check the actor data files.

The only generated file is ``countries.generated.csv`` (ISO 3166 base table from the pinned
pycountry, with PLOVER status: state / exception / dependency -> parent). Everything else is
hand-written; validate checks schema, codes, dates and alias conflicts so a bad edit fails CI
with a message naming the file and entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from sanderling.actors.kb import (
    EXTRA_CODES,
    NONSTATE_CODES,
    SECTOR_CODES,
    ActorKB,
    Entry,
    KBError,
    _build,
    _data_dir,
    parse_role,
)

GENERATED = "countries.generated.csv"
COLUMNS = [
    "alpha_3",
    "alpha_2",
    "status",
    "parent",
    "plover_name",
    "name",
    "common_name",
    "official_name",
]
ORG_KEYS = {"id", "name", "aliases", "code", "sector", "roles", "note"}
PERSON_KEYS = {"id", "name", "aliases", "roles", "family_first", "note"}
ID_RE = re.compile(r"^(Q[1-9]\d*|sdl:[a-z0-9]+(?:-[a-z0-9]+)*)$")


def data_dir(path: Path | None = None) -> Path:
    return path or _data_dir()


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def generate_countries(d: Path) -> str:
    """The text of countries.generated.csv for data dir ``d``."""
    import pycountry

    deps = _yaml(d / "dependencies.yaml")
    exceptions = set(deps.get("exceptions") or [])
    parents: dict[str, str] = deps.get("dependencies") or {}
    curated = _yaml(d / "countries.yaml").get("countries") or {}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    rows = []
    for c in pycountry.countries:
        a3 = c.alpha_3
        status = "dependency" if a3 in parents else "exception" if a3 in exceptions else "state"
        names = (curated.get(a3) or {}).get("names") or []
        common = getattr(c, "common_name", "") or ""
        rows.append(
            {
                "alpha_3": a3,
                "alpha_2": c.alpha_2,
                "status": status,
                "parent": parents.get(a3, ""),
                "plover_name": names[0] if names else common or c.name,
                "name": c.name,
                "common_name": common,
                "official_name": getattr(c, "official_name", "") or "",
            }
        )
    rows.append(
        {
            "alpha_3": "KOS",
            "alpha_2": "XK",
            "status": "exception",
            "parent": "",
            "plover_name": "Kosovo",
            "name": "Kosovo",
            "common_name": "",
            "official_name": "Republic of Kosovo",
        }
    )
    for r in sorted(rows, key=lambda r: r["alpha_3"]):
        w.writerow(r)
    return buf.getvalue()


def build(d: Path | None = None) -> list[Path]:
    """Regenerate generated files; returns the paths written."""
    d = data_dir(d)
    p = d / GENERATED
    text = generate_countries(d)
    if not p.exists() or p.read_text(encoding="utf-8") != text:
        p.write_text(text, encoding="utf-8")
    return [p]


def valid_codes(d: Path) -> set[str]:
    with (d / GENERATED).open(encoding="utf-8", newline="") as fh:
        states = {r["alpha_3"] for r in csv.DictReader(fh) if r["status"] != "dependency"}
    return states | set(EXTRA_CODES) | set(NONSTATE_CODES)


def validate(d: Path | None = None) -> list[str]:
    """Every problem found in the data files (empty list = valid)."""
    d = data_dir(d)
    problems: list[str] = []
    gen = d / GENERATED
    try:
        fresh = generate_countries(d)
    except (OSError, yaml.YAMLError) as exc:
        return [f"cannot read data files: {exc}"]
    if not gen.exists():
        return [f"{GENERATED} missing: run `sanderling kb build`"]
    if gen.read_text(encoding="utf-8") != fresh:
        problems.append(
            f"{GENERATED} is stale (pycountry or dependencies.yaml changed): "
            "run `sanderling kb build`"
        )
    codes = valid_codes(d)
    deps = _yaml(d / "dependencies.yaml")
    for dep, parent in (deps.get("dependencies") or {}).items():
        if parent not in codes:
            problems.append(f"dependencies.yaml: {dep} folded into unknown state {parent}")

    def chk_code(where: str, code: str) -> None:
        if code not in codes:
            problems.append(f"{where}: code {code!r} is not a PLOVER country/actor code")

    def chk_sector(where: str, sector: str) -> None:
        if sector and sector not in SECTOR_CODES:
            problems.append(f"{where}: sector {sector!r} is not a PLOVER sector code")

    # countries.yaml
    cy = _yaml(d / "countries.yaml")
    for key, spec in (cy.get("countries") or {}).items():
        chk_code(f"countries.yaml: {key}", spec.get("code", key))
        for s, sec in (spec.get("seats") or {}).items():
            chk_sector(f"countries.yaml: {key} seat {s!r}", sec)
    for sect in ("pre", "places", "name_peoples"):
        for code in cy.get(sect) or {}:
            chk_code(f"countries.yaml: {sect}", code)
    for name, specs in (cy.get("dated") or {}).items():
        for spec in specs:
            chk_code(f"countries.yaml: dated {name!r}", str(spec).split()[0])
    states = {c for c in codes if c not in NONSTATE_CODES}
    missing = sorted(
        states - {spec.get("code", k) for k, spec in (cy.get("countries") or {}).items()}
    )
    if missing:
        problems.append(f"countries.yaml: no curated entry for {', '.join(missing)}")
    # sectors.yaml
    sy = _yaml(d / "sectors.yaml")
    for group in ("titles", "nouns", "modifiers"):
        for sec in sy.get(group) or {}:
            chk_sector(f"sectors.yaml: {group}", sec)
    # orgs.yaml / people.yaml schema
    for i, o in enumerate(_yaml(d / "orgs.yaml").get("orgs") or []):
        where = f"orgs.yaml: orgs[{i}] {o.get('name')!r}"
        extra = set(o) - ORG_KEYS
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        chk_code(where, str(o.get("code")))
        chk_sector(where, o.get("sector") or "")
    ids: set[str] = set()
    for i, p in enumerate(_yaml(d / "people.yaml").get("people") or []):
        where = f"people.yaml: people[{i}] {p.get('name')!r}"
        extra = set(p) - PERSON_KEYS
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        pid = str(p.get("id"))
        if not ID_RE.match(pid):
            problems.append(f"{where}: id {pid!r} is neither a Wikidata QID nor sdl:slug")
        if pid in ids:
            problems.append(f"{where}: duplicate id {pid!r}")
        ids.add(pid)
        for r in p.get("roles") or []:
            try:
                role = parse_role(str(r), where)
            except KBError as exc:
                problems.append(str(exc))
                continue
            chk_code(where, role.code)
            chk_sector(where, role.sector)
            if role.start and role.end and role.start > role.end:
                problems.append(f"{where}: role {r!r} ends before it starts")
            if role.start and role.start > dt.date.today() + dt.timedelta(days=366):
                problems.append(f"{where}: role {r!r} starts in the future")
    if problems:
        return problems
    # whole KB: loads, and aliases do not conflict
    try:
        kb = ActorKB(_build((), d))
    except KBError as exc:
        return [str(exc)]
    problems += alias_conflicts(
        kb, _yaml(d / "conflicts.yaml") if (d / "conflicts.yaml").exists() else {}
    )
    return problems


def alias_conflicts(kb: ActorKB, allow_doc: dict[str, Any]) -> list[str]:
    """Aliases that map to different codes (or sector words to different sectors)."""
    allowed = {str(k).lower(): v for k, v in (allow_doc.get("allow") or {}).items()}
    out: list[str] = []
    for key, entries in kb.iter_entries():
        coded: dict[str, set[str]] = defaultdict(set)
        spans: dict[str, list[Entry]] = defaultdict(list)  # dated names: when each code holds
        sectors: set[str] = set()
        for e in entries:
            if e.kind in {"person", "org"}:
                n = kb.named[e.ref]
                coded[e.ref] = {r.code for r in n.roles} or {n.code}
            elif e.kind in {"country", "demonym", "people", "capital", "seat", "pre", "place"}:
                coded[f"{e.kind}:{e.code}"].add(e.code)
                spans[f"{e.kind}:{e.code}"].append(e)
            elif e.kind in {"title", "noun"}:
                sectors.add(e.sector)
        keys = list(coded)
        clash = any(
            not (coded[a] & coded[b]) and _same_time(spans[a], spans[b])
            for x, a in enumerate(keys)
            for b in keys[x + 1 :]
        )
        persons = {e.ref for e in entries if e.kind == "person"}
        alias = " ".join(key)
        if (clash or len(persons) > 1) and alias not in allowed:
            what = sorted({f"{e.kind}:{e.ref or e.code}" for e in entries})
            out.append(
                f"alias {alias!r} maps to conflicting actors {what}: fix it or document "
                "the reason under `allow:` in conflicts.yaml"
            )
        if len(sectors) > 1 and alias not in allowed:
            out.append(
                f"sector word {alias!r} has several sectors {sorted(sectors)} (sectors.yaml)"
            )
    return out


def _same_time(a: list[Entry], b: list[Entry]) -> bool:
    """Whether two groups of entries can hold at one date ("Juba": Sudan's until 2011, South
    Sudan's after, is no conflict)."""
    if not a or not b:
        return True
    lo, hi = dt.date.min, dt.date.max
    return any(
        max(x.start or lo, y.start or lo) <= min(x.end or hi, y.end or hi) for x in a for y in b
    )


def stats(kb: ActorKB) -> dict[str, int]:
    """Counts for docs and `kb validate` output."""
    kinds: dict[str, int] = defaultdict(int)
    for _, es in kb.iter_entries():
        for e in es:
            kinds[f"aliases:{e.kind}"] += 1
    for n in kb.named.values():
        kinds[f"{n.kind}s"] += 1
    kinds["countries"] = len(kb.country_names)
    return dict(sorted(kinds.items()))
