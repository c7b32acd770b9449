"""Drop-in, faster ``attribute_ruler`` and ``lemmatizer`` for the English pipeline.

The small English pipeline's ``attribute_ruler`` maps fine tags to coarse POS, morphology and a
few lemmas with 179 one- or two-token Matcher patterns; running the generic Matcher over every
token cost a third of the parsing time of the coder (profiled on news articles). Every pattern
is an exact test of TAG, LOWER, DEP or IS_SPACE (plus IN / NOT_IN / REGEX), so the same
rules can be applied by looking each token up by its tag and its lower-case form.

The rules themselves are read from the loaded pipeline's own ``attribute_ruler`` (nothing is
copied into this repository) and applied with spaCy's own ``set_token_attrs``, in pattern
order, so later patterns win exactly as in spaCy.

The rule lemmatizer was the other slow rule component: it searches a Python list of 57,000
nouns for every candidate form, and it skips its own cache for base forms. ``FastLemmatizer``
asks spaCy's lemmatizer once per (word, POS, morphology) and remembers the answer, with the
word lists turned into sets. ``tests/test_fastrules.py`` checks that both components give
annotations identical to spaCy's on real text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

__all__ = [
    "FastAttributeRuler",
    "FastLemmatizer",
    "UnsupportedPattern",
    "install_fast_attribute_ruler",
    "install_fast_lemmatizer",
]

# Entries per remembered-answer cache (a cache is emptied when full): about 250,000 words of
# news fill 25,000, so a long run keeps its hit rate and memory stays flat.
CACHE_LIMIT = 200_000

_GETTERS: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}


class UnsupportedPattern(ValueError):
    """A pattern uses a Matcher feature this ruler does not implement (keep spaCy's ruler)."""


def _test(attr: str, value: Any) -> Callable[[Token], bool]:
    get = _GETTERS.get(attr)
    if get is None:
        raise UnsupportedPattern(f"attribute {attr}")
    if not isinstance(value, Mapping):
        return lambda t: bool(get(t) == value)
    if set(value) == {"IN"}:
        members = frozenset(value["IN"])
        return lambda t: get(t) in members
    if set(value) == {"NOT_IN"}:
        excluded = frozenset(value["NOT_IN"])
        return lambda t: get(t) not in excluded
    if set(value) == {"REGEX"}:
        rx = re.compile(value["REGEX"])
        return lambda t: bool(rx.search(str(get(t))))
    raise UnsupportedPattern(f"{attr}: {value}")


def _keys(spec: Mapping[str, Any], attr: str) -> frozenset[str] | None:
    """The exact values ``attr`` must have for ``spec`` to match (None: not an exact test)."""
    v = spec.get(attr)
    if isinstance(v, str):
        return frozenset([v])
    if isinstance(v, Mapping) and set(v) == {"IN"}:
        return frozenset(v["IN"])
    return None


class _Rule:
    __slots__ = ("attrs", "index", "order", "tests")

    def __init__(
        self, order: int, tests: list[list[Callable[[Token], bool]]], attrs: Any, index: int
    ):
        self.order = order
        self.tests = tests  # one list of tests per token of the pattern
        self.attrs = attrs
        self.index = index

    def matches_at(self, doc: Doc, i: int) -> bool:
        if i + len(self.tests) > len(doc):
            return False
        return all(all(t(doc[i + k]) for t in tests) for k, tests in enumerate(self.tests))


class FastAttributeRuler:
    """Applies an ``AttributeRuler``'s patterns by lookup instead of the generic Matcher."""

    def __init__(self) -> None:
        self._by_lower: dict[str, list[_Rule]] = {}
        self._by_tag: dict[str, list[_Rule]] = {}
        self._other: list[_Rule] = []
        self._cache: dict[tuple[Any, ...], tuple[tuple[_Rule, ...], tuple[_Rule, ...]]] = {}
        self._indexed_lowers: frozenset[int] = frozenset()
        self._lower_tests: list[Callable[[Token], bool]] = []
        self._lower_bits: dict[int, tuple[bool, ...]] = {}

    def load(self, patterns: Sequence[Mapping[str, Any]], attrs: Sequence[Any]) -> None:
        """Take the rules of an ``AttributeRuler`` (its ``patterns`` and normalised ``attrs``)."""
        by_lower: dict[str, list[_Rule]] = {}
        by_tag: dict[str, list[_Rule]] = {}
        other: list[_Rule] = []
        lower_tests: list[Callable[[Token], bool]] = []
        for order, (p, norm_attrs) in enumerate(zip(patterns, attrs, strict=True)):
            for pattern in p["patterns"]:
                tests = [[_test(k, v) for k, v in spec.items()] for spec in pattern]
                rule = _Rule(order, tests, norm_attrs, int(p.get("index", 0)))
                first = pattern[0]
                lowers, tags = _keys(first, "LOWER"), _keys(first, "TAG")
                if lowers is not None:
                    for w in lowers:
                        by_lower.setdefault(w, []).append(rule)
                    continue
                if "LOWER" in first:  # a regex or NOT_IN on the word: not indexable by it
                    lower_tests.append(_test("LOWER", first["LOWER"]))
                if tags is not None:
                    for tag in tags:
                        by_tag.setdefault(tag, []).append(rule)
                else:
                    other.append(rule)
        self._by_lower, self._by_tag, self._other = by_lower, by_tag, other
        self._indexed_lowers = frozenset(get_string_id(w) for w in by_lower)
        self._lower_tests = lower_tests
        self._lower_bits = {}
        self._cache = {}

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, _Rule]] = []
        cache, indexed, bits_of = self._cache, self._indexed_lowers, self._lower_bits
        # A rule's first-token tests depend only on the tag, the dependency, IS_SPACE and the
        # word: decide once per key which one-token rules match and which longer rules may
        # start here. The word is part of the key only where a rule is indexed under it;
        # elsewhere only the answers of the few word tests that are not (regexes) count. The
        # keys are read as one array (the values of tok.tag, tok.lower, ...; no Token objects).
        keys = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        for i, (tag, lower, dep, space) in enumerate(keys):
            if lower in indexed:
                key: tuple[Any, ...] = (tag, lower, dep, space)
            else:
                bits = bits_of.get(lower)
                if bits is None:
                    if len(bits_of) >= CACHE_LIMIT:
                        bits_of.clear()
                    tok = doc[i]
                    bits = bits_of[lower] = tuple(t(tok) for t in self._lower_tests)
                key = (tag, 0, dep, space, bits)
            hit = cache.get(key)
            if hit is None:
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()  # bounded on endless streams of new words
                hit = cache[key] = self._first_token_rules(doc[i])
            single, starts = hit
            found.extend((r.order, i, r) for r in single)
            for r in starts:
                if r.matches_at(doc, i):
                    found.append((r.order, i, r))
        found.sort(key=lambda x: (x[0], x[1]))  # later patterns override earlier ones
        for _, i, rule in found:
            set_token_attrs(doc[i + rule.index], rule.attrs)
        return doc

    def _first_token_rules(self, tok: Token) -> tuple[tuple[_Rule, ...], tuple[_Rule, ...]]:
        """Rules (of any length) indexed under this token's word or tag, or under neither,
        whose first-token tests hold: (one-token rules, longer rules to try from here)."""
        tag, lower = tok.tag_, tok.lower_
        cands = [*self._by_lower.get(lower, ()), *self._by_tag.get(tag, ()), *self._other]
        first = [r for r in cands if all(t(tok) for t in r.tests[0])]
        return (
            tuple(r for r in first if len(r.tests) == 1),
            tuple(r for r in first if len(r.tests) > 1),
        )


FACTORY = "sanderling_attribute_ruler"


@Language.factory(FACTORY)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    """An empty ruler; ``install_fast_attribute_ruler`` fills it from the model's own rules."""
    return FastAttributeRuler()


def install_fast_attribute_ruler(nlp: Language) -> bool:
    """Replace ``nlp``'s attribute_ruler by the lookup version; False if it cannot be."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler: Any = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler()
    try:
        fast.load(ruler.patterns, ruler.attrs)
    except (UnsupportedPattern, AttributeError, KeyError):
        return False
    nlp.replace_pipe("attribute_ruler", FACTORY)
    installed: Any = nlp.get_pipe("attribute_ruler")
    installed.load(ruler.patterns, ruler.attrs)
    return True


class FastLemmatizer:
    """spaCy's rule lemmatizer, asked once per (word, POS, morphology) and remembered."""

    def __init__(self, inner: Any = None) -> None:
        self.inner = inner
        self._cache: dict[tuple[int, int, int], int] = {}

    def wrap(self, inner: Any) -> None:
        """Take over ``inner`` (a loaded spaCy ``Lemmatizer`` in rule mode)."""
        index = inner.lookups.get_table("lemma_index")
        for pos in list(index):
            # Membership tests only: a set answers them in O(1), the list in O(57,000).
            index[pos] = frozenset(index[pos])
        self.inner = inner
        self._cache = {}

    @property
    def lookups(self) -> Any:
        """The wrapped lemmatizer's tables (the prefilter reads its irregular forms)."""
        return self.inner.lookups if self.inner is not None else None

    def __call__(self, doc: Doc) -> Doc:
        if self.inner is None:
            raise ValueError(
                "FastLemmatizer has no lemmatizer to wrap (use install_fast_lemmatizer)"
            )
        cache, strings, overwrite = self._cache, doc.vocab.strings, self.inner.overwrite
        lemmas: list[int] = []
        for i, (orth, pos, morph, lemma) in enumerate(
            doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        ):
            if lemma and not overwrite:
                lemmas.append(lemma)  # set by the attribute ruler: spaCy leaves it too
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()  # bounded on endless streams of new words
                value = cache[key] = strings.add(self.inner.lemmatize(doc[i])[0])
            lemmas.append(value)
        if lemmas:
            column: Any = numpy.asarray(lemmas, dtype=numpy.uint64).reshape(-1, 1)
            doc.from_array([LEMMA], column)
        return doc


LEMMATIZER_FACTORY = "sanderling_lemmatizer"


@Language.factory(LEMMATIZER_FACTORY)
def make_fast_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    """An empty lemmatizer; ``install_fast_lemmatizer`` gives it the model's own."""
    return FastLemmatizer()


def install_fast_lemmatizer(nlp: Language) -> bool:
    """Replace ``nlp``'s rule lemmatizer by the caching version; False if it cannot be."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    inner: Any = nlp.get_pipe("lemmatizer")
    if getattr(inner, "mode", None) != "rule" or not hasattr(inner, "lookups"):
        return False
    if "lemma_index" not in inner.lookups:
        return False
    nlp.replace_pipe("lemmatizer", LEMMATIZER_FACTORY)
    installed: Any = nlp.get_pipe("lemmatizer")
    installed.wrap(inner)
    return True
