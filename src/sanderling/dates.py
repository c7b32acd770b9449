"""Event dates: find date expressions in news text and resolve them to calendar dates.

News reports date events relative to the day the story was written ("on Friday",
"last week", "Dec. 23"), so everything resolves against a *reference date*: the
story date, which is the header/publication date unless the lead itself names the
day the reported event happened (headers are often the crawl or upload date).

Everything here is plain regex + ``datetime`` arithmetic: it runs on every article,
and the rules we need (a weekday in a past-tense report is the most recent such
day; a year-less date takes the nearest year) are simpler to state directly than
to coax out of a general-purpose parser (``dateparser`` is ~100x slower and has
no notion of "the day of the reported event"), so it is not used here.

Offsets are article offsets: ``find_date_expressions(text, offset)`` adds ``offset``
to every span, so ``article[e.start:e.end] == e.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from sanderling.types import DateResolution

__all__ = [
    "MONTHS",
    "DateExpr",
    "find_date_expressions",
    "resolve_event_date",
    "resolve_expression",
    "story_date",
]

# ---------------------------------------------------------------------------- lexicon

MONTHS = {  # month names and abbreviations -> month number
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "several": 3, "few": 3, "a few": 3,
}  # fmt: skip

# Month names are matched case-sensitively (capitalised): "march"/"may" are common words.
_MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?"
    r"|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY_RE = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:1[89][0-9]{2}|2[01][0-9]{2})"
_WD_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_RE = r"(?:\s+(?:night|morning|afternoon|evening))?"
_NUM_RE = r"(?:\d{1,2}|a few|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"  # noqa: E501

# One alternation, most specific first; each branch is a named group so the kind is
# known without re-parsing.  Word boundaries are explicit lookarounds because
# abbreviations end in "." (``\b`` after a dot would fail at the end of a sentence).
_L = r"(?<![\w-])"
_R = r"(?![\w-])"
_PATTERN = re.compile(
    "|".join(
        [
            # Weekday + explicit date: "Monday night, Mar. 30", "Friday, March 27, 2020"
            rf"(?P<wdmd>{_L}(?:on\s+)?{_WD_RE}{_PART_RE},?\s+(?P<wdmd_m>{_MONTH_RE})\s+"
            rf"(?P<wdmd_d>{_DAY_RE})(?:,?\s+(?P<wdmd_y>{_YEAR_RE}))?{_R})",
            # "Dec. 23, 2019", "March 30", "on Mar 27"
            rf"(?P<md>{_L}(?:on\s+)?(?P<md_m>{_MONTH_RE})\s+(?P<md_d>{_DAY_RE})"
            rf"(?:,?\s+(?P<md_y>{_YEAR_RE})|\s+(?P<md_rel>(?:last|this|next)\s+year))?"
            r"(?![\w:-]|\.\d))",
            # "30 March", "30th of March 2020"
            rf"(?P<dm>{_L}(?:on\s+)?(?P<dm_d>{_DAY_RE})\s+(?:of\s+)?(?P<dm_m>{_MONTH_RE})"
            rf"(?:,?\s+(?P<dm_y>{_YEAR_RE})|\s+(?P<dm_rel>(?:last|this|next)\s+year))?{_R})",
            # ISO "2020-03-27"
            rf"(?P<iso>{_L}(?:on\s+)?(?P<iso_y>{_YEAR_RE})-(?P<iso_m>[01][0-9])-(?P<iso_d>[0-3][0-9])(?![\w-]))",
            # "March 2020", "in March 2020"
            rf"(?P<my>{_L}(?:in\s+|early\s+|late\s+|mid-)?(?P<my_m>{_MONTH_RE})\s+(?P<my_y>{_YEAR_RE}){_R})",
            # "in March", "early April", "since June" (bare "March"/"May" are ordinary words)
            rf"(?P<mo>{_L}(?:(?:[Ii]n|[Ee]arly|[Ll]ate|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]his|[Ll]ast|[Nn]ext)\s+"
            rf"|mid-)(?:early\s+|late\s+)?(?P<mo_m>January|February|March|April|May|June|July|August"
            rf"|September|October|November|December){_R})",
            # "the day before yesterday" before "yesterday"/"the day before"
            r"(?P<dby>(?<![\w-])(?:the\s+)?day\s+before\s+yesterday(?![\w-]))",
            # "last Friday", "on Thursday", "Monday night", "Friday's"
            rf"(?P<wd>{_L}(?:[Oo]n\s+)?(?:(?P<wd_mod>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?"
            rf"(?P<wd_w>{_WD_RE}){_PART_RE}(?![\w-]))",
            # yesterday / today / tonight / tomorrow / this morning / last night
            r"(?P<rel>(?<![\w-])(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|[Ee]arlier\s+(?:in\s+)?"
            r"(?:the\s+)?day|[Ll]ater\s+(?:in\s+)?the\s+day|[Tt]his\s+(?:morning|afternoon|evening)"
            r"|[Ll]ast\s+night)(?![\w-]))",
            # "the day before", "the previous day", "the next day", "a day earlier"
            r"(?P<dayrel>(?<![\w-])(?:(?:[Tt]he|[Aa])\s+(?:day\s+(?:before|earlier|after|later)|"
            r"(?:previous|preceding|next|following)\s+day))(?![\w-]))",
            # "two days ago", "a week ago", "three years ago"
            rf"(?P<ago>(?<![\w-])(?P<ago_n>{_NUM_RE})\s+(?P<ago_u>day|week|month|year|decade)s?"
            rf"\s+(?:ago|earlier)(?![\w-]))",
            # "last week", "earlier this month", "next year", "later this week"
            r"(?P<period>(?<![\w-])(?:(?:[Ee]arlier|[Ll]ater)\s+(?:this|that)|[Ll]ast|[Tt]his|[Nn]ext"
            r"|[Pp]revious|[Tt]he\s+previous|[Tt]he\s+following)\s+(?P<period_u>week|month|year)"
            r"(?![\w-]))",
            # "in 2021", "since 1998" (bare 4-digit numbers are too often not years)
            rf"(?P<year>(?<![\w-])(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Dd]uring|[Oo]f)"
            rf"\s+(?P<year_y>{_YEAR_RE})(?![\w-]|s\b|\.\d|,\d))",
        ]
    )
)

_KINDS = (
    "wdmd", "md", "dm", "iso", "my", "mo", "dby", "wd", "rel", "dayrel", "ago", "period", "year",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateExpr:
    """One date-ish expression found in text, unresolved.

    ``kind`` says how to resolve it; ``month``/``day``/``year``/``weekday`` are what
    the text states explicitly (None when absent).  ``explicit`` marks calendar
    dates (a month, with or without a day) as opposed to relative expressions.
    """

    text: str
    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str | None = None

    @property
    def explicit(self) -> bool:
        return self.kind in ("wdmd", "md", "dm", "iso", "my", "mo", "year")

    @property
    def full(self) -> bool:
        """A calendar date down to the day (year optional)."""
        return self.kind in ("wdmd", "md", "dm", "iso")


def _month(tok: str) -> int:
    return MONTHS[tok.rstrip(".").lower()]


def _day(tok: str) -> int:
    return int(re.sub(r"\D", "", tok))


def _num(tok: str) -> int:
    tok = tok.lower()
    return int(tok) if tok.isdigit() else _NUMBERS.get(tok, 1)


# Every pattern starts with one of these words (or a digit): trying the big pattern only
# at such word starts is ~10x faster than letting ``finditer`` try every character.
_STARTER_WORDS = (
    "on in early late since until by this last next past mid the a an earlier later yesterday"
    " today tonight tomorrow day one two three four five six seven eight nine ten eleven twelve"
    " several few previous preceding following during of"
)
_STARTERS = frozenset([*_STARTER_WORDS.split(), *MONTHS, *_WEEKDAYS])
_WORD = re.compile(r"[A-Za-z]+|[0-9]+")


def _matches(text: str) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    end = 0
    for w in _WORD.finditer(text):
        if w.start() < end:
            continue
        tok = w.group(0)
        if not (tok[0].isdigit() or tok.lower() in _STARTERS):
            continue
        m = _PATTERN.match(text, w.start())
        if m is not None:
            out.append(m)
            end = m.end()
    return out


@lru_cache(maxsize=4096)
def _find(text: str) -> tuple[DateExpr, ...]:
    out: list[DateExpr] = []
    for m in _matches(text):
        kind = m.lastgroup
        if kind is None:  # pragma: no cover - every branch is a named group
            continue
        g = m.groupdict()
        low = m.group(0).lower()
        expr: DateExpr | None = None
        try:
            if kind in ("wdmd", "md", "dm", "iso"):
                y, mo, d = g[f"{kind}_y"], g[f"{kind}_m"], g[f"{kind}_d"]
                month = int(mo) if kind == "iso" else _month(mo)
                day = _day(d)
                year = int(y) if y else None
                # Validate (leap years: check against a leap year when the year is unknown).
                dt.date(year or 2000, month, day)
                wd = None
                if kind == "wdmd":
                    wd = _WEEKDAYS[next(w for w in _WEEKDAYS if w in low)]
                rel = g.get(f"{kind}_rel")
                mod = " ".join(rel.split()) if rel else None
                expr = DateExpr(m.group(0), m.start(), m.end(), kind, year, month, day, wd, mod)
            elif kind == "my":
                expr = DateExpr(
                    m.group(0), m.start(), m.end(), kind, int(g["my_y"]), _month(g["my_m"])
                )
            elif kind == "mo":
                mod = low.split()[0] if low.split()[0] in ("this", "last", "next") else None
                expr = DateExpr(
                    m.group(0), m.start(), m.end(), kind, None, _month(g["mo_m"]), modifier=mod
                )
            elif kind == "year":
                expr = DateExpr(m.group(0), m.start(), m.end(), kind, int(g["year_y"]))
            elif kind == "wd":
                mod = (g["wd_mod"] or "").lower() or None
                expr = DateExpr(
                    m.group(0),
                    m.start(),
                    m.end(),
                    kind,
                    weekday=_WEEKDAYS[g["wd_w"].lower()],
                    modifier=mod,
                )
            elif kind == "ago":
                n = _num(g["ago_n"])
                expr = DateExpr(m.group(0), m.start(), m.end(), kind, day=n, modifier=g["ago_u"])
            elif kind == "period":
                unit = g["period_u"]
                words = low.split()
                if words[0] in ("earlier", "later", "this"):
                    mod = "this"
                elif words[0] == "next" or "following" in words:
                    mod = "next"
                else:
                    mod = "last"
                expr = DateExpr(m.group(0), m.start(), m.end(), kind, modifier=f"{mod} {unit}")
            else:  # rel, dayrel, dby
                expr = DateExpr(m.group(0), m.start(), m.end(), kind, modifier=low)
        except (ValueError, KeyError, StopIteration):
            expr = None
        if expr is not None:
            out.append(expr)
    return tuple(out)


def find_date_expressions(text: str, offset: int = 0) -> list[DateExpr]:
    """All date-ish expressions in ``text``, in order, with spans shifted by ``offset``."""
    if not text:
        return []
    found = _find(text)
    if not offset:
        return list(found)
    return [
        DateExpr(
            e.text,
            e.start + offset,
            e.end + offset,
            e.kind,
            e.year,
            e.month,
            e.day,
            e.weekday,
            e.modifier,
        )
        for e in found
    ]


# ---------------------------------------------------------------------------- resolution


def _nearest_year(month: int, day: int, ref: dt.date) -> dt.date | None:
    """The (month, day) occurrence nearest ``ref`` (Dec. 23 seen from Feb 2020 is 2019)."""
    best: dt.date | None = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = dt.date(y, month, day)
        except ValueError:  # Feb 29 in a non-leap year
            continue
        if best is None or abs((cand - ref).days) < abs((best - ref).days):
            best = cand
    return best


def _month_start(year: int, month: int, shift: int = 0) -> dt.date:
    idx = year * 12 + (month - 1) + shift
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _safe(d: dt.date, days: int) -> dt.date | None:
    try:
        return d + dt.timedelta(days=days)
    except OverflowError:
        return None


def resolve_expression(expr: DateExpr, ref: dt.date | None, future: bool = False) -> DateResolution:
    """Resolve ``expr`` against the reference date ``ref``.

    ``future`` says the expression sits in a forward-looking clause ("will meet on
    Friday"), so bare weekdays and month names point forward instead of back.
    Returns ``DateResolution(None, "unknown", ...)`` when the text alone cannot fix
    the date (relative expression, no reference).
    """

    def res(d: dt.date | None, precision: str) -> DateResolution:
        if d is None:
            return DateResolution(None, "unknown", expr.text, expr.start, expr.end)
        return DateResolution(d, precision, expr.text, expr.start, expr.end)

    k = expr.kind
    if k in ("wdmd", "md", "dm", "iso"):
        assert expr.month is not None and expr.day is not None
        if expr.year is not None:
            return res(dt.date(expr.year, expr.month, expr.day), "day")
        if expr.modifier and ref is not None:  # "18 August last year"
            shift = {"last year": -1, "this year": 0, "next year": 1}[expr.modifier]
            try:
                return res(dt.date(ref.year + shift, expr.month, expr.day), "day")
            except ValueError:
                return res(None, "unknown")
        return res(_nearest_year(expr.month, expr.day, ref) if ref else None, "day")
    if k == "my":
        assert expr.year is not None and expr.month is not None
        return res(dt.date(expr.year, expr.month, 1), "month")
    if k == "year":
        assert expr.year is not None
        return res(dt.date(expr.year, 1, 1), "year")
    if ref is None:
        return res(None, "unknown")
    if k == "mo":
        assert expr.month is not None
        if expr.modifier == "last" or (not future and expr.modifier != "next"):
            # Past report: the most recent such month, unless it is nearer ahead
            # ("in March" written in late February usually means the coming March).
            back = _month_start(ref.year, expr.month, 0 if expr.month <= ref.month else -12)
            ahead = _month_start(ref.year, expr.month, 0 if expr.month > ref.month else 12)
            if expr.modifier == "last" or expr.month == ref.month:
                return res(back, "month")
            gap_back = (ref.month - expr.month) % 12
            gap_ahead = (expr.month - ref.month) % 12
            return res(back if gap_back <= gap_ahead else ahead, "month")
        y = ref.year if expr.month >= ref.month else ref.year + 1
        return res(dt.date(y, expr.month, 1), "month")
    if k == "wd":
        assert expr.weekday is not None
        delta = (ref.weekday() - expr.weekday) % 7
        if expr.modifier == "next" or (future and expr.modifier not in ("last", "past")):
            fwd = (expr.weekday - ref.weekday()) % 7
            if expr.modifier == "next" and fwd == 0:
                fwd = 7
            return res(_safe(ref, fwd), "day")
        if expr.modifier in ("last", "past") and delta == 0:
            delta = 7
        return res(_safe(ref, -delta), "day")
    if k == "rel":
        m = expr.modifier or ""
        if "yesterday" in m or m == "last night":
            return res(_safe(ref, -1), "day")
        if "tomorrow" in m:
            return res(_safe(ref, 1), "day")
        return res(ref, "day")
    if k == "dby":
        return res(_safe(ref, -2), "day")
    if k == "dayrel":
        m = expr.modifier or ""
        forward = any(w in m for w in ("after", "later", "next", "following"))
        return res(_safe(ref, 1 if forward else -1), "day")
    if k == "ago":
        n, unit = expr.day or 1, expr.modifier or "day"
        if unit == "day":
            return res(_safe(ref, -n), "day")
        if unit == "week":
            d = _safe(ref, -7 * n)
            return res(_monday(d) if d else None, "week")
        if unit == "month":
            return res(_month_start(ref.year, ref.month, -n), "month")
        years = n * (10 if unit == "decade" else 1)
        return res(dt.date(ref.year - years, 1, 1) if ref.year - years >= 1 else None, "year")
    if k == "period":
        mod, unit = (expr.modifier or "this week").split()
        shift = {"last": -1, "this": 0, "next": 1}[mod]
        if unit == "week":
            d = _safe(_monday(ref), 7 * shift)
            return res(d, "week")
        if unit == "month":
            return res(_month_start(ref.year, ref.month, shift), "month")
        return res(dt.date(ref.year + shift, 1, 1), "year")
    return res(None, "unknown")  # pragma: no cover


# ---------------------------------------------------------------------------- story date

_LEAD_CHARS = 600
# Words just before a date that make it something other than the day of a reported event.
_NOT_EVENT_BEFORE = re.compile(
    r"\b(?:until|till|by|before|since|from|through|deadline|due|scheduled|slated|set|planned"
    r"|expected|will|shall|would|to be|born|dated|between|and|starting|ending|ends|expires?"
    r"|amended|updated|corrected|published|posted|edited|died|aims?|hopes?|seeks?)\W*"
    r"(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|'ll|is to|are to|plans? to|planned|going to|scheduled|slated|expected to"
    r"|due to|set to|upcoming|next|to be held|intends? to|would|aims? to|hopes? to)\b",
    re.IGNORECASE,
)
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(]?[A-Z])|\n\s*\n")


def _lead(body: str) -> str:
    """First ~3 sentences, at most ``_LEAD_CHARS`` characters (leading blank lines skipped)."""
    stripped = len(body) - len(body.lstrip())
    head = body[: stripped + _LEAD_CHARS]
    ends = [m.end() for m in _SENT_END.finditer(head, stripped)]
    if len(ends) >= 3:
        head = head[: ends[2]]
    return head


def _clause_before(text: str, pos: int) -> str:
    """Text from the start of the clause containing ``pos`` up to ``pos``."""
    start = max(text.rfind(c, 0, pos) for c in ".;:!?\n")
    return text[start + 1 : pos]


def _reported_as_past(text: str, expr: DateExpr, local_start: int) -> bool:
    before = _clause_before(text, local_start)
    if _NOT_EVENT_BEFORE.search(before):
        return False
    # A future cue anywhere in the same clause (before or after the date) disqualifies.
    after = text[local_start : local_start + 120]
    cut = min((i for i in (after.find(c) for c in ".;!?") if i >= 0), default=len(after))
    return not _FUTURE_CUES.search(before) and not _FUTURE_CUES.search(after[:cut])


def _is_citation(text: str, e: DateExpr) -> bool:
    """ "(Headline, 19 February)" -- a reference to another article, not an event."""
    return text[e.end : e.end + 2].lstrip().startswith(")") and not e.text.lower().startswith("on")


def story_date(body: str, body_offset: int, pub_date: dt.date | None) -> DateResolution:
    """The article's reference date.

    1. The first explicit day-level date in the lead (first ~3 sentences / 600
       chars) that reports an event ("after a call on Monday night, Mar. 30", or a
       wire dateline "Beijing, Mar 27 (ANI)") wins over the header, provided it is
       not more than a week before the header (then it is background) -- headers
       are often upload/crawl dates, and a lead date *after* the header means the
       header is wrong.
    2. Else, if the body reports explicit day-level dates as past that are later
       than the header (by at most a month; "amended on" notes and citations
       skipped), the header is evidently wrong: take the latest of them.
    3. Else the header/pub date with precision ``story`` (None/``unknown`` without one).
    """
    lead = _lead(body)
    for e in find_date_expressions(lead):
        if not e.full:
            continue
        r = resolve_expression(e, pub_date)
        if r.date is None:
            continue
        if not _reported_as_past(body, e, e.start) or _is_citation(body, e):
            continue
        if pub_date is not None and (r.date - pub_date).days < -7:
            continue
        if pub_date is not None and (r.date - pub_date).days > 60:
            continue
        return DateResolution(r.date, "day", e.text, e.start + body_offset, e.end + body_offset)
    if pub_date is not None:
        later: list[tuple[dt.date, DateExpr]] = []
        for e in find_date_expressions(body):
            if not e.full:
                continue
            r = resolve_expression(e, pub_date)
            if r.date is None or not (0 < (r.date - pub_date).days <= 31):
                continue
            if _reported_as_past(body, e, e.start) and not _is_citation(body, e):
                later.append((r.date, e))
        if later:
            d, e = max(later, key=lambda x: x[0])
            return DateResolution(d, "day", e.text, e.start + body_offset, e.end + body_offset)
        return DateResolution(pub_date, "story")
    return DateResolution(None, "unknown")


# ---------------------------------------------------------------------------- per event

# Words that open a new clause: a date on the far side belongs to another predicate.
_BOUNDARY_WORDS = re.compile(
    r"\b(?:that|which|who|whom|whose|while|when|where|whereas|after|before|because|although"
    r"|though|if|unless|as|said|says|saying|adding|added|told|tells|according)\b",
    re.IGNORECASE,
)
_HARD_PUNCT = re.compile(r"[;:()\"“”]|\s[—–-]\s")
# ", crossing the ..." -- a participle opening a new predicate after a comma.
_COMMA_VERB = re.compile(r",\s+\w+(?:ing|ed)\b")


def _gap_cost(gap: str) -> float | None:
    """Cost of attaching a date across ``gap`` (text between trigger and date); None = never."""
    if _HARD_PUNCT.search(gap) or _COMMA_VERB.search(gap):
        return None
    cost = 0.0
    if "," in gap:
        cost += 40.0 * gap.count(",")
    if _BOUNDARY_WORDS.search(gap):
        return None
    return cost


def _future_clause(sentence: str, local_trigger: int) -> bool:
    """Forward-looking wording in the trigger's neighbourhood ("will meet", "plans to visit")."""
    window = sentence[max(0, local_trigger - 40) : local_trigger + 25]
    return bool(_FUTURE_CUES.search(window))


def _word_end(sentence: str, i: int) -> int:
    m = re.compile(r"[\w'-]*").match(sentence, i)
    return m.end() if m else i


def resolve_event_date(
    sentence: str,
    sentence_start: int,
    trigger_start: int,
    story: DateResolution,
    pub_date: dt.date | None,
) -> DateResolution:
    """The date of the event whose trigger word starts at article offset ``trigger_start``.

    Picks the date expression attached to the trigger: in the same clause (no clause
    boundary, complementiser or reporting verb between them), preferring one after
    the trigger; a sentence-initial adverbial ("Last week, ...") or a participial
    phrase ending in a comma ("Speaking ... on Mar. 29, Lee said") also attaches.
    Relative expressions resolve against the story date (else the pub date).  With
    no attached date the event gets the story date with precision ``story``.
    """
    ref = story.date or pub_date
    t = trigger_start - sentence_start
    t_end = _word_end(sentence, t)
    future = _future_clause(sentence, t)
    best: tuple[float, DateExpr] | None = None
    for e in find_date_expressions(sentence):
        if e.start <= t < e.end:
            cost: float | None = 0.0
        elif e.start >= t_end:
            gap = sentence[t_end : e.start]
            cost = _gap_cost(gap)
            if cost is not None:
                cost += len(gap)
        else:
            gap = sentence[e.end : t]
            cost = _gap_cost(gap)
            if cost is None and _is_fronted_adverbial(sentence, e, gap):
                cost = 60.0
            if cost is not None:
                cost += 1.5 * len(gap) + 5
        if cost is None or cost > 160:
            continue
        if best is None or cost < best[0]:
            best = (cost, e)
    if best is not None:
        r = resolve_expression(best[1], ref, future=future)
        if r.date is not None:
            return DateResolution(
                r.date, r.precision, r.text, best[1].start + sentence_start,
                best[1].end + sentence_start,
            )  # fmt: skip
    if story.date is None:
        return DateResolution(None, "unknown")
    return DateResolution(story.date, "story")


def _is_fronted_adverbial(sentence: str, e: DateExpr, gap: str) -> bool:
    """A date phrase opening the sentence and closed by a comma scopes over the main clause."""
    head = sentence[: e.start]
    if head.strip() and not re.fullmatch(r"\W*(?:\w+\W+){0,12}", head):
        return False
    comma = gap.find(",")
    if comma < 0:
        return False
    # After that first comma the rest of the gap must be plain main-clause material.
    rest = gap[comma + 1 :]
    return not _HARD_PUNCT.search(rest) and not _BOUNDARY_WORDS.search(rest) and "," not in rest
