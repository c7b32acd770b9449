"""CLI over the store: events, stats, dyads, sql, export (DuckDB; the Store tests cover both)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sanderling.cli.store_cmd  # noqa: F401  (registers the commands)
from sanderling.cli import app
from sanderling.store import open_store, read_export

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode: tests/ is not on the path
from store_fixtures import article, ent, record


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.duckdb")
    with open_store(path) as st:
        run = st.begin_run("test", [])
        st.write_batch(
            run,
            [
                (
                    article("a1", "2021-05-02"),
                    [
                        record(
                            "a1",
                            0,
                            "CONSULT",
                            ["CHN", "USA"],
                            date="2021-05-01",
                            mode=["phone"],
                            quote="the two presidents spoke",
                        ),
                        record(
                            "a1",
                            1,
                            "ASSAULT",
                            [ent("RUS", "MIL")],
                            ["UKR"],
                            date="2021-05-01",
                            mode=["aerial"],
                            quote="strikes on the city",
                        ),
                    ],
                ),
                (
                    article("a2", "2021-05-03"),
                    [
                        record(
                            "a2", 0, "CONSULT", ["USA"], ["CHN"], date="2021-05-02", mode=["phone"]
                        ),
                    ],
                ),
            ],
        )
        st.finish_run(run, {"articles": 2})
    return path


def run(*args: str) -> str:
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return res.stdout


def test_events_formats_and_filters(db: str) -> None:
    lines = run("events", "--store", db, "--format", "jsonl").splitlines()
    evs = [json.loads(x) for x in lines]
    assert sorted(e["event"] for e in evs) == ["ASSAULT", "CONSULT"]
    one = [
        json.loads(x)
        for x in run(
            "events", "--store", db, "--format", "jsonl", "--min-sources", "2"
        ).splitlines()
    ]
    assert [(e["event"], e["num_articles"]) for e in one] == [("CONSULT", 2)]
    for flags, expected in (
        (["--actor", "RUS"], ["ASSAULT"]),
        (["--recipient", "CHN"], ["CONSULT"]),
        (["--sector", "MIL"], ["ASSAULT"]),
        (["--category", "CONSULT"], ["CONSULT"]),
        (["--mode", "aerial"], ["ASSAULT"]),
        (["--quad", "4"], ["ASSAULT"]),
        (["--text", "presidents"], ["CONSULT"]),
        (["--since", "2021-05-02"], []),
        (["--until", "2021-05-01", "--limit", "1"], None),
    ):
        out = run("events", "--store", db, "--format", "csv", *flags)
        rows = list(csv.DictReader(io.StringIO(out)))
        if expected is None:
            assert len(rows) == 1
        else:
            assert [r["event"] for r in rows] == expected, flags
    table = run("events", "--store", db)
    assert "CONSULT" in table and "ASSAULT" in table and "2 events" in table


def test_stats_dyads_sql(db: str) -> None:
    out = run("stats", "--store", db)
    assert "2 articles, 3 mentions, 2 events, 1 runs" in out and "2021-05" in out
    s = json.loads(run("stats", "--store", db, "--json"))
    assert s["totals"]["events"] == 2
    dy = [json.loads(x) for x in run("dyads", "--store", db, "--json").splitlines()]
    assert {d["dyad"]: d["balance"] for d in dy} == {"CHN<->USA": 1.0, "RUS->UKR": -1.0}
    assert "RUS->UKR" in run("dyads", "--store", db)
    out = run("sql", "SELECT count(*) AS n FROM mentions", "--store", db, "--format", "csv")
    assert out.splitlines() == ["n", "3"]
    res = CliRunner().invoke(app, ["sql", "DELETE FROM events", "--store", db])
    assert res.exit_code != 0 and "only SELECT" in res.output


def test_export_command(db: str, tmp_path: Path) -> None:
    for fmt in ("plover-jsonl", "parquet", "csv", "cameo"):
        out = tmp_path / f"e.{fmt}"
        run("export", "--format", fmt, "-o", str(out), "--store", db)
        assert out.stat().st_size > 0
    with open_store(db, read_only=True) as st:
        assert read_export(tmp_path / "e.parquet", "parquet") == st.events()
    res = CliRunner().invoke(app, ["export", "--format", "xml", "-o", "x", "--store", db])
    assert res.exit_code != 0


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["stats", "--store", str(tmp_path / "none.duckdb")])
    assert res.exit_code != 0 and "no store at" in res.output
