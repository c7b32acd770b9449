"""Tests for sanderling.textnorm: whitespace normalisation with exact offsets."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanderling.textnorm import IGNORABLE, NormalText, normalise

# Visible letters plus every kind of whitespace/invisible character we care about.
MESSY = st.text(
    alphabet=st.sampled_from(
        [*"ab.,Z’é", *"\r\n\t \u00a0\u200b\u00ad\u2028\u3000\x0c\x85\ufeff\u2009"]
    ),
    max_size=80,
)  # fmt: skip
INVISIBLE = set(IGNORABLE)


def _check_invariants(original: str, nt: NormalText, start: int = 0) -> None:
    assert len(nt.offsets) == len(nt.text) + 1
    offs = list(nt.offsets)
    # (3) strictly increasing
    assert all(x < y for x, y in itertools.pairwise(offs))
    for i, ch in enumerate(nt.text):
        # (1) every visible char maps back exactly; whitespace maps to whitespace
        assert offs[i] >= start
        if ch.isspace():
            assert original[offs[i]].isspace()
        else:
            assert original[offs[i]] == ch
    # random access agrees with iteration
    assert [nt.offsets[i] for i in range(len(offs))] == offs


@given(MESSY)
@settings(max_examples=400, deadline=None)
def test_property_offsets_map_back(original: str) -> None:
    _check_invariants(original, normalise(original))


@given(MESSY)
@settings(max_examples=300, deadline=None)
def test_property_token_spans_round_trip(original: str) -> None:
    nt = normalise(original)
    for m in re.finditer(r"\S+", nt.text):
        s, e = nt.to_original(m.start(), m.end())
        piece = original[s:e]
        # (2) the token is the original span minus the dropped invisible characters
        assert "".join(c for c in piece if c not in INVISIBLE) == m.group()
        assert piece == piece.strip()


@given(MESSY)
@settings(max_examples=300, deadline=None)
def test_property_idempotent(original: str) -> None:
    once = normalise(original).text
    assert normalise(once).text == once


@given(MESSY)
@settings(max_examples=200, deadline=None)
def test_property_shape(original: str) -> None:
    text = normalise(original).text
    assert text == text.strip()
    assert not any(c in INVISIBLE for c in text)
    assert "\r" not in text and "\t" not in text and "\u00a0" not in text
    assert "  " not in text and "\n\n\n" not in text
    assert re.search(r" \n|\n ", text) is None
    visible = [c for c in original if not c.isspace() and c not in INVISIBLE]
    assert [c for c in text if not c.isspace()] == visible


@given(MESSY, st.integers(0, 90), st.integers(0, 90))
@settings(max_examples=200, deadline=None)
def test_property_subrange_offsets_absolute(original: str, a: int, b: int) -> None:
    start, end = min(a, b), max(a, b)
    nt = normalise(original, start, end)
    _check_invariants(original, nt, start)
    assert all(o <= min(end, len(original)) for o in nt.offsets)
    assert nt.text == normalise(original[start:end]).text


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("", ""),
        ("   \n\t ", ""),
        ("plain text", "plain text"),
        ("  padded  ", "padded"),
        ("a \t\u00a0 b", "a b"),
        ("a\u2003\u3000b", "a b"),
        ("line one\r\nline two", "line one\nline two"),
        ("old\rmac", "old\nmac"),
        ("para one.\r\n\r\n\r\npara two.", "para one.\n\npara two."),
        ("para one.\n \t\n  para two.", "para one.\n\npara two."),
        ("one \n two", "one\ntwo"),
        ("co\u00adoperation", "cooperation"),
        ("zero\u200bwidth", "zerowidth"),
        ("\ufeffBOM first", "BOM first"),
        ("word \u200b word", "word word"),
        ("“quotes” stay — as is", "“quotes” stay — as is"),
    ],
)
def test_examples(original: str, expected: str) -> None:
    nt = normalise(original)
    assert nt.text == expected
    _check_invariants(original, nt)


def test_offsets_point_into_original() -> None:
    original = "  Troops\u00a0\u00a0crossed\r\n\r\nthe border.  "
    nt = normalise(original)
    assert nt.text == "Troops crossed\n\nthe border."
    i = nt.text.index("crossed")
    s, e = nt.to_original(i, i + len("crossed"))
    assert original[s:e] == "crossed"
    # a span with surrounding whitespace is trimmed in the original
    s, e = nt.to_original(i - 1, len(nt.text))
    assert original[s:e] == "crossed\r\n\r\nthe border."
    # sentinel: just after the last kept character
    assert nt.offsets[-1] == original.index("border.") + len("border.")


def test_to_original_empty_and_clamped() -> None:
    original = "ab  cd"
    nt = normalise(original)
    assert nt.to_original(2, 3) == (4, 4)  # only whitespace -> empty span at next char
    assert nt.to_original(-5, 99) == (0, 6)
    assert nt.to_original(4, 2) == (nt.offsets[4], nt.offsets[4])


def test_start_end_window() -> None:
    original = "HEADER\n\n  Body\u00a0text here.\n"
    start = original.index("Body") - 2
    nt = normalise(original, start)
    assert nt.text == "Body text here."
    assert nt.offsets[0] == original.index("Body")
    nt = normalise(original, start, original.index(" here"))
    assert nt.text == "Body text"


def test_empty_result_offsets() -> None:
    nt = normalise("   ", 1)
    assert nt.text == ""
    assert list(nt.offsets) == [3]


def test_offsets_sequence_behaviour() -> None:
    nt = normalise("a  b")
    assert list(nt.offsets) == [0, 1, 3, 4]
    assert nt.offsets[-1] == 4
    assert nt.offsets[1:3] == [1, 3]
    with pytest.raises(IndexError):
        nt.offsets[4]
    assert nt == normalise("a  b")
    assert nt.offsets == [0, 1, 3, 4]


def test_large_clean_text_is_fast_and_cheap() -> None:
    original = "The minister met the envoy. " * 50_000
    nt = normalise(original)
    assert nt.text == original.strip()
    assert nt.offsets[len(nt.text) - 1] == len(nt.text) - 1
