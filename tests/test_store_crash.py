"""A coding run SIGKILLed mid-way, then re-run, leaves the same store as an uninterrupted run.

Two drivers: ``tests/store_fixtures.py`` writes synthetic records through the Store API with
pauses, so a kill can land inside a transaction on either backend; and the real
``sanderling code`` command, killed once some batches have reached its DuckDB file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sanderling.store import open_store

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode: tests/ is not on the path
from store_fixtures import BACKENDS, drive, fresh_target, snapshot

DRIVER = Path(__file__).parent / "store_fixtures.py"


def _run_until(target: str, marker: str, slow: bool) -> int:
    """Start the driver, SIGKILL it as soon as it prints ``marker``; returns lines seen."""
    args = [sys.executable, str(DRIVER), target] + (["slow"] if slow else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = 0
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            seen += 1
            if line.startswith(marker):
                os.kill(proc.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "driver too slow"
        else:
            err = proc.stderr.read() if proc.stderr else ""
            pytest.fail(f"driver ended before {marker!r}: {err}")
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return seen


@pytest.mark.parametrize("where", ["between-batches", "inside-transaction"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_then_rerun_equals_uninterrupted_run(
    backend: str, where: str, tmp_path: Path
) -> None:
    reference = fresh_target(backend, tmp_path)
    drive(reference, pause=0)
    with open_store(reference) as st:
        expected = snapshot(st)
    assert expected["counts"]["events"] < expected["counts"]["mentions"]  # dedup did merge

    target = fresh_target(backend, tmp_path)
    slow = where == "inside-transaction"
    _run_until(target, "in-txn 3" if slow else "batch 3", slow)
    with open_store(target) as st:
        partial = snapshot(st)
        # consistent: every stored mention belongs to exactly one event, no orphans
        links = st.sql("SELECT count(*), count(DISTINCT mention_id) FROM event_mentions")[1][0]
        assert links[0] == links[1] == partial["counts"]["mentions"]
        assert sum(e["num_sources"] for e in st.events()) == partial["counts"]["mentions"]
        assert [r["status"] for r in st.runs()] == ["running"]
    assert 0 < partial["counts"]["articles"] < expected["counts"]["articles"]
    # batches are 3 articles; a kill inside the 4th transaction keeps exactly the first 3
    if slow:
        assert partial["counts"]["articles"] == 9

    out = subprocess.run(
        [sys.executable, str(DRIVER), target], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    # the resumed run skipped what was already stored
    assert "batch 0 wrote 0" in out.stdout
    with open_store(target) as st:
        assert snapshot(st) == expected
        assert [r["status"] for r in st.runs()] == ["running", "finished"]


_COUNTRIES = ["Kenya", "Peru", "Japan", "Chile", "Ghana", "Nepal", "Spain", "Egypt", "Fiji"]


def _news(n: int) -> str:
    """``n`` short articles of our own, each with a couple of events, as JSONL."""
    import json

    lines = []
    for i in range(n):
        a, b = _COUNTRIES[i % 9], _COUNTRIES[(i * 4 + 1) % 9]
        text = (
            f"The president of {a} met the foreign minister of {b} in the capital on Monday. "
            f"Police in {a} arrested {i + 2} protesters after a march. "
            f"{b} accused {a} of violating the fishing agreement."
        )
        day = 1 + i % 27
        lines.append(json.dumps({"id": f"n{i:04d}", "text": text, "date": f"2023-05-{day:02d}"}))
    return "\n".join(lines) + "\n"


def test_sigkill_during_sanderling_code_then_rerun(tmp_path: Path) -> None:
    """The real CLI: kill `sanderling code` after some batches reached the store, run it again,
    and compare with an uninterrupted run."""
    news = tmp_path / "news.jsonl"
    news.write_text(_news(600), encoding="utf-8")
    cmd = [sys.executable, "-m", "sanderling", "code", str(news), "--workers", "1", "-q"]
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    started = time.monotonic()
    done = subprocess.run([*cmd, "--store", str(clean)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    whole = time.monotonic() - started

    # Kill the same run at 70% of the clean run's time: the model is loaded and some, not all,
    # of its ten 64-article batches are committed (the WAL's size alone does not tell when a
    # batch is committed rather than being written).
    proc = subprocess.Popen([*cmd, "--store", str(killed)], stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=0.7 * whole)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"

    with open_store(str(clean)) as st:
        expected = snapshot(st)
    with open_store(str(killed)) as st:
        partial = snapshot(st)
    assert 0 < partial["counts"]["articles"] < expected["counts"]["articles"] == 600

    again = subprocess.run([*cmd, "--store", str(killed)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"unchanged {partial['counts']['articles']}" in again.stderr  # resumed, not redone
    with open_store(str(killed)) as st:
        assert snapshot(st) == expected
