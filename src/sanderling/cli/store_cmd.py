"""Store commands: ``events``, ``stats``, ``dyads``, ``sql``, ``export`` (all read-only)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sanderling.cli import app
from sanderling.store import DEFAULT_STORE, FORMATS, Store, StoreError, open_store
from sanderling.store.export import CSV_COLUMNS, csv_row

StoreOpt = Annotated[
    str,
    typer.Option("--store", help="DuckDB file or postgresql://… URL.", envvar="SANDERLING_STORE"),
]
Since = Annotated[str | None, typer.Option(help="Events on or after this date (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option(help="Events on or before this date (YYYY-MM-DD).")]


@contextmanager
def _open(target: str) -> Iterator[Store]:
    try:
        store = open_store(target, read_only=True)
    except StoreError as exc:
        raise typer.BadParameter(str(exc), param_hint="--store") from exc
    try:
        yield store
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        store.close()


def _console() -> Console:
    return Console(soft_wrap=False)


def _parties(ents: Sequence[dict[str, Any]]) -> str:
    return ", ".join(
        dict.fromkeys(f"{e['code']}/{e['sector']}" if e["sector"] else e["code"] for e in ents)
    )


@app.command("events")
def events_cmd(
    store: StoreOpt = DEFAULT_STORE,
    since: Since = None,
    until: Until = None,
    actor: Annotated[str | None, typer.Option(help="Actor code (any party if undirected).")] = None,
    recipient: Annotated[
        str | None, typer.Option(help="Recipient code (any party if undirected).")
    ] = None,
    sector: Annotated[str | None, typer.Option(help="Actor or recipient sector, e.g. MIL.")] = None,
    category: Annotated[str | None, typer.Option(help="PLOVER category, e.g. CONSULT.")] = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode, e.g. phone.")] = None,
    context: Annotated[str | None, typer.Option(help="PLOVER context, e.g. health.")] = None,
    quad: Annotated[int | None, typer.Option(min=1, max=4, help="Quad code 1-4.")] = None,
    text: Annotated[str | None, typer.Option(help="Substring of the quotes (any case).")] = None,
    min_sources: Annotated[int | None, typer.Option(help="At least this many mentions.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
) -> None:
    """List deduplicated events, filtered."""
    if fmt not in ("table", "jsonl", "csv"):
        raise typer.BadParameter("choose table, jsonl or csv", param_hint="--format")
    with _open(store) as st:
        evs = st.events(
            since=since,
            until=until,
            actor=actor,
            recipient=recipient,
            sector=sector,
            category=category,
            mode=mode,
            context=context,
            quad=quad,
            text=text,
            min_sources=min_sources,
            limit=limit,
        )
    if fmt == "jsonl":
        for ev in evs:
            sys.stdout.write(json.dumps(ev, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for ev in evs:
            w.writerow(csv_row(ev))
        return
    table = Table(title=f"{len(evs)} events")
    for col in (
        "date",
        "event",
        "mode",
        "actor",
        "recipient",
        "quad",
        "scale",
        "src",
        "art",
        "quote",
    ):
        table.add_column(col, overflow="fold", no_wrap=col in ("date", "event"))
    for ev in evs:
        quote = ev["sources"][0]["quote"] if ev["sources"] else ""
        table.add_row(
            ev.get("date") or "",
            ev["event"],
            ",".join(ev["mode"]),
            _parties(ev["actor"]),
            _parties(ev["recipient"]),
            str(ev["quad_code"]),
            f"{ev['event_scale']:g}",
            str(ev["num_sources"]),
            str(ev["num_articles"]),
            quote[:80],
        )
    _console().print(table)


@app.command("stats")
def stats_cmd(
    store: StoreOpt = DEFAULT_STORE,
    since: Since = None,
    until: Until = None,
    top: Annotated[int, typer.Option(help="How many dyads to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Totals, and event counts by category, month and dyad."""
    with _open(store) as st:
        if as_json:
            typer.echo(json.dumps(st.stats(top=top, since=since, until=until), indent=2))
        else:
            print_stats(st, top=top, since=since, until=until)


def print_stats(store: Store, *, top: int = 10, **filters: Any) -> None:
    """Print ``Store.stats`` as rich tables (also used by ``sanderling demo``)."""
    s = store.stats(top=top, **filters)
    con = _console()
    t = s["totals"]
    con.print(
        f"store {store.target}: {t['articles']} articles, {t['mentions']} mentions, "
        f"{t['events']} events, {t['runs']} runs",
        soft_wrap=True,
    )
    for title, rows, cols in (
        ("events by category", s["by_category"], ("category", "events", "mentions")),
        ("events by month", s["by_month"], ("month", "events")),
        ("top dyads", s["by_dyad"], ("dyad", "events")),
    ):
        table = Table(title=title)
        for c in cols:
            table.add_column(c)
        for r in rows:
            table.add_row(*(str(r[c] if r[c] is not None else "-") for c in cols))
        con.print(table)


@app.command("dyads")
def dyads_cmd(
    store: StoreOpt = DEFAULT_STORE,
    since: Since = None,
    until: Until = None,
    top: Annotated[int, typer.Option(help="How many dyads.")] = 20,
    min_events: Annotated[int, typer.Option(help="Only dyads with this many events.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Top dyads with their cooperation-conflict balance (PLOVER quads and scores)."""
    with _open(store) as st:
        rows = st.dyads(top=top, min_events=min_events, since=since, until=until)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(r))
        return
    cols = ("dyad", "events", "mentions", "mean_scale", "cooperation", "conflict", "balance")
    table = Table(title="dyads (scale: -10 conflict … +10 cooperation)")
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*(str(r[c]) for c in cols))
    _console().print(table)


@app.command("sql")
def sql_cmd(
    query: Annotated[str, typer.Argument(help="One SELECT or WITH query.")],
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
) -> None:
    """Run a read-only SQL query against the store (tables: articles, mentions, events, runs)."""
    with _open(store) as st:
        cols, rows = st.sql(query)
    if fmt == "jsonl":
        for r in rows:
            typer.echo(json.dumps(dict(zip(cols, r, strict=True)), default=str))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    else:
        table = Table()
        for c in cols:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        _console().print(table)


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help=" | ".join(FORMATS))],
    output: Annotated[str, typer.Option("-o", "--output", help="File to write.")],
    store: StoreOpt = DEFAULT_STORE,
    since: Since = None,
    until: Until = None,
) -> None:
    """Export deduplicated events: plover-jsonl, csv, parquet or cameo (ICEWS-style TSV)."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    with _open(store) as st:
        n = st.export(output, fmt, since=since, until=until)
    typer.echo(f"wrote {n} {'rows' if fmt == 'cameo' else 'events'} to {output}", err=True)
