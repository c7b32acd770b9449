"""Trigger lexicon: loading, validation and matching against parsed tokens.

The lexicon is data (``data/lexicon/<CATEGORY>.yaml``, format in that folder's README); this module
only knows how to read it and how to test an entry's conditions on a spaCy token.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Token

from sanderling.ontology import Ontology, data_path, load_ontology

POS_GROUPS = {"VERB": {"VERB", "AUX"}, "NOUN": {"NOUN", "PROPN"}, "ADJ": {"ADJ", "VERB"}}
PREP_DEPS = {"prep", "prt", "agent", "dative"}
OBJ_DEPS = {"dobj", "attr", "oprd", "nsubjpass", "pobj"}
MOD_DEPS = {"compound", "amod", "advmod", "npadvmod", "nmod", "prt", "acomp"}
CLAUSE_DEPS = {"xcomp", "ccomp"}
PARTICLES = {"back", "out", "off", "down", "up", "over", "away", "in", "on"}
# Heads an object is only the container of: "a series of bombs", "700 kg of medicine", "a state
# of emergency", "a mission of observers" -- conditions on the object also look at the "of" noun.
PARTITIVE_HEADS = {
    "part", "some", "all", "most", "portion", "rest", "series", "number", "group", "team",
    "mission", "delegation", "contingent", "batch", "state", "kg", "kilogram", "ton", "tonne",
    "tons", "tonnes", "worth", "amount", "quantity", "shipment", "consignment", "load", "lot",
    "package", "convoy", "dozen", "hundreds", "thousands", "set", "round", "wave", "day",
    "week", "month", "hour", "deployment", "patch", "unit", "element", "detachment",
}  # fmt: skip
KNOWN_KEYS = {
    "lemma",
    "pos",
    "prep",
    "dobj",
    "mod",
    "xcomp",
    "not_prep",
    "not_dobj",
    "not_mod",
    "subj",
    "not_subj",
    "mode",
    "context",
    "swap",
    "reciprocal",
    "embeds",
    "modal",
    "weight",
    "score",
}


class _LexiconLoader(yaml.SafeLoader):
    """YAML without the 1.1 booleans: in a trigger list ``on``/``off``/``yes``/``no`` are words."""


_LexiconLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _LexiconLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), [_first]
    )


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry."""

    category: str
    lemma: str
    pos: tuple[str, ...]
    prep: frozenset[str] = frozenset()
    dobj: frozenset[str] = frozenset()
    mod: frozenset[str] = frozenset()
    xcomp: bool | frozenset[str] = False
    not_prep: frozenset[str] = frozenset()
    not_dobj: frozenset[str] = frozenset()
    not_mod: frozenset[str] = frozenset()
    subj: frozenset[str] = frozenset()
    not_subj: frozenset[str] = frozenset()
    mode: str | None = None
    context: tuple[str, ...] = ()
    swap: bool = False
    reciprocal: bool = False
    embeds: bool = False
    modal: frozenset[str] = frozenset()
    weight: float = 0.7
    score: float = 0.0
    source: str = ""

    @property
    def specificity(self) -> int:
        return sum(
            bool(x) for x in (self.prep, self.dobj, self.mod, self.xcomp, self.modal, self.subj)
        )


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A lexicon entry that fired on a token, with the tokens that satisfied its conditions."""

    trigger: Trigger
    token: Token
    support: tuple[Token, ...]

    @property
    def tokens(self) -> list[Token]:
        return sorted({self.token, *self.support}, key=lambda t: t.i)


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and entry."""


def _words(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value.lower()})
    return frozenset(str(v).lower() for v in value)


def _parse_entry(category: str, raw: dict[str, Any], where: str, onto: Ontology) -> Trigger:
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    if not raw.get("lemma"):
        raise LexiconError(f"{where}: entry needs a lemma")
    for key in (
        "prep",
        "dobj",
        "mod",
        "not_prep",
        "not_dobj",
        "not_mod",
        "modal",
        "subj",
        "not_subj",
    ):
        if key in raw and not raw[key]:
            raise LexiconError(f"{where}: '{key}' is empty (leave it out instead)")
        vals = raw.get(key)
        for v in [vals] if isinstance(vals, str | bool | int | float) else vals or ():
            if not isinstance(v, str):
                raise LexiconError(f"{where}: '{key}' has a non-word value {v!r} (quote it)")
    pos = raw.get("pos", "VERB")
    pos_t = (pos,) if isinstance(pos, str) else tuple(pos)
    for p in pos_t:
        if p not in POS_GROUPS:
            raise LexiconError(f"{where}: pos {p!r} is not one of {sorted(POS_GROUPS)}")
    mode = raw.get("mode")
    cat = onto.categories[category]
    if mode is not None and mode not in cat.modes:
        raise LexiconError(f"{where}: mode {mode!r} is not a {category} mode ({sorted(cat.modes)})")
    weight = float(raw.get("weight", 0.7))
    if not 0.0 < weight <= 1.0:
        raise LexiconError(f"{where}: weight {weight} outside (0, 1]")
    xcomp_raw = raw.get("xcomp", False)
    xcomp: bool | frozenset[str] = xcomp_raw if isinstance(xcomp_raw, bool) else _words(xcomp_raw)
    score = onto.score(category, [mode] if mode else [])
    if "score" in raw and float(raw["score"]) != score:
        score = float(raw["score"])
    return Trigger(
        category=category,
        lemma=str(raw["lemma"]).lower(),
        pos=pos_t,
        prep=_words(raw.get("prep")),
        dobj=_words(raw.get("dobj")),
        mod=_words(raw.get("mod")),
        xcomp=xcomp,
        not_prep=_words(raw.get("not_prep")),
        not_dobj=_words(raw.get("not_dobj")),
        not_mod=_words(raw.get("not_mod")),
        subj=_words(raw.get("subj")),
        not_subj=_words(raw.get("not_subj")),
        mode=mode,
        context=tuple(raw.get("context") or ()),
        swap=bool(raw.get("swap", False)),
        reciprocal=bool(raw.get("reciprocal", False)),
        embeds=bool(raw.get("embeds", False)),
        modal=_words(raw.get("modal")),
        weight=weight,
        score=score,
        source=where,
    )


def _child_words(tok: Token, deps: set[str]) -> dict[str, Token]:
    out: dict[str, Token] = {}
    for c in tok.children:
        if c.dep_ in deps:
            out.setdefault(c.lower_, c)
            out.setdefault(c.lemma_.lower(), c)
    return out


def _preps(tok: Token) -> dict[str, Token]:
    """Prepositions of a trigger, including "for" marking a clause ("called for X to act")."""
    out = _child_words(tok, PREP_DEPS)
    for c in tok.children:  # spaCy often parses the particle of a phrasal verb as advmod
        if c.dep_ == "advmod" and c.lower_ in PARTICLES:
            out.setdefault(c.lower_, c)
    for c in tok.children:
        if c.dep_ in {"advcl", "ccomp", "xcomp"}:
            for m in c.children:
                if m.dep_ == "mark" and m.lower_ in {"for"} and m.i == c.left_edge.i:
                    out.setdefault(m.lower_, m)
    return out


def _objects(tok: Token) -> dict[str, Token]:
    """Objects of a trigger, looking through prepositions ("speak on the phone") and conjuncts."""
    out: dict[str, Token] = {}
    for c in tok.children:
        cands = [c]
        if c.dep_ in PREP_DEPS:
            cands = [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ not in OBJ_DEPS:
            continue
        for o in cands:
            heads = [o, *o.conjuncts]
            for x in list(heads):
                if x.lemma_.lower() in PARTITIVE_HEADS or x.lower_ in PARTITIVE_HEADS:
                    for p in x.children:
                        if p.dep_ == "prep" and p.lower_ == "of":
                            heads += [g for g in p.children if g.dep_ == "pobj"]
            for x in heads:
                out.setdefault(x.lower_, x)
                out.setdefault(x.lemma_.lower(), x)
                for m in x.children:  # "hold phone talks", "impose martial law": the object's
                    if m.dep_ in {"compound", "amod"}:  # modifiers count for 'mod'
                        out.setdefault("compound:" + m.lower_, m)
            for x in heads:  # "suspended aid deliveries": the object's compound names the thing
                for m in x.children:
                    if m.dep_ == "compound" and m.pos_ in {"NOUN", "PROPN"}:
                        out.setdefault(m.lower_, m)
                        out.setdefault(m.lemma_.lower(), m)
    return out


def _subject_words(tok: Token) -> set[str]:
    """Lemmas of the trigger's subject and its noun modifiers ("peacekeeping troops")."""
    out: set[str] = set()
    for c in tok.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            heads = [c, *c.conjuncts]
            for x in list(heads):  # "a first batch of troops arrived"
                if x.lemma_.lower() in PARTITIVE_HEADS:
                    heads += [g for p in x.children if p.lower_ == "of" for g in p.children]
            for x in heads:
                out |= {x.lemma_.lower(), x.lower_}
                out |= {m.lemma_.lower() for m in x.children if m.dep_ in {"compound", "amod"}}
    return out


def _modal_clauses(tok: Token) -> list[Token]:
    """Clauses governed by ``tok`` (or, for a noun, attached to it) with their modal auxiliaries."""
    deps = CLAUSE_DEPS | {"acl", "advcl"} if tok.pos_ in {"NOUN", "PROPN"} else CLAUSE_DEPS
    return [c for c in tok.children if c.dep_ in deps]


class Lexicon:
    """All trigger entries, indexed by lemma."""

    def __init__(self, triggers: Sequence[Trigger]):
        self.triggers = tuple(triggers)
        index: dict[str, list[Trigger]] = defaultdict(list)
        for t in self.triggers:
            index[t.lemma].append(t)
        # Most specific entries first; file order breaks ties.
        self._index = {k: sorted(v, key=lambda t: -t.specificity) for k, v in index.items()}

    @classmethod
    def load(cls, folder: Path | None = None) -> Lexicon:
        onto = load_ontology()
        triggers: list[Trigger] = []
        files: Iterable[Any]
        if folder is None:
            files = sorted(
                (f for f in data_path("lexicon").iterdir() if f.name.endswith(".yaml")),
                key=lambda f: f.name,
            )
        else:
            files = sorted(folder.glob("*.yaml"))
        for f in files:
            doc = yaml.load(f.read_text(encoding="utf-8"), Loader=_LexiconLoader) or {}
            category = doc.get("category")
            if category not in onto.categories:
                raise LexiconError(f"{f.name}: category {category!r} is not a PLOVER category")
            for n, raw in enumerate(doc.get("entries") or []):
                triggers.append(_parse_entry(category, raw, f"{f.name}#{n}", onto))
        return cls(triggers)

    def lemmas(self) -> frozenset[str]:
        return frozenset(self._index)

    def match(self, tok: Token) -> TriggerMatch | None:
        """The most specific entry whose conditions hold on ``tok``, if any."""
        keys = dict.fromkeys((tok.lemma_.lower(), tok.lower_))  # ordered: lemma entries first
        entries = [t for k in keys for t in self._index.get(k, ())]
        if not entries:
            return None
        pos = tok.pos_
        entries = [t for t in entries if any(pos in POS_GROUPS[p] for p in t.pos)]
        if not entries:
            return None
        entries.sort(key=lambda t: -t.specificity)
        f = _Features(tok)
        for t in entries:
            support: list[Token] = []
            if t.prep:
                hit = next((v for w, v in f.preps.items() if w in t.prep), None)
                if hit is None:
                    continue
                support.append(hit)
            if t.dobj:
                # every matching object, in text order ("launched artillery and rocket fire")
                hits = sorted({v for w, v in f.objs.items() if w in t.dobj}, key=lambda x: x.i)
                if not hits:
                    continue
                support.extend(hits)
            if t.mod:
                hit = next((v for w, v in f.mods.items() if w in t.mod), None) or next(
                    (v for w, v in f.objs.items() if w.startswith("compound:") and w[9:] in t.mod),
                    None,
                )
                if hit is None:
                    continue
                support.append(hit)
            if t.xcomp:
                if not f.clauses:
                    continue
                if isinstance(t.xcomp, frozenset) and not any(
                    c.lemma_.lower() in t.xcomp for c in f.clauses
                ):
                    continue
            if t.modal:
                hit = next(
                    (
                        a
                        for c in _modal_clauses(tok)
                        for a in c.children
                        if a.dep_ == "aux" and a.lower_ in t.modal and not _first_person(c)
                    ),
                    None,
                )
                if hit is None:
                    continue
            if t.subj and not (t.subj & f.subjs):
                continue
            if (
                (t.not_subj and t.not_subj & f.subjs)
                or (t.not_prep and t.not_prep & f.preps.keys())
                or (t.not_dobj and t.not_dobj & f.objs.keys())
                or (t.not_mod and t.not_mod & f.mods.keys())
            ):
                continue
            return TriggerMatch(t, tok, tuple(support))
        return None


class _Features:
    """The parts of a trigger's parse that entries test, each computed on first use."""

    def __init__(self, tok: Token) -> None:
        self.tok = tok

    @cached_property
    def preps(self) -> dict[str, Token]:
        return _preps(self.tok)

    @cached_property
    def mods(self) -> dict[str, Token]:
        return _child_words(self.tok, MOD_DEPS)

    @cached_property
    def objs(self) -> dict[str, Token]:
        return _objects(self.tok)

    @cached_property
    def clauses(self) -> list[Token]:
        return [c for c in self.tok.children if c.dep_ in CLAUSE_DEPS]

    @cached_property
    def subjs(self) -> set[str]:
        return _subject_words(self.tok)


def _first_person(clause: Token) -> bool:
    """ "we must work together": a speaker's own obligation, not a demand on someone else."""
    return any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"we", "i", "everyone", "all"}
        for c in clause.children
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()
