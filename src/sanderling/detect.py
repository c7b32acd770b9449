"""Event detection: find trigger words in a parsed sentence and decide which ones are events.

A trigger that is the *content* of another (``agreed to work together``, ``urged X to cooperate``)
is not an event of its own; it refines the governing event's mode. PLOVER's rules for auxiliary
modes are applied here too (one category, never category + auxiliary mode): a future or
conditional cooperative act -- including a retreat or concession -- is AGREE, a future or
hypothetical hostile act is THREATEN, and a negated promise or concession is REJECT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from sanderling.auxiliary import in_condition, is_aim, is_conditional, is_obligation
from sanderling.lexicon import PARTITIVE_HEADS, Lexicon, TriggerMatch

# Dependencies that start a new clause: a trigger below one of these is an event of its own.
CLAUSE_BOUNDARY = {"conj", "advcl", "relcl", "parataxis", "ccomp", "acl", "csubj", "ROOT"}
# Verbs that report speech: their complements are the events, never the verbs themselves.
REPORTING = {"say", "tell", "add", "state", "note", "announce", "report", "confirm", "stress"}

# Prepositions that give the setting of an event, not its content.
SETTING_PREPS = {"in", "at", "during", "after", "before", "since", "following", "amid", "ahead"}
# Verbs whose "in" phrase is the act itself, not its setting.
PARTAKING = {"engage", "involve", "participate", "part", "join", "implicate", "persist"}
# How an embedded event hangs under the event that embeds it ("agreed to work", "urged X to").
EMBED_DEPS = {"xcomp", "ccomp", "dobj", "advcl", "pcomp", "acl", "oprd", "attr", "nsubj"}
EMBED_PREPS = {"for", "to", "on", "upon", "of", "about"}

# Future (or conditional) cooperative acts are promises: AGREE.  Future hostile acts are THREATEN.
FUTURE_TO_AGREE = {"COOPERATE", "AID", "SUPPORT", "CONSULT", "RETREAT", "CONCEDE"}
HOSTILE = {"ASSAULT", "COERCE", "SANCTION", "PROTEST"}
THREATENING_PROTEST = {"boycott", "obstruct", "strike"}
THREATEN_BY_CATEGORY = {"ASSAULT": "violence", "SANCTION": "relations", "COERCE": "restrict"}
# Governing words of intent: with a hostile act as content they threaten it.
WILLINGNESS = {
    "ready", "prepared", "prepare", "willing", "vow", "pledge", "promise", "intend", "eager",
    "determined", "commit", "committed",
}  # fmt: skip
# Verbal acts that state what a protest is for, and how such a purpose clause attaches.
VERBAL_AIMS = {"REQUEST", "ACCUSE", "REJECT"}
PURPOSE_DEPS = {"advcl", "xcomp", "acl", "relcl", "pcomp", "pobj", "prep", "conj", "dobj"}
# Material hostile acts stay events even as the goal of another ("opened fire to disperse").
HOSTILE_ACTS = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST", "THREATEN"}
# A call for a "joint" act includes the caller: a proposal among equals, not a demand.
JOINT_WORDS = {"joint", "concerted", "collective", "mutual", "common", "united"}
PARTY_PREPS = {"between", "with", "among", "by"}
WILL_WORDS = {"will", "would", "'ll", "shall", "wo"}
# Orders by an authority whose content is a coercive act.
COMMAND = {"order", "instruct", "direct"}
ORDERED_ACTS = {"COERCE", "SANCTION"}
# Complements that make a verb a full act of its own (not a shared-object coordination).
OWN_COMPLEMENT = {"xcomp", "ccomp", "dobj", "dative", "attr", "oprd"}
# Mode a governing request/refusal/threat takes from the event it embeds.
_ASK_MODES = {
    "CONSULT": "meet",
    "AGREE": "meet",
    "AID": "assist",
    "COOPERATE": "assist",
    "SUPPORT": "assist",
    "RETREAT": "yield",
    "CONCEDE": "yield",
}
EMBED_MODES: dict[str, dict[str, str]] = {
    "REQUEST": _ASK_MODES,
    "REJECT": {**_ASK_MODES, "REQUEST": "change"},
    "THREATEN": {
        "ASSAULT": "violence",
        "SANCTION": "relations",
        "COERCE": "restrict",
        "MOBILIZE": "violence",
    },
}
THREATEN_BY_MODE = {
    "arrest": "arrest",
    "expel": "expel",
    "deport": "expel",
    "discontinue": "relations",
    "withdraw": "relations",
    "boycott": "restrict",
    "obstruct": "restrict",
    "strike": "restrict",
}


@dataclass(slots=True)
class Detection:
    """A trigger judged to be an event, before its arguments are resolved."""

    match: TriggerMatch
    category: str
    modes: list[str]
    aux: set[str] = field(default_factory=set)
    embedded: TriggerMatch | None = None

    @property
    def token(self) -> Token:
        return self.match.token


def _path_to(tok: Token, ancestor: Token) -> list[Token]:
    """Tokens from ``tok`` up to (not including) ``ancestor``."""
    path = []
    t = tok
    while t.i != ancestor.i and t.head.i != t.i:
        path.append(t)
        t = t.head
    return path


def _crosses_clause(path: list[Token]) -> bool:
    """Does the path leave the governing event's own phrase (a new clause, a setting phrase)?"""
    for t in path:
        if t.dep_ in CLAUSE_BOUNDARY and (t.dep_ != "conj" or t.pos_ in {"VERB", "AUX"}):
            return True
        if t.dep_ == "prep" and t.lower_ in SETTING_PREPS:
            return True
    return False


def _adverbial_setting(tok: Token) -> bool:
    """ "as he embarked on a trip", "after they met": a subordinate clause of time or reason
    is the setting of the embedding event, not its content."""
    return tok.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ not in {"to", "that", "for"} for c in tok.children
    )


def _is_setting(tok: Token) -> bool:
    """A nominal trigger that only sets the scene ("outcomes reached in the summit", "after
    two days of fighting", "following the shooting deaths")."""
    if tok.pos_ in {"VERB", "ADJ"} and tok.dep_ == "amod":
        return True  # "the Syrian-backed militia", "the banned party": a description
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    if tok.dep_ in {"compound", "amod"}:
        tok = tok.head
    while (
        tok.dep_ == "pobj"
        and tok.head.lower_ == "of"
        and tok.head.head.lemma_.lower() in PARTITIVE_HEADS
    ):
        tok = tok.head.head  # "two days of fierce fighting" -> "days"
    if tok.dep_ != "pobj":
        return False
    if tok.head.lower_ not in SETTING_PREPS:
        return False
    if tok.head.head.lemma_.lower() in PARTAKING:
        return False  # "engaged in ethnic cleansing", "took part in the attack"
    own = {c.lower_ for c in tok.children if c.dep_ == "prep"}
    return not (own & {"with", "between", "among"})


def detect(
    sent: Span,
    lexicon: Lexicon,
    aux_modes: Callable[[Token], set[str]],
    keep_negated: bool = False,
) -> list[Detection]:
    """Events triggered in one sentence, in text order."""
    matches: dict[int, TriggerMatch] = {}
    support_ids: set[int] = set()
    for tok in sent:
        if tok.is_punct or tok.is_space:
            continue
        m = lexicon.match(tok)
        if m is not None and tok.lemma_.lower() in REPORTING and not m.trigger.modal:
            continue  # "said X must ..." is a demand; a plain "said" never is an event
        if m is not None:
            matches[tok.i] = m
            support_ids.update(s.i for s in m.support)
    for i in list(matches):
        if i in support_ids and matches[i].trigger.pos != ("VERB",):
            del matches[i]  # "launched an investigation": the noun belongs to the verb's entry

    detections: list[Detection] = []
    refined: dict[int, TriggerMatch] = {}
    for _, m in sorted(matches.items()):
        if _is_setting(m.token):
            continue
        suppressed = False
        for anc in m.token.ancestors:
            gov = matches.get(anc.i)
            if gov is None:
                continue
            path = _path_to(m.token, anc)
            top = path[-1]
            if (
                gov.trigger.embeds
                and (top.dep_ in EMBED_DEPS or (top.dep_ == "prep" and top.lower_ in EMBED_PREPS))
                and not any(_adverbial_setting(t) for t in path)
            ):
                refined.setdefault(anc.i, m)
                suppressed = True
                break
            if not _crosses_clause(path):
                suppressed = True  # "held talks on cooperation": part of the governing event
                break
        if suppressed:
            continue
        t = m.trigger
        aux = aux_modes(m.token)
        if (
            in_condition(m.token)
            or is_aim(m.token)
            or is_obligation(m.token)
            or _speculative_mention(m, aux, matches)
            or _joint_call(m)
        ):
            continue  # a condition, a duty, a speculation or a joint call: no event
        detections.append(Detection(m, t.category, [t.mode] if t.mode else [], aux))

    protests: set[int] = set()
    for d in detections:
        if d.category == "PROTEST":  # the protest and the verb that stages it
            protests |= {d.token.i, *(t.i for t in d.match.support)}
            if d.token.pos_ in {"NOUN", "PROPN"} and d.token.dep_ in {"dobj", "nsubj"}:
                protests.add(d.token.head.i)
    detected = {d.token.i for d in detections}
    kept: list[Detection] = []
    for d in detections:
        if d.category in VERBAL_AIMS and _purpose_of(d.token, protests):
            continue  # "marched to demand reforms": the demand is what the protest is about
        if d.category not in HOSTILE_ACTS and _infinitive_purpose(d.token, detected):
            continue  # "visited Accra to mediate", "resigned to allow elections": the goal
        emb = refined.get(d.token.i)
        d.embedded = emb
        if emb is not None:
            _refine_with_embedded(d, emb)
        _apply_auxiliary_rules(d)
        if "negation" in d.aux and not keep_negated:
            continue
        if d.category == "THREATEN" and _mere_warning(d):
            continue  # "warning that more deaths are likely": a prediction, not a threat
        kept.append(d)
    return merge_coordinated(kept)


def _purpose_of(tok: Token, protests: set[int]) -> bool:
    """Is ``tok`` the aim of a protest ("rallied to demand", "a strike calling for")?"""
    t = tok
    for _ in range(3):
        if t.dep_ not in PURPOSE_DEPS or t.head.i == t.i:
            return False
        t = t.head
        if t.i in protests:
            return True
    return False


def _mere_warning(d: Detection) -> bool:
    """A warning is a threat when it names an act ("warned it would retaliate", "warned of
    sanctions", "warned Iran"); a warning that something is likely is only a prediction."""
    tok = d.token
    if tok.lemma_.lower() not in {"warn", "warning"} or d.embedded is not None:
        return False
    for c in tok.children:
        if c.dep_ in {"dobj", "dative"} or (c.dep_ == "prep" and c.lower_ in {"of", "against"}):
            return False
        if c.dep_ in {"ccomp", "xcomp"} and any(
            a.dep_ == "aux" and a.lower_ in WILL_WORDS for a in c.children
        ):
            return False  # "warned that officers will stop any march"
    return True


def _infinitive_purpose(tok: Token, detected: set[int]) -> bool:
    """ "to allow", "in order to discuss": an infinitive stating another event's goal."""
    if tok.dep_ != "advcl" or tok.head.i not in detected:
        return False
    if any(c.dep_ in {"nsubj", "nsubjpass", "mark"} and c.lower_ != "to" for c in tok.children):
        return False  # its own subject or a subordinator ("after", "when"): a separate act
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _speculative_mention(m: TriggerMatch, aux: set[str], matches: dict[int, TriggerMatch]) -> bool:
    """ "cooperation would facilitate negotiations": a nominal event that is only talked about.

    A noun trigger that is the object of a hypothetical verb which is no event itself is a
    speculation, not a report; conditional offers ("would hold talks if ...") are kept.
    """
    tok = m.token
    if tok.pos_ not in {"NOUN", "PROPN"} or "hypothetical" not in aux:
        return False
    head = tok.head
    if tok.dep_ == "pobj":
        head = head.head
    elif tok.dep_ not in {"dobj", "nsubj", "nsubjpass"}:
        return False
    return head.i not in matches and not is_conditional(tok)


def _joint_call(m: TriggerMatch) -> bool:
    """ "called for a joint effort from both sides": a common act the caller is part of, with
    no one named to do it -- a proposal among equals, not a demand on someone."""
    if m.trigger.category != "REQUEST":
        return False
    tok = m.token
    content = [c for c in tok.children if c.dep_ == "dobj"]
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ == "for":
            content += [g for g in p.children if g.dep_ == "pobj"]
    return any(
        any(c.dep_ == "amod" and c.lower_ in JOINT_WORDS for c in n.children)
        # "joint action between China and the US" names the other party: still a request
        and not any(c.dep_ == "prep" and c.lower_ in PARTY_PREPS for c in n.children)
        for n in content
    )


def _refine_with_embedded(d: Detection, emb: TriggerMatch) -> None:
    table = EMBED_MODES.get(d.category, {})
    if d.category == "THREATEN" and emb.trigger.mode in THREATEN_BY_MODE:
        mode: str | None = THREATEN_BY_MODE[emb.trigger.mode or ""]
    else:
        mode = table.get(emb.trigger.category)
    if mode and mode not in d.modes:
        d.modes.append(mode)
    lemma = d.token.lemma_.lower()
    hostile = emb.trigger.category in HOSTILE
    if d.category == "AGREE" and hostile and lemma in WILLINGNESS:
        if lemma == "prepare" and _acts(d.token) and emb.trigger.category == "ASSAULT":
            # "the army prepared to resume shelling": getting ready for force, not a threat
            d.category, d.modes = "MOBILIZE", ["troops"]
        else:
            # "is ready to impose martial law", "vowed to punish": intent to harm is a threat
            d.category, d.modes = "THREATEN", [_threat_mode(emb.trigger.category, emb.trigger.mode)]
    elif d.category == "REQUEST" and lemma in COMMAND and emb.trigger.category in ORDERED_ACTS:
        # "ordered the paper to suspend publication": an authority's order is the act itself
        d.category = emb.trigger.category
        d.modes = [emb.trigger.mode] if emb.trigger.mode else []


def _acts(tok: Token) -> bool:
    """A finite active verb ("prepared"), not an adjectival state ("is prepared")."""
    return (
        tok.pos_ == "VERB"
        and tok.dep_ != "acomp"
        and not any(c.dep_ in {"auxpass", "aux"} and c.lemma_.lower() == "be" for c in tok.children)
    )


def _threat_mode(category: str, mode: str | None) -> str:
    if mode in THREATEN_BY_MODE:
        return THREATEN_BY_MODE[mode or ""]
    return THREATEN_BY_CATEGORY.get(category, "restrict")


def _speculative_past(tok: Token) -> bool:
    """ "may have been carried out by": a guess about the past, not a hypothetical act."""
    chain = [tok, tok.head] if tok.dep_ in {"xcomp", "dobj", "nsubjpass"} else [tok]
    return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for t in chain for c in t.children)


def _apply_auxiliary_rules(d: Detection) -> None:
    """PLOVER: one category, not category + auxiliary mode (future aid is AGREE, etc.)."""
    aux = d.aux
    future = "future" in aux
    hypothetical = "hypothetical" in aux and not _speculative_past(d.token)
    conditional = hypothetical and is_conditional(d.token)
    if "negation" in aux:
        # "will not meet", "did not agree to", "would not accept": a refusal is an event
        if d.category in {"AGREE", "CONCEDE"} or (
            (future or hypothetical) and d.category in FUTURE_TO_AGREE
        ):
            mode = EMBED_MODES["REJECT"].get(d.category)
            d.category, d.modes = "REJECT", [mode] if mode else []
            aux.discard("negation")
        return
    if d.category in FUTURE_TO_AGREE and (future or conditional):
        if d.category == "RETREAT" and "resign" in d.modes:
            return  # an announced resignation is the retreat itself
        d.category, d.modes = "AGREE", []
        aux.discard("hypothetical")
    elif d.category in HOSTILE and (future or hypothetical):
        if d.category == "PROTEST" and not set(d.modes) & THREATENING_PROTEST:
            return  # a demonstration called for tomorrow is still a protest
        mode = _threat_mode(d.category, d.modes[0] if d.modes else None)
        d.category, d.modes = "THREATEN", [mode]
        aux.discard("hypothetical")
        aux.discard("future")


def merge_coordinated(detections: list[Detection]) -> list[Detection]:
    """ "support and help countries": coordinated verbs sharing one object are one act.

    The material (higher quad) reading is kept.
    """
    drop: set[int] = set()
    by_token = {d.token.i: d for d in detections}
    for d in detections:
        t = d.token
        if t.dep_ != "conj" or t.head.i not in by_token:
            continue
        if any(c.dep_ in {"nsubj", "nsubjpass", "dobj"} for c in t.head.children if c.i > t.head.i):
            continue  # the first verb has its own object: two acts
        if any(c.dep_ in OWN_COMPLEMENT for c in t.head.children):
            continue  # "refused to deploy ... and urged": each verb has its own complement
        if any(c.dep_ in {"aux", "auxpass"} for c in t.children) or any(
            c.dep_ == "auxpass" for c in t.head.children
        ):
            continue  # "was indicted ... and will resign": own tense or voice, two acts
        other = by_token[t.head.i]
        weaker = d if quad_rank(d.category) < quad_rank(other.category) else other
        drop.add(weaker.token.i)
    return [d for d in detections if d.token.i not in drop]


def quad_rank(category: str) -> int:
    """Material categories outrank verbal ones when two readings compete."""
    material = {
        "COOPERATE",
        "AID",
        "RETREAT",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
    return 1 if category in material else 0
