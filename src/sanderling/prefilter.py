"""Candidate sentences: parse only the text that can hold an event.

Parsing is nearly all of the coder's time, and most sentences of a news article cannot yield a
PLOVER event because no trigger of the lexicon occurs in them. ``CandidateFilter`` splits the
normalised text into sentences with a cheap rule splitter, keeps those in which some lexicon
entry could fire (one of the inflected forms of its lemma, plus one of its object/modifier words,
particles or modal auxiliaries when the entry requires them: "held talks" needs "talks", not
just "held"; "said ... must" needs "must", not just "said"), and returns a
compact text of the kept sentences with an exact offset map back to the article, so the rest of
the pipeline is unchanged. The skipped sentences are handed back too: the coder still shows
them to the document's actor memory, so "Xi" or "he" later resolves as with a full parse.

The filter errs on the side of keeping: a lemma's forms are over-generated (regular rules plus
the irregular forms of the spaCy lemmatizer's own exception tables), and abbreviations do not end
sentences. A sentence the filter keeps is parsed exactly as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sanderling.lexicon import Lexicon
from sanderling.ontology import data_path
from sanderling.textnorm import LazyOffsets, NormalText

__all__ = ["CandidateFilter", "Selection", "inflections"]

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket), then
# whitespace, then something that can start a sentence.
_END = re.compile(
    r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[\"'“‘(\[]?[A-Z0-9])"
)
_WORD = re.compile(r"[A-Za-z]+")
_LAST_WORD = re.compile(r"([A-Za-z.]+)[.!?][\"'”’)\]]*$")
_SEPARATOR = "\n\n"


def inflections(lemma: str, irregular: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Every surface form spaCy might lemmatise to ``lemma`` (over-generated on purpose)."""
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w[:-1] + "ed"}
    if w.endswith("ie"):
        forms.add(w[:-2] + "ying")
    if w.endswith("y"):
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) > 2 and w[-1] not in "aeiouwxy":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing", w + w[-1] + "er"}
    if w.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(w + "es")
    return frozenset(forms | irregular.get(w, frozenset()))


@dataclass(frozen=True, slots=True)
class _Signature:
    head: frozenset[str]
    # each set must share a word with the sentence: objects/modifiers, particles or
    # prepositions, modal auxiliaries the entry requires
    needs: tuple[frozenset[str], ...]


def _word_forms(items: frozenset[str], irregular: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Surface forms of required words; of "cease-fire" or "non grata" the sentence must hold
    the longest part ("cease", "grata"), as the sentence's words are split at hyphens."""
    out: set[str] = set()
    for item in items:
        part = item if item.isalpha() else max(_WORD.findall(item) or [item], key=len)
        out |= inflections(part, irregular)
    return frozenset(out)


class _ComposedOffsets(LazyOffsets):
    """Compact-text index -> original index, through the kept pieces of a ``NormalText``."""

    __slots__ = ("_base", "_compact", "_norm")

    def __init__(
        self, compact_starts: list[int], norm_starts: list[int], base: NormalText, length: int
    ) -> None:
        super().__init__(length)
        self._compact = compact_starts
        self._norm = norm_starts
        self._base = base

    def _at(self, index: int) -> int:
        k = max(0, bisect_right(self._compact, index) - 1)
        norm_index = self._norm[k] + (index - self._compact[k])
        return self._base.offsets[min(norm_index, len(self._base.offsets) - 1)]


@dataclass(frozen=True, slots=True)
class Selection:
    """What to parse (``kept``: compact text, offsets to the article) and what was left out.

    ``skipped`` are ``(start, end, before)`` spans of the normalised text, in text order:
    the sentence came before compact position ``before`` (so the coder can replay it to the
    actor memory in reading order).
    """

    kept: NormalText
    skipped: tuple[tuple[int, int, int], ...]
    sentences: int
    kept_sentences: int
    full: NormalText  # the whole normalised article (document-level contexts, skipped text)


class CandidateFilter:
    """Keeps the sentences in which some lexicon entry could fire."""

    def __init__(
        self,
        lexicon: Lexicon,
        irregular: Mapping[str, frozenset[str]],
        abbreviations: frozenset[str] | None = None,
    ) -> None:
        self.abbreviations = abbreviations if abbreviations is not None else load_abbreviations()
        sigs: dict[_Signature, None] = {}
        for t in lexicon.triggers:
            needs = [
                _word_forms(words, irregular)
                for words in (t.dobj | t.mod, t.prep, t.modal)  # each one a test of the entry
                if words
            ]
            sigs[_Signature(inflections(t.lemma, irregular), tuple(needs))] = None
        by_word: dict[str, list[_Signature]] = {}  # head form -> the entries it may fire
        for sig in sigs:
            for w in sig.head:
                by_word.setdefault(w, []).append(sig)
        self._by_word = by_word
        self._heads = frozenset(by_word)

    @classmethod
    def from_pipeline(cls, lexicon: Lexicon, nlp: object) -> CandidateFilter:
        """Irregular forms from the pipeline's lemmatizer tables ("met" -> meet)."""
        return cls(lexicon, irregular_forms(nlp))

    def is_candidate(self, sentence: str) -> bool:
        words = {w.lower() for w in _WORD.findall(sentence)}
        heads = words & self._heads
        if not heads:
            return False
        # "mustn't", "can't": spaCy's tokens are "must", "ca" + "n't"
        words |= {w[:-1] for w in words if w.endswith("n")}
        return any(
            all(not words.isdisjoint(n) for n in sig.needs)
            for w in heads
            for sig in self._by_word[w]
        )

    def select(self, norm: NormalText) -> Selection:
        """The compact text of candidate sentences (contiguous ones stay one piece)."""
        text = norm.text
        spans = list(split_sentences(text, self.abbreviations))
        keep = [self.is_candidate(text[s:e]) for s, e in spans]
        pieces: list[tuple[int, int]] = []  # runs of kept sentences, with their own spacing
        skipped: list[tuple[int, int, int]] = []  # (start, end, index of the next piece)
        for (s, e), k in zip(spans, keep, strict=True):
            if not k:
                skipped.append((s, e, len(pieces)))
            elif pieces and not text[pieces[-1][1] : s].strip():
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        compact_starts: list[int] = []
        pos = 0
        for s, e in pieces:
            compact_starts.append(pos)
            pos += e - s + len(_SEPARATOR)
        compact = _SEPARATOR.join(text[s:e] for s, e in pieces)
        # A separator maps on past its piece's end, into the (whitespace) gap after it.
        offsets = _ComposedOffsets(compact_starts, [s for s, _ in pieces], norm, len(compact) + 1)
        marks = tuple(
            (s, e, compact_starts[i] if i < len(pieces) else len(compact) + 1)
            for s, e, i in skipped
        )
        return Selection(NormalText(compact, offsets), marks, len(spans), sum(keep), norm)


def load_abbreviations() -> frozenset[str]:
    """The shipped list of words a period does not end a sentence after (data/abbreviations.txt)."""
    lines = data_path("abbreviations.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def split_sentences(text: str, abbreviations: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Sentence spans by a rule splitter that does not end sentences at abbreviations."""
    start = 0
    for m in _END.finditer(text):
        head = text[start : m.end()].rstrip()
        last = _LAST_WORD.search(head)
        if text[m.start()] == "." and last is not None:
            word = last.group(1)
            bare = word.rstrip(".").lower()
            if bare in abbreviations or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word.rstrip(".")):
                continue  # "Mr. Xi", "U.S. officials", "J. Smith"
        end = m.start() + len(m.group().rstrip())
        if end > start:
            yield start, end
        start = m.end()
    if start < len(text) and text[start:].strip():
        yield start, len(text.rstrip())


def irregular_forms(nlp: object) -> dict[str, frozenset[str]]:
    """lemma -> irregular surface forms, inverted from the lemmatizer's exception tables."""
    out: dict[str, set[str]] = {}
    try:
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        table = lookups.get_table("lemma_exc")
    except (KeyError, ValueError, AttributeError):
        return {}
    for by_form in table.values():
        for form, lemmas in by_form.items():
            for lemma in lemmas:
                out.setdefault(lemma.lower(), set()).add(form.lower())
    return {k: frozenset(v) for k, v in out.items()}
