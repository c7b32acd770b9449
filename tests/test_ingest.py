"""Tests for sanderling.ingest: every input kind, id/date rules and every bad-input kind."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sanderling.ingest import (
    UsageError,
    iter_inputs,
    parse_date_header,
    parse_date_option,
    parse_date_value,
)
from sanderling.types import Article, Skip

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
D = dt.date


def run(inputs: Sequence[str | Path], **kw: Any) -> tuple[list[Article], list[Skip]]:
    items = list(iter_inputs([str(p) for p in inputs], **kw))
    arts = [x for x in items if isinstance(x, Article)]
    skips = [x for x in items if isinstance(x, Skip)]
    assert len(arts) + len(skips) == len(items)
    return arts, skips


def body(a: Article) -> str:
    return a.text[a.body_start :]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# --------------------------------------------------------------------------- date header


@pytest.mark.parametrize(
    ("text", "date", "body_first"),
    [
        (" date 2020-03-25 Officials met in Geneva.", D(2020, 3, 25), "Officials"),
        ("date: 2020-03-25\nOfficials met.", D(2020, 3, 25), "Officials"),
        ("Date: March 25, 2020\n\nOfficials met.", D(2020, 3, 25), "Officials"),
        ("DATE: Mar. 5, 2020\nOfficials met.", D(2020, 3, 5), "Officials"),
        ("Date: 25 March 2020\nOfficials met.", D(2020, 3, 25), "Officials"),
        ("Date: Wednesday, March 25, 2020\nOfficials met.", D(2020, 3, 25), "Officials"),
        ("date 2020/03/25 Officials met.", D(2020, 3, 25), "Officials"),
        ("date: 2020-03-25T14:05:00Z\nOfficials met.", D(2020, 3, 25), "Officials"),
        ("\n\n  date 2020-01-02\n\n\nOfficials met.", D(2020, 1, 2), "Officials"),
        (" date 2020-02-20 \n\n\n\nOfficials met.", D(2020, 2, 20), "Officials"),
        ("date 2020-02-30 Officials met.", None, "Officials"),  # header, impossible date
    ],
)
def test_parse_date_header_forms(text: str, date: D | None, body_first: str) -> None:
    got, start = parse_date_header(text)
    assert got == date
    assert text[start:].startswith(body_first)


@pytest.mark.parametrize(
    "text",
    [
        "Officials met in Geneva on 2020-03-25.",
        "Dated documents show a deal.",
        "Date night plans were cancelled on March 25, 2020.",
        "date: tomorrow, officials said",
        "March 25, 2020 - Officials met.",  # a dateline is body text, not a header
        "Officials met.\ndate 2020-03-25",  # not the first non-blank line
        "date 2020-03-251 is not a date",
        "",
    ],
)
def test_parse_date_header_absent(text: str) -> None:
    assert parse_date_header(text) == (None, 0)


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2019-04-10", D(2019, 4, 10)),
        (" 2019-04-10T23:59:59+05:00 ", D(2019, 4, 10)),
        ("April 10, 2019", D(2019, 4, 10)),
        ("10 Apr 2019", D(2019, 4, 10)),
        ("Wed, 10 Apr 2019 08:00:00 +0000", D(2019, 4, 10)),
        ("10 April 2019 at 8am", D(2019, 4, 10)),
        ("", None),
        ("not a date", None),
        ("yesterday", None),
        ("2019-13-45", None),
    ],
)
def test_parse_date_value(value: str, date: D | None) -> None:
    assert parse_date_value(value) == date


def test_parse_date_option() -> None:
    assert parse_date_option("2021-06-01") == D(2021, 6, 1)
    for bad in ("2021-6-1", "June 1 2021", "2021-02-30", ""):
        with pytest.raises(UsageError):
            parse_date_option(bad)


# --------------------------------------------------------------------------- .txt


def test_txt_header_forms_and_default_date(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", " date 2020-03-25 Ministers met in Oslo.\n\nMore text.")
    b = write(tmp_path / "b.txt", "Date: March 27, 2020\nTalks resumed in Doha.")
    c = write(tmp_path / "c.txt", "No header here. Troops withdrew.")
    arts, skips = run([a, b, c], default_date=D(2000, 1, 1))
    assert skips == []
    assert [x.id for x in arts] == ["a", "b", "c"]
    assert [x.date for x in arts] == [D(2020, 3, 25), D(2020, 3, 27), D(2000, 1, 1)]
    assert [body(x).split()[0] for x in arts] == ["Ministers", "Talks", "No"]
    assert arts[0].text == a.read_text()  # whole file, header included
    assert arts[2].body_start == 0
    assert arts[0].origin == str(a)
    # no header and no default: date None
    arts, _ = run([c])
    assert arts[0].date is None


def test_txt_keeps_crlf_and_strips_bom(tmp_path: Path) -> None:
    p = write(tmp_path / "crlf.txt", b"\xef\xbb\xbfdate: 2020-05-01\r\nLine one.\r\nLine two.\r\n")
    (art,), skips = run([p])
    assert not skips
    assert art.text == "date: 2020-05-01\r\nLine one.\r\nLine two.\r\n"
    assert body(art).startswith("Line one.")
    assert art.date == D(2020, 5, 1)


def test_txt_cp1252_fallback(tmp_path: Path) -> None:
    p = write(
        tmp_path / "old.txt", "The envoy\u2019s visit \u2013 a caf\u00e9 talk.".encode("cp1252")
    )
    (art,), skips = run([p])
    assert not skips
    assert art.text == "The envoy\u2019s visit \u2013 a caf\u00e9 talk."


def test_gz_versions_of_each_kind(tmp_path: Path) -> None:
    t = write(tmp_path / "story.txt.gz", "date: 2020-01-05\nRebels seized the port.")
    j = write(tmp_path / "feed.jsonl.gz", jsonl({"id": "j1", "text": "Police arrested two."}))
    n = write(tmp_path / "feed2.ndjson.gz", jsonl({"text": "Envoys met in Cairo."}))
    c = write(tmp_path / "tab.csv.gz", "id,text\nc1,Leaders signed a pact.\n")
    s = write(tmp_path / "tab2.tsv.gz", "text\tdate\nTalks collapsed.\t2020-02-02\n")
    arts, skips = run([t, j, n, c, s])
    assert skips == []
    assert [a.id for a in arts] == ["story", "j1", "feed2-0", "c1", "tab2-0"]
    assert arts[0].date == D(2020, 1, 5) and body(arts[0]) == "Rebels seized the port."
    assert arts[4].date == D(2020, 2, 2) and arts[4].text == "Talks collapsed."


# --------------------------------------------------------------------------- JSONL


def test_jsonl_fields_ids_and_dates(tmp_path: Path) -> None:
    p = write(
        tmp_path / "news.jsonl",
        jsonl(
            {"id": "x1", "text": "Army shelled the town.", "date": "2021-07-04", "title": "T",
             "url": "http://example.org/1", "source": "Wire", "language": "en"},
            {"body": "Protesters marched.", "date": "July 5, 2021"},
            {"content": "Ministers resigned.", "date": "sometime soon"},
            {"id": 42, "text": "Numeric ids become strings."},
        )
        + "\n",  # trailing blank line is ignored
    )  # fmt: skip
    arts, skips = run([p], default_date=D(1999, 9, 9))
    assert skips == []
    assert [a.id for a in arts] == ["x1", "news-1", "news-2", "42"]
    assert [a.date for a in arts] == [D(2021, 7, 4), D(2021, 7, 5), D(1999, 9, 9), D(1999, 9, 9)]
    a = arts[0]
    assert (a.title, a.url, a.source, a.language) == ("T", "http://example.org/1", "Wire", "en")
    assert a.origin == f"{p}:1" and a.body_start == 0
    assert arts[1].text == "Protesters marched."
    assert arts[2].text == "Ministers resigned."


def test_jsonl_id_counts_blank_lines(tmp_path: Path) -> None:
    p = write(tmp_path / "gaps.jsonl", '\n{"text": "First."}\n\n{"text": "Second."}\n')
    arts, _ = run([p])
    assert [a.id for a in arts] == ["gaps-1", "gaps-3"]
    assert [a.origin for a in arts] == [f"{p}:2", f"{p}:4"]


def test_jsonl_bad_lines_mixed_with_good(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "g1", "text": "Good one."}),
        '{"id": "bad", "text": ',  # malformed
        "[1, 2, 3]",  # not an object
        json.dumps({"id": "nt", "title": "no text"}),
        json.dumps({"id": "ns", "text": 17}),
        json.dumps({"id": "ws", "text": "  \n\t "}),
        json.dumps({"id": "big", "text": "x" * 200}),
        json.dumps({"id": "g2", "text": "Good two."}),
    ]
    raw = ("\n".join(lines) + "\n").encode() + b'{"id": "enc", "text": "\x81\x8d"}\n'
    raw += json.dumps({"id": "g3", "text": "Good three."}).encode() + b"\n"
    p = write(tmp_path / "mixed.jsonl", raw)
    arts, skips = run([p], max_bytes=100)
    assert [a.id for a in arts] == ["g1", "g2", "g3"]
    got = [(s.where, s.reason) for s in skips]
    assert [w for w, _ in got] == [f"{p}:{n}" for n in (2, 3, 4, 5, 6, 7, 9)]
    reasons = [r for _, r in got]
    assert reasons[0].startswith("malformed JSON: ")
    assert reasons[1] == "JSON line is not an object (got list)"
    assert reasons[2] == "no text field (text, body or content)"
    assert reasons[3] == "text field is not a string"
    assert reasons[4] == "empty article"
    assert reasons[5] == "article larger than 0.0 MB limit"
    assert reasons[6].startswith("undecodable bytes")


def test_jsonl_overlong_line_is_drained(tmp_path: Path) -> None:
    # max_bytes=10 -> line cap 65,596 bytes; this line is far longer.
    huge = json.dumps({"id": "huge", "text": "word " * 40_000})
    p = write(tmp_path / "long.jsonl", huge + "\n" + jsonl({"id": "ok", "text": "Fine."}))
    arts, skips = run([p], max_bytes=10)
    assert [a.id for a in arts] == ["ok"]
    assert skips == [Skip(f"{p}:1", "article larger than 0.0 MB limit")]


def test_jsonl_empty_and_binary(tmp_path: Path) -> None:
    e = write(tmp_path / "empty.jsonl", "")
    b = write(tmp_path / "bin.jsonl", b"\x00\x01\x02garbage\n\x00")
    arts, skips = run([e, b])
    assert arts == []
    assert skips == [Skip(str(e), "empty file"), Skip(str(b), "binary file")]


# --------------------------------------------------------------------------- stdin


def test_stdin_jsonl_text_stream() -> None:
    stream = io.StringIO(
        jsonl({"text": "From a pipe."}, {"id": "s", "text": "Second."}) + "{oops\n"
    )
    arts, skips = run(["-"], stdin=stream, default_date=D(2022, 2, 2))
    assert [a.id for a in arts] == ["stdin-0", "s"]
    assert arts[0].date == D(2022, 2, 2)
    assert arts[0].origin == "<stdin>:1"
    assert len(skips) == 1 and skips[0].where == "<stdin>:3"


def test_stdin_binary_buffer_and_mixed_with_files(tmp_path: Path) -> None:
    f = write(tmp_path / "one.txt", "A file article.")
    raw = jsonl({"text": "Piped caf\u00e9."}).encode() + b'{"text": "bad \x81\x8d"}\n'
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    arts, skips = run([f, "-"], stdin=stream)
    assert [a.id for a in arts] == ["one", "stdin-0"]
    assert arts[1].text == "Piped caf\u00e9."
    assert [s.where for s in skips] == ["<stdin>:2"]


def test_stdin_is_streamed() -> None:
    class Endless(io.StringIO):
        def __iter__(self) -> Iterator[str]:  # type: ignore[override]
            n = 0
            while True:
                n += 1
                yield json.dumps({"text": f"Article {n}."}) + "\n"

    it = iter_inputs(["-"], stdin=Endless())
    first = [next(it) for _ in range(3)]
    assert [a.id for a in first if isinstance(a, Article)] == ["stdin-0", "stdin-1", "stdin-2"]


# --------------------------------------------------------------------------- CSV / TSV


def test_csv_columns_ids_and_dates(tmp_path: Path) -> None:
    p = write(
        tmp_path / "arts.csv",
        '"",Date,Body,Title,Source\n'
        '7,2020-04-01,"Rebels, armed, attacked.",Headline,Wire\n'
        '9,April 2 2020,"Two\nline body",,\n'
        "\n"
        '11,,"Third article.",,\n',
    )
    arts, skips = run([p], default_date=D(2001, 1, 1))
    assert skips == []
    assert [a.id for a in arts] == ["arts-0", "arts-1", "arts-2"]  # unnamed column is not an id
    assert [a.date for a in arts] == [D(2020, 4, 1), D(2020, 4, 2), D(2001, 1, 1)]
    assert arts[0].text == "Rebels, armed, attacked."
    assert (arts[0].title, arts[0].source, arts[1].title) == ("Headline", "Wire", None)
    assert arts[1].text == "Two\nline body"
    assert [a.origin for a in arts] == [f"{p}:2", f"{p}:3", f"{p}:6"]


def test_csv_text_column_priority_and_id(tmp_path: Path) -> None:
    p = write(tmp_path / "prio.csv", "content,ID,TEXT\nignored,r1,Chosen text.\n,,Another.\n")
    arts, _ = run([p])
    assert [(a.id, a.text) for a in arts] == [("r1", "Chosen text."), ("prio-1", "Another.")]


def test_tsv_and_long_fields(tmp_path: Path) -> None:
    long_text = "Negotiators met again. " * 10_000  # > csv's default 131072 field limit
    p = write(tmp_path / "wide.tsv", f"id\ttext\nw1\t{long_text}\nw2\tShort one.\n")
    arts, skips = run([p])
    assert skips == []
    assert [a.id for a in arts] == ["w1", "w2"]
    assert arts[0].text == long_text


def test_csv_bad_rows_mixed_with_good(tmp_path: Path) -> None:
    raw = (
        b"id,text,date\n"
        b"ok1,Good first.,2020-01-01\n"
        b'multi,"spans\ntwo lines but empty next",\n'
        b"empty,   ,\n"
        b"enc,Bad \x81\x8d\x01 bytes,\n"
        b"short\n"
        b"big," + b"y" * 300 + b",\n"
        b"ok2,Good last.,\n"
    )
    p = write(tmp_path / "rows.csv", raw)
    arts, skips = run([p], max_bytes=100)
    assert [a.id for a in arts] == ["ok1", "multi", "ok2"]
    assert [(s.where, s.reason) for s in skips] == [
        (f"{p}:5", "empty article"),
        (f"{p}:6", "undecodable bytes (neither UTF-8 nor cp1252)"),
        (f"{p}:7", "row has 1 fields, no text field"),
        (f"{p}:8", "article larger than 0.0 MB limit"),
    ]


def test_csv_without_text_column_and_empty(tmp_path: Path) -> None:
    p = write(tmp_path / "notext.csv", "id,headline\n1,Something\n2,Else\n")
    e = write(tmp_path / "empty.csv", "\n\n")
    good = write(tmp_path / "good.csv", "text\nStill read.\n")
    arts, skips = run([p, e, good])
    assert [a.id for a in arts] == ["good-0"]
    assert skips == [
        Skip(str(p), "no text column (expected text, body or content)"),
        Skip(str(e), "empty file"),
    ]


def test_csv_cp1252_and_bom(tmp_path: Path) -> None:
    p = write(
        tmp_path / "win.csv",
        b"\xef\xbb\xbftext\n" + "Caf\u00e9 \u2019talks\u2019.\n".encode("cp1252"),
    )
    (art,), skips = run([p])
    assert not skips
    assert art.text == "Caf\u00e9 \u2019talks\u2019."


# --------------------------------------------------------------------------- directories


def test_directory_recursion_and_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "Bee article.")
    write(root / "a" / "z.jsonl", jsonl({"id": "az", "text": "Nested jsonl."}))
    write(root / "a" / "deeper" / "m.txt.gz", "Deep gz article.")
    write(root / "a-b.txt", "Sorted by entry name, depth first.")
    write(root / "c.csv", "text\nCsv row.\n")
    write(root / "notes.md", "ignored")
    write(root / "data.json", "ignored")
    write(root / ".hidden.txt", "ignored")
    write(root / ".git" / "x.txt", "ignored")
    arts, skips = run([root])
    assert skips == []
    assert [a.id for a in arts] == ["m", "az", "a-b", "b", "c-0"]
    # walking the same directory again gives the same order
    assert [a.id for a in run([root])[0]] == [a.id for a in arts]


def test_inputs_in_given_order_and_duplicates(tmp_path: Path) -> None:
    a = write(tmp_path / "d" / "a.txt", "Alpha.")
    b = write(tmp_path / "b.txt", "Beta.")
    arts, skips = run([b, tmp_path / "d", a, tmp_path / "d"])
    assert [x.id for x in arts] == ["b", "a"]
    assert skips == [
        Skip(str(a), "duplicate input (already read)"),
        Skip(str(tmp_path / "d"), "duplicate input (already read)"),
    ]


def test_empty_directory(tmp_path: Path) -> None:
    d = tmp_path / "nothing"
    write(d / "readme.md", "no articles")
    assert run([d]) == ([], [Skip(str(d), "no supported input files in directory")])


# --------------------------------------------------------------------------- bad inputs


def test_every_bad_file_kind_mixed_with_good(tmp_path: Path) -> None:
    good1 = write(tmp_path / "good1.txt", "date: 2020-06-01\nA good article.")
    missing = tmp_path / "missing.txt"
    unknown = write(tmp_path / "doc.pdf", b"%PDF-1.4")
    binary = write(tmp_path / "bin.txt", b"abc\x00\x01\x02def")
    undecodable = write(tmp_path / "enc.txt", b"caf\x81\x8d\x01")
    empty = write(tmp_path / "empty.txt", "")
    blank = write(tmp_path / "blank.txt", " \n\t\r\n ")
    header_only = write(tmp_path / "hdr.txt", " date 2020-01-01 \n\n")
    big = write(tmp_path / "big.txt", "z" * 2000)
    notgz = tmp_path / "fake.txt.gz"
    notgz.write_bytes(b"this is not gzip data")
    good2 = write(tmp_path / "good2.jsonl", jsonl({"id": "g2", "text": "Another good one."}))
    # gzip truncated after good lines: the good lines come through, then one skip
    full = gzip.compress(
        jsonl(*({"id": f"t{i}", "text": f"Line {i}. " * 50} for i in range(400))).encode()
    )
    truncated = tmp_path / "trunc.jsonl.gz"
    truncated.write_bytes(full[: len(full) // 2])
    inputs = [good1, missing, unknown, binary, undecodable, empty, blank, header_only, big,
              notgz, truncated, good2]  # fmt: skip
    arts, skips = run(inputs, max_bytes=1000)
    assert arts[0].id == "good1" and arts[-1].id == "g2"
    trunc_ids = [a.id for a in arts[1:-1]]
    assert trunc_ids and trunc_ids == [f"t{i}" for i in range(len(trunc_ids))]
    by_where = {s.where: s.reason for s in skips}
    assert len(by_where) == len(skips) == 10  # each problem exactly once
    assert by_where[str(missing)] == "no such file"
    assert by_where[str(unknown)].startswith("is not a supported input type")
    assert by_where[str(binary)] == "binary file"
    assert by_where[str(undecodable)] == "undecodable bytes (neither UTF-8 nor cp1252)"
    assert by_where[str(empty)] == "empty article"
    assert by_where[str(blank)] == "empty article"
    assert by_where[str(header_only)] == "empty article"
    assert by_where[str(big)] == "article larger than 0.0 MB limit"
    assert by_where[str(notgz)].startswith("corrupt gzip: ")
    assert by_where[str(truncated)].startswith("corrupt gzip: ")


def test_default_size_limit_message(tmp_path: Path) -> None:
    p = write(tmp_path / "huge.txt", b"a" * 5_000_004)
    assert run([p]) == ([], [Skip(str(p), "article larger than 5.0 MB limit")])


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything"
)
def test_permission_denied(tmp_path: Path) -> None:
    p = write(tmp_path / "locked.txt", "Secret.")
    d = write(tmp_path / "locked_dir" / "x.txt", "Hidden.").parent
    ok = write(tmp_path / "ok.txt", "Readable.")
    p.chmod(0)
    d.chmod(0)
    try:
        arts, skips = run([p, d, ok])
    finally:
        p.chmod(0o644)
        d.chmod(0o755)
    assert [a.id for a in arts] == ["ok"]
    assert skips == [Skip(str(p), "permission denied"), Skip(str(d), "permission denied")]


# --------------------------------------------------------------------------- usage errors


def test_usage_errors_raise_at_call_time() -> None:
    with pytest.raises(UsageError):
        iter_inputs([])
    with pytest.raises(UsageError):
        iter_inputs(["-", "-"], stdin=io.StringIO(""))
    with pytest.raises(UsageError):
        iter_inputs("corpus.jsonl")
    with pytest.raises(UsageError):
        iter_inputs(["a.txt"], max_bytes=0)
    assert issubclass(UsageError, ValueError)


def test_dash_without_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(UsageError):
        iter_inputs(["-"])


# --------------------------------------------------------------------------- ../shared


def test_shared_seeds() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared not present: seeds")
    arts, skips = run([seeds])
    assert skips == []
    assert len(arts) == 4
    assert [a.date for a in arts] == [D(2020, 3, 25), D(2020, 3, 27), D(2020, 2, 20), None]
    firsts = [body(a).strip().split()[0] for a in arts]
    assert firsts == ["Health", "Beijing", "President", "Chinese"]
    assert arts[3].body_start == 0
    assert [a.id for a in arts] == sorted(p.stem for p in seeds.glob("*.txt"))


def test_shared_guardian_sample() -> None:
    path = SHARED / "corpora" / "guardian_sample.csv"
    if not path.is_file():
        pytest.skip("../shared not present: corpora/guardian_sample.csv")
    arts, skips = run([path])
    assert skips == []
    assert len(arts) == 249
    assert [a.id for a in arts] == [f"guardian_sample-{i}" for i in range(249)]
    assert all(isinstance(a.date, D) for a in arts)
    assert all(a.text.strip() and a.body_start == 0 for a in arts)


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same as above but works as root: the OS calls are made to fail."""
    from sanderling import ingest

    p = write(tmp_path / "locked.txt", "Secret.")
    d = write(tmp_path / "locked_dir" / "x.txt", "Hidden.").parent
    ok = write(tmp_path / "ok.txt", "Readable.")
    real_open, real_scandir = ingest._Reader._open, os.scandir

    def fake_open(self: Any, path: str, gz: bool) -> object:
        if path == str(p):
            raise PermissionError(13, "Permission denied", path)
        return real_open(self, path, gz)

    def fake_scandir(path: str) -> object:
        if str(path) == str(d):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(ingest._Reader, "_open", fake_open)
    monkeypatch.setattr(ingest.os, "scandir", fake_scandir)
    arts, skips = run([p, d, ok])
    assert [a.id for a in arts] == ["ok"]
    assert skips == [Skip(str(p), "permission denied"), Skip(str(d), "permission denied")]


def test_directory_symlink_loop_terminates(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    write(root / "sub" / "x.txt", "Inside the loop.")
    try:
        (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not supported here")
    arts, skips = run([root])
    assert [a.id for a in arts] == ["x"]
    assert skips == []
