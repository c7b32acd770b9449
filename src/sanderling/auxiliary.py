"""PLOVER auxiliary modes (negation, future, hypothetical, historical) from syntax.

The manual asks the coder to flag events that did not (or not yet) happen, or that
happened long ago, rather than code them as current facts.  We read this off the
dependency parse around the trigger: auxiliaries, negators and markers attached to
the trigger *or to the predicates it depends on* (``did not agree to work`` negates
``work``; ``will continue to provide`` makes ``provide`` future).
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Token

__all__ = [
    "AUXILIARY_MODES",
    "auxiliary_modes",
    "in_condition",
    "is_aim",
    "is_conditional",
    "is_obligation",
]

AUXILIARY_MODES = ("negation", "future", "hypothetical", "historical")

# Predicates whose infinitival complement did not happen ("failed to reach a deal").
_NEGATING_HEADS = {"fail"}
# Predicates whose complement lies ahead ("plans to visit", "is set to sign").
_FUTURE_HEADS = {
    "plan", "intend", "schedule", "slate", "expect", "prepare", "aim", "set", "due", "poise",
    "go", "vow", "pledge", "promise",
}  # fmt: skip
_HYPOTHETICAL_MODALS = {"could", "might", "may", "should", "would"}
_FUTURE_MODALS = {"will", "shall", "'ll", "wo"}
_REPORTING = {
    "say", "announce", "tell", "add", "state", "report", "declare", "confirm", "indicate",
    "warn", "predict", "promise", "pledge", "insist", "claim", "note",
}  # fmt: skip
_HYPOTHETICAL_MARKS = {"if", "unless", "whether", "lest"}
_HYPOTHETICAL_AMODS = {"possible", "potential", "proposed", "hypothetical", "prospective"}
_FUTURE_AMODS = {"planned", "upcoming", "forthcoming", "scheduled", "expected", "impending"}
_HISTORICAL_ADVS = {"previously", "formerly", "once", "earlier", "last", "historically"}
_HISTORICAL_ERAS = {
    "war", "struggle", "era", "period", "regime", "rule", "occupation", "revolution",
    "decade", "decades", "century", "dynasty", "independence", "colonialism", "colonization",
    "decolonization", "decolonisation", "reign", "dictatorship", "1990s", "1980s", "1970s",
}  # fmt: skip
_NEG_WORDS = {"not", "n't", "never", "no", "neither", "nor"}
_NEG_SUBJECTS = {"nobody", "nothing", "none", "neither", "no-one"}
_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})$")
_DECADE = re.compile(r"^(1[0-9]{3}|20[0-9]{2})s$")
_FUTURE_TIME = {"tomorrow", "upcoming", "forthcoming", "coming"}
_NEXT_UNITS = {
    "week", "month", "year", "weekend", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
}  # fmt: skip


def _chain(trigger: Token) -> list[Token]:
    """The trigger plus the predicates it depends on within its clause.

    Verb triggers climb through open complements and verb conjuncts without their
    own subject ("agreed to work" -> work, agreed).  Nominal triggers first step up to
    the verb they are the object/subject of ("did not hold talks" -> talks, hold).
    """
    out = [trigger]
    t = trigger
    if (
        t.pos_ in ("NOUN", "PROPN")
        and t.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")
        and t.head is not t
        and t.head.pos_ in ("VERB", "AUX")
    ):
        t = t.head
        out.append(t)
    for _ in range(6):
        if t.dep_ == "xcomp" or (
            t.dep_ == "conj"
            and t.head.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
        ):
            t = t.head
            out.append(t)
        else:
            break
    return out


def _has_neg(tok: Token) -> bool:
    for c in tok.children:
        low = c.lower_
        if c.dep_ == "neg" and low in _NEG_WORDS:
            # "not only ... but also" is a focus construction, not negation.
            nxt = c.nbor(1) if c.i + 1 < len(c.doc) else None
            if nxt is not None and nxt.lower_ in ("only", "just", "merely"):
                continue
            return True
        if c.dep_ == "advmod" and low == "never":
            return True
        if c.dep_ == "det" and low == "no" and tok.pos_ in ("NOUN", "PROPN"):
            return True
        # "no longer supports"
        if c.dep_ == "advmod" and low == "longer" and any(g.lower_ == "no" for g in c.children):
            return True
        if c.dep_ in ("nsubj", "nsubjpass") and (
            low in _NEG_SUBJECTS or any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
        ):
            return True
    return False


def _aux_lemmas(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _if_clause(tok: Token) -> bool:
    """``tok`` heads, or is modified by, a conditional/whether clause."""
    if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL_MARKS for c in tok.children):
        return True
    for c in tok.children:
        if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children
        ):
            return True
    return False


def is_conditional(trigger: Token) -> bool:
    """Is the event's clause conditioned by "if"/"unless" ("would meet them if ...")?"""
    return any(_if_clause(t) for t in _chain(trigger))


def in_condition(trigger: Token) -> bool:
    """Is the trigger inside an "if"/"unless" clause?  A condition is not a reported event
    ("... unless the government arranges a ceasefire")."""
    t = trigger
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
            return True
        # climb within the clause: "goes ahead with the planned deployment" -> goes
        if t.dep_ in ("ROOT", "ccomp", "relcl", "parataxis", "advcl", "acl") or t.head is t:
            return False
        t = t.head
    return False


_AIM_HEADS = {"aim", "design", "geared"}


def is_aim(trigger: Token) -> bool:
    """The goal something is "aimed at" or "designed to" reach is not itself a reported event
    ("talks aimed at establishing relations", "a resolution that aims to tighten sanctions")."""
    for t in _chain(trigger):
        head = t.head
        if t.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
        elif t.dep_ != "xcomp":
            continue
        if head.lemma_.lower() in _AIM_HEADS or head.lower_ in _AIM_HEADS:
            return True
    return False


_OBLIGATION_HEADS = {"have", "need", "got", "ought"}


def is_obligation(trigger: Token) -> bool:
    """ "We have to work together", "the two sides must cooperate": a duty, not an act.

    A past "had to" is left alone: "troops had to withdraw" reports what happened.
    """
    for t in _chain(trigger):
        if any(c.dep_ == "aux" and c.lower_ in ("must", "ought") for c in t.children):
            return True
        if (
            t.dep_ == "xcomp"
            and t.head.lemma_.lower() in _OBLIGATION_HEADS
            and t.head.tag_ != "VBD"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        ):
            return True
    return False


# Nouns whose infinitive is an act attempted, not one announced ("an attempt to kill").
_ATTEMPT_NOUNS = {"attempt", "bid", "try", "effort", "plot"}


def _subtree_words(tok: Token) -> list[Token]:
    """Tokens in ``tok``'s clause, not descending into embedded clauses."""
    out: list[Token] = []
    stack = list(tok.children)
    while stack:
        c = stack.pop()
        if c.dep_ in ("ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis"):
            continue
        out.append(c)
        stack.extend(c.children)
    return out


def auxiliary_modes(trigger: Token, story_date: dt.date | None = None) -> set[str]:
    """Auxiliary modes of the event whose trigger is ``trigger``.

    ``story_date`` (optional) lets a year far before the story ("in 1998") mark the
    event historical; without it only lexical cues ("previously", "during the war")
    count.  Conservative by design: an unmarked event is reported as current fact.
    """
    modes: set[str] = set()
    chain = _chain(trigger)

    # ---- negation
    for i, t in enumerate(chain):
        if _has_neg(t):
            modes.add("negation")
        if i > 0 and t.lemma_.lower() in _NEGATING_HEADS and chain[i - 1].dep_ == "xcomp":
            modes.add("negation")
    # "left without signing the deal": the trigger is what "without" governs.
    if trigger.dep_ in ("pcomp", "pobj") and trigger.head.lower_ == "without":
        modes.add("negation")

    # ---- future / hypothetical
    auxes: set[str] = set()
    for t in chain:
        auxes |= _aux_lemmas(t)
    # Conditional clause on the trigger or on its predicates.
    conditional = any(_if_clause(t) for t in chain)
    if conditional or auxes & {"could", "might", "may", "should"}:
        modes.add("hypothetical")
    if auxes & _FUTURE_MODALS:
        modes.add("future")
    if "would" in auxes and not conditional:
        # Reported "would" is future-in-the-past ("said it would send troops").
        top = chain[-1]
        if top.dep_ == "ccomp" and top.head.lemma_.lower() in _REPORTING:
            modes.add("future")
        else:
            modes.add("hypothetical")
    elif "would" in auxes:
        modes.add("hypothetical")
    # "were to cross" -- subjunctive
    for t in chain:
        if t.dep_ == "xcomp" and t.head.lower_ == "were" and _if_clause(t.head):
            modes.add("hypothetical")
    for i, t in enumerate(chain[1:], start=1):
        lemma = t.lemma_.lower()
        if chain[i - 1].dep_ != "xcomp":
            continue
        # "is to visit" / "are to meet"; "plans to impose"
        is_to = lemma == "be" and t.tag_ in ("VBZ", "VBP") and t.dep_ != "aux"
        if is_to or lemma in _FUTURE_HEADS:
            modes.add("future")
    # Headline style "China & U.S. to work together": a bare infinitive as the main verb
    # (or hanging off a noun) announces a future act.
    if (
        trigger.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
        and (trigger.dep_ == "ROOT" or trigger.head.pos_ in ("NOUN", "PROPN"))
        and trigger.head.lemma_.lower() not in _ATTEMPT_NOUNS
    ):
        modes.add("future")
    if trigger.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "amod" and c.lower_ in _HYPOTHETICAL_AMODS for c in trigger.children
    ):
        modes.add("hypothetical")
    if trigger.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "amod" and c.lower_ in _FUTURE_AMODS for c in trigger.children
    ):
        modes.add("future")
    # Time expressions pointing forward, for non-past predicates ("meet next month").
    if "future" not in modes and trigger.tag_ not in ("VBD", "VBN"):
        words = _subtree_words(trigger)
        for w in words:
            low = w.lower_
            ahead = low in _FUTURE_TIME and (low != "coming" or w.dep_ == "amod")
            if ahead or (low == "next" and w.head.lower_ in _NEXT_UNITS):
                modes.add("future")

    # ---- historical
    for t in chain:
        for c in t.children:
            low = c.lower_
            if c.dep_ == "advmod" and low in _HISTORICAL_ADVS:
                if low in ("last", "once") and t.tag_ not in ("VBD", "VBN"):
                    continue
                if low == "earlier" and "had" not in _aux_lemmas(t):
                    continue  # "earlier" alone is usually earlier today/this week
                modes.add("historical")
            if low == "used" and c.dep_ in ("aux",) and t.tag_ == "VB":
                modes.add("historical")
        if t.lemma_.lower() == "use" and t.tag_ == "VBD" and chain.index(t) > 0:
            modes.add("historical")  # "used to attack"
    for w in _subtree_words(chain[-1]) + _subtree_words(trigger):
        if (
            w.dep_ == "pobj"
            and w.head.lower_ in ("during", "in")
            and (w.lower_ in _HISTORICAL_ERAS and w.head.lower_ == "during")
        ):
            modes.add("historical")
        if _DECADE.match(w.text):
            y = int(w.text[:4])
            if story_date is None or y + 10 <= story_date.year:
                modes.add("historical")
        if (
            story_date is not None
            and _YEAR.match(w.text)
            and w.like_num
            and int(w.text) <= story_date.year - 2
        ):
            modes.add("historical")
        if w.lower_ == "ago" and any(
            h.lower_ in ("years", "decades", "centuries") for h in w.children
        ):
            n = next((h for h in w.subtree if h.like_num), None)
            if n is None or n.lower_ not in ("one", "1", "a"):
                modes.add("historical")
    return modes
