"""Ingestion: turn files, directories and stdin into a stream of ``Article``/``Skip``.

Why a stream: corpora can be far larger than memory, so JSONL and CSV are read
line by line / row by row and a ``.txt`` file is read with a size cap.  Why
``Skip`` records instead of exceptions: one bad line must never cost the good
articles around it, and every problem must surface exactly once so the caller
can report it.  See docs/input-formats.md for the formats.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import gzip
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, TextIO, cast

from sanderling.dates import MONTHS
from sanderling.types import Article, Skip

__all__ = [
    "SUPPORTED_SUFFIXES",
    "UsageError",
    "article_from_record",
    "iter_inputs",
    "parse_date_header",
    "parse_date_option",
    "parse_date_value",
]

#: Recognised suffixes (case-insensitive), each also accepted with ``.gz`` appended.
SUPPORTED_SUFFIXES = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
}
TEXT_FIELDS = ("text", "body", "content")
STDIN_WHERE = "<stdin>"

_CSV_FIELD_LIMIT = 2**31 - 1  # fits a C long everywhere; per-article size is checked separately
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)
# C0 controls other than \t \n \v \f \r: a cp1252 decode producing these is binary junk.
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
# Characters that mark bytes which did not decode (surrogateescape) or NUL.
_UNDECODED = re.compile("[\x00\udc80-\udcff]")


class UsageError(ValueError):
    """The caller asked for something impossible (not a problem with the input data)."""


# --------------------------------------------------------------------------- dates

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
# One date token.  Deliberately narrow so that a header such as
# " date 2020-03-25 Health officials ..." never swallows body text.
_DATE_TOKEN = (
    _WEEKDAY + r"(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?P<y2>\d{4})/(?P<m2>\d{1,2})/(?P<d2>\d{1,2})"
    rf"|(?P<mon3>{_MONTH})\s*(?P<d3>\d{{1,2}}){_ORD},?\s+(?P<y3>\d{{4}})"
    rf"|(?P<d4>\d{{1,2}}){_ORD}\s+(?P<mon4>{_MONTH}),?\s+(?P<y4>\d{{4}}))"
    r"(?!\w)"
)
_HEADER = re.compile(r"\A\s*date\b[^\S\n]*[:=]?[^\S\n]*" + _DATE_TOKEN + r"\s*", re.IGNORECASE)
_FULL_DATE = re.compile(r"\s*" + _DATE_TOKEN + r"\s*", re.IGNORECASE)
_OPTION_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _token_date(m: re.Match[str]) -> dt.date | None:
    """Build the date from a ``_DATE_TOKEN`` match (None if impossible, e.g. Feb 30)."""
    g = m.group
    try:
        if g("y1"):
            return dt.date(int(g("y1")), int(g("m1")), int(g("d1")))
        if g("y2"):
            return dt.date(int(g("y2")), int(g("m2")), int(g("d2")))
        if g("y3"):
            month = MONTHS[g("mon3").lower().rstrip(".")]
            return dt.date(int(g("y3")), month, int(g("d3")))
        month = MONTHS[g("mon4").lower().rstrip(".")]
        return dt.date(int(g("y4")), month, int(g("d4")))
    except (ValueError, KeyError):
        return None


def parse_date_header(text: str) -> tuple[dt.date | None, int]:
    """Read an optional ``date`` header from the first non-blank line of ``text``.

    Accepted: ``" date 2020-03-25"``, ``"date: 2020-03-25"``, ``"Date: March 25, 2020"``,
    ``"Date: 25 March 2020"``, ``"date 2020/03/25"`` (keyword case-insensitive, body
    text may follow on the same line).  Returns ``(date, body_start)`` where
    ``body_start`` is the offset of the first body character after the header; no
    header gives ``(None, 0)``.  A header with an impossible date (``2020-02-30``)
    is still treated as a header (so the NLP never sees it) but gives ``None``.
    """
    m = _HEADER.match(text)
    if m is None:
        return None, 0
    return _token_date(m), m.end()


def _dateparser_settings() -> dict[str, Any]:
    return {
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
        # No "relative-time": "yesterday" in a metadata field has no anchor we trust.
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    }


@functools.lru_cache(maxsize=1)
def _date_parser() -> Any:
    """The dateparser parser, built once (import is slow, so only when needed)."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=_dateparser_settings())


@functools.lru_cache(maxsize=4096)
def parse_date_value(value: str) -> dt.date | None:
    """Parse a date field from JSONL/CSV metadata; None if it is not a full date.

    ISO and the header forms are tried first with a regex (fast, exact); anything
    else goes to ``dateparser`` (English, absolute dates only, day+month+year
    required).  A timestamp's literal date is kept (no timezone conversion).
    """
    value = value.strip()
    if not value:
        return None
    m = _FULL_DATE.fullmatch(value)
    if m is not None:
        return _token_date(m)
    try:
        data = _date_parser().get_date_data(value)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    parsed = getattr(data, "date_obj", None)
    return parsed.date() if isinstance(parsed, dt.datetime) else None


def parse_date_option(value: str) -> dt.date:
    """Parse the CLI's ``--date YYYY-MM-DD``; raise ``UsageError`` otherwise."""
    if not _OPTION_DATE.fullmatch(value.strip()):
        raise UsageError(f"--date must be YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UsageError(f"--date {value!r} is not a valid date: {exc}") from exc


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes) -> str | None:
    """Decode one unit (a .txt file, a JSONL line, a CSV line).

    UTF-8 (a leading BOM dropped); else cp1252 if that decodes cleanly with no
    control characters (old news archives are full of cp1252 smart quotes);
    else None.  Callers reject NUL bytes before this as "binary file".
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _BAD_CONTROLS.search(text) else text


def _mb(max_bytes: int) -> str:
    return f"article larger than {max_bytes / 1_000_000:.1f} MB limit"


def _utf8_len_exceeds(text: str, max_bytes: int) -> bool:
    if len(text) * 4 <= max_bytes:  # cheap: at most 4 bytes per character
        return False
    return len(text.encode("utf-8", "surrogatepass")) > max_bytes


def _split_suffix(name: str) -> tuple[str, str | None, bool]:
    """``foo.TXT.gz`` -> (stem ``foo``, kind ``txt``, gz True); kind None if unsupported."""
    gz = name.lower().endswith(".gz")
    base = name[:-3] if gz else name
    stem, ext = os.path.splitext(base)
    return stem, SUPPORTED_SUFFIXES.get(ext.lower()), gz


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc.strerror or exc}"


# --------------------------------------------------------------------------- reader


class _Reader:
    """Holds the per-call settings and what has been read (no global state)."""

    def __init__(self, default_date: dt.date | None, max_bytes: int, stdin: TextIO | None):
        self.default_date = default_date
        self.max_bytes = max_bytes
        self.stdin = stdin
        self.seen_files: set[str] = set()
        self.seen_dirs: set[str] = set()

    # ---- walking

    def run(self, inputs: Sequence[str]) -> Iterator[Article | Skip]:
        for arg in inputs:
            if arg == "-":
                assert self.stdin is not None  # checked by iter_inputs
                yield from self._read_stdin(self.stdin)
            else:
                yield from self._read_arg(arg)

    def _read_arg(self, arg: str) -> Iterator[Article | Skip]:
        try:
            st = os.stat(arg)
        except OSError as exc:
            yield Skip(arg, _os_reason(exc))
            return
        if stat.S_ISDIR(st.st_mode):
            if os.path.realpath(arg) in self.seen_dirs:
                yield Skip(arg, "duplicate input (already read)")
                return
            found = False
            for item in self._walk(arg):
                found = True
                yield item
            if not found:
                yield Skip(arg, "no supported input files in directory")
            return
        stem, kind, gz = _split_suffix(os.path.basename(arg))
        if kind is None:
            yield Skip(
                arg,
                "is not a supported input type (.txt, .jsonl, .ndjson, .csv, .tsv, optionally .gz)",
            )
            return
        yield from self._read_file(arg, stem, kind, gz)

    def _walk(self, directory: str) -> Iterator[Article | Skip]:
        """Depth-first, entries sorted by name: deterministic order on any filesystem."""
        real = os.path.realpath(directory)
        if real in self.seen_dirs:  # symlink loop or the same tree named twice
            return
        self.seen_dirs.add(real)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Skip(directory, _os_reason(exc))
            return
        for entry in entries:
            if entry.name.startswith("."):  # .git, editor swap files, ...
                continue
            path = os.path.join(directory, entry.name)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from self._walk(path)
                continue
            stem, kind, gz = _split_suffix(entry.name)
            if kind is not None:
                yield from self._read_file(path, stem, kind, gz)

    def _open(self, path: str, gz: bool) -> IO[bytes]:
        return cast(IO[bytes], gzip.open(path, "rb") if gz else open(path, "rb"))

    def _read_file(self, path: str, stem: str, kind: str, gz: bool) -> Iterator[Article | Skip]:
        real = os.path.realpath(path)
        if real in self.seen_files:
            yield Skip(path, "duplicate input (already read)")
            return
        self.seen_files.add(real)
        try:
            f = self._open(path, gz)
        except OSError as exc:
            yield Skip(path, _os_reason(exc))
            return
        with f:
            try:
                if kind == "txt":
                    yield self._read_txt(f, path, stem)
                elif kind == "jsonl":
                    yield from self._read_jsonl(_binary_lines(f, self._line_cap()), path, stem)
                else:
                    yield from self._read_csv(f, path, stem, "\t" if kind == "tsv" else ",")
            except _GZIP_ERRORS as exc:
                yield Skip(path, f"corrupt gzip: {exc}")
            except OSError as exc:
                yield Skip(path, f"read error: {exc.strerror or exc}")

    def _line_cap(self) -> int:
        # A JSON line may escape every character as \uXXXX (6 bytes) plus metadata.
        return self.max_bytes * 6 + 65_536

    # ---- .txt

    def _read_txt(self, f: IO[bytes], path: str, stem: str) -> Article | Skip:
        cap = self.max_bytes + 3  # + UTF-8 BOM; decoded UTF-8 is never shorter than this
        data = f.read(cap + 1)
        if len(data) > cap:
            return Skip(path, _mb(self.max_bytes))
        if b"\x00" in data:
            return Skip(path, "binary file")
        text = _decode(data)
        if text is None:
            return Skip(path, "undecodable bytes (neither UTF-8 nor cp1252)")
        if _utf8_len_exceeds(text, self.max_bytes):
            return Skip(path, _mb(self.max_bytes))
        date, body_start = parse_date_header(text)
        if not text[body_start:].strip():
            return Skip(path, "empty article")
        return Article(
            id=stem,
            text=text,
            date=date or self.default_date,
            origin=path,
            body_start=body_start,
        )

    # ---- JSONL

    def _read_stdin(self, stream: TextIO) -> Iterator[Article | Skip]:
        buffer = getattr(stream, "buffer", None)
        lines: Iterable[bytes | str | None]
        lines = _binary_lines(buffer, self._line_cap()) if buffer is not None else stream
        try:
            yield from self._read_jsonl(lines, STDIN_WHERE, "stdin")
        except OSError as exc:
            yield Skip(STDIN_WHERE, f"read error: {exc.strerror or exc}")

    def _read_jsonl(
        self, lines: Iterable[bytes | str | None], path: str, stem: str
    ) -> Iterator[Article | Skip]:
        """``lines`` yields raw lines; None stands for a line over the size cap."""
        any_line = False
        for index, raw in enumerate(lines):
            any_line = True
            where = f"{path}:{index + 1}"
            if raw is None:
                yield Skip(where, _mb(self.max_bytes))
                continue
            if isinstance(raw, bytes):
                if b"\x00" in raw:
                    if index == 0:
                        yield Skip(path, "binary file")
                        return
                    yield Skip(where, "binary data (NUL bytes) in line")
                    continue
                line = _decode(raw[3:] if index == 0 and raw.startswith(codecs.BOM_UTF8) else raw)
                if line is None:
                    yield Skip(where, "undecodable bytes (neither UTF-8 nor cp1252)")
                    continue
            else:
                line = raw.lstrip("\ufeff") if index == 0 else raw
                if "\x00" in line:
                    yield Skip(where, "binary data (NUL bytes) in line")
                    continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skip(where, f"malformed JSON: {exc.msg} at column {exc.colno}")
                continue
            except (ValueError, RecursionError) as exc:
                yield Skip(where, f"malformed JSON: {exc}")
                continue
            if not isinstance(record, dict):
                yield Skip(where, f"JSON line is not an object (got {type(record).__name__})")
                continue
            yield self._from_record(record, where, f"{stem}-{index}")
        if not any_line:
            yield Skip(path, "empty file")

    # ---- CSV / TSV

    def _read_csv(
        self, f: IO[bytes], path: str, stem: str, delimiter: str
    ) -> Iterator[Article | Skip]:
        if csv.field_size_limit() < _CSV_FIELD_LIMIT:
            csv.field_size_limit(_CSV_FIELD_LIMIT)
        peek = getattr(f, "peek", None)
        first = peek(8192)[:8192] if peek is not None else b""
        if b"\x00" in first:
            yield Skip(path, "binary file")
            return
        reader = csv.reader(_csv_lines(f), delimiter=delimiter)
        header: list[str] | None = None
        text_col = -1
        columns: dict[str, int] = {}
        row_index = 0
        while True:
            line_before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Skip(f"{path}:{line_before + 1}", f"malformed CSV: {exc}")
                if reader.line_num == line_before:
                    break
                continue
            where = f"{path}:{line_before + 1}"
            if not row or not any(cell.strip() for cell in row):
                continue  # blank line
            if header is None:
                header = [cell.strip().lstrip("\ufeff").lower() for cell in row]
                for i, name in enumerate(header):
                    columns.setdefault(name, i)
                text_col = next((columns[n] for n in TEXT_FIELDS if n in columns), -1)
                if text_col < 0:
                    yield Skip(path, "no text column (expected text, body or content)")
                    return
                continue
            doc_index = row_index
            row_index += 1
            if any(_UNDECODED.search(cell) for cell in row):
                yield Skip(where, "undecodable bytes (neither UTF-8 nor cp1252)")
                continue
            if text_col >= len(row):
                yield Skip(where, f"row has {len(row)} fields, no text field")
                continue
            record = {name: row[i] for name, i in columns.items() if i < len(row)}
            yield self._from_record(record, where, f"{stem}-{doc_index}")
        if header is None:
            yield Skip(path, "empty file")

    # ---- records (JSONL objects and CSV rows)

    def _from_record(
        self, record: Mapping[str, Any], where: str, fallback_id: str
    ) -> Article | Skip:
        return article_from_record(record, where, fallback_id, self.default_date, self.max_bytes)


def article_from_record(
    record: Mapping[str, Any],
    where: str,
    fallback_id: str,
    default_date: dt.date | None = None,
    max_bytes: int = 5_000_000,
) -> Article | Skip:
    """The JSONL/CSV field rules for one record (also used for Parquet rows by the Ray engine).

    ``where`` names the record in skip messages; ``fallback_id`` is its id when it has none.
    """
    key = next((k for k in TEXT_FIELDS if record.get(k) is not None), None)
    if key is None:
        return Skip(where, "no text field (text, body or content)")
    text = record[key]
    if not isinstance(text, str):
        return Skip(where, f"{key} field is not a string")
    if not text.strip():
        return Skip(where, "empty article")
    if _utf8_len_exceeds(text, max_bytes):
        return Skip(where, _mb(max_bytes))
    raw_id = record.get("id")
    doc_id = fallback_id if raw_id is None or str(raw_id).strip() == "" else str(raw_id).strip()
    raw_date = record.get("date")
    date = parse_date_value(raw_date) if isinstance(raw_date, str) else None
    return Article(
        id=doc_id,
        text=text,
        date=date or default_date,
        title=_opt_str(record.get("title")),
        url=_opt_str(record.get("url")),
        source=_opt_str(record.get("source")),
        language=_opt_str(record.get("language")),
        origin=where,
        body_start=0,
    )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text.strip() or None


def _binary_lines(f: IO[bytes], cap: int) -> Iterator[bytes | None]:
    """Lines of a binary stream, each at most ``cap`` bytes; an overlong line is
    drained without keeping it and reported as None (bounded memory)."""
    while True:
        line = f.readline(cap)
        if not line:
            return
        if len(line) >= cap and not line.endswith(b"\n"):
            while True:
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def _csv_lines(f: IO[bytes]) -> Iterator[str]:
    """Decode a CSV line by line (so one bad line costs one row, not the file).

    Undecodable bytes are kept as surrogate escapes; the row holding them is skipped.
    """
    first = True
    for raw in f:
        if first and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        first = False
        text = _decode(raw)
        yield text if text is not None else raw.decode("utf-8", "surrogateescape")


def iter_inputs(
    inputs: Sequence[str],
    *,
    default_date: dt.date | None = None,
    max_bytes: int = 5_000_000,
    stdin: TextIO | None = None,
) -> Iterator[Article | Skip]:
    """Stream ``Article``s (and ``Skip``s for bad input) from files, directories, ``-``.

    Inputs are read in the given order; directories recursively, entries sorted by
    name.  ``default_date`` dates every article that has no date of its own.
    Raises ``UsageError`` at call time (not lazily) for impossible requests: no
    inputs, ``-`` twice, ``-`` with no stdin available, ``max_bytes`` < 1.
    Problems with the data itself never raise: they are yielded as ``Skip``.
    """
    if isinstance(inputs, str):
        raise UsageError("inputs must be a sequence of paths, not a single string")
    inputs = list(inputs)
    if not inputs:
        raise UsageError("no inputs given")
    if max_bytes < 1:
        raise UsageError(f"max_bytes must be positive, got {max_bytes}")
    stream = stdin
    if "-" in inputs:
        if inputs.count("-") > 1:
            raise UsageError("'-' (stdin) given more than once")
        stream = stdin if stdin is not None else sys.stdin
        if stream is None:
            raise UsageError("'-' given but there is no stdin to read")
    return _Reader(default_date, max_bytes, stream).run(inputs)
