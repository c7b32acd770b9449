"""PLOVER ``context`` tags from keyword evidence (lexicon: ``data/contexts.yaml``).

The manual expects contexts to be coded at paragraph/document level, so a sentence's
contexts combine its own keyword evidence with (down-weighted) evidence from the whole
article.  Keyword matching keeps this fast enough to run on every article and makes
every tag explainable by the words that produced it; weights and thresholds live in
the YAML, not here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["CONTEXTS", "ContextClassifier", "ContextSpec", "load_lexicon"]


@dataclass(frozen=True)
class ContextSpec:
    """One context's lexicon entry."""

    name: str
    threshold: float
    terms: Mapping[str, float]
    acronyms: tuple[str, ...] = ()
    categories: Mapping[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, Any]:
    """The parsed ``contexts.yaml`` (cached: it is immutable package data)."""
    text = resources.files("sanderling").joinpath("data/contexts.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("contexts"), dict):
        raise ValueError("contexts.yaml: expected a mapping with a 'contexts' mapping")
    return data


#: Context names in lexicon order (the PLOVER manual's general contexts).
CONTEXTS: tuple[str, ...] = tuple(load_lexicon()["contexts"])

_ACRONYM_WEIGHT = 2.0
_TOKEN = re.compile(r"[a-z0-9]+")
_CASED_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


@dataclass(frozen=True)
class _Term:
    """A lexicon term as token patterns: ``(text, is_prefix)`` per token."""

    source: str
    tokens: tuple[tuple[str, bool], ...]


def _compile_term(term: str) -> _Term:
    """Tokenise a lexicon term like the text ("women's rights" -> women, s, rights)."""
    toks: list[tuple[str, bool]] = []
    for word in term.lower().split():
        prefix = word.endswith("*")
        pieces = _TOKEN.findall(word)
        for j, p in enumerate(pieces):
            toks.append((p, prefix and j == len(pieces) - 1))
        if prefix and not pieces:  # pragma: no cover - "*" alone
            continue
    return _Term(term, tuple(toks))


def _token_matches(pattern: tuple[str, bool], tok: str, last: bool) -> bool:
    text, prefix = pattern
    if prefix:
        return tok.startswith(text)
    if tok == text:
        return True
    # The last word of a term also matches its plural.
    return last and (
        tok in (text + "s", text + "es") or (text.endswith("y") and tok == text[:-1] + "ies")
    )


class ContextClassifier:
    """Keyword-evidence context tagger; build with :meth:`load`."""

    def __init__(
        self,
        specs: Mapping[str, ContextSpec],
        doc_weight: float = 0.5,
        count_cap: int = 3,
        max_contexts: int = 4,
        doc_min_share: float = 0.0,
    ) -> None:
        self.specs = dict(specs)
        self.doc_weight = doc_weight
        self.count_cap = count_cap
        self.max_contexts = max_contexts
        self.doc_min_share = doc_min_share
        # Terms indexed by their first token (exact) plus a short list of terms whose
        # first token is a prefix; at each text token the longest matching term wins,
        # so "human rights watch" is one hit, not also "human rights".
        hits: dict[str, list[tuple[str, float]]] = {}
        for spec in self.specs.values():
            for term, weight in spec.terms.items():
                hits.setdefault(term.lower(), []).append((spec.name, float(weight)))
        self._hits = hits
        self._by_first: dict[str, list[_Term]] = {}
        self._wild_first: dict[str, list[_Term]] = {}
        for t in hits:
            ct = _compile_term(t)
            if not ct.tokens:
                continue
            first, prefix = ct.tokens[0]
            if prefix:
                if len(first) < 3:
                    raise ValueError(f"context term {t!r}: a '*' prefix needs 3+ letters")
                # Indexed by the first 3 letters of the prefix (all prefixes are longer).
                self._wild_first.setdefault(first[:3], []).append(ct)
            else:
                for key in (first, first + "s", first + "es"):
                    self._by_first.setdefault(key, []).append(ct)
                if first.endswith("y"):
                    self._by_first.setdefault(first[:-1] + "ies", []).append(ct)
        for lst in self._by_first.values():
            lst.sort(key=lambda c: -len(c.tokens))
        for lst in self._wild_first.values():
            lst.sort(key=lambda c: -len(c.tokens))
        acr: dict[str, list[str]] = {}
        for spec in self.specs.values():
            for a in spec.acronyms:
                acr.setdefault(a, []).append(spec.name)
        self._acronyms = acr

    def _term_counts(self, text: str) -> Counter[str]:
        """Matched lexicon term -> count (longest match, no overlaps)."""
        toks = _TOKEN.findall(text.lower())
        out: Counter[str] = Counter()
        i, n = 0, len(toks)
        by_first, wild = self._by_first, self._wild_first
        while i < n:
            cands = by_first.get(toks[i], [])
            w = wild.get(toks[i][:3])
            if w:
                cands = cands + [c for c in w if toks[i].startswith(c.tokens[0][0])]
            best: _Term | None = None
            for c in cands:
                k = len(c.tokens)
                if i + k > n or (best is not None and k <= len(best.tokens)):
                    continue
                if all(_token_matches(c.tokens[j], toks[i + j], j == k - 1) for j in range(k)):
                    best = c
            if best is None:
                i += 1
                continue
            out[best.source] += 1
            i += len(best.tokens)
        if self._acronyms:
            for tok in _CASED_TOKEN.findall(text):
                if tok in self._acronyms:
                    out[tok] += 1
        return out

    @classmethod
    def load(cls) -> ContextClassifier:
        """Build from the packaged ``data/contexts.yaml``."""
        data = load_lexicon()
        d = data.get("defaults") or {}
        default_threshold = float(d.get("threshold", 2.0))
        specs: dict[str, ContextSpec] = {}
        for name, entry in data["contexts"].items():
            entry = entry or {}
            terms = {str(k): float(v) for k, v in (entry.get("terms") or {}).items()}
            if not terms:
                raise ValueError(f"contexts.yaml: context {name!r} has no terms")
            specs[name] = ContextSpec(
                name=name,
                threshold=float(entry.get("threshold", default_threshold)),
                terms=terms,
                acronyms=tuple(str(a) for a in entry.get("acronyms") or ()),
                categories={str(k): float(v) for k, v in (entry.get("categories") or {}).items()},
            )
        return cls(
            specs,
            doc_weight=float(d.get("doc_weight", 0.5)),
            count_cap=int(d.get("count_cap", 3)),
            max_contexts=int(d.get("max_contexts", 4)),
            doc_min_share=float(d.get("doc_min_share", 0.0)),
        )

    # ------------------------------------------------------------------ evidence

    def matches(self, text: str) -> Counter[tuple[str, str]]:
        """(context, matched term) -> count, for explaining a tag."""
        out: Counter[tuple[str, str]] = Counter()
        for term, n in self._term_counts(text).items():
            for ctx in self._contexts_of(term):
                out[(ctx, term)] += n
        return out

    def _contexts_of(self, term: str) -> list[str]:
        if term in self._acronyms:
            return self._acronyms[term]
        return [ctx for ctx, _w in self._hits.get(term, [])]

    def evidence(self, text: str) -> dict[str, float]:
        """Evidence per context: sum of weight * min(count, count_cap) over distinct terms."""
        ev: dict[str, float] = {}
        cap = self.count_cap
        for term, n in self._term_counts(text).items():
            if term in self._acronyms:
                pairs = [(ctx, _ACRONYM_WEIGHT) for ctx in self._acronyms[term]]
            else:
                pairs = self._hits.get(term, [])
            for ctx, w in pairs:
                ev[ctx] = ev.get(ctx, 0.0) + w * min(n, cap)
        return ev

    def document_contexts(self, text: str) -> dict[str, float]:
        """Evidence per context over a whole article (pass it to :meth:`classify`)."""
        return self.evidence(text)

    def classify(
        self, sentence: str, category: str, doc_evidence: Mapping[str, float]
    ) -> list[str]:
        """Contexts for an event in ``sentence``, strongest first.

        score = sentence evidence + doc_weight * document evidence (the latter only
        for contexts with at least doc_min_share of the article's strongest context's
        evidence: a side topic of the article does not tag every sentence), plus the
        context's bonus for the event ``category`` when there is any evidence at all;
        a context is kept when score >= its threshold.
        """
        sent = self.evidence(sentence)
        top = max(doc_evidence.values(), default=0.0)
        floor = self.doc_min_share * top
        scored: list[tuple[float, str]] = []
        for name, spec in self.specs.items():
            doc = doc_evidence.get(name, 0.0)
            raw = sent.get(name, 0.0) + (self.doc_weight * doc if doc >= floor else 0.0)
            if raw <= 0.0:
                continue
            score = raw + spec.categories.get(category, 0.0)
            if score >= spec.threshold:
                scored.append((score / spec.threshold, name))
        scored.sort(key=lambda x: (-x[0], CONTEXTS.index(x[1]) if x[1] in CONTEXTS else 99))
        return [name for _s, name in scored[: self.max_contexts]]
