"""Tests for sanderling.dates (example sentences are our own; seeds are read from ../shared)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanderling.dates import (
    find_date_expressions,
    resolve_event_date,
    resolve_expression,
    story_date,
)
from sanderling.types import DateResolution

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
D = dt.date
FRI = D(2020, 3, 27)  # a Friday


def story(d: dt.date | None, precision: str = "story") -> DateResolution:
    return DateResolution(d, precision if d else "unknown")


def event(sentence: str, trigger: str, ref: dt.date | None, start: int = 0) -> DateResolution:
    t = sentence.index(trigger)
    return resolve_event_date(sentence, start, start + t, story(ref), ref)


def one(text: str, ref: dt.date | None, future: bool = False) -> DateResolution:
    exprs = find_date_expressions(text)
    assert len(exprs) == 1, exprs
    return resolve_expression(exprs[0], ref, future=future)


# ------------------------------------------------------------------ expressions


@pytest.mark.parametrize(
    ("text", "ref", "date", "precision"),
    [
        ("The envoys met on Mar. 30.", FRI, D(2020, 3, 30), "day"),
        ("The envoys met on March 3.", FRI, D(2020, 3, 3), "day"),
        ("The envoys met on 3 March.", FRI, D(2020, 3, 3), "day"),
        ("The envoys met on 14th of February.", FRI, D(2020, 2, 14), "day"),
        ("The treaty was signed on Dec. 23, 2019.", FRI, D(2019, 12, 23), "day"),
        ("Talks began on Dec. 23.", D(2020, 2, 20), D(2019, 12, 23), "day"),
        ("Talks resume on Jan. 4.", D(2019, 12, 20), D(2020, 1, 4), "day"),
        ("Filed on 2020-03-27 by the court.", None, D(2020, 3, 27), "day"),
        ("LONDON, Mar 27 (Wire) - Ministers met.", FRI, D(2020, 3, 27), "day"),
        ("The leaders spoke on Friday.", FRI, FRI, "day"),
        ("The leaders spoke on Thursday.", FRI, D(2020, 3, 26), "day"),
        ("The leaders spoke Saturday.", FRI, D(2020, 3, 21), "day"),
        ("The leaders spoke last Friday.", FRI, D(2020, 3, 20), "day"),
        ("The cabinet met Monday night.", D(2020, 3, 31), D(2020, 3, 30), "day"),
        ("The army withdrew yesterday.", FRI, D(2020, 3, 26), "day"),
        ("The army withdrew today.", FRI, FRI, "day"),
        ("The army withdrew tonight.", FRI, FRI, "day"),
        ("Two envoys arrived two days ago.", FRI, D(2020, 3, 25), "day"),
        ("A protest was held the day before.", FRI, D(2020, 3, 26), "day"),
        ("The sides talked last week.", D(2020, 3, 30), D(2020, 3, 23), "week"),
        ("The sides talk this week.", FRI, D(2020, 3, 23), "week"),
        ("The sides will talk next week.", FRI, D(2020, 3, 30), "week"),
        ("Ministers met last month.", FRI, D(2020, 2, 1), "month"),
        ("Ministers met earlier this month.", FRI, D(2020, 3, 1), "month"),
        ("The embassy closed in March 2019.", FRI, D(2019, 3, 1), "month"),
        ("He flew to Ankara on 18 August last year.", FRI, D(2019, 8, 18), "day"),
        ("The embassy closed in January.", FRI, D(2020, 1, 1), "month"),
        ("The embassy reopens in 2021.", FRI, D(2021, 1, 1), "year"),
        ("The embassy closed last year.", FRI, D(2019, 1, 1), "year"),
        ("Trade grew this year.", FRI, D(2020, 1, 1), "year"),
    ],
)
def test_resolution(text: str, ref: dt.date | None, date: dt.date, precision: str) -> None:
    r = one(text, ref)
    assert (r.date, r.precision) == (date, precision)
    assert r.text is not None and r.start is not None and text[r.start : r.end] == r.text


def test_expression_texts_and_offsets() -> None:
    text = "x" * 10 + "The two ministers spoke on Monday night, Apr. 6, and again on Thursday."
    exprs = find_date_expressions(text[10:], offset=10)
    assert [e.text for e in exprs] == ["on Monday night, Apr. 6", "on Thursday"]
    for e in exprs:
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    "text",
    [
        "Troops may march on the capital.",  # modal "may", verb "march"
        "The 2020 budget was 3,000 dollars.",
        "A crowd of 1,998 people gathered.",
        "He was in his 30s.",
        "Version 2.1 ships with 12 fixes.",
    ],
)
def test_no_false_dates(text: str) -> None:
    assert find_date_expressions(text) == []


def test_invalid_calendar_date_ignored() -> None:
    assert find_date_expressions("It happened on Feb. 30.") == []


def test_relative_without_reference_is_unknown() -> None:
    r = one("The talks ended on Friday.", None)
    assert r.date is None and r.precision == "unknown" and r.text == "on Friday"


def test_future_weekday_points_forward() -> None:
    assert one("on Monday", FRI, future=True).date == D(2020, 3, 30)
    assert one("next Friday", FRI).date == D(2020, 4, 3)


# ------------------------------------------------------------------ story date


def test_story_date_lead_date_beats_earlier_header() -> None:
    body = (
        "Trade ministers of two neighbours vowed to cut tariffs, after a meeting on "
        "Tuesday evening, Apr. 7, their first in a year.\n\nMore follows."
    )
    r = story_date(body, 20, D(2020, 4, 2))
    assert (r.date, r.precision, r.text) == (D(2020, 4, 7), "day", "on Tuesday evening, Apr. 7")
    assert r.start is not None and body[r.start - 20 : r.end - 20 if r.end else 0] == r.text


def test_story_date_dateline() -> None:
    body = "OSLO, May 4 (Agency) - The foreign minister met her counterpart on Monday."
    assert story_date(body, 0, D(2020, 5, 4)) == DateResolution(
        D(2020, 5, 4), "day", "May 4", 6, 11
    )


def test_story_date_background_date_ignored() -> None:
    body = "The presidents spoke by phone on Thursday. They last met on Dec. 2, 2019, in Rome."
    assert story_date(body, 0, D(2020, 2, 20)) == DateResolution(D(2020, 2, 20), "story")


def test_story_date_future_lead_date_ignored() -> None:
    body = "The two leaders will meet on Apr. 20 in Vienna, officials said."
    assert story_date(body, 0, D(2020, 4, 2)) == DateResolution(D(2020, 4, 2), "story")


def test_story_date_later_past_date_in_body_fixes_header() -> None:
    body = (
        "Envoys held talks on the crisis.\n\nThe outbreak claimed 40 lives by Sunday. "
        "The talks ended on Apr. 9 with a joint statement."
    )
    assert story_date(body, 0, D(2020, 4, 1)).date == D(2020, 4, 9)


def test_story_date_skips_amendment_notes_and_citations() -> None:
    body = (
        "Your editorial (Talks are the only way, 4 April) missed the point, writes a reader. "
        "More text.\n\nThis article was amended on 9 April 2020 to correct a name."
    )
    assert story_date(body, 0, D(2020, 4, 6)) == DateResolution(D(2020, 4, 6), "story")


def test_story_date_no_pub_no_date() -> None:
    assert story_date("Ministers spoke by phone.", 0, None) == DateResolution(None, "unknown")


# ------------------------------------------------------------------ event dates


def test_event_date_same_clause_before_and_after() -> None:
    s = "The premier on Friday urged a joint response to the outbreak."
    assert event(s, "urged", FRI).date == FRI
    s = "The president agreed in a phone call with his counterpart on Thursday to cooperate."
    r = event(s, "agreed", FRI, start=100)
    assert (r.date, r.precision, r.text) == (D(2020, 3, 26), "day", "on Thursday")
    assert r.start == 100 + s.index("on Thursday")


def test_event_date_ignores_other_predicates_date() -> None:
    s = "The country has been facing a surge in infections, passing the grim mark on Apr. 2."
    r = event(s, "facing", D(2020, 4, 3))
    assert (r.date, r.precision) == (D(2020, 4, 3), "story")
    assert event(s, "passing", D(2020, 4, 3)).date == D(2020, 4, 2)
    s = "She noted that progress was made at the summit on Thursday."
    assert event(s, "noted", FRI).precision == "story"
    assert event(s, "made", FRI).date == D(2020, 3, 26)


def test_event_date_fronted_adverbial_and_participial() -> None:
    s = "Last week, the two presidents held a telephone call."
    r = event(s, "held", D(2020, 3, 30))
    assert (r.date, r.precision) == (D(2020, 3, 23), "week")
    s = "Speaking to reporters on Mar. 29, the premier said both sides must cooperate."
    assert event(s, "said", D(2020, 3, 30)).date == D(2020, 3, 29)


def test_event_date_explicit_year() -> None:
    s = "The two leaders last met each other on Dec. 2, 2019, during a visit to Rome."
    assert event(s, "met", D(2020, 2, 20)).date == D(2019, 12, 2)


def test_event_date_future_weekday() -> None:
    s = "The envoy will meet his counterpart on Monday."
    assert event(s, "meet", FRI).date == D(2020, 3, 30)


def test_event_date_falls_back_to_story() -> None:
    assert event("The envoy met his counterpart.", "met", FRI) == DateResolution(FRI, "story")
    assert event("The envoy met his counterpart.", "met", None) == DateResolution(None, "unknown")


# ------------------------------------------------------------------ properties

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
refs = st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31))


@settings(max_examples=200, deadline=None)
@given(wd=st.sampled_from(WEEKDAYS), ref=refs)
def test_prop_past_weekday(wd: str, ref: dt.date) -> None:
    s = f"The delegation arrived on {wd} for talks."
    r = event(s, "arrived", ref)
    assert r.date is not None and r.precision == "day"
    assert 0 <= (ref - r.date).days <= 6
    assert r.date.weekday() == WEEKDAYS.index(wd)


@settings(max_examples=200, deadline=None)
@given(month=st.integers(1, 12), day=st.integers(1, 28), ref=refs, abbrev=st.booleans())
def test_prop_month_day_near_reference(month: int, day: int, ref: dt.date, abbrev: bool) -> None:
    name = MONTHS[month - 1][:3] + "." if abbrev and month != 5 else MONTHS[month - 1]
    r = one(f"They signed it on {name} {day}.", ref)
    assert r.date == D(r.date.year, month, day) if r.date else False
    assert abs((r.date - ref).days) <= 184


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), offset=st.integers(0, 10_000))
def test_prop_spans_reproduce_text_and_never_raise(text: str, offset: int) -> None:
    padded = " " * offset + text
    for e in find_date_expressions(text, offset):
        assert padded[e.start : e.end] == e.text
        resolve_expression(e, D(2020, 3, 27))
        resolve_expression(e, None)


date_words = st.sampled_from(
    ["on Friday", "Mar. 3", "last week", "yesterday", "in 2021", "two days ago", ", ", ". ",
     "said", "that", "the", "envoy", "met", "3 May 2019", "next month", "; "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(date_words, min_size=1, max_size=25), pos=st.integers(0, 400), ref=refs)
def test_prop_event_date_never_raises(words: list[str], pos: int, ref: dt.date) -> None:
    s = " ".join(words)
    pos = min(pos, len(s))
    r = resolve_event_date(s, 7, 7 + pos, story(ref), ref)
    assert r.precision in ("day", "week", "month", "year", "story", "unknown")
    if r.text is not None:
        assert r.start is not None and s[r.start - 7 : r.end - 7 if r.end else 0] == r.text
    story_date(s, 0, ref)


# ------------------------------------------------------------------ seeds (../shared)

HEADER = re.compile(r"\s*date\s+(\d{4}-\d{2}-\d{2})\s*")


def _seed(name: str) -> tuple[str, int, dt.date | None]:
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared not present: seeds")
    path = next((SHARED / "seeds").glob(f"{name}_*.txt"))
    text = path.read_text(encoding="utf-8")
    m = HEADER.match(text)
    return text, (m.end() if m else 0), (D.fromisoformat(m.group(1)) if m else None)


@pytest.mark.parametrize(
    ("name", "date", "precision"),
    [
        ("000", D(2020, 3, 30), "day"),
        ("001", D(2020, 3, 27), "day"),
        ("002", D(2020, 2, 20), "story"),
        ("003", None, "unknown"),
    ],
)
def test_seed_story_dates(name: str, date: dt.date | None, precision: str) -> None:
    text, body_start, pub = _seed(name)
    r = story_date(text[body_start:], body_start, pub)
    assert (r.date, r.precision) == (date, precision)
    if r.text is not None:
        assert r.start is not None and text[r.start : r.end] == r.text


def _line_with(text: str, *needles: str) -> tuple[str, int]:
    """The first line (seed paragraphs are a sentence or two) containing all needles."""
    start = 0
    for line in text.splitlines(keepends=True):
        if all(n in line for n in needles):
            return line, start
        start += len(line)
    raise AssertionError(f"no line with {needles}")


@pytest.mark.parametrize(
    ("name", "expr", "trigger", "date", "precision"),
    [
        ("001", "on Friday", "urged", D(2020, 3, 27), "day"),
        ("000", "Last week", "had", D(2020, 3, 23), "week"),
        ("002", "on Thursday", "agreed", D(2020, 2, 20), "day"),
        ("002", "on Dec. 23, 2019", "met", D(2019, 12, 23), "day"),
    ],
)
def test_seed_event_dates(
    name: str, expr: str, trigger: str, date: dt.date, precision: str
) -> None:
    text, body_start, pub = _seed(name)
    sd = story_date(text[body_start:], body_start, pub)
    sentence, start = _line_with(text, expr, trigger)
    t = start + sentence.index(trigger)
    r = resolve_event_date(sentence, start, t, sd, pub)
    assert (r.date, r.precision) == (date, precision)
    assert r.start is not None and text[r.start : r.end] == r.text


def test_seed_gold_dates_agree_with_story_dates() -> None:
    gold = SHARED / "gold" / "seeds.gold.jsonl"
    if not gold.is_file():
        pytest.skip("../shared not present: gold")
    days = {json.loads(x)["date"] for x in gold.read_text().splitlines() if x.strip()}
    for name, expected in (("000", "2020-03-30"), ("001", "2020-03-27"), ("002", "2020-02-20")):
        text, body_start, pub = _seed(name)
        sd = story_date(text[body_start:], body_start, pub)
        assert sd.date is not None and sd.date.isoformat() == expected
        assert expected in days
