"""`sanderling code` end to end: bad input never crashes a run nor loses good input."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = {
    "good-a": "Japanese Foreign Minister Yoko Kamikawa met Australian Foreign Minister "
    "Penny Wong in Tokyo on Friday.",
    "good-b": "Police in Lima arrested dozens of protesters on Monday.",
    "good-c": "The European Union condemned Russia for the attack.",
    "good-d": "Germany pledged humanitarian aid to Ukraine on Wednesday.",
}


def sanderling(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanderling", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("messy")
    (d / "good-a.txt").write_text(" date 2024-05-17 " + GOOD["good-a"], encoding="utf-8")
    with gzip.open(d / "good-b.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("date: 2024-05-20\n\n\n   " + GOOD["good-b"] + "\n\n\n\n")
    (d / "feed.jsonl").write_text(
        json.dumps({"id": "good-c", "text": GOOD["good-c"], "date": "2024-05-21"})
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "no-text", "title": "x"})
        + "\n",
        encoding="utf-8",
    )
    (d / "table.csv").write_text(
        'id,date,body\ngood-d,2024-05-22,"' + GOOD["good-d"] + '"\n', encoding="utf-8"
    )
    (d / "notext.csv").write_text("id,date,headline\nx,2024-01-01,hello\n", encoding="utf-8")
    (d / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    (d / "latin.txt").write_bytes(b"\xff\xfe\x00bad")
    (d / "huge.txt").write_text("x " * 3000, encoding="utf-8")
    (d / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    return d


def test_bad_inputs_are_skipped_and_good_ones_coded(messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = sanderling(
        "code",
        str(messy),
        str(tmp_path / "missing.txt"),
        "-o",
        str(out),
        "--no-store",
        "--max-bytes",
        "5000",
        "-q",
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("skipped ")]
    reasons = "\n".join(skipped)
    for where in (
        "feed.jsonl:2",
        "feed.jsonl:3",
        "notext.csv",
        "empty.txt",
        "binary.txt",
        "huge.txt",
        "broken.jsonl.gz",
        "missing.txt",
    ):
        assert where in reasons, (where, reasons)
    assert len(skipped) == len(set(skipped))  # each reported once
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    coded_docs = {r["doc_id"] for r in records}
    assert coded_docs == set(GOOD), coded_docs
    summary = proc.stderr.strip().splitlines()[-1]
    assert "documents read 4" in summary and "coded 4" in summary


def test_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(GOOD["good-b"], encoding="utf-8")
    ok = sanderling("code", str(good), "--no-store", "-q", "-o", str(tmp_path / "o.jsonl"))
    assert ok.returncode == 0, ok.stderr
    nothing = sanderling("code", str(tmp_path / "nope.txt"), "--no-store", "-q")
    assert nothing.returncode == 1
    usage = sanderling("code", str(good), "--date", "yesterday", "--no-store")
    assert usage.returncode == 2 and "YYYY-MM-DD" in usage.stderr
    assert "Traceback" not in nothing.stderr + usage.stderr


def test_stdin_jsonl_to_stdout() -> None:
    line = json.dumps({"id": "s1", "text": GOOD["good-c"]}) + "\n"
    proc = sanderling("code", "-", "--no-store", "-q", "--date", "2024-05-21", stdin=line)
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in proc.stdout.splitlines()]
    assert recs and all(r["doc_id"] == "s1" for r in recs)
    assert any(r["event"] == "ACCUSE" for r in recs)


def test_engine_and_format_usage_errors(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(GOOD["good-b"], encoding="utf-8")
    cases = {
        ("--engine", "spark"): "--engine",
        ("--format", "parquet", "-o", str(tmp_path / "o")): "--engine ray",
        ("--engine", "ray"): "-o DIR",
        ("--workers", "-1"): "--workers",
        ("--actors", str(tmp_path / "missing.yaml")): "no such actors file",
    }
    for args, message in cases.items():
        proc = sanderling("code", str(good), "--no-store", "-q", *args)
        assert proc.returncode == 2 and message in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    arts = tmp_path / "arts"
    arts.mkdir()
    for name, text in GOOD.items():
        (arts / f"{name}.txt").write_text(text, encoding="utf-8")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        proc = sanderling(
            "code", str(arts), "--no-store", "-q", "--workers", workers, "-o", str(out)
        )
        assert proc.returncode == 0, proc.stderr
        outs.append([json.loads(x) for x in out.read_text().splitlines()])
    strip = [[{k: v for k, v in r.items() if k != "coded_date"} for r in o] for o in outs]
    assert strip[0] == strip[1] and strip[0]


def test_progress_bar_knows_the_total_for_files(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import ExitStack

    from sanderling.cli import code_cmd

    # files are counted first (skipped records are not articles), stdin cannot be
    assert code_cmd._count_articles([str(messy)], 5000) == len(GOOD)
    assert code_cmd._count_articles(["-"], 5_000_000) is None
    monkeypatch.setattr(code_cmd.sys.stderr, "isatty", lambda: True)
    with ExitStack() as stack:
        progress, tick = code_cmd._progress_callback(stack, False, lambda: 4)
        assert progress is not None
        tick(1)
        task = progress.tasks[0]
        assert (task.total, task.completed) == (4, 1)
    with ExitStack() as stack:
        assert code_cmd._progress_callback(stack, True, lambda: 4) == (None, None)
