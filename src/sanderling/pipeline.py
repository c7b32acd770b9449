"""The coder: article in, PLOVER records out.

ingest -> normalise -> spaCy -> detect triggers -> roles -> resolve actors, dates, contexts ->
assemble records. A ``Coder`` owns every loaded resource, so a process (or Ray worker) builds one
and reuses it; nothing is global.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sanderling import CODER
from sanderling.actors import ActorKB, DocumentActors
from sanderling.actors.resolve import IT_PRONOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS
from sanderling.assemble import Draft, to_records
from sanderling.auxiliary import auxiliary_modes
from sanderling.context import ContextClassifier
from sanderling.dates import resolve_event_date, story_date
from sanderling.detect import Detection, detect
from sanderling.lexicon import Lexicon, default_lexicon
from sanderling.nlp import UNUSED_COMPONENTS, load_pipeline
from sanderling.ontology import load_ontology
from sanderling.prefilter import CandidateFilter, Selection
from sanderling.roles import SPEECH, Argument, Roles, expand_search, find_roles, phrase
from sanderling.textnorm import NormalText, normalise
from sanderling.types import Article, Entity, EventRecord

PRONOUN_PENALTY = 0.15
# Pronouns that refer back to an actor named earlier ("it", "they", "he", ...).
ANAPHORIC = PERSON_PRONOUNS | PLURAL_PRONOUNS | IT_PRONOUNS
# Actor-KB match kinds as the spaCy entity labels the role finder reads.
KB_ENTITY_LABELS = {
    "country": "GPE",
    "capital": "GPE",
    "demonym": "NORP",
    "org": "ORG",
    "person": "PERSON",
    "user": "PERSON",
}
# Categories whose events are normally aimed at someone: without a recipient they are less certain.
DIRECTED = {"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT", "COERCE", "ASSAULT", "SANCTION"}


def _same_party(r: Entity, actors: Sequence[Entity]) -> bool:
    """A recipient that only repeats an actor ("Xi urged action between China and the US").
    A named person or organisation is a party of its own unless it is one of the actors."""
    if r.identifier_id and all(a.identifier_id != r.identifier_id for a in actors):
        return False
    return any(a.code == r.code and r.sector in ("", a.sector) for a in actors)


def _mention_roots(sent: Span) -> list[Token]:
    """Heads of the names in a sentence, in the order they should be remembered.

    Named mentions are found from the tagger and parser (proper nouns, capitalised
    adjectives such as demonyms), not from NER: the coder runs without spaCy's NER,
    which cost about 40% of the parsing time (docs/scaling.md has the score comparison).
    Subjects come last: "the country", "he" later prefer the main actor.
    """
    roots: dict[int, Token] = {}
    for tok in sent:
        if not _name_like(tok):
            continue
        if tok.dep_ in {"compound", "flat", "amod"} and _name_like(tok.head):
            continue  # part of a longer name: the name's head stands for it
        root = tok
        while root.dep_ in {"compound", "amod"} and root.head.pos_ in {"PROPN", "NOUN"}:
            root = root.head
        roots.setdefault(root.i, root)
    return sorted(roots.values(), key=lambda t: (t.dep_ in {"nsubj", "nsubjpass"}, t.i))


def _register(norm: NormalText, actors: DocumentActors, roots: Sequence[Token]) -> None:
    """Let later text refer back ("Xi", "he") to the names headed by ``roots``."""
    for root in roots:
        s, e = phrase(root)
        # the subject of the sentence's event is its topic; the source of a report is not
        topic = root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ not in SPEECH
        actors.resolve(norm.text[s:e], s, subject=topic)


def _name_like(tok: Token) -> bool:
    """A proper noun, or a capitalised adjective inside a sentence ("Chinese", "Peruvian") or a
    known one at its start ("Turkish police ...")."""
    if tok.pos_ == "PROPN":
        return True
    return tok.pos_ == "ADJ" and tok.is_title and (not tok.is_sent_start or bool(tok.ent_type_))


@dataclass(frozen=True, slots=True)
class CoderConfig:
    """Options that change what the coder emits."""

    keep_negated: bool = False
    actor_files: tuple[Path, ...] = ()
    model: str | None = None
    coded_date: dt.date | None = None
    batch_size: int = 16
    # Parse only sentences where a trigger could fire (sanderling.prefilter); False parses all.
    prefilter: bool = True


class Coder:
    """Codes articles into PLOVER records; build once, call many times."""

    def __init__(
        self,
        config: CoderConfig | None = None,
        nlp: Language | None = None,
        lexicon: Lexicon | None = None,
        kb: ActorKB | None = None,
    ) -> None:
        self.config = config or CoderConfig()
        self.nlp = nlp or load_pipeline(self.config.model, exclude=UNUSED_COMPONENTS, fast=True)
        self.nlp.max_length = max(self.nlp.max_length, 6_000_000)
        self.lexicon = lexicon or default_lexicon()
        self.filter = (
            CandidateFilter.from_pipeline(self.lexicon, self.nlp) if self.config.prefilter else None
        )
        self.kb = kb or ActorKB.load(self.config.actor_files)
        self.contexts = ContextClassifier.load()
        self.onto = load_ontology()

    # -- public API -------------------------------------------------------------------------
    def code_article(self, article: Article) -> list[EventRecord]:
        """All events in one article."""
        return next(iter(self.code_articles([article])))[1]

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        """Stream (article, records) pairs in input order; spaCy batches the parsing."""
        docs = self.nlp.pipe(
            ((sel.kept.text, (a, sel)) for a, sel in map(self._select, articles)),
            as_tuples=True,
            batch_size=self.config.batch_size,
        )
        for doc, (article, sel) in docs:
            if "ner" not in self.nlp.pipe_names:
                self._kb_entities(doc)
            yield article, self._code_doc(article, sel, doc)

    def _kb_entities(self, doc: Doc) -> None:
        """Named entities from the actor KB instead of spaCy's NER (which the coder does not
        load): countries, capitals and seats as GPE, demonyms as NORP, organisations, people."""
        spans = []
        for r in self.kb.scan(doc.text):
            label = KB_ENTITY_LABELS.get(r.kind)
            if label is not None:
                span = doc.char_span(r.start, r.end, label=label, alignment_mode="expand")
                if span is not None and label == "NORP":
                    # As NER marks them: the nationality word, not the noun it describes
                    # ("Jewish settlers" -> "Jewish").
                    while len(span) > 1 and span[-1].is_lower:
                        span = span[:-1]
                if span is not None:
                    spans.append(span)
        doc.ents = filter_spans(spans)

    def _select(self, article: Article) -> tuple[Article, Selection]:
        """Normalised text, cut down to the candidate sentences when the prefilter is on."""
        norm = normalise(article.text, article.body_start)
        if self.filter is None:
            return article, Selection(norm, (), 0, 0, norm)
        return article, self.filter.select(norm)

    # -- stages -----------------------------------------------------------------------------
    def _code_doc(self, article: Article, sel: Selection, doc: Doc) -> list[EventRecord]:
        body = article.text[article.body_start :]
        story = story_date(body, article.body_start, article.date)
        when = story.date or article.date
        doc_actors = DocumentActors(self.kb, when)
        doc_ctx = self.contexts.document_contexts(sel.full.text)
        norm = sel.kept
        skipped = list(sel.skipped)

        def aux(tok: Token) -> set[str]:
            return auxiliary_modes(tok, story.date)

        drafts: list[Draft] = []
        seq = -1  # sentence number in the article, counting the ones the prefilter left out
        for sent in doc.sents:
            seq += 1
            while skipped and skipped[0][2] <= sent.start_char:
                # Sentences the prefilter left out still feed coreference, in reading order.
                s, e, _ = skipped.pop(0)
                doc_actors.observe(sel.full.text[s:e])
                seq += 1
            if not sent.text.strip():
                continue
            detections = detect(sent, self.lexicon, aux, self.config.keep_negated)
            # Names before the sentence's first pronoun are registered first, so "X said it
            # would" refers back to X; names after it ("It accused North Korea") only later.
            first_pronoun = next((t.i for t in sent if t.lower_ in ANAPHORIC), sent.end)
            names = _mention_roots(sent)
            _register(norm, doc_actors, [r for r in names if r.i < first_pronoun])
            for det in detections:
                draft = self._draft(article, norm, seq, sent, det, doc_actors, story, doc_ctx)
                if draft is not None:
                    drafts.append(draft)
            _register(norm, doc_actors, [r for r in names if r.i >= first_pronoun])
        return to_records(article, drafts, self.onto, CODER, self.config.coded_date)

    def _resolve(
        self, args: Sequence[Argument], norm: NormalText, article: Article, actors: DocumentActors
    ) -> tuple[list[Entity], list[str]]:
        out: list[Entity] = []
        kinds: list[str] = []
        for arg in args:
            found = self._resolve_one(arg, norm, article, actors)
            if not found:  # "urged joint action between China and the US": look inside
                for group in expand_search(arg):
                    for sub in group:
                        found.extend(self._resolve_one(sub, norm, article, actors))
                    if found:
                        break
            for ent, kind in found:
                if not any(x.code == ent.code and x.sector == ent.sector for x in out):
                    out.append(ent)
                    kinds.append(kind)
        return out, kinds

    def _fallback_recipients(
        self,
        roles: Roles,
        actors: Sequence[Entity],
        norm: NormalText,
        article: Article,
        doc_actors: DocumentActors,
        places_only: bool = False,
    ) -> list[Entity]:
        """Nearest group of other parties that resolves; a bare sector noun borrowing an actor's
        country ("to send troops", "a general strike") only if nothing else does."""
        deferred: list[Entity] = []
        if roles.reciprocal and len({a.code for a in actors}) > 1:
            return []  # "A and B negotiators met in Geneva": the parties are all named
        for n, group in enumerate([roles.fallback, *roles.tiers]):
            if not group or (places_only and not group[0].locative):
                continue
            snap = doc_actors.snapshot()
            found, kinds = self._resolve(group, norm, article, doc_actors)
            keep = []
            place = group[0].locative
            for ent, kind in zip(found, kinds, strict=True):
                same = [a for a in actors if a.code == ent.code]  # the actors of its country
                if (
                    _same_party(ent, actors)
                    and kind in {"country", "capital"}
                    and all(a.sector for a in same)
                ):
                    # "imposed a curfew in <own town>": its people ("<own people> demonstrated
                    # in <state>": its government); "<own people> protest <state>'s decision":
                    # its government
                    for sector in ("CVL", "GOV") if place else ("GOV",):
                        ent = dataclasses.replace(ent, sector=sector)
                        if not _same_party(ent, actors):
                            break
                if _same_party(ent, actors):
                    continue
                domestic = (
                    n > 0
                    and kind == "coref"
                    and same
                    and ent.sector not in {"", "GOV", "MIL"}
                    and all(a.sector != ent.sector for a in same)
                )
                if domestic:
                    # "police prevented a demonstration staged by students": another group of
                    # the actor's own country
                    keep.append(ent)
                    continue
                named = kind == "coref" and ent.identifier_id is not None
                if kind in {"coref", "pronoun"} and n > 0 and not named:
                    # a bare sector noun ("the country", "opposition areas") deep in the clause
                    if same:
                        deferred = deferred or [ent]
                    continue
                if kind == "coref" and same:
                    deferred = deferred or [ent]
                    continue
                keep.append(ent)
            if keep:
                return keep
            doc_actors.restore(snap)  # unused candidates must not steer later coreference
        return deferred

    def _resolve_one(
        self, arg: Argument, norm: NormalText, article: Article, actors: DocumentActors
    ) -> list[tuple[Entity, str]]:
        text = norm.text[arg.start : arg.end]
        where = ", ".join(norm.text[a:b] for a, b in arg.where)
        near = ", ".join(norm.text[a:b] for a, b in arg.near)
        out = []
        for r in actors.resolve(text, arg.start, where, near):
            s, e = norm.to_original(r.start, r.end)
            out.append(
                (
                    Entity(
                        code=r.code,
                        sector=r.sector,
                        entity_text=article.text[s:e],
                        start=s,
                        end=e,
                        identifier_text=r.identifier_text,
                        identifier_id=r.identifier_id,
                        why=r.why,
                    ),
                    r.kind,
                )
            )
        return out

    def _draft(
        self,
        article: Article,
        norm: NormalText,
        seq: int,
        sent: Span,
        det: Detection,
        doc_actors: DocumentActors,
        story: object,
        doc_ctx: dict[str, float],
    ) -> Draft | None:
        roles = find_roles(det)
        actors, actor_kinds = self._resolve(roles.actors, norm, article, doc_actors)
        if not actors:
            return None
        found, kinds = self._resolve(roles.recipients, norm, article, doc_actors)
        keep = [(r, k) for r, k in zip(found, kinds, strict=True) if not _same_party(r, actors)]
        recipients = [r for r, _ in keep]
        own = {a.code for a in actors}
        if not recipients:
            recipients = self._fallback_recipients(roles, actors, norm, article, doc_actors)
        elif all(k == "coref" and r.code in own for r, k in keep):
            # "bombers killed 23 people in Tel Aviv": the victims' country is not known from
            # "people"; the place of the attack, in another country, is a better guess
            snap = doc_actors.snapshot()
            alt = self._fallback_recipients(roles, actors, norm, article, doc_actors, True)
            if any(r.code not in own for r in alt):
                recipients = alt
            else:
                doc_actors.restore(snap)
        category = self.onto.categories[det.category]
        if category.requires_recipient and not recipients and len(actors) < 2:
            return None  # PLOVER: COOPERATE, AID and SANCTION need someone on the receiving end
        tokens = det.match.tokens
        spans = [norm.to_original(t.idx, t.idx + len(t.text)) for t in tokens]
        ev_start, ev_end = min(s for s, _ in spans), max(e for _, e in spans)
        event_text = " ".join(article.text[s:e] for s, e in spans)
        s_start, s_end = norm.to_original(sent.start_char, sent.end_char)
        sentence_text = article.text[s_start:s_end]
        date = resolve_event_date(sentence_text, s_start, ev_start, story, article.date)  # type: ignore[arg-type]
        contexts = self.contexts.classify(sentence_text, det.category, doc_ctx)
        for c in det.match.trigger.context:
            if c not in contexts:
                contexts.append(c)
        for aux in ("negation", "future", "hypothetical", "historical"):
            if aux in det.aux:
                contexts.append(aux)
        confidence = det.match.trigger.weight
        if any(k in {"pronoun", "coref"} for k in actor_kinds):
            confidence -= PRONOUN_PENALTY
        if recipients:
            confidence += 0.1
        elif det.category in DIRECTED and len(actors) < 2:
            confidence -= 0.2
        if det.aux & {"hypothetical", "negation"}:
            confidence -= 0.1
        confidence = min(0.99, max(0.05, confidence))
        return Draft(
            category=det.category,
            modes=det.modes,
            contexts=contexts,
            actors=actors,
            recipients=recipients,
            event_text=event_text,
            event_span=(ev_start, ev_end),
            sentence=(seq, s_start, s_end),
            date=date,
            confidence=confidence,
            why={},
        )
