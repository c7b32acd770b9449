"""CLI: `sanderling actors lookup`, `sanderling kb build|validate`."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

import sanderling.cli.actors_cmd  # noqa: F401  (registers the sub-apps)
from sanderling.actors.kb import _data_dir
from sanderling.cli import app

runner = CliRunner()


def test_lookup_prints_resolution() -> None:
    r = runner.invoke(app, ["actors", "lookup", "Chinese President Xi Jinping", "--date",
                            "2020-03-01"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "CHN" in r.output and "GOV" in r.output and "Xi Jinping" in r.output


def test_lookup_with_user_file(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("- {name: Quillon Trust, code: NGO, sector: SOC}\n", encoding="utf-8")
    r = runner.invoke(app, ["actors", "lookup", "the Quillon Trust", "--actors", str(f)])
    assert r.exit_code == 0, r.output
    assert "NGO" in r.output


def test_lookup_nothing_found() -> None:
    r = runner.invoke(app, ["actors", "lookup", "who"])
    assert r.exit_code == 1


def test_kb_validate_and_build(tmp_path: Path) -> None:
    r = runner.invoke(app, ["kb", "validate"])
    assert r.exit_code == 0, r.output
    assert "actor KB ok" in r.output
    d = tmp_path / "actors"
    shutil.copytree(_data_dir(), d)
    (d / "countries.generated.csv").unlink()
    r = runner.invoke(app, ["kb", "validate", "--data-dir", str(d)])
    assert r.exit_code == 1
    r = runner.invoke(app, ["kb", "build", "--data-dir", str(d)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["kb", "validate", "--data-dir", str(d)]).exit_code == 0
    (d / "orgs.yaml").write_text("orgs:\n  - {name: X Org, code: QQQ}\n", encoding="utf-8")
    r = runner.invoke(app, ["kb", "validate", "--data-dir", str(d)])
    assert r.exit_code == 1
    assert "QQQ" in r.output
