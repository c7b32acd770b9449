"""The actor knowledge base: bundled data files + user files, indexed by token keys.

Everything the resolver knows about names lives in versioned data files under
``sanderling/data/actors`` (and optional user files); this module only loads and indexes them.
Aliases are keyed by normalised token tuples (see :mod:`sanderling.actors.text`), so lookup is
a dict probe per (position, length) and the same index serves :meth:`ActorKB.resolve` on short
noun phrases and :meth:`ActorKB.scan` over whole articles.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sanderling.actors.text import Token, fold, is_acronym, key_of, tokenize

NONSTATE_CODES = ("IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC")
SECTOR_CODES = (
    "COP",
    "GOV",
    "JUD",
    "LEG",
    "MIL",
    "PRM",
    "PTY",
    "REB",
    "SPY",
    "UAF",
    "UNK",
    "AGR",
    "BUS",
    "CRM",
    "CVL",
    "EDU",
    "ELI",
    "JRN",
    "LAB",
    "MED",
    "REF",
    "OPP",
    "PRE",
    "REL",
    "SOC",
)
EXTRA_CODES = ("KOS",)  # PLOVER codes with no ISO 3166 entry
# CAMEO sector codes that PLOVER renamed or folded (manual, "Sector code notes").
CAMEO_SECTOR_MAP = {
    "HLH": "MED",
    "MED": "JRN",
    "INS": "REB",
    "SEP": "REB",
    "RAD": "REB",
    "MOD": "",
    "IGO": "GOV",
    "UAF": "UAF",
    "IRC": "NGO",
    "PRE": "PRE",
}

# Alias kinds, in the order the resolver prefers them when one key has several entries.
KIND_PRIORITY = {
    "user": 0,
    "person": 1,
    "org": 2,
    "pre": 3,
    "seat": 4,
    "capital": 5,
    "country": 6,
    "demonym": 7,
    "people": 8,
    "place": 9,
    "uncoded": 10,
    "title": 11,
    "noun": 12,
    "modifier": 13,
}
CUE_KINDS = frozenset({"pre", "seat", "capital", "country", "demonym", "people", "place"})
NAME_KINDS = frozenset({"user", "person", "org"})

BUNDLED_FILES = (
    "countries.generated.csv",
    "countries.yaml",
    "orgs.yaml",
    "sectors.yaml",
    "people.yaml",
)


class KBError(ValueError):
    """A data file is malformed; the message names the file and the entry."""


def _in_force(start: dt.date | None, end: dt.date | None, when: dt.date) -> bool:
    """``when`` lies in the range (open ends are unbounded)."""
    return (start is None or start <= when) and (end is None or when <= end)


@dataclass(frozen=True, slots=True)
class Role:
    """One time-bounded affiliation: code + sector (+ a title such as 'president')."""

    code: str
    sector: str
    title: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    def valid(self, when: dt.date) -> bool:
        return _in_force(self.start, self.end, when)

    def span_text(self) -> str:
        a = self.start.isoformat() if self.start else ""
        b = self.end.isoformat() if self.end else ""
        return f"{a}..{b}"


@dataclass(frozen=True, slots=True)
class Named:
    """A person, organisation or user-supplied actor: names plus code/sector over time."""

    id: str
    name: str
    kind: str  # 'person' | 'org' | 'user'
    code: str = ""
    sector: str = ""
    roles: tuple[Role, ...] = ()
    family_first: bool = False
    source: str = ""

    def role_at(
        self,
        when: dt.date | None,
        hint_words: frozenset[str] = frozenset(),
        code_hint: str = "",
        sector_hint: str = "",
    ) -> tuple[Role | None, str]:
        """The role valid at ``when`` (or the best guess without a date) and a short reason.

        Among candidate roles, one in the country named in the phrase wins, then the one whose
        title shares most words with the phrase ("National Assembly president"), then one with
        the title's sector ("General Michel Aoun" -> MIL), then the latest.
        After the last government/military office has ended (and no other role is valid) the
        person counts as ELI (PLOVER: former officials), with that office's country.
        """
        roles = self.roles or (Role(self.code, self.sector),)
        if when is None:
            cands = list(roles)
        else:
            cands = [r for r in roles if r.valid(when)]
            if not cands:
                past = [r for r in roles if r.end is not None and r.end < when]
                past = [r for r in past if r.sector in {"GOV", "MIL", "LEG", "JUD", "COP", "SPY"}]
                if past:
                    last = max(past, key=lambda r: r.end or dt.date.min)
                    return Role(
                        last.code, "ELI", f"former {last.title}".strip(), last.end, None
                    ), "no office at that date; former office"
                return None, "no role at that date"

        def score(r: Role) -> tuple[int, int, int, dt.date]:
            t = len(hint_words & set(fold(r.title).split()))
            c = 1 if code_hint and r.code == code_hint else 0
            s = 1 if sector_hint and r.sector == sector_hint else 0
            return (c, t, s, r.start or dt.date.min)

        best = max(cands, key=score)
        return best, "office at that date" if when else "latest/matching office"


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias in the index."""

    kind: str
    surface: str
    code: str = ""
    sector: str = ""
    ref: str = ""  # Named.id for person/org/user; sector word head for title/noun
    case_sensitive: bool = False
    proper: bool = True
    weak: bool = False
    priority: int = 1  # 0 = user file (wins), 1 = bundled
    forms: tuple[str, ...] = ()  # surface token texts, for case-sensitive checks
    # places whose state changed ("Juba": Sudan until 2011-07-08, South Sudan after)
    start: dt.date | None = None
    end: dt.date | None = None
    # a people whose name is also a given name ("Karen"): only before a common noun
    before_noun: bool = False

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def valid(self, when: dt.date | None) -> bool:
        """In force at ``when``; without a date, in force now (no end)."""
        if when is None:
            return self.end is None
        return _in_force(self.start, self.end, when)


@dataclass(frozen=True, slots=True)
class Match:
    """A run of tokens ``[i, j)`` that matches one or more index entries."""

    i: int
    j: int
    entries: tuple[Entry, ...]
    fuzzy: bool = False
    # the entry that speaks for the match: user files first, then the kind's priority
    best: Entry = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        best = min(self.entries, key=lambda e: (e.priority, KIND_PRIORITY.get(e.kind, 99)))
        object.__setattr__(self, "best", best)


@dataclass
class _Builder:
    """Collects entries while files are read; turned into an immutable ActorKB."""

    index: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    named: dict[str, Named] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, alias: str, entry: Entry, case_sensitive: bool | None = None) -> None:
        alias = alias.strip()
        if not alias:
            return
        if alias.lower().startswith("the ") and len(alias) > 4:
            alias = alias[4:]
        key = key_of(alias)
        if not key:
            return
        cs = is_acronym(alias) if case_sensitive is None else case_sensitive
        proper = entry.proper and alias[:1].isupper()
        e = Entry(
            entry.kind,
            alias,
            entry.code,
            entry.sector,
            entry.ref,
            cs,
            proper,
            entry.weak,
            entry.priority,
            tuple(t.text for t in tokenize(alias)),
            entry.start,
            entry.end,
            entry.before_noun,
        )
        bucket = self.index.setdefault(key, [])
        if e not in bucket:
            bucket.append(e)


# ---------------------------------------------------------------------------------------------
# parsing helpers


def parse_date(v: Any, where: str) -> dt.date | None:
    """Dates in data files: YYYY-MM-DD, YYYY-MM, YYYY, '' / None / '?' (open)."""
    if v is None or v == "" or v == "?":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    try:
        if re.fullmatch(r"\d{4}", s):
            return dt.date(int(s), 1, 1)
        if re.fullmatch(r"\d{4}-\d{2}", s):
            return dt.date(int(s[:4]), int(s[5:7]), 1)
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise KBError(f"{where}: bad date {v!r}") from exc


_ROLE_RE = re.compile(r"^\s*([A-Z]{3})\s+([A-Z]{3}|-)\s+(.*?)\s*(\S*)\.\.(\S*)\s*$")


def parse_role(s: str, where: str) -> Role:
    """``"USA GOV president 2017-01-20..2021-01-20"`` (sector ``-`` = none; dates optional)."""
    m = _ROLE_RE.match(s)
    if not m:
        raise KBError(f"{where}: bad role {s!r} (want 'CODE SECTOR title START..END')")
    code, sector, title, a, b = m.groups()
    return Role(
        code, "" if sector == "-" else sector, title, parse_date(a, where), parse_date(b, where)
    )


def plural(word: str) -> str:
    """English plural for sector nouns/titles ("spokesperson" -> "spokespeople")."""
    w = word
    if w.endswith("person"):
        return w[:-6] + "people"
    if w.endswith("man") and not w.endswith("human"):
        return w[:-3] + "men"
    if re.search(r"[^aeiou]y$", w):
        return w[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", w):
        return w + "es"
    return w + "s"


def demonym_plural(adj: str) -> str | None:
    """People form of a demonym adjective ("Peruvian" -> "Peruvians"; "Chinese" -> None)."""
    if is_acronym(adj) or re.search(r"(ese|ish|ch|sh|ss)$", adj):
        return None
    return adj + "s"


# ---------------------------------------------------------------------------------------------
# loading


def _data_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "actors"


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise KBError(f"{path.name}: YAML error: {exc}") from exc


def _load_generated(b: _Builder, path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["alpha_3"]
            if row["status"] == "dependency":
                code = row["parent"]
            else:
                b.country_names[code] = row["plover_name"]
            for col in ("plover_name", "common_name", "name", "official_name"):
                v = (row.get(col) or "").strip()
                if v and "," not in v and "(" not in v:
                    b.add(v, Entry("country", v, code, ref=code))


def _load_countries(b: _Builder, path: Path) -> None:
    data = _read_yaml(path) or {}
    for key, spec in (data.get("countries") or {}).items():
        code = spec.get("code", key)
        where = f"{path.name}: {key}"
        for n in spec.get("names") or []:
            b.add(n, Entry("country", n, code, "", ref=code))
        for a in spec.get("adj") or []:
            b.add(a, Entry("demonym", a, code, "", ref=code))
            p = demonym_plural(a)
            if p:
                b.add(p, Entry("people", p, code, "", ref=code))
        for p in spec.get("people") or []:
            b.add(p, Entry("people", p, code, "", ref=code))
        for c in spec.get("capitals") or []:
            b.add(c, Entry("capital", c, code, "GOV", ref=code))
        for s, sec in (spec.get("seats") or {}).items():
            if sec not in SECTOR_CODES:
                raise KBError(f"{where}: seat {s!r} has unknown sector {sec!r}")
            b.add(s, Entry("seat", s, code, sec, ref=code))
    for code, names in (data.get("pre") or {}).items():
        for n in names:
            b.add(n, Entry("pre", n, code, "PRE", ref=code))
    for n in data.get("uncoded") or []:
        b.add(n, Entry("uncoded", n))
    for n in data.get("communities") or []:
        b.add(n, Entry("uncoded", n, ref="community"))
    for code, names in (data.get("places") or {}).items():
        for n in names or []:
            b.add(n, Entry("place", n, code, "", ref=code))
    for code, names in (data.get("name_peoples") or {}).items():
        for n in names or []:
            b.add(n, Entry("people", n, code, "", ref=code, before_noun=True))
    for n, specs in (data.get("dated") or {}).items():
        for spec in specs:
            m = _DATED_RE.match(str(spec))
            if not m:
                raise KBError(
                    f"{path.name}: dated {n!r}: bad entry {spec!r} (want 'CODE KIND START..END')"
                )
            code, kind, a, z = m.groups()
            where = f"{path.name}: dated {n!r}"
            start, end = parse_date(a, where), parse_date(z, where)
            sector = "GOV" if kind == "capital" else ""
            b.add(n, Entry(kind, n, code, sector, ref=code, start=start, end=end))
    _date_undated(b)


_DATED_RE = re.compile(
    r"^\s*([A-Z]{3})\s+(country|demonym|people|capital|place)\s+(\S*)\.\.(\S*)\s*$"
)


def _date_undated(b: _Builder) -> None:
    """Other entries of a dated name's code follow its dates ("South Sudan" from the ISO table
    is South Sudan only from 2011-07-09)."""
    for key, bucket in b.index.items():
        spans = {(e.code, e.start, e.end) for e in bucket if e.dated}
        if not spans:
            continue
        by_code = {c: (a, z) for c, a, z in spans}
        if len(by_code) != len(spans):
            continue  # one code with several date ranges: leave the undated entries alone
        b.index[key] = [
            dataclasses.replace(e, start=by_code[e.code][0], end=by_code[e.code][1])
            if not e.dated and e.kind in CUE_KINDS and e.code in by_code
            else e
            for e in bucket
        ]


def _load_sectors(b: _Builder, path: Path, priority: int = 1) -> None:
    data = _read_yaml(path) or {}
    invariant = {fold(w) for w in data.get("invariant") or []}
    weak = {fold(w) for w in data.get("weak") or []}
    for group, kind in (("titles", "title"), ("nouns", "noun")):
        for sector, words in (data.get(group) or {}).items():
            for w in words:
                w = str(w)
                forms = [w] if fold(w) in invariant or is_acronym(w) else [w, plural(w)]
                for f in forms:
                    head = fold(w).split()[-1]
                    b.add(
                        f,
                        Entry(
                            kind,
                            f,
                            "",
                            sector,
                            ref=head,
                            proper=False,
                            weak=fold(f) in weak or fold(w) in weak,
                            priority=priority,
                        ),
                    )
    for sector, words in (data.get("modifiers") or {}).items():
        for w in words:
            b.add(str(w), Entry("modifier", str(w), "", sector, proper=False, priority=priority))


def _named_entries(b: _Builder, n: Named, aliases: Iterable[str], priority: int) -> None:
    b.named[n.id] = n
    for a in [n.name, *aliases]:
        b.add(str(a), Entry(n.kind, str(a), n.code, n.sector, ref=n.id, priority=priority))


def _load_orgs(b: _Builder, path: Path) -> None:
    data = _read_yaml(path) or {}
    for i, o in enumerate(data.get("orgs") or []):
        where = f"{path.name}: orgs[{i}] {o.get('name')!r}"
        if not o.get("name") or not o.get("code"):
            raise KBError(f"{where}: needs name and code")
        roles = tuple(parse_role(r, where) for r in o.get("roles") or [])
        oid = o.get("id") or "sdl:" + re.sub(r"[^a-z0-9]+", "-", fold(o["name"])).strip("-")
        n = Named(oid, o["name"], "org", o["code"], o.get("sector") or "", roles, source=path.name)
        _named_entries(b, n, o.get("aliases") or [], 1)


def _load_people(b: _Builder, path: Path) -> None:
    data = _read_yaml(path) or {}
    for i, p in enumerate(data.get("people") or []):
        where = f"{path.name}: people[{i}] {p.get('name')!r}"
        if not p.get("name") or not p.get("id") or not p.get("roles"):
            raise KBError(f"{where}: needs id, name and roles")
        roles = tuple(parse_role(r, where) for r in p["roles"])
        last = max(roles, key=lambda r: r.start or dt.date.min)
        n = Named(
            p["id"],
            p["name"],
            "person",
            last.code,
            last.sector,
            roles,
            bool(p.get("family_first")),
            path.name,
        )
        _named_entries(b, n, p.get("aliases") or [], 1)


def _load_user_table(b: _Builder, path: Path) -> None:
    """User YAML/CSV: entries {name, aliases, code, sector, start?, end?, identifier_id?}."""
    rows: list[dict[str, Any]]
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [dict(r) for r in csv.DictReader(fh)]
        for r in rows:
            al = r.get("aliases") or ""
            r["aliases"] = [a.strip() for a in re.split(r"[;|]", al) if a.strip()]
    else:
        data = _read_yaml(path)
        rows = data.get("actors", data) if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise KBError(f"{path.name}: want a list of actors (or a mapping with 'actors')")
    for i, r in enumerate(rows):
        where = f"{path.name}: entry {i + 1} {r.get('name')!r}"
        if not r.get("name") or not r.get("code"):
            raise KBError(f"{where}: needs name and code")
        code, sector = str(r["code"]).upper(), str(r.get("sector") or "").upper()
        role = Role(
            code,
            sector,
            str(r.get("title") or ""),
            parse_date(r.get("start"), where),
            parse_date(r.get("end"), where),
        )
        rid = str(r.get("identifier_id") or "user:" + re.sub(r"[^a-z0-9]+", "-", fold(r["name"])))
        n = Named(rid, str(r["name"]), "user", code, sector, (role,), source=path.name)
        _named_entries(b, n, r.get("aliases") or [], 0)


def _looks_petrarch(path: Path) -> bool:
    if path.suffix.lower() in {".txt", ".dict", ".pdict", ".verbs"}:
        return True
    if path.suffix.lower() in {".yaml", ".yml", ".csv", ".json"}:
        return False
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    return bool(re.search(r"\[~?[A-Z]{3}", head))


# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=50_000)
def _deletions(word: str) -> frozenset[str]:
    """The word and every string one deletion away from it (remembered: the same words come
    back in every fuzzy window)."""
    return frozenset({word, *(word[:x] + word[x + 1 :] for x in range(len(word)))})


class ActorKB:
    """Immutable alias index over countries, organisations, people and sector vocabulary.

    It also remembers computed answers (phrase analyses, fuzzy windows) in
    bounded caches: the same names come back in every article."""

    def __init__(self, b: _Builder, bare_country_sector: str = "") -> None:
        self._index: dict[tuple[str, ...], tuple[Entry, ...]] = {
            k: tuple(v) for k, v in b.index.items()
        }
        self.named: dict[str, Named] = dict(b.named)
        self.country_names: dict[str, str] = dict(b.country_names)
        self.bare_country_sector = bare_country_sector
        self.max_len = max((len(k) for k in self._index), default=1)
        # longest key per first token: most text positions start no key at all
        self._first: dict[str, int] = {}
        for k in self._index:
            self._first[k[0]] = max(self._first.get(k[0], 0), len(k))
        fuzzy: dict[int, list[tuple[tuple[str, ...], tuple[Entry, ...]]]] = {}
        for k, es in self._index.items():
            fuzzy_kinds = {"org", "person", "country", "user", "demonym", "people"}
            if any(e.kind in fuzzy_kinds and e.proper for e in es) and (
                (len(k) >= 2 and sum(len(t) for t in k) >= 8) or (len(k) == 1 and len(k[0]) >= 7)
            ):
                fuzzy.setdefault(len(k), []).append((k, es))
        self._fuzzy = fuzzy
        # Deletion-neighbourhood index for fuzzy_match: two words within one edit share a
        # one-deletion variant, so a window only looks up its own variants instead of scanning
        # every long name (this scan was 2/3 of the coder's time on long articles).
        near: dict[tuple[int, int, tuple[str, ...], str], list[int]] = {}
        self._fuzzy_list: list[tuple[tuple[str, ...], tuple[Entry, ...]]] = []
        for L in sorted(fuzzy):
            for k, es in fuzzy[L]:
                n = len(self._fuzzy_list)
                self._fuzzy_list.append((k, es))
                for pos, word in enumerate(k):
                    if len(word) < 4:
                        continue
                    rest = k[:pos] + k[pos + 1 :]
                    for d in _deletions(word):
                        near.setdefault((L, pos, rest, d), []).append(n)
        self._near = {key: tuple(dict.fromkeys(v)) for key, v in near.items()}
        # the words each position of a fuzzy name of length L can hold
        self._fuzzy_words: dict[int, list[frozenset[str]]] = {
            L: [frozenset(k[x] for k, _ in fuzzy[L]) for x in range(L)] for L in fuzzy
        }
        self._fuzzy_shortest = {L: min(sum(map(len, k)) for k, _ in fuzzy[L]) - 1 for L in fuzzy}
        self._fuzzy_seen: dict[tuple[str, ...], tuple[Entry, ...] | None] = {}
        self._analysed: dict[str, tuple[tuple[Token, ...], tuple[Match, ...]]] = {}

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        extra: Sequence[Path | str] = (),
        *,
        bare_country_sector: str = "",
        data_dir: Path | None = None,
    ) -> ActorKB:
        """Bundled files, then user YAML/CSV and PETRARCH/OEDA dictionaries (user wins).

        ``bare_country_sector`` is the sector given to a bare country name ("Jordan"): ""
        by default (the PLOVER GSR convention); pass "GOV" for the seeds-gold convention.
        """
        if not extra and data_dir is None:
            return _load_bundled(bare_country_sector)
        return cls(_build(tuple(Path(p) for p in extra), data_dir), bare_country_sector)

    # -- lookup --------------------------------------------------------------------------------

    def entries(self, alias: str) -> tuple[Entry, ...]:
        """All index entries for an alias string (case-insensitive key)."""
        return self._index.get(key_of(alias), ())

    def iter_entries(self) -> Iterator[tuple[tuple[str, ...], tuple[Entry, ...]]]:
        yield from self._index.items()

    def _ok(self, e: Entry, toks: Sequence[Token]) -> bool:
        if e.case_sensitive:
            return tuple(t.text.replace("’", "'") for t in toks) == tuple(
                f.replace("’", "'") for f in e.forms
            )
        if e.proper:
            return toks[0].text[:1].isupper() or toks[0].text[:1].isdigit()
        return True

    def match(
        self,
        toks: Sequence[Token],
        overlay: dict[tuple[str, ...], tuple[Entry, ...]] | None = None,
        kinds: frozenset[str] | None = None,
    ) -> list[Match]:
        """Greedy longest-first matching of index keys over ``toks`` (non-overlapping)."""
        out: list[Match] = []
        i, n = 0, len(toks)
        norms = [t.norm for t in toks]
        first = self._first
        own: dict[str, int] = {}  # the document's names: longest key per first token
        for k in overlay or ():
            own[k[0]] = max(own.get(k[0], 0), len(k))
        while i < n:
            found: Match | None = None
            longest = first.get(norms[i], 0)
            if own:
                longest = max(longest, own.get(norms[i], 0))
            if not longest:  # most words start no name
                i += 1
                continue
            for L in range(min(longest, n - i), 0, -1):
                key = tuple(norms[i : i + L])
                cands = list(overlay.get(key, ())) if overlay else []
                cands += self._index.get(key, ())
                if kinds is not None:
                    cands = [e for e in cands if e.kind in kinds]
                ok = tuple(
                    e
                    for e in cands
                    if self._ok(e, toks[i : i + L])
                    and (not e.before_noun or (i + L < n and toks[i + L].text[:1].islower()))
                )
                if ok:
                    found = Match(i, i + L, ok)
                    break
            if found:
                out.append(found)
                i = found.j
            else:
                i += 1
        return out

    def analyse(self, text: str) -> tuple[tuple[Token, ...], tuple[Match, ...]]:
        """``tokenize`` and ``match`` (no document overlay) of a phrase, remembered: the same
        names ("Syria", "the US", "Trump") are resolved over and over."""
        hit = self._analysed.get(text)
        if hit is None:
            toks = tuple(tokenize(text))
            hit = (toks, tuple(self.match(toks)))
            if len(self._analysed) >= 20_000:
                self._analysed.clear()  # bounded on endless streams
            if len(text) <= 200:  # whole sentences seldom repeat
                self._analysed[text] = hit
        return hit

    def fuzzy_match(
        self, toks: Sequence[Token], i: int, j: int, covered: frozenset[int] = frozenset()
    ) -> list[Match]:
        """Edit-distance-1 matches of long proper names inside ``toks[i:j]`` (typo tolerance).

        Only tokens no exact alias covers take part ("Latin America" is not "American").
        """
        starts = [s for s in range(i, j) if toks[s].is_cap]  # a name starts with a capital
        if not starts:
            return []
        all_norms = [t.norm for t in toks]
        for L in sorted(self._fuzzy, reverse=True):
            for s in starts:
                if s > j - L:
                    break
                if covered and any(k in covered for k in range(s, s + L)):
                    continue
                norms = tuple(all_norms[s : s + L])
                if norms in self._fuzzy_seen:
                    hit = self._fuzzy_seen[norms]
                else:
                    if len(self._fuzzy_seen) >= 50_000:
                        self._fuzzy_seen.clear()  # bounded on endless streams
                    hit = self._fuzzy_seen[norms] = self._fuzzy_name(norms)
                if hit is not None:
                    return [Match(s, s + L, hit, fuzzy=True)]
        return []

    def _fuzzy_name(self, norms: tuple[str, ...]) -> tuple[Entry, ...] | None:
        """The entries of the first long name one edit away from the words ``norms``."""
        from sanderling.actors.text import edit1

        L = len(norms)
        # A name within one edit is at most one letter longer than the window and shares all
        # its words but one with it.
        if sum(len(w) for w in norms) < self._fuzzy_shortest[L]:
            return None
        exact = self._fuzzy_words[L]
        if L > 1 and sum(w in exact[x] for x, w in enumerate(norms)) < L - 1:
            return None
        hits: set[int] = set()
        for pos, word in enumerate(norms):
            rest = norms[:pos] + norms[pos + 1 :]
            for d in _deletions(word):
                hits.update(self._near.get((L, pos, rest, d), ()))
        for n in sorted(hits):  # the order of the names list, as a scan would find them
            k, es = self._fuzzy_list[n]
            diff = [x for x in range(L) if norms[x] != k[x]]
            if len(diff) == 1 and len(k[diff[0]]) >= 4 and edit1(norms[diff[0]], k[diff[0]]):
                return es
        return None

    # -- API -----------------------------------------------------------------------------------

    def resolve(self, text: str, when: dt.date | None = None) -> list[Resolution]:
        """All entities named by a noun phrase (``[]`` if none); see :mod:`.resolve`."""
        from sanderling.actors.resolve import resolve_phrase

        return resolve_phrase(self, text, when, None)

    def scan(self, text: str) -> list[Resolution]:
        """Every name/alias occurrence in a longer text: a cheap pre-filter over sentences."""
        toks = tokenize(text)
        out: list[Resolution] = []
        for m in self.match(toks):
            e = m.best
            if e.kind in {"title", "noun", "modifier", "uncoded"}:
                continue
            out.append(self.entry_resolution(e, toks[m.i].start, toks[m.j - 1].end, None))
        return out

    def entry_resolution(
        self, e: Entry, start: int, end: int, when: dt.date | None, why: str = ""
    ) -> Resolution:
        """A Resolution for one matched entry with no phrase context."""
        if e.kind in NAME_KINDS:
            n = self.named[e.ref]
            role, _ = n.role_at(when)
            code, sector = (role.code, role.sector) if role else (n.code, n.sector)
            return Resolution(
                code, sector, start, end, n.id, n.name, n.kind, why or f"{n.kind} {n.name!r}"
            )
        sector = self.bare_country_sector if e.kind == "country" else e.sector
        kind = {"pre": "country", "seat": "capital", "people": "demonym", "place": "country"}.get(
            e.kind, e.kind
        )
        return Resolution(
            e.code,
            sector,
            start,
            end,
            None,
            self.country_names.get(e.code),
            kind,
            why or f"{e.kind} {e.surface!r} -> {e.code}",
        )


@dataclass(frozen=True, slots=True)
class Resolution:
    """One resolved entity: PLOVER code + sector, where in the text, who, and why."""

    code: str
    sector: str
    start: int
    end: int
    identifier_id: str | None
    identifier_text: str | None
    kind: str
    why: str

    def shifted(self, offset: int) -> Resolution:
        if not offset:
            return self
        return Resolution(
            self.code,
            self.sector,
            self.start + offset,
            self.end + offset,
            self.identifier_id,
            self.identifier_text,
            self.kind,
            self.why,
        )


def _build(extra: tuple[Path, ...], data_dir: Path | None) -> _Builder:
    from sanderling.actors.petrarch import load_petrarch

    d = data_dir or _data_dir()
    b = _Builder()
    _load_generated(b, d / "countries.generated.csv")
    _load_countries(b, d / "countries.yaml")
    _load_orgs(b, d / "orgs.yaml")
    _load_sectors(b, d / "sectors.yaml")
    _load_people(b, d / "people.yaml")
    for p in extra:
        if not p.exists():
            raise KBError(f"{p}: no such actors file")
        if _looks_petrarch(p):
            load_petrarch(b, p)
        else:
            _load_user_table(b, p)
    return b


@functools.lru_cache(maxsize=4)
def _load_bundled(bare_sector: str) -> ActorKB:
    return ActorKB(_build((), None), bare_sector)
