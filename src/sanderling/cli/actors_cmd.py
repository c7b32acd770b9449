"""``sanderling actors lookup`` and ``sanderling kb build|validate``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sanderling.cli import app

actors_app = typer.Typer(help="Look up how actor mentions resolve.", no_args_is_help=True)
kb_app = typer.Typer(
    help="Build and validate the actor knowledge base data files.", no_args_is_help=True
)
app.add_typer(actors_app, name="actors")
app.add_typer(kb_app, name="kb")


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"want YYYY-MM-DD, got {value!r}") from exc


@actors_app.command("lookup")
def lookup(
    text: Annotated[str, typer.Argument(help="A noun phrase, e.g. 'Chinese President Xi Jinping'")],
    date: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD: pick offices then")
    ] = None,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors", help="Extra actor file (YAML/CSV or PETRARCH .txt/.dict); repeatable"
        ),
    ] = None,
    country_sector: Annotated[str, typer.Option(help="Sector for a bare country name")] = "",
) -> None:
    """Print how TEXT resolves (code, sector, span, identifier) and why."""
    from sanderling.actors import ActorKB, KBError

    try:
        kb = ActorKB.load(actors or (), bare_country_sector=country_sector)
    except KBError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    res = kb.resolve(text, _date(date))
    console = Console()
    if not res:
        console.print(f"[yellow]no actor found in[/] {text!r}")
        raise typer.Exit(1)
    t = Table(title=text)
    for col in ("code", "sector", "span", "kind", "identifier", "why"):
        t.add_column(col, overflow="fold")
    for r in res:
        ident = " ".join(
            x
            for x in (r.identifier_text or "", f"({r.identifier_id})" if r.identifier_id else "")
            if x
        )
        t.add_row(
            r.code,
            r.sector or "-",
            f"{text[r.start : r.end]!r} [{r.start}:{r.end}]",
            r.kind,
            ident,
            r.why,
        )
    console.print(t)


@kb_app.command("build")
def kb_build(
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (default: bundled)")] = None,
) -> None:
    """Regenerate generated data files (countries.generated.csv from pycountry)."""
    from sanderling.actors.build import build

    for p in build(data_dir):
        typer.echo(f"wrote {p}")


@kb_app.command("validate")
def kb_validate(
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (default: bundled)")] = None,
) -> None:
    """Check the actor data files; exit 1 listing every problem."""
    from sanderling.actors import ActorKB
    from sanderling.actors.build import stats, validate

    problems = validate(data_dir)
    if problems:
        for p in problems:
            typer.echo(f"error: {p}", err=True)
        typer.echo(f"{len(problems)} problem(s) in the actor data files", err=True)
        raise typer.Exit(1)
    kb = ActorKB.load(data_dir=data_dir) if data_dir else ActorKB.load()
    s = stats(kb)
    typer.echo("actor KB ok: " + ", ".join(f"{k}={v}" for k, v in s.items()))
