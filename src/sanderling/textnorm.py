"""Whitespace normalisation with an exact map back to the original text.

News text arrives with CRLF line ends, runs of non-breaking spaces, zero-width
characters and soft hyphens; spaCy's tokeniser and sentence splitter turn those
into junk tokens and broken sentences.  ``normalise`` cleans *only whitespace and
invisible characters* and keeps every visible character 1:1, so any span found in
the normalised text maps back to the exact original characters (PLOVER records
quote the article verbatim and carry offsets into ``Article.text``).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

__all__ = ["IGNORABLE", "LazyOffsets", "NormalText", "OffsetMap", "normalise"]

#: Invisible characters that are dropped: soft hyphen, zero-width space/non-joiner/
#: joiner, word joiner, BOM / zero-width no-break space, Mongolian vowel separator.
IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"

# Everything that is whitespace (str.isspace() == re's \s) or ignorable.
_CLASS = rf"\s{IGNORABLE}"
# Maximal runs of whitespace/ignorables.
_RUN = re.compile(rf"[{_CLASS}]+")
# Runs that need rewriting: 2+ chars, or one char that is not a plain " " / "\n".
# (A lone " " or "\n" between visible characters is already normal, and those are
# by far the most common runs, so they never reach the Python loop.)
_NEEDS_WORK = re.compile(rf"[{_CLASS}]{{2,}}|[^\S \n]|[{IGNORABLE}]")
_WS = re.compile(r"\s")
# Line breaks as str.splitlines() sees them; "\r\n" counts as one.
_NL = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class LazyOffsets(Sequence[int]):
    """A read-only sequence of offsets computed on lookup (``_at``), not stored per character."""

    __slots__ = ("_length",)

    def __init__(self, length: int) -> None:
        self._length = length

    def _at(self, index: int) -> int:
        raise NotImplementedError

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("offset index out of range")
        return self._at(index)

    def __iter__(self) -> Iterator[int]:
        return (self._at(i) for i in range(self._length))


class OffsetMap(LazyOffsets):
    """``offsets`` as a lazy sequence: piecewise runs of consecutive original indices.

    Most of an article maps 1:1, so storing one ``(normal_start, original_start)``
    pair per changed place (instead of one int per character) makes ``normalise``
    O(changes) in Python work and memory; a lookup is a bisect.
    """

    __slots__ = ("_norm", "_orig")

    def __init__(self, norm_starts: array[int], orig_starts: array[int], length: int):
        super().__init__(length)  # len(text) + 1
        self._norm = norm_starts  # strictly increasing, first is 0
        self._orig = orig_starts

    def _at(self, index: int) -> int:
        k = bisect_right(self._norm, index) - 1
        return self._orig[k] + (index - self._norm[k])

    def __iter__(self) -> Iterator[int]:
        bounds = [*self._norm[1:], self._length]
        for n0, o0, n1 in zip(self._norm, self._orig, bounds, strict=True):
            yield from range(o0, o0 + n1 - n0)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            return (self._length, self._norm, self._orig) == (
                other._length,
                other._norm,
                other._orig,
            )
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"OffsetMap(len={self._length}, segments={len(self._norm)})"


@dataclass(frozen=True)
class NormalText:
    """Normalised text plus, for every character, its index in the original string.

    ``offsets`` has ``len(text) + 1`` entries; the last one is the original index just
    after the last kept character, so spans map back with a plain lookup.
    """

    text: str
    offsets: Sequence[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to a span of the original string.

        The result is trimmed so ``original[s:e]`` neither starts nor ends with
        whitespace (an empty or all-space span maps to an empty span).
        """
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(original: str, start: int = 0, end: int | None = None) -> NormalText:
    """Normalise whitespace in ``original[start:end]`` (offsets stay absolute).

    Rules: strip leading/trailing whitespace; drop zero-width characters and soft
    hyphens; a whitespace run with 2+ line breaks becomes ``"\\n\\n"``, one with a
    single line break (``\\n``, ``\\r\\n``, ``\\r``, ...) becomes ``"\\n"``, any other
    run (spaces, tabs, nbsp, other Unicode spaces) becomes ``" "``.  Idempotent.
    """
    stop = len(original) if end is None else min(max(end, 0), len(original))
    start = min(max(start, 0), stop)

    # Strip: leading run via match, trailing run by walking back (only over the run).
    lead = _RUN.match(original, start, stop)
    lo = lead.end() if lead else start
    hi = stop
    while hi > lo and (original[hi - 1].isspace() or original[hi - 1] in IGNORABLE):
        hi -= 1

    parts: list[str] = []
    norm_starts: array[int] = array("q", [0])
    orig_starts: array[int] = array("q", [lo])
    length = 0  # length of the normalised text so far
    pos = lo  # original index of the next character to copy

    def jump(orig_index: int) -> None:
        # Start a new 1:1 segment at normalised ``length`` -> ``orig_index``.
        if length == norm_starts[-1]:
            orig_starts[-1] = orig_index  # empty previous segment: reuse it
        else:
            norm_starts.append(length)
            orig_starts.append(orig_index)

    # Runs repeat a lot (" \u00a0", "\r\n", "\n\n\n"), so their rewrite is cached.
    plans: dict[str, tuple[str, int, int]] = {}
    for m in _NEEDS_WORK.finditer(original, lo, hi):
        a, b = m.span()
        if a > pos:
            parts.append(original[pos:a])
            length += a - pos
        run = m.group()
        plan = plans.get(run)
        if plan is None:
            plan = plans[run] = _plan(run)
        out, first, second = plan
        if out:
            jump(a + first)
            length += 1
            if second >= 0:
                jump(a + second)
                length += 1
            parts.append(out)
        jump(b)
        pos = b
    if hi > pos:
        parts.append(original[pos:hi])
        length += hi - pos
    return NormalText("".join(parts), OffsetMap(norm_starts, orig_starts, length + 1))


def _plan(run: str) -> tuple[str, int, int]:
    """How to rewrite one run: (replacement, index of its 1st char, of its 2nd or -1)."""
    ws = _WS.search(run)
    if ws is None:  # only invisible characters: drop them
        return "", -1, -1
    breaks = [nl.start() for nl in _NL.finditer(run)]
    if len(breaks) >= 2:
        return "\n\n", breaks[0], breaks[1]
    if breaks:
        return "\n", breaks[0], -1
    return " ", ws.start(), -1
