"""Argument roles: who is the actor and who the recipient of a detected event.

Roles come from the dependency parse: subjects act, objects and prepositional complements receive;
passives swap them ("was attacked by"); coordinated phrases give several entities; reciprocal
events (meetings, calls, agreements between parties) list every party as actor; a visitor is the
actor and the host the recipient. Each argument phrase is handed to the actor resolver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Token

from sanderling.actors.resolve import ALLY_HEADS, LANGUAGE_HEADS, NAME_MODIFIER_SUFFIXES
from sanderling.actors.resolve import PARTICLES as NAME_PARTICLES
from sanderling.detect import Detection

SUBJ = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJ = {"nsubjpass", "csubjpass"}
RECIPIENT_PREPS = {
    "to",
    "with",
    "against",
    "on",
    "upon",
    "at",
    "toward",
    "towards",
    "from",
    "for",
    "into",
    "over",
    "of",
    "behind",
}
PARTY_PREPS = {"with", "between", "among", "alongside"}
# Expansion of a head noun into its phrase stops at these dependencies.
PHRASE_STOP = {"conj", "cc", "relcl", "acl", "advcl", "punct", "prep", "appos", "det", "case"}
RELATIVE = {"who", "which", "that", "whom"}
# Messages speak for whoever issued them ("issued a statement condemning ...").
MESSAGE_NOUNS = {
    "statement",
    "declaration",
    "communique",
    "letter",
    "message",
    "note",
    "resolution",
    "decree",
    "appeal",
    "report",
    "proposal",
    "document",
    "memorandum",
    "ultimatum",
}
SPEECH = {
    "say",
    "tell",
    "add",
    "state",
    "note",
    "announce",
    "report",
    "confirm",
    "stress",
    "reply",
    "express",
    "emphasize",
    "emphasise",
    "reiterate",
}


@dataclass(frozen=True, slots=True)
class Argument:
    """A head token chosen as actor or recipient, and its phrase's char span (normalised text)."""

    head: Token
    start: int
    end: int
    locative: bool = False  # a place of the event ("a curfew in X"), not a party named as such
    # places named elsewhere in the sentence, nearest first, for "ethnic X" / community phrases
    where: tuple[tuple[int, int], ...] = ()
    near: tuple[tuple[int, int], ...] = ()  # those within NEAR tokens ("Moslem forces")


@dataclass(slots=True)
class Roles:
    actors: list[Argument]
    recipients: list[Argument]
    via: str
    # Tried when no recipient resolves: the embedded clause's or a coordinated verb's objects.
    fallback: list[Argument]  # how the actor was found, for confidence and explanations
    # Then, group by group (nearest first), any other party in the trigger's clause: embedded
    # subjects ("demanded that X ..."), possessors and agents of objects ("X's decision",
    # "violations by X"), and finally places of the event ("lifted a curfew in X").
    tiers: list[list[Argument]] = field(default_factory=list)
    reciprocal: bool = False  # a meeting-like event: every subject is a party


def phrase(tok: Token) -> tuple[int, int]:
    """Char span of the noun phrase headed by ``tok`` (names, titles, "of Peru", "from China")."""
    keep = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            keep_prep = (
                c.dep_ == "prep"
                and c.i > tok.i
                and c.lower_ in {"of", "from"}
                and not any(x.dep_ == "pcomp" for x in c.children)  # "of attacking ...": a charge
            )
            # "ethnic Albanians in south Serbia": where a people lives says whose residents
            keep_prep = keep_prep or (
                c.dep_ == "prep" and c.lower_ == "in" and t.i == tok.i and _ethnic(tok)
            )
            # "Israel's militia ally in southern Lebanon": a client is where it operates
            keep_prep = keep_prep or (c.dep_ == "prep" and c.lower_ == "in" and _client(t))
            # "the militant group Hamas": a name right after the noun is the same party
            close_name = (
                c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > t.i and c.left_edge.i == t.i + 1
            )
            if (
                c.dep_ in PHRASE_STOP
                and not keep_prep
                and not close_name
                and c.dep_ not in {"case", "det"}
            ):
                continue
            keep.append(c)
            stack.append(c)
    first = min(keep, key=lambda t: t.i)
    last = _name_tail(max(keep, key=lambda t: t.i))
    return first.idx, last.idx + len(last.text)


def _name_tail(last: Token) -> Token:
    """A name does not end at or before a name particle: "Hamad bin Khalifa al-Thani", which
    the parser often splits into several phrases, is one name."""
    doc = last.doc
    if last.pos_ != "PROPN":
        return last
    j = last.i + 1
    linked = last.lower_ in NAME_PARTICLES
    while j < len(doc):
        t = doc[j]
        if t.lower_ in NAME_PARTICLES or (t.text == "-" and doc[j - 1].lower_ in NAME_PARTICLES):
            linked = True
        elif t.pos_ == "PROPN" and linked:
            last = t
        else:
            break
        j += 1
    return last


def _client(t: Token) -> bool:
    """ "ally", "proxy militia": a group named by its patron."""
    return t.lower_ in ALLY_HEADS or any(
        c.dep_ in {"compound", "amod"} and c.lower_ in ALLY_HEADS for c in t.children
    )


def _ethnic(tok: Token) -> bool:
    return any(c.lower_ == "ethnic" for c in tok.children) or (
        tok.ent_type_ == "NORP" and tok.tag_ in {"NNPS", "NNS"}
    )


class _Place(NamedTuple):
    """A GPE/LOC/NORP entity as plain numbers: a Span kept in ``Doc.user_data`` would point
    back at its Doc, and such a cycle keeps every parsed Doc alive until a full collection."""

    start: int
    end: int
    start_char: int
    end_char: int
    label_: str


def _sentence_places(h: Token) -> list[_Place]:
    """GPE/LOC/NORP entities of ``h``'s sentence, computed once per sentence (``Doc.ents``
    builds every entity span of the document on each access, ``Token.sent`` walks the parse)
    and remembered for each of its tokens."""
    data = h.doc.user_data
    by_token: dict[int, list[_Place]] = data.setdefault("sanderling.places", {})
    places = by_token.get(h.i)
    if places is None:
        ents = data.get("sanderling.ents")
        if ents is None:
            ents = data["sanderling.ents"] = [
                _Place(x.start, x.end, x.start_char, x.end_char, x.label_) for x in h.doc.ents
            ]
        sent = h.sent
        places = []
        for x in ents:  # as Span.ents: the entities that fall completely within the sentence
            if x.start >= sent.start:
                if x.end > sent.end:
                    break
                if x.label_ in {"GPE", "LOC", "NORP"}:
                    places.append(x)
        for i in range(sent.start, sent.end):
            by_token[i] = places
    return places


NEAR = 8


def _places_around(
    h: Token, s: int, e: int, limit: int, within: int | None = None
) -> tuple[tuple[int, int], ...]:
    """The sentence's places outside ``h``'s phrase ``[s, e)``, nearest first (a nationality
    after a state), at most ``limit``, and only those ``within`` tokens of ``h`` if given."""
    ents = [
        x
        for x in _sentence_places(h)
        if not s <= x.start_char < e
        and (within is None or min(abs(x.start - h.i), abs(x.end - 1 - h.i)) <= within)
    ]
    ents.sort(key=lambda x: (x.label_ == "NORP", abs(x.start - h.i)))
    return tuple((x.start_char, x.end_char) for x in ents[:limit])


def _argument(h: Token, locative: bool = False) -> Argument:
    """The phrase headed by ``h`` with the places around it: ``where`` (any in the sentence,
    for "ethnic Albanians") and ``near`` (within NEAR tokens, for "Moslem forces")."""
    s, e = phrase(h)
    return Argument(h, s, e, locative, _places_around(h, s, e, 4), _places_around(h, s, e, 2, NEAR))


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _pobjs(prep: Token) -> list[Token]:
    out = []
    for c in prep.children:
        if c.dep_ in {"pobj", "pcomp"}:
            out.extend(_conjuncts(c))
    return out


def _subject(v: Token, seen: int = 0) -> tuple[list[Token], bool]:
    """Subject head(s) of a verb, following xcomp/conj/advcl chains up; (heads, passive)."""
    if seen > 6:
        return [], False
    for c in v.children:
        if c.dep_ in SUBJ:
            if c.lower_ in RELATIVE and v.dep_ == "relcl":
                return _conjuncts(v.head), False
            if c.lower_ == "they":
                bound = _speaker(v, seen)
                if bound:
                    return bound, False
            return _conjuncts(c), False
    for c in v.children:
        if c.dep_ in PASSIVE_SUBJ:
            return _conjuncts(c), True
    if v.dep_ in {"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp"} and v.head.i != v.i:
        return _subject(v.head, seen + 1)
    if v.dep_ == "relcl":
        return _conjuncts(v.head), False
    if v.dep_ in {"amod", "acl"} and v.head.pos_ in {"NOUN", "PROPN"}:
        if v.head.lemma_.lower() in MESSAGE_NOUNS and v.head.head.pos_ in {"VERB", "AUX"}:
            # "X issued a statement demanding ...": the statement's author demands
            return _subject(v.head.head, seen + 1)
        return _conjuncts(v.head), False
    return [], False


def _speaker(v: Token, seen: int) -> list[Token]:
    """ "Ivory Coast rebels rejected the plan and said they opposed ...": "they" reported by a
    plural subject is that subject (not whichever pair of parties was named last)."""
    if v.dep_ != "ccomp" or v.head.lemma_.lower() not in SPEECH:
        return []
    heads, passive = _subject(v.head, seen + 1)
    if passive or not heads or heads[0].pos_ == "PRON":
        return []
    plural = len(heads) > 1 or heads[0].tag_ in {"NNS", "NNPS"}
    return heads if plural else []


def _governing_verb(tok: Token) -> Token | None:
    """For a nominal or adjectival trigger, the verb whose subject is the event's actor."""
    t = tok
    for _ in range(6):
        if t.pos_ in {"VERB", "AUX"} and t.i != tok.i:
            return t
        if t.head.i == t.i:
            return t if t.pos_ in {"VERB", "AUX"} else None
        if t.dep_ in {"nsubj", "nsubjpass"} and t.i != tok.i:
            return None
        t = t.head
    return None


def _agent(v: Token) -> list[Token]:
    for c in v.children:
        if c.dep_ == "agent":
            return _pobjs(c)
    return []


def _named_children(tok: Token) -> list[Token]:
    """Possessors and entity-like modifiers of a nominal trigger ("Moon's visit")."""
    return [
        c
        for c in tok.children
        if (c.dep_ == "poss" and c.pos_ != "PRON")
        or (
            c.dep_ in {"compound", "amod", "nmod"}
            and (c.ent_type_ in {"NORP", "GPE", "ORG", "PERSON"} or c.pos_ == "PROPN")
        )
    ]


# "X died of torture", "X suffered beatings": the subject undergoes the nominal event
EXPERIENCER = {"die", "suffer", "succumb", "undergo", "endure", "sustain"}


def _custodians(v: Token) -> list[Token]:
    """Who held the victim: "in Israeli police custody", "at the hands of the militia"."""
    out: list[Token] = []
    for t in v.subtree:
        if t.dep_ != "pobj" or t.head.lower_ not in {"in", "at", "under"}:
            continue
        if t.lemma_.lower() in {"custody", "detention"} and any(
            c.dep_ in {"amod", "compound", "poss", "nmod"} for c in t.children
        ):
            out.append(t)
        elif t.lower_ == "hands":
            out.extend(_preps(t, {"of"}))
    return out


# "in defiance of X", "in protest against X", "in opposition to X": X is whom the act is aimed at
STANCE_NOUNS = {"defiance", "protest", "opposition", "retaliation", "revenge"}


def _stance_targets(tok: Token) -> list[Token]:
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "in":
            for n in _pobjs(c):
                if n.lemma_.lower() in STANCE_NOUNS:
                    out.extend(_preps(n, {"of", "against", "to", "at", "on"}))
    return out


def _preps(tok: Token, words: Iterable[str]) -> list[Token]:
    wanted = set(words)
    out = []
    for c in tok.children:
        if c.dep_ in {"prep", "dative"} and c.lower_ in wanted:
            out.extend(_pobjs(c) if c.dep_ == "prep" else [c])
    return out


def find_roles(d: Detection) -> Roles:
    """Actor and recipient heads for a detection (before resolution)."""
    tok = d.token
    trig = d.match.trigger
    support = [s for s in d.match.support if s.pos_ in {"NOUN", "PROPN"}]
    nominal = tok.pos_ in {"NOUN", "PROPN"}
    actors: list[Token] = []
    recipients: list[Token] = []
    parties: list[Token] = []
    fallback: list[Token] = []
    via = "subject"

    if nominal:
        actors = _named_children(tok)
        parties = _preps(tok, {"between", "among"})
        by = _preps(tok, {"by"})
        if by:
            actors = by
        if trig.reciprocal:
            parties += _preps(tok, PARTY_PREPS)
            recipients = _preps(tok, {"to", "against", "for", "toward", "towards"})
        else:
            recipients = _preps(
                tok, {"to", "with", "against", "on", "for", "from", "toward", "towards", "behind"}
            )
        if not actors:
            v = _governing_verb(tok)
            if v is not None:
                actors, passive = _subject(v)
                if passive:
                    actors = _agent(v) or []
                agents = _custodians(v) if v.lemma_.lower() in EXPERIENCER else []
                if agents and not recipients:
                    # "X died of torture in Israeli police custody": X suffered it
                    actors, recipients = agents, actors
            via = "governing-verb"
            if not actors and parties and trig.reciprocal:
                via = "noun-modifier"
        else:
            via = "noun-modifier"
    else:
        v = tok
        if tok.pos_ == "ADJ":  # "is willing to", "stands ready to"
            v = tok.head if tok.head.i != tok.i else tok
        heads, passive = _subject(v)
        if passive:
            recipients = heads
            actors = _agent(v)
            via = "passive"
        else:
            actors = heads
        for c in tok.children:
            if c.dep_ in {"dobj", "dative", "iobj", "oprd"} and c not in support:
                recipients.extend(_conjuncts(c))
        for holder in [tok, *support]:
            for c in holder.children:
                if c.dep_ != "prep":
                    continue
                word = c.lower_
                if word in {"between", "among"} or (word in PARTY_PREPS and trig.reciprocal):
                    parties.extend(_pobjs(c))
                elif word == "of" and any(x.dep_ == "dobj" for x in holder.children):
                    continue  # "accused X of hiding Y": the charge, not a party
                elif word in RECIPIENT_PREPS:
                    recipients.extend(t for t in _pobjs(c) if not _border(t))
            recipients.extend(_stance_targets(holder))
            if trig.reciprocal:  # "agreed in his telephone conversation with X"
                for c in holder.children:
                    if c.dep_ == "prep" and c.lower_ in {"in", "during"}:
                        for n in _pobjs(c):
                            parties.extend(_preps(n, {"with"}))
        if trig.embeds:
            fallback.extend(_embedded_recipients(tok, d))
        top = tok
        while top.dep_ == "xcomp" and top.head.i != top.i:
            top = top.head
        if top.dep_ == "conj" and top.head.pos_ in {"VERB", "AUX"}:
            # "supports the people of Peru and will continue to provide help": shared object
            for c in top.head.children:
                if c.dep_ in {"dobj", "dative"}:
                    fallback.extend(_conjuncts(c))

    if trig.reciprocal and "visit" not in d.modes:
        # "A met (with) B": A acts, B receives (PLOVER codes either direction for CONSULT);
        # "talks between A and B" with no subject: both are actors.
        if actors:
            recipients = recipients + [p for p in parties if p not in actors]
        else:
            actors = parties
    elif parties and not recipients:
        recipients = parties
    elif parties and not actors:
        actors = parties
    if trig.swap:
        actors, recipients = recipients, actors
    exclude = {t.i for a in actors for t in a.subtree}
    starts = [tok, *support]
    base = tok
    if nominal:
        gv = _governing_verb(tok)
        if gv is not None:
            starts.append(gv)
            base = gv
    for st in list(starts):
        for c in st.children:
            if c.dep_ in SUBJ | PASSIVE_SUBJ | {"agent"} and not _is_embedded(st, tok):
                exclude.update(t.i for t in c.subtree)
    tiers = [] if trig.swap else _tiers(starts, exclude)
    # then the clauses the trigger hangs from ("sent experts to X to investigate")
    up = base
    ups: list[Token] = []
    while up.dep_ in {"xcomp", "advcl", "conj"} and up.head.i != up.i and len(ups) < 3:
        up = up.head
        if up.pos_ not in {"VERB", "AUX"}:
            break
        ups.append(up)
    if ups and not trig.swap:
        for st in ups:
            for c in st.children:
                if c.dep_ in SUBJ | PASSIVE_SUBJ | {"agent"}:
                    exclude.update(t.i for t in c.subtree)
        seen = {t.i for g in tiers for t, _ in g}
        exclude |= {t.i for t in tok.subtree} | seen
        tiers += _tiers(ups, exclude, places=False)  # where the other clause happens: no
    return Roles(
        _args(actors),
        _args(recipients),
        via,
        _args(fallback),
        [_args([t for t, _ in g], locative=g[0][1]) for g in tiers],
        trig.reciprocal and "visit" not in d.modes,
    )


def _border(t: Token) -> bool:
    """ "on the Thai border": a place beside a state, not the state."""
    return t.dep_ == "pobj" and t.lemma_.lower() in {"border", "frontier", "borderland"}


def _is_embedded(node: Token, trigger: Token) -> bool:
    return node.i != trigger.i and node in trigger.subtree


LOCATIVE = {"in", "at", "near", "inside", "throughout", "across", "within", "outside", "around"}
# Subordinate clauses whose places are not the event's: a condition, a cause, a concession
CONDITIONS = {"if", "unless", "until", "because", "although", "though", "whereas", "lest"}
# "..., according to a senator": the source of the report, never a party to the event
ATTRIBUTION = {"according"}
WALK_SKIP = {
    "punct",
    "cc",
    "aux",
    "auxpass",
    "neg",
    "det",
    "mark",
    "case",
    "prt",
    "predet",
    "nummod",
}
CANDIDATE_DEPS = {
    "dobj",
    "pobj",
    "nsubj",
    "nsubjpass",
    "poss",
    "appos",
    "attr",
    "dative",
    "oprd",
    "npadvmod",
}


def _descriptive(t: Token) -> bool:
    """ "Syrian-backed", "Russian-made": the name describes something else."""
    doc = t.doc
    return (
        t.i + 2 < len(doc)
        and doc[t.i + 1].text == "-"
        and doc[t.i + 2].lower_ in NAME_MODIFIER_SUFFIXES
    )


def _tiers(
    starts: Sequence[Token], exclude: set[int], places: bool = True
) -> list[list[tuple[Token, bool]]]:
    """Other parties in the trigger's clause, nearest first (breadth-first over the parse).

    Arguments beat places at the same depth: "rallied in Gaza against the leader" -> the leader.
    """
    # (coordinated clause, depth, locative, position, head)
    found: list[tuple[int, int, int, int, Token]] = []
    seen = {t.i for t in starts} | exclude
    frontier = [(t, 0, False, False, False) for t in starts]
    while frontier:
        nxt = []
        for node, depth, loc, cond, other in frontier:
            for c in node.children:
                if c.i in seen or c.dep_ in WALK_SKIP or c.lower_ in ATTRIBUTION:
                    continue
                if c.dep_ == "relcl" and not any(
                    x.dep_ in {"nsubj", "nsubjpass"} and x.lower_ in RELATIVE for x in c.children
                ):
                    # "the withdrawal, which the president insisted on": another event's parties
                    # ("a strike that shut down the capital" is the strike's own doing)
                    continue
                seen.add(c.i)
                # "refused to deploy troops in X and urged its citizens to ...": a coordinated
                # clause is another event; its parties only if the trigger's clause has none
                # ("established ties with and opened an embassy in X" shares them)
                cother = other or (c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})
                cloc = loc or (c.dep_ == "prep" and c.lower_ in LOCATIVE) or _border(c)
                # "will not accept refugees if war starts in Iraq": where the condition happens
                ccond = cond or (
                    c.dep_ == "advcl" and any(x.lower_ in CONDITIONS for x in c.children)
                )
                if cloc and (not places or ccond):
                    continue
                nominal = c.pos_ in {"NOUN", "PROPN"}
                entity_mod = c.dep_ in {"compound", "amod", "nmod"} and (
                    c.pos_ == "PROPN" or c.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"}
                )
                if nominal and (c.dep_ in CANDIDATE_DEPS or entity_mod) and not _descriptive(c):
                    found.append((int(cother), depth, int(cloc), c.i, c))
                nxt.append((c, depth + 1, cloc, ccond, cother))
        frontier = nxt
    found.sort(key=lambda x: (x[0], x[1], x[2], x[3]))
    groups: list[list[tuple[Token, bool]]] = []
    used: set[int] = set()
    for _, _, loc_i, _, t in found:
        if t.i in used:
            continue
        group = [t] if t.dep_ == "conj" else _conjuncts(t)
        used.update(g.i for g in group)
        groups.append([(g, bool(loc_i)) for g in group])
    return groups


def _embedded_recipients(tok: Token, d: Detection) -> list[Token]:
    """Recipients inside the clause an embedding trigger governs ("willing to work with the US")."""
    out: list[Token] = []
    clauses = [d.embedded.token] if d.embedded is not None else []
    clauses += [c for c in tok.children if c.dep_ in {"xcomp", "ccomp", "advcl"}]
    for emb in clauses:
        for c in emb.children:
            if c.dep_ in {"dobj", "dative"}:
                out.extend(_conjuncts(c))
                for p in _preps(c, {"with", "to", "against"}):
                    out.append(p)
            if c.dep_ == "nsubj" and c.i > tok.i:  # "called for X to cooperate"
                out.extend(_conjuncts(c))
        out.extend(_preps(emb, {"with", "to", "against", "on", "for"}))
        if out:
            break
    return out


def _wh_clause(v: Token) -> bool:
    """A relative clause opened by a relative word ("whose ties", "which"), not an infinitive
    the parser also labels relcl ("a drive to convince X")."""
    first = v.doc[v.left_edge.i]
    return first.tag_ in {"WDT", "WP", "WP$", "WRB"} or first.lower_ == "that"


def _args(heads: Sequence[Token], locative: bool = False) -> list[Argument]:
    out: list[Argument] = []
    seen: set[int] = set()
    for h in heads:
        if h.i in seen:
            continue
        seen.add(h.i)
        out.append(_argument(h, locative))
        # "officials from China and the United States": each coordinated country is a party.
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in {"from", "of"}:
                for extra in _pobjs(c)[1:]:
                    if extra.i not in seen:
                        seen.add(extra.i)
                        s2, e2 = phrase(extra)
                        out.append(Argument(extra, s2, e2))
    return out


def expand_search(arg: Argument) -> list[list[Argument]]:
    """Fallback arguments inside a phrase that did not resolve: its proper nouns and possessors,
    nearest first, as groups of which the caller keeps the first that resolves (one group for
    now: a request "for our residents in China" names both). A nationality modifying a noun
    stands for the noun's phrase ("crimes by Croatian extremists" -> "Croatian extremists",
    with its sector)."""
    by_depth: dict[int, list[Argument]] = {}
    taken: set[int] = set()
    # "between the Emirates and Saudi Arabia, whose ties were strained by Riyadh's friendship
    # with Tehran": a relative clause says something else about the phrase's members
    relative = {
        x.i
        for t in arg.head.subtree
        if t.dep_ == "relcl" and t.i != arg.head.i and _wh_clause(t)
        for x in t.subtree
    }
    for t in arg.head.subtree:
        if t.i == arg.head.i or t.i in relative or _descriptive(t):
            continue
        if t.head.lower_ in LANGUAGE_HEADS and t.i < t.head.i:
            continue  # "the Russian language"
        if t.pos_ == "PROPN" or t.dep_ == "poss" or t.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"}:
            if t.dep_ in {"compound", "flat"} and t.head.pos_ == "PROPN":
                continue
            h = t
            if (
                t.dep_ in {"amod", "compound", "nmod"}
                and t.head.pos_ == "NOUN"
                and t.head.i != arg.head.i
            ):
                h = t.head
            if h.i in taken:
                continue
            taken.add(h.i)
            depth = sum(1 for a in h.ancestors if a.i != arg.head.i and arg.head in a.ancestors)
            by_depth.setdefault(depth, []).append(_argument(h, arg.locative))
    return [[a for d in sorted(by_depth) for a in by_depth[d]]]
