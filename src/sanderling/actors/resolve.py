"""Mention resolution: noun phrase -> PLOVER entities, with in-document coreference.

A phrase is tokenised, matched against the KB index, split into conjuncts at "and", "&" and
commas that fall outside a matched name ("Health and Human Services" is one title), and each
conjunct becomes at most one entity:

1. a known person (time-aware office) or one registered earlier in the document;
2. an organisation (its code; a sector word in the phrase overrides its default sector);
3. an unlisted person introduced by title + country ("Peruvian President Martín Vizcarra");
4. a country cue (name, demonym, capital, seat) + the phrase's sector word ("Israeli troops");
5. with a DocumentActors context only: a bare sector word ("the police") gets the document's
   dominant country.

Conjuncts share what they lack: "Senior Hungarian and Romanian officials" gives both
countries the sector of "officials"; "the government and people of Peru" gives "the
government" the country Peru. See docs/actors.md for the rules and their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sanderling.actors.kb import CUE_KINDS, NAME_KINDS, ActorKB, Entry, Match, Named, Resolution
from sanderling.actors.text import Token, fold, tokenize

PREPS = frozenset(
    {
        "of",
        "in",
        "from",
        "near",
        "at",
        "to",
        "for",
        "into",
        "across",
        "throughout",
        "within",
        "on",
        "against",
        "with",
        "by",
        "outside",
        "inside",
        "over",
        "under",
        "toward",
        "towards",
        "between",
        "among",
        "loyal",
        "based",
    }
)
SPLITTERS = frozenset({"and", "&", ",", ";", "or", "/", "plus"})
# "Syrian-backed militia", "Russian-made rockets", "NATO-member Norway", "Bosnia-style war": the
# name describes the head; it is not the party.
DESCRIPTIVE_SUFFIXES = frozenset(
    {"made", "built", "brokered", "occupied", "style", "member", "owned", "designed"}
)
# "Iranian-backed forces": a patron, not the party; but with no other cue the best guess
PATRON_SUFFIXES = frozenset(
    {"backed", "funded", "sponsored", "supported", "trained", "armed", "inspired", "allied"}
)
# every "<name>-<suffix>" that describes something else than the name ("Syrian-backed militia")
NAME_MODIFIER_SUFFIXES = DESCRIPTIVE_SUFFIXES | PATRON_SUFFIXES
# "the Russian language", "Russian-language radio": the demonym names a language, not a party
LANGUAGE_HEADS = frozenset(
    {"language", "languages", "dialect", "dialects", "tongue", "alphabet", "script", "literature"}
)
# "Israel's militia ally", "Iran's proxies": the possessor is a patron, not the party
ALLY_HEADS = frozenset({"ally", "allies", "proxy", "proxies", "client", "clients", "surrogate"})
DETS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})
PARTICLES = frozenset(
    {
        "de",
        "da",
        "do",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "al",
        "el",
        "bin",
        "ibn",
        "abu",
        "bint",
        "la",
        "le",
        "di",
        "du",
        "del",
        "ben",
        "ould",
        "ter",
    }
)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her", "hers", "himself", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
# "It said it would ..." in news: the most recent state or organisation, never a person.
IT_PRONOUNS = frozenset({"it", "its", "itself"})
PAIR_HEADS = frozenset(
    {
        "countries",
        "nations",
        "sides",
        "governments",
        "neighbors",
        "neighbours",
        "parties",
        "states",
        "leaders",
        "presidents",
        "ministers",
        "men",
    }
)
PERSON_PAIR_HEADS = frozenset({"leaders", "presidents", "ministers", "men"})
COUNTRY_ANAPHORS = frozenset({"country", "nation", "state", "kingdom", "republic"})
# Name-ish tokens never taken as part of an unlisted person's name.
NOT_NAMES = frozenset({"the", "of", "and", "said", "says", "on", "in", "to", "for", "'s"})
# Countries whose names English news writes family name first (for surname coreference).
FAMILY_FIRST_CODES = frozenset({"CHN", "TWN", "HKG", "KOR", "PRK", "VNM", "KHM", "SGP", "MMR"})


@dataclass(frozen=True, slots=True)
class _Ref:
    """What the document remembers about one resolved entity."""

    code: str
    sector: str
    identifier_id: str | None
    identifier_text: str | None
    kind: str
    titles: frozenset[str] = frozenset()
    person: bool = False


@dataclass
class _Conj:
    i: int  # token range of the conjunct
    j: int
    matches: list[Match]
    res: Resolution | None = None
    ref: _Ref | None = None
    cue: Match | None = None
    sector_word: Match | None = None
    bare_demonym: bool = False


def _span(toks: Sequence[Token], i: int, j: int) -> tuple[int, int]:
    while i < j - 1 and toks[i].norm in DETS:
        i += 1
    while j > i + 1 and not toks[j - 1].text[:1].isalnum():
        j -= 1
    return toks[i].start, toks[j - 1].end


def _best_sector_word(ms: Sequence[Match], toks: Sequence[Token], ci: int) -> Match | None:
    """The phrase's sector word: the head (before any preposition), specific over generic."""
    words = [m for m in ms if m.best.kind in {"title", "noun"}]
    if not words:
        return None
    head = [m for m in words if not _after_prep(toks, ci, m)]
    if head and all(any(e.weak for e in m.entries) for m in head):
        # "a member of the parliament", "the head of the army": the institution decides
        tail = [m for m in words if m not in head and not any(e.weak for e in m.entries)]
        head = head + tail[:1]
    words = head or words
    strong = [m for m in words if not any(e.weak for e in m.entries)]
    return (strong or words)[-1]


def _descriptive(
    toks: Sequence[Token], m: Match, words: frozenset[str] = NAME_MODIFIER_SUFFIXES
) -> bool:
    return m.j < len(toks) and toks[m.j].joined and toks[m.j].norm in words


def _patron_of(toks: Sequence[Token], m: Match, j: int) -> bool:
    """ "Israel's militia ally": a possessor of an ally/proxy noun (before any preposition)."""
    if m.j >= j or toks[m.j].norm != "'s":
        return False
    for k in range(m.j + 1, j):
        if toks[k].norm in PREPS:
            return False
        if toks[k].norm in ALLY_HEADS:
            return True
    return False


def _title_head(m: Match | None) -> str:
    return m.best.ref if m is not None and m.best.kind == "title" else ""


def _after_prep(toks: Sequence[Token], ci: int, m: Match) -> bool:
    return any(toks[k].norm in PREPS for k in range(ci, m.i))


def _name_keys(name: str, family_first: bool) -> list[tuple[str, ...]]:
    """Keys under which a person is found again in the same document ("Xi", "Moon")."""
    toks = [t for t in tokenize(name) if t.text[:1].isalnum()]
    if not toks:
        return []
    # group hyphen-joined parts ("Jae-in") with the previous token
    words: list[list[Token]] = []
    for t in toks:
        if t.joined and words:
            words[-1].append(t)
        else:
            words.append([t])
    keys = [tuple(t.norm for t in toks)]
    core = [w for w in words if w[0].norm not in PARTICLES]
    if len(core) >= 2:
        pick = core[0] if family_first else core[-1]
        keys.append(tuple(t.norm for t in pick))
        if not family_first and len(words) >= 2 and words[-2][0].norm in PARTICLES:
            keys.append(tuple(t.norm for w in words[-2:] for t in w))  # "al-Assad", "de Klerk"
    return keys


@dataclass(frozen=True)
class _Memory:
    overlay: dict[tuple[str, ...], tuple[Entry, ...]]
    refs: dict[str, _Ref]
    history: list[_Ref]
    last_multi: list[_Ref]
    counts: Counter[str]
    subjects: Counter[str]


class DocumentActors:
    """Resolve mentions within one document, remembering what it has named so far."""

    def __init__(self, kb: ActorKB, when: dt.date | None) -> None:
        self.kb = kb
        self.when = when
        self._overlay: dict[tuple[str, ...], tuple[Entry, ...]] = {}
        self._refs: dict[str, _Ref] = {}
        self._history: list[_Ref] = []
        self._last_multi: list[_Ref] = []
        self._counts: Counter[str] = Counter()
        self._subjects: Counter[str] = Counter()  # mentions as a sentence's subject

    # -- public --------------------------------------------------------------------------------

    def resolve(
        self, text: str, offset: int = 0, where: str = "", near: str = "", subject: bool = False
    ) -> list[Resolution]:
        """Like :meth:`ActorKB.resolve`, plus coreference; offsets shifted by ``offset``.

        ``where``: places named near the phrase in its sentence, nearest first ("Sweden,
        Bulgaria"): an "ethnic X" phrase without a place of its own takes the first place that
        is not X's own state (PLOVER codes a minority by the state it lives in). ``near``: the
        places within a few words; a community + sector word ("Moslem forces") belongs there.
        ``subject``: the phrase is the subject of its sentence's event, not of a reporting verb
        (salience, see :meth:`dominant_code`)."""
        return [
            r.shifted(offset)
            for r in resolve_phrase(self.kb, text, self.when, self, where, near, subject)
        ]

    def snapshot(self) -> _Memory:
        """The document memory, to undo tentative resolutions (candidates that were not used)."""
        return _Memory(
            dict(self._overlay),
            dict(self._refs),
            list(self._history),
            list(self._last_multi),
            Counter(self._counts),
            Counter(self._subjects),
        )

    def restore(self, snap: _Memory) -> None:
        """Go back to a :meth:`snapshot`."""
        self._overlay = dict(snap.overlay)
        self._refs = dict(snap.refs)
        self._history = list(snap.history)
        self._last_multi = list(snap.last_multi)
        self._counts = Counter(snap.counts)
        self._subjects = Counter(snap.subjects)

    def observe(self, text: str) -> None:
        """Let the document see a sentence without asking for entities (feeds coreference)."""
        resolve_phrase(self.kb, text, self.when, self)

    # -- used by resolve_phrase ----------------------------------------------------------------

    @property
    def overlay(self) -> dict[tuple[str, ...], tuple[Entry, ...]]:
        return self._overlay

    def ref_for(self, rid: str) -> _Ref | None:
        return self._refs.get(rid)

    def mentions(self, code: str) -> int:
        """How often the document has named ``code`` so far."""
        return self._counts[code]

    def dominant_code(self) -> str | None:
        """The most mentioned code so far; among equals, the one more often a subject ("Turkish
        police stopped a march against the war in Iraq" is about Turkey), then the first."""
        if not self._counts:
            return None
        return max(self._counts, key=lambda c: (self._counts[c], self._subjects[c]))

    def recent(self, person: bool | None = None, title: str = "") -> _Ref | None:
        for r in reversed(self._history):
            if person is not None and r.person != person:
                continue
            if title and title not in r.titles and not (title == "leader" and r.person):
                continue
            return r
        return None

    def recent_country(self, window: int = 8) -> str | None:
        """The country "the country" most likely means: the most frequent state among the
        last ``window`` mentions, ties broken by recency (a bare "most recent" picks up
        every country named in passing, e.g. "... and countries including the US")."""
        recent = [r.code for r in self._history[-window:] if r.code in self.kb.country_names]
        if not recent:
            return None
        counts = Counter(recent)
        return max(
            counts, key=lambda c: (counts[c], max(i for i, x in enumerate(recent) if x == c))
        )

    def pair(self, persons: bool) -> list[_Ref]:
        if self._last_multi and (not persons or all(r.person for r in self._last_multi)):
            return list(self._last_multi)
        out: list[_Ref] = []
        for r in reversed(self._history):
            if persons and not r.person:
                continue
            key = r.identifier_id if persons else r.code
            if all((x.identifier_id if persons else x.code) != key for x in out):
                out.append(r)
            if len(out) == 2:
                return out[::-1]
        return out[::-1]

    def register(self, results: list[tuple[Resolution, _Ref]], subject: bool = False) -> None:
        refs = [ref for _, ref in results]
        for _res, ref in results:
            self._history.append(ref)
            if ref.code:
                self._counts[ref.code] += 1
                self._subjects[ref.code] += int(subject)
            rid = ref.identifier_id
            if ref.person and rid:
                old = self._refs.get(rid)
                if old is not None and not ref.titles <= old.titles:
                    ref = _Ref(
                        ref.code,
                        ref.sector,
                        ref.identifier_id,
                        ref.identifier_text,
                        ref.kind,
                        old.titles | ref.titles,
                        True,
                    )
                self._refs[rid] = ref
                nm = ref.identifier_text or ""
                fam = ref.code in FAMILY_FIRST_CODES
                named = self.kb.named.get(rid)
                if named is not None:
                    fam = named.family_first or fam
                for k in _name_keys(nm, fam):
                    e = Entry(
                        "person",
                        " ".join(k),
                        ref.code,
                        ref.sector,
                        ref=rid,
                        proper=True,
                        priority=0,
                    )
                    self._overlay[k] = (e,)
        distinct = {(r.identifier_id or r.code) for r in refs}
        if len(distinct) >= 2:
            self._last_multi = refs


def _pronoun_or_anaphor(
    kb: ActorKB, toks: Sequence[Token], doc: DocumentActors
) -> list[tuple[Resolution, _Ref]] | None:
    """Whole-phrase coreference: pronouns, "the country", "both leaders", "the minister"."""
    words = [t for t in toks if t.text[:1].isalnum()]
    while words and words[0].norm in {"the", "a", "an"}:
        words = words[1:]
    if not words or len(words) > 3:
        return None
    norms = [t.norm for t in words]
    s, e = words[0].start, words[-1].end

    def out(ref: _Ref, kind: str, why: str, sector: str | None = None) -> tuple[Resolution, _Ref]:
        sec = ref.sector if sector is None else sector
        return (
            Resolution(ref.code, sec, s, e, ref.identifier_id, ref.identifier_text, kind, why),
            ref,
        )

    singular = ((PERSON_PRONOUNS, True, "person"), (IT_PRONOUNS, False, "state or organisation"))
    for pronouns, person, what in singular:
        if len(norms) == 1 and norms[0] in pronouns:
            ref = doc.recent(person=person)
            if ref is None:
                return []
            name = ref.identifier_text or ref.code
            why = f"pronoun {words[0].text!r} -> most recent {what} {name!r}"
            return [out(ref, "pronoun", why)]
    if (len(norms) == 1 and norms[0] in PLURAL_PRONOUNS) or (
        norms[0] in {"two", "both"} and (len(norms) == 1 or norms[-1] in PAIR_HEADS)
    ):
        persons = norms[-1] in PERSON_PAIR_HEADS
        refs = doc.pair(persons)
        if len(refs) < 2:
            return []
        if norms[-1] in COUNTRY_ANAPHORS | {
            "countries",
            "nations",
            "states",
            "neighbors",
            "neighbours",
            "governments",
        }:
            seen: list[_Ref] = []
            for r in refs:
                if all(x.code != r.code for x in seen):
                    seen.append(
                        _Ref(
                            r.code,
                            kb.bare_country_sector,
                            None,
                            kb.country_names.get(r.code),
                            "country",
                        )
                    )
            refs = seen
        return [
            out(
                r,
                "coref",
                f"{' '.join(w.text for w in words)!r} -> recent pair member "
                f"{r.identifier_text or r.code!r}",
            )
            for r in refs
        ]
    if len(norms) == 1 and norms[0] in COUNTRY_ANAPHORS:
        code = doc.recent_country()
        if not code:
            return []
        ref = _Ref(code, kb.bare_country_sector, None, kb.country_names.get(code), "country")
        return [out(ref, "coref", f"{words[0].text!r} -> most recent country {code}")]
    m = kb.match(list(words), kinds=frozenset({"title"}))
    if len(m) == 1 and m[0].i == 0 and m[0].j == len(words):
        head = m[0].best.ref
        ref = doc.recent(person=True, title=head)
        if ref:
            return [
                out(ref, "coref", f"'the {head}' -> most recent {head} {ref.identifier_text!r}")
            ]
    return None


def _choose_person(kb: ActorKB, m: Match, when: dt.date | None, head: str, code: str) -> Entry:
    """Pick among people sharing an alias ("Bush"): in office then, matching title/country."""
    cands = [e for e in m.entries if e.kind in {"person", "user"}]
    best = m.best
    if len(cands) < 2:
        return best

    def score(e: Entry) -> tuple[int, int, int, int, dt.date]:
        n = kb.named.get(e.ref)
        if n is None:
            return (1 - e.priority, 0, 0, 0, dt.date.min)
        valid = int(when is not None and any(r.valid(when) for r in n.roles))
        t = int(bool(head) and any(head in fold(r.title) for r in n.roles))
        c = int(bool(code) and any(r.code == code for r in n.roles))
        latest = max((r.start or dt.date.min for r in n.roles), default=dt.date.min)
        return (1 - e.priority, valid, c, t, latest)

    return max(cands, key=score)


def _person_result(
    kb: ActorKB,
    named: Named,
    m: Match,
    toks: Sequence[Token],
    when: dt.date | None,
    title: Match | None,
    cue_code: str,
    eli: bool,
    via: str,
) -> tuple[Resolution, _Ref]:
    head = _title_head(title)
    hint = frozenset(t.norm for t in toks) - NOT_NAMES
    role, reason = named.role_at(when, hint, cue_code, title.best.sector if title else "")
    if role is None:
        code, sector, desc = named.code, "", reason
    else:
        code, sector = role.code, role.sector
        cname = kb.country_names.get(code, code)
        desc = f"{role.title or role.sector} of {cname} {role.span_text()}".strip()
    if eli and sector not in {"ELI", ""}:
        sector, desc = "ELI", desc + "; 'former' -> ELI"
    s, e = toks[m.i].start, toks[m.j - 1].end
    kind = "user" if named.kind == "user" else named.kind
    why = f"{named.kind} {named.name!r} ({desc}) via {via}"
    titles = frozenset(
        filter(None, {head, *(fold(r.title).split()[-1] for r in named.roles if r.title)})
    )
    res = Resolution(code, sector, s, e, named.id, named.name, kind, why)
    return res, _Ref(code, sector, named.id, named.name, kind, titles, named.kind == "person")


def _resolve_conj(
    kb: ActorKB,
    toks: Sequence[Token],
    c: _Conj,
    when: dt.date | None,
    doc: DocumentActors | None,
    where: str = "",
    near: str = "",
) -> None:
    ms = c.matches
    if not ms:
        return  # nothing in the index is named here: no party, no cue, no sector word
    eli = any(m.best.kind in {"modifier", "title"} and m.best.sector == "ELI" for m in ms)
    title = next((m for m in reversed(ms) if m.best.kind == "title"), None)
    sw = _best_sector_word(ms, toks, c.i)
    c.sector_word = sw
    # "anti-Syria journalist", "pro-Iranian militia": an attitude, not an affiliation
    cues = [
        m
        for m in ms
        if m.best.kind in CUE_KINDS
        and not (m.i > 0 and toks[m.i].joined and toks[m.i - 1].norm in {"anti", "pro"})
        and not (m.j < len(toks) and toks[m.j].norm in LANGUAGE_HEADS)
    ]
    # "Syrian-backed Amal militia in Lebanon": the backer is not the party; with no other cue
    # ("Iranian-backed forces") it is still the best guess
    community = [m for m in ms if m.best.kind == "uncoded" and m.best.ref == "community"]
    plain = [m for m in cues if not _descriptive(toks, m) and not _patron_of(toks, m, c.j)]
    if plain or not (community and near and sw is not None):
        cues = plain or [m for m in cues if not _descriptive(toks, m, DESCRIPTIVE_SUFFIXES)]
    else:
        cues = []  # "US-backed Kurdish forces in Syria": the community's place, below
    # "ethnic Albanians in south Serbia", "the Albanians of southern Serbia": a people yields
    # to the place named after it (they are that state's residents)
    ethnic = [
        m
        for m in cues
        if (m.i > 0 and toks[m.i - 1].norm == "ethnic")
        or (m.best.kind == "people" and m.j < c.j and toks[m.j].norm in {"of", "in"})
    ]
    places = [m for m in cues if m not in ethnic and m.best.kind not in {"demonym", "people"}]
    if ethnic and places:
        cues = places
    elif ethnic and len(cues) > len(ethnic):
        cues = [m for m in cues if m not in ethnic]
    residence = ""
    if ethnic and cues == ethnic and where and toks[ethnic[0].i - 1].norm == "ethnic":
        home = {m.best.code for m in ethnic}
        lived = _first_state(kb, where, when, skip=home)
        residence = lived.code if lived is not None else ""
    front = [m for m in cues if not _after_prep(toks, c.i, m)]
    cue: Match | None = (front or cues)[0] if (front or cues) else None
    c.cue = cue
    cue_code = cue.best.code if cue else ""
    names = [m for m in ms if m.best.kind in NAME_KINDS and not _descriptive(toks, m)]
    names_front = [m for m in names if not _after_prep(toks, c.i, m)]
    persons = [m for m in names_front or names if m.best.kind in {"person", "user"}]
    orgs = [m for m in names_front or names if m.best.kind == "org"]

    if persons:
        m = persons[0]
        e = _choose_person(kb, m, when, _title_head(title), cue_code)
        named = kb.named.get(e.ref)
        if named is None and doc is not None:
            ref = doc.ref_for(e.ref)
            if ref is not None:
                s, t = toks[m.i].start, toks[m.j - 1].end
                sector = "ELI" if eli else ref.sector
                c.res = Resolution(
                    ref.code,
                    sector,
                    s,
                    t,
                    ref.identifier_id,
                    ref.identifier_text,
                    "coref",
                    f"{toks[m.i].text!r} -> {ref.identifier_text!r} named earlier "
                    f"in the document ({ref.code} {ref.sector})",
                )
                c.ref = ref
                return
        if named is not None:
            full = m.j - m.i >= len(tokenize(named.name))
            via = ("title+name" if title else "name") if full else "short name"
            if e.priority == 0 and doc is not None and doc.ref_for(e.ref) and not full:
                via = "surname seen earlier in the document"
            c.res, c.ref = _person_result(kb, named, m, toks, when, title, cue_code, eli, via)
            poss = m.j < c.j and toks[m.j].norm == "'s"
            if poss and sw is not None and sw.i > m.j and not any(e.weak for e in sw.entries):
                # "Zoran Djindjic's opposition coalition": the group, not the person
                r = c.res
                s, t = _span(toks, c.i, c.j)
                c.res = Resolution(
                    r.code,
                    sw.best.sector,
                    s,
                    t,
                    None,
                    None,
                    "title",
                    f"{sw.best.surface!r} of {named.name!r} ({r.code})",
                )
                c.ref = _Ref(r.code, sw.best.sector, None, None, "title")
            return
    if orgs:
        m = orgs[0]
        named = kb.named[m.best.ref]
        role, _ = named.role_at(when)
        code = role.code if role else named.code
        sector = role.sector if role else named.sector
        how = ""
        if sw is not None and not (sw.i >= m.i and sw.j <= m.j):
            sector, how = sw.best.sector, f"; sector from {sw.best.surface!r}"
        if eli:
            sector = "ELI"
        s, t = toks[m.i].start, toks[m.j - 1].end
        fz = " (fuzzy match)" if m.fuzzy else ""
        c.res = Resolution(
            code,
            sector,
            s,
            t,
            named.id,
            named.name,
            "org",
            f"org {named.name!r} -> {code}{fz}{how}",
        )
        c.ref = _Ref(code, sector, named.id, named.name, "org")
        return
    # unlisted person: title + capitalised name run
    if title is not None:
        covered = {k for mm in ms for k in range(mm.i, mm.j)}
        k = title.j
        run: list[Token] = []
        while k < c.j and k not in covered:
            tk = toks[k]
            nxt = toks[k + 1] if k + 1 < c.j else None
            if (
                (tk.is_cap and tk.norm not in NOT_NAMES and tk.text[:1].isalpha())
                or (tk.joined and run)
                or (tk.norm in PARTICLES and nxt is not None and (nxt.is_cap or nxt.joined) and run)
            ):
                run.append(tk)
            else:
                break
            k += 1
        if run and (cue_code or doc is not None):
            code = cue_code
            how = (
                f"title {title.best.surface!r} + {cue.best.kind} {cue.best.surface!r}"
                if cue
                else ""
            )
            if not code and doc is not None:
                code = doc.dominant_code() or ""
                how = f"title {title.best.surface!r} + document's main country"
            if code:
                nm = " ".join(t.text if not t.joined else "-" + t.text for t in run).replace(
                    " -", "-"
                )
                sector = "ELI" if eli else title.best.sector
                pid = "doc:" + "-".join(t.norm for t in run)
                c.res = Resolution(
                    code,
                    sector,
                    run[0].start,
                    run[-1].end,
                    None,
                    nm,
                    "person",
                    f"unlisted person {nm!r} via {how}",
                )
                c.ref = _Ref(code, sector, pid, nm, "person", frozenset({title.best.ref}), True)
                return
    if cue is not None:
        e = cue.best
        if eli:
            sector, how = "ELI", "'former' -> ELI"
        elif sw is not None:
            sector, how = sw.best.sector, f"sector word {sw.best.surface!r}"
        elif any(m.best.kind == "uncoded" and m.i == cue.j for m in ms):
            # "Iraqi Kurds", "Lebanese Christians": a community of that state's people
            sector, how = "CVL", "demonym + community"
        elif e.kind == "country":
            sector, how = kb.bare_country_sector, "bare country name"
        else:
            sector, how = e.sector, f"{e.kind} default"
        kind = {"pre": "country", "seat": "capital", "people": "demonym", "place": "country"}.get(
            e.kind, e.kind
        )
        if title is not None or (sw is not None and sw.best.kind == "title"):
            kind = "title"
        if sw is not None or title is not None:
            lo = min(cue.i, *(m.i for m in (sw, title) if m is not None))
            hi = max(cue.j, *(m.j for m in (sw, title) if m is not None))
            s, t = _span(toks, lo, hi)
        else:
            s, t = toks[cue.i].start, toks[cue.j - 1].end
        fz = " (fuzzy match)" if cue.fuzzy else ""
        code = residence or e.code
        if residence:
            fz += f", living in {residence} (place named in the sentence)"
            if sw is None and not eli:
                sector, how = "CVL", "a minority's people"
        c.res = Resolution(
            code,
            sector,
            s,
            t,
            None,
            kb.country_names.get(code),
            kind,
            f"{e.kind} {e.surface!r} -> {code}{fz}; sector {sector or '-'} ({how})",
        )
        c.ref = _Ref(code, sector, None, kb.country_names.get(code), kind)
        c.bare_demonym = e.kind in {"demonym", "people"} and sw is None and title is None
        return
    if sw is not None and community and near and not eli:
        # "Moslem forces", "Kurdish fighters": a group of the state named nearest in the sentence
        # (the document's main country is often a distant one: a US story about Syria)
        placed = _first_state(kb, near, when)
        if placed is not None:
            s, t = _span(toks, c.i, c.j)
            sector = sw.best.sector
            c.res = Resolution(
                placed.code,
                sector,
                s,
                t,
                None,
                kb.country_names.get(placed.code),
                "coref",
                f"community {community[0].best.surface!r} + sector word {sw.best.surface!r}"
                f" + nearest place in the sentence {placed.code}",
            )
            c.ref = _Ref(placed.code, sector, None, kb.country_names.get(placed.code), "coref")
            return
    if sw is not None and doc is not None and not any(m.best.kind == "uncoded" for m in ms):
        dom = doc.dominant_code()
        if dom and dom in kb.country_names:
            code = dom
            sector = "ELI" if eli else sw.best.sector
            s, t = _span(toks, c.i, c.j)
            c.res = Resolution(
                code,
                sector,
                s,
                t,
                None,
                kb.country_names.get(code),
                "coref",
                f"sector word {sw.best.surface!r} + document's main country {code}",
            )
            c.ref = _Ref(code, sector, None, kb.country_names.get(code), "coref")


def _first_state(
    kb: ActorKB, places: str, when: dt.date | None, skip: Collection[str] = ()
) -> Resolution | None:
    """The first state among the places named in ``places`` ("Sweden, Bulgaria"), other than
    those in ``skip``."""
    return next(
        (
            r
            for r in resolve_phrase(kb, places, when, None)
            if r.code not in skip and r.kind in {"country", "capital", "demonym"}
        ),
        None,
    )


def _one_place(
    kb: ActorKB, m: Match, when: dt.date | None, doc: DocumentActors | None, where: str
) -> Match:
    """The state a place name stands for when it names places in several ("Tripoli": Libya or
    Lebanon) or changed state ("Juba": Sudan until 2011): the entry in force at ``when``, then
    the state named in the sentence (``where``), then the one the document mentions most, then
    the usual one."""
    cues = [e for e in m.entries if e.kind in CUE_KINDS]
    if not any(e.dated for e in cues) and len({e.code for e in cues}) < 2:
        return m
    entries = [e for e in m.entries if e.kind not in CUE_KINDS or e.valid(when)] or list(m.entries)
    codes = {e.code for e in entries if e.kind in CUE_KINDS}
    if len(codes) > 1:
        named = [r.code for r in resolve_phrase(kb, where, when, None)] if where else []
        pick = next((c for c in named if c in codes), None)
        if pick is None and doc is not None:
            counts = {c: doc.mentions(c) for c in codes}
            top = max(counts.values())
            if top and list(counts.values()).count(top) == 1:
                pick = max(counts, key=lambda c: counts[c])
        if pick is not None:
            entries = [e for e in entries if e.kind not in CUE_KINDS or e.code == pick]
    return Match(m.i, m.j, tuple(entries), m.fuzzy)


def resolve_phrase(
    kb: ActorKB,
    text: str,
    when: dt.date | None,
    doc: DocumentActors | None,
    where: str = "",
    near: str = "",
    subject: bool = False,
) -> list[Resolution]:
    """Resolve one noun phrase (see module docstring); registers results with ``doc``."""
    toks, found = kb.analyse(text)
    if not toks:
        return []
    if doc is not None:
        ana = _pronoun_or_anaphor(kb, toks, doc)
        if ana is not None:
            if ana:
                doc.register(ana, subject)
            return [r for r, _ in ana]
        overlay = doc.overlay
        if overlay and not {k[0] for k in overlay}.isdisjoint(t.norm for t in toks):
            found = tuple(kb.match(toks, overlay))  # a name the document introduced occurs here
    matches = [_one_place(kb, m, when, doc, where) for m in found]
    covered = {k for m in matches for k in range(m.i, m.j)}
    # split into conjuncts at coordinators outside matched names
    bounds: list[tuple[int, int]] = []
    start = 0
    for k, tok in enumerate(toks):
        if tok.norm in SPLITTERS and k not in covered:
            if k > start:
                bounds.append((start, k))
            start = k + 1
    if start < len(toks):
        bounds.append((start, len(toks)))
    conjs = [_Conj(i, j, [m for m in matches if m.i >= i and m.j <= j]) for i, j in bounds]
    for c in conjs:
        if not any(m.best.kind in CUE_KINDS | NAME_KINDS for m in c.matches):
            fz = kb.fuzzy_match(toks, c.i, c.j, frozenset(covered))
            if fz:
                c.matches = sorted(
                    [m for m in c.matches if m.j <= fz[0].i or m.i >= fz[0].j] + fz,
                    key=lambda m: m.i,
                )
        _resolve_conj(kb, toks, c, when, doc, where, near)
    # sharing between conjuncts
    for n, c in enumerate(conjs):
        if c.res is not None and c.bare_demonym:
            donor = next((d for d in conjs[n + 1 :] if d.sector_word is not None), None)
            if donor is not None and donor.sector_word is not None:
                sw = donor.sector_word.best
                r = c.res
                c.res = Resolution(
                    r.code,
                    sw.sector,
                    r.start,
                    r.end,
                    r.identifier_id,
                    r.identifier_text,
                    r.kind,
                    r.why + f"; sector {sw.sector} shared from {sw.surface!r}",
                )
                c.ref = _Ref(r.code, sw.sector, None, r.identifier_text, r.kind)
        elif c.res is None and c.sector_word is not None:
            others = conjs[n + 1 :] + conjs[:n][::-1]
            donor = next(
                (
                    d
                    for d in others
                    if d.res is not None
                    and d.cue is not None
                    and d.ref is not None
                    and not d.ref.person
                ),
                None,
            )
            if donor is not None and donor.res is not None:
                sw = c.sector_word.best
                s, t = _span(toks, c.i, c.j)
                code = donor.res.code
                c.res = Resolution(
                    code,
                    sw.sector,
                    s,
                    t,
                    None,
                    kb.country_names.get(code),
                    "title" if sw.kind == "title" else donor.res.kind,
                    f"sector word {sw.surface!r} + country {code} shared from "
                    f"{donor.cue.best.surface if donor.cue else code!r}",
                )
                c.ref = _Ref(code, sw.sector, None, kb.country_names.get(code), c.res.kind)
    out: list[tuple[Resolution, _Ref]] = []
    seen: set[tuple[str, str | None]] = set()
    person_codes = {c.res.code for c in conjs if c.res is not None and c.ref and c.ref.person}
    for c in conjs:
        if c.res is None or c.ref is None:
            continue
        key = (c.res.code, c.res.identifier_id if c.ref.person else None)
        if key in seen or (not c.ref.person and c.res.code in person_codes):
            continue
        seen.add(key)
        out.append((c.res, c.ref))
    if doc is not None and out:
        doc.register(out, subject)
    return [r for r, _ in out]
