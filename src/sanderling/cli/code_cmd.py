"""`sanderling code`, `evaluate`, `demo` and `lexicon`: coding articles and checking the coder."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sanderling.cli import app

err = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)

lexicon_app = typer.Typer(help="Inspect and validate the trigger lexicon.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")

DEFAULT_STORE = "sanderling.duckdb"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err.print(f"error: --date must be YYYY-MM-DD, got {value!r}")
        raise typer.Exit(2) from None


def _progress(enabled: bool) -> Progress | None:
    if not enabled:
        return None
    return Progress(
        TextColumn("coding"),
        BarColumn(),
        TextColumn("{task.completed} docs"),
        TextColumn("{task.fields[rate]:.1f} docs/s"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


@app.command("code")
def code(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, directories, or - for JSONL on stdin.")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write PLOVER JSONL records here.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) for undated inputs.")
    ] = None,
    store: Annotated[
        str, typer.Option("--store", help="DuckDB file or postgresql:// URL to write into.")
    ] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Only write JSONL.")] = False,
    keep_negated: Annotated[
        bool, typer.Option("--keep-negated", help="Keep negated events, marked 'negation'.")
    ] = False,
    actors: Annotated[
        list[Path] | None,
        typer.Option("--actors", help="Extra actor file (YAML/CSV/PETRARCH); repeatable."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Skip articles larger than this many bytes.")
    ] = 5_000_000,
    workers: Annotated[
        int, typer.Option("--workers", help="Coding processes (0 = all cores; ray: all CPUs).")
    ] = 0,
    engine: Annotated[
        str, typer.Option("--engine", help="local (processes here) or ray (sanderling[ray]).")
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option("--ray-address", envvar="RAY_ADDRESS", help="Ray cluster to run on."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="Output format: jsonl, or (with --engine ray) parquet shards in -o DIR.",
        ),
    ] = "jsonl",
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar.")] = False,
) -> None:
    """Code articles into PLOVER event records."""
    from sanderling.ingest import UsageError, iter_inputs
    from sanderling.pipeline import CoderConfig
    from sanderling.run import run

    default_date = _parse_date(date)
    if max_bytes <= 0:
        err.print("error: --max-bytes must be positive")
        raise typer.Exit(2)
    if engine not in {"local", "ray"}:
        err.print(f"error: --engine must be 'local' or 'ray', got {engine!r}")
        raise typer.Exit(2)
    if fmt not in {"jsonl", "parquet"}:
        err.print(f"error: --format must be 'jsonl' or 'parquet', got {fmt!r}")
        raise typer.Exit(2)
    if fmt == "parquet" and (engine != "ray" or output is None):
        err.print("error: --format parquet writes shards with --engine ray into -o DIR")
        raise typer.Exit(2)
    if workers < 0:
        err.print("error: --workers must be 0 (all cores) or more")
        raise typer.Exit(2)
    missing = [p for p in actors or () if not p.is_file()]
    if missing:
        err.print(f"error: no such actors file: {missing[0]}", markup=False)
        raise typer.Exit(2)
    config = CoderConfig(keep_negated=keep_negated, actor_files=tuple(actors or ()))
    if engine == "ray":
        _code_on_ray(
            inputs,
            output,
            fmt,
            config,
            workers,
            ray_address,
            default_date,
            max_bytes,
            None if no_store else store,
            quiet,
        )
    to_stdout = output is None and no_store
    try:
        stream = iter_inputs(inputs, default_date=default_date, max_bytes=max_bytes)
    except UsageError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    with ExitStack() as stack:
        sink: TextIO | None = None
        if output is not None:
            try:
                sink = stack.enter_context(output.open("w", encoding="utf-8"))
            except OSError as exc:
                err.print(f"error: cannot write {output}: {exc.strerror}")
                raise typer.Exit(2) from None
        elif to_stdout:
            sink = sys.stdout
        the_store, run_id = _open_store(stack, None if no_store else store, inputs)
        coder = _start_coder(config, workers)
        stack.callback(coder.close)
        progress, tick = _progress_callback(
            stack, quiet, lambda: _count_articles(inputs, max_bytes)
        )
        try:
            summary = run(
                stream,
                coder,
                out=sink,
                store=the_store,
                run_id=run_id,
                on_skip=_skip_printer(progress),
                on_progress=tick,
            )
        except UsageError as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(2) from None
        if the_store is not None and run_id is not None:
            the_store.finish_run(run_id, summary.as_dict())
    print(summary.line(), file=sys.stderr)
    raise typer.Exit(summary.exit_code)


def _code_on_ray(
    inputs: list[str],
    output: Path | None,
    fmt: str,
    config: Any,
    workers: int,
    address: str | None,
    default_date: dt.date | None,
    max_bytes: int,
    store: str | None,
    quiet: bool,
) -> None:
    """`code --engine ray`: record shards (one per window) in the -o directory, plus the store."""
    from sanderling.engines.ray_engine import RayNotInstalled, run_ray
    from sanderling.ingest import UsageError

    if output is None:
        err.print("error: --engine ray writes record shards into a directory: give -o DIR")
        raise typer.Exit(2)
    if output.exists() and not output.is_dir():
        err.print(f"error: -o {output} exists and is not a directory")
        raise typer.Exit(2)
    with ExitStack() as stack:
        the_store, run_id = _open_store(stack, store, inputs)
        progress, tick = _progress_callback(stack, quiet)
        try:
            summary, shards = run_ray(
                inputs,
                output,
                config,
                workers,
                address,
                fmt,
                store=the_store,
                run_id=run_id,
                default_date=default_date,
                max_bytes=max_bytes,
                on_skip=_skip_printer(progress),
                on_progress=tick,
            )
        except (RayNotInstalled, UsageError) as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(2) from None
        if the_store is not None and run_id is not None:
            the_store.finish_run(run_id, summary.as_dict())
    print(f"wrote {len(shards)} {fmt} shard(s) to {output}", file=sys.stderr)
    print(summary.line(), file=sys.stderr)
    raise typer.Exit(summary.exit_code)


def _open_store(stack: ExitStack, target: str | None, inputs: list[str]) -> tuple[Any, Any]:
    """The store to write into (closed with ``stack``) and this run's id; (None, None) if none."""
    if target is None:
        return None, None
    from sanderling.store import open_store

    the_store = open_store(target)
    stack.callback(the_store.close)
    return the_store, the_store.begin_run(_coder_name(), inputs)


def _count_articles(inputs: list[str], max_bytes: int) -> int | None:
    """How many articles the inputs hold, for the progress bar's ETA; None for stdin.

    Reading is ~10,000 articles/s against ~10 coded per second, so the extra pass costs
    well under 1% of a run."""
    from sanderling.ingest import iter_inputs
    from sanderling.types import Article

    if "-" in inputs:
        return None
    return sum(1 for a in iter_inputs(inputs, max_bytes=max_bytes) if isinstance(a, Article))


def _progress_callback(
    stack: ExitStack, quiet: bool, count: Callable[[], int | None] | None = None
) -> tuple[Progress | None, Any]:
    """A progress bar on a terminal stderr (entered on ``stack``) and its tick function; with
    ``count`` (how many articles are coming) the bar has a total and an ETA."""
    progress = _progress(sys.stderr.isatty() and not quiet)
    if progress is None:
        return None, None
    total = count() if count is not None else None
    stack.enter_context(progress)
    task = progress.add_task("coding", total=total, rate=0.0)

    def tick(n: int) -> None:
        t = progress.tasks[0]
        elapsed = t.elapsed or 1e-9
        progress.update(task, advance=n, rate=(t.completed + n) / elapsed)

    return progress, tick


def _skip_printer(progress: Progress | None) -> Any:
    """Print each ``skipped PATH: reason`` line once, above the progress bar if there is one."""

    def skip(s: Any) -> None:
        if progress is not None:
            progress.console.print(str(s), markup=False, highlight=False, soft_wrap=True)
        else:
            print(str(s), file=sys.stderr, flush=True)

    return skip


def _coder_name() -> str:
    from sanderling import CODER

    return CODER


def _start_coder(config: Any, workers: int) -> Any:
    """The local coder (``workers`` processes), started now so a bad model or actor file fails
    before any input is read."""
    from sanderling.parallel import WorkerError, make_coder

    try:
        with err.status("loading the English pipeline and resources"):
            return make_coder(config, workers, "local")
    except (WorkerError, OSError, ValueError) as exc:
        reason = str(exc).split("\n--- worker traceback")[0]  # the cause, not the traceback
        err.print(f"error: cannot start the coder: {reason}", markup=False)
        raise typer.Exit(2) from None


@app.command("evaluate")
def evaluate(
    inputs: Annotated[list[str], typer.Argument(help="Inputs to code (as for `code`).")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold events JSONL.")],
    date: Annotated[str | None, typer.Option("--date")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show: Annotated[int, typer.Option("--show", help="How many missed/unmatched to list.")] = 50,
    records_out: Annotated[
        Path | None, typer.Option("--records", help="Also write the coded records here.")
    ] = None,
) -> None:
    """Code INPUTS and score them against a gold file (recall, precision, F1, per category)."""
    from sanderling.evaluate import load_gold, score
    from sanderling.ingest import iter_inputs
    from sanderling.pipeline import Coder
    from sanderling.run import dump_record
    from sanderling.types import Article

    if not gold.exists():
        err.print(f"error: no such gold file: {gold}")
        raise typer.Exit(2)
    gold_events = load_gold(gold)
    articles = []
    for item in iter_inputs(inputs, default_date=_parse_date(date)):
        if isinstance(item, Article):
            articles.append(item)
        else:
            print(str(item), file=sys.stderr)
    with err.status("coding"):
        coder = Coder()
        records = [r for _, recs in coder.code_articles(articles) for r in recs]
    if records_out is not None:
        records_out.write_text("".join(dump_record(r) + "\n" for r in records), encoding="utf-8")
    report = score(gold_events, records)
    if as_json:
        out_console.print_json(json.dumps(report.to_dict()))
        return
    _print_report(report, show)


def _print_report(report: Any, show: int) -> None:
    out_console.print(
        f"recall {report.recall:.3f}  precision {report.precision:.3f}  F1 {report.f1:.3f}  "
        f"(gold sure {report.n_gold_sure}, predicted {report.n_predicted})"
    )
    out_console.print(
        f"category recall {report.category_recall:.3f}  "
        f"actor accuracy where category found {report.actor_accuracy:.3f}"
    )
    t = Table(title="per category")
    for col in ("category", "gold", "category_found", "matched", "predicted", "correct"):
        t.add_column(col, justify="right" if col != "category" else "left")
    for cat, c in report.per_category.items():
        t.add_row(
            cat,
            *(
                str(c.get(k, 0))
                for k in ("gold", "category_found", "matched", "predicted", "correct")
            ),
        )
    out_console.print(t)
    cal = Table(title="confidence calibration")
    for col in ("confidence", "n", "precision"):
        cal.add_column(col)
    for row in report.calibration:
        cal.add_row(f"{row['low']:.2f}-{row['high']:.2f}", str(row["n"]), f"{row['precision']:.2f}")
    out_console.print(cal)
    if report.missed:
        out_console.print(f"[bold]missed ({len(report.missed)})[/bold]")
        for g in report.missed[:show]:
            out_console.print(
                f"  {g.doc} {g.event} {sorted(g.actors)}->{sorted(g.recipients)}: {g.quote[:110]}",
                markup=False,
            )
    if report.unmatched:
        out_console.print(f"[bold]unmatched predictions ({len(report.unmatched)})[/bold]")
        for p in report.unmatched[:show]:
            out_console.print(
                f"  {p.doc} {p.event} {sorted(p.actors)}->{sorted(p.recipients)}: {p.text[:110]}",
                markup=False,
            )


def events_table(records: list[dict[str, Any]], title: str) -> Table:
    """A readable table of coded records (used by the demo): who did what to whom, and why."""
    t = Table(title=title, show_lines=False)
    t.add_column("doc", no_wrap=True, max_width=14)
    t.add_column("date", no_wrap=True)
    t.add_column("event", no_wrap=True)
    t.add_column("mode", no_wrap=True)
    t.add_column("actor", overflow="fold")
    t.add_column("recipient", overflow="fold")
    t.add_column("conf", no_wrap=True)
    t.add_column("evidence (entity and trigger words)", overflow="fold")

    def ents(items: list[dict[str, Any]]) -> str:
        return ", ".join(f"{e['code']} {e['sector']}".strip() for e in items)

    def evidence(r: dict[str, Any]) -> str:
        names = "; ".join(dict.fromkeys(e["entity_text"] for e in r["actor"] + r["recipient"]))
        return f"{names} | {r['event_text']}"

    for r in records:
        t.add_row(
            r["doc_id"],
            r["date"] or "-",
            r["event"],
            ",".join(r["mode"]),
            ents(r["actor"]),
            ents(r["recipient"]),
            f"{r['confidence']:.2f}",
            evidence(r),
        )
    return t


@app.command("demo")
def demo(
    store: Annotated[str, typer.Option("--store")] = DEFAULT_STORE,
) -> None:
    """Code the bundled sample articles into the store and show the events."""
    from sanderling.ingest import iter_inputs
    from sanderling.pipeline import Coder
    from sanderling.run import run
    from sanderling.store import open_store

    folder = _examples_dir()
    with err.status("loading the English pipeline and resources"):
        coder = Coder()
    records: list[dict[str, Any]] = []

    class _Collect:
        def write(self, line: str) -> int:
            records.append(json.loads(line))
            return len(line)

        def flush(self) -> None:
            pass

    the_store = open_store(store)
    try:
        run_id = the_store.begin_run(_coder_name(), [str(folder)])
        summary = run(
            iter_inputs([str(folder)]),
            coder,
            out=_Collect(),  # type: ignore[arg-type]
            store=the_store,
            run_id=run_id,
        )
        the_store.finish_run(run_id, summary.as_dict())
        # Not a terminal (CI logs, pipes): a wide table rather than rich's default of 80 columns.
        wide = out_console if out_console.is_terminal else Console(width=150, highlight=False)
        wide.print(events_table(records, f"events coded from {folder}"))
        err.print(summary.line())
        from sanderling.cli.store_cmd import print_stats

        print_stats(the_store)
    finally:
        the_store.close()


def _examples_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "examples" / "articles"
        if cand.is_dir():
            return cand
    err.print("error: examples/articles not found (run from a source checkout)")
    raise typer.Exit(1)


@lexicon_app.command("validate")
def lexicon_validate() -> None:
    """Check every lexicon file: keys, categories, modes, weights."""
    from sanderling.lexicon import Lexicon, LexiconError

    try:
        lex = Lexicon.load()
    except LexiconError as exc:
        err.print(f"lexicon invalid: {exc}")
        raise typer.Exit(1) from None
    cats = {t.category for t in lex.triggers}
    out_console.print(f"lexicon ok: {len(lex.triggers)} entries, {len(cats)} categories")


@lexicon_app.command("show")
def lexicon_show(
    category: Annotated[str | None, typer.Argument(help="Only this category.")] = None,
) -> None:
    """Print the lexicon with each entry's mode and PLOVER score."""
    from sanderling.lexicon import Lexicon

    lex = Lexicon.load()
    t = Table()
    for col in ("category", "lemma", "pos", "conditions", "mode", "score", "weight"):
        t.add_column(col)
    for tr in lex.triggers:
        if category and tr.category != category.upper():
            continue
        cond = " ".join(
            f"{k}={'/'.join(sorted(v))}"
            for k, v in (("prep", tr.prep), ("dobj", tr.dobj), ("mod", tr.mod))
            if v
        )
        t.add_row(
            tr.category,
            tr.lemma,
            "/".join(tr.pos),
            cond,
            tr.mode or "",
            f"{tr.score:+.1f}",
            f"{tr.weight:.2f}",
        )
    out_console.print(t)
