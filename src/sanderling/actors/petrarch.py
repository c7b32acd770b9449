"""Import of PETRARCH / OEDA (CAMEO) actor and agent dictionaries.

Actor dictionaries::

    DONALD_TRUMP_                 # the entry's primary name (underscores are spaces)
    +DONALD_J._TRUMP              # synonyms
    +PRESIDENT_TRUMP
     [USABUS >20161231]           # CAMEO code, optional date restriction
     [USAGOV 20170120-20210120]

Date restrictions: ``<D`` (until D), ``>D`` (from D), ``D1-D2``; dates are YYYYMMDD or YYMMDD.
In PETRARCH ``<D``/``>D`` mean "before"/"after" the date; we use them as inclusive bounds.
Agent dictionaries: ``PRESIDENT_ [~GOV]`` / ``PRESIDENT [~GOV]`` lines become sector words;
``!minist!``-style substitution-set patterns are skipped (reported by ``stats``).
CAMEO codes are 3-letter country + 3-letter sector ("USAGOV"); international codes such as
"IGOUNO" map to the PLOVER code UNO; CAMEO sectors PLOVER renamed are translated (HLH->MED, ...).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sanderling.actors.text import fold

if TYPE_CHECKING:
    from sanderling.actors.kb import _Builder

_CODE_RE = re.compile(r"\[\s*(~?)([A-Z0-9]{3,15})\s*([^\]]*)\]")


def _date(s: str) -> dt.date:
    s = s.strip()
    if len(s) == 6:  # YYMMDD: PETRARCH reads 00-30 as 20xx
        yy = int(s[:2])
        s = f"{2000 + yy if yy <= 30 else 1900 + yy}{s[2:]}"
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


def parse_restriction(s: str) -> tuple[dt.date | None, dt.date | None]:
    """``"<20161231"`` / ``">20170120"`` / ``"20170120-20210120"`` / ``""`` -> (start, end)."""
    s = s.strip()
    if not s:
        return None, None
    if s.startswith("<"):
        return None, _date(s[1:])
    if s.startswith(">"):
        return _date(s[1:]), None
    if "-" in s:
        a, b = s.split("-", 1)
        return _date(a), _date(b)
    return _date(s), _date(s)


def cameo_to_plover(code: str) -> tuple[str, str]:
    """``"USAGOV"`` -> (USA, GOV); ``"IGOUNO"`` -> (UNO, ""); ``"NGO"`` -> (NGO, "")."""
    from sanderling.actors.kb import CAMEO_SECTOR_MAP, NONSTATE_CODES, SECTOR_CODES

    code = code.upper()
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    country = parts[0]
    rest = parts[1:]
    if (country == "IGO" and rest and rest[0] in {"UNO", "EUR"}) or (
        country == "IGO" and rest and rest[0] in NONSTATE_CODES
    ):
        country, rest = rest[0], rest[1:]
    sector = ""
    for r in rest:
        r = CAMEO_SECTOR_MAP.get(r, r)
        if r in SECTOR_CODES:
            sector = r
            break
    return country, sector


def _name(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("_", " ")).strip()


def load_petrarch(b: _Builder, path: Path) -> dict[str, int]:
    """Add actor entries (kind 'user') and agent sector words from ``path`` to the builder."""
    from sanderling.actors.kb import Entry, KBError, Named, Role, plural

    stats = {"actors": 0, "agents": 0, "skipped": 0}
    names: list[str] = []
    codes: list[tuple[str, str, dt.date | None, dt.date | None]] = []

    def flush() -> None:
        if names and codes:
            roles = tuple(Role(c, s, "", a, e) for c, s, a, e in codes)
            nid = "petrarch:" + re.sub(r"[^a-z0-9]+", "-", fold(names[0])).strip("-")
            latest = max(roles, key=lambda r: r.start or dt.date.min)
            n = Named(
                nid, names[0].title(), "user", latest.code, latest.sector, roles, source=path.name
            )
            b.named[nid] = n
            for a in names:
                b.add(
                    a,
                    Entry("user", a, n.code, n.sector, ref=nid, priority=0, proper=False),
                    case_sensitive=False,
                )
            stats["actors"] += 1
        names.clear()
        codes.clear()

    for ln, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("<"):
            continue
        found = list(_CODE_RE.finditer(line))
        text = _CODE_RE.sub("", line).strip()
        if found and found[0].group(1) == "~":  # agent line: WORD_ [~GOV]
            if "!" in text or not text:
                stats["skipped"] += 1
                continue
            _, sector = cameo_to_plover("XXX" + found[0].group(2)[:3])
            sector = sector or found[0].group(2)[:3]
            word = _name(text).lower()
            for w in {word, plural(word)}:
                b.add(
                    w,
                    Entry(
                        "noun", w, "", sector, ref=fold(word).split()[-1], proper=False, priority=0
                    ),
                    case_sensitive=False,
                )
            stats["agents"] += 1
            continue
        if text and not raw[:1].isspace() and not text.startswith("+"):
            flush()
            names.append(_name(text))
        elif text.startswith("+"):
            names.append(_name(text[1:]))
        for m in found:
            try:
                a, e = parse_restriction(m.group(3))
            except (ValueError, IndexError) as exc:
                raise KBError(f"{path.name}:{ln}: bad date restriction {m.group(3)!r}") from exc
            c, s = cameo_to_plover(m.group(2))
            codes.append((c, s, a, e))
    flush()
    return stats
