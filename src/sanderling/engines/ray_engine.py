"""``--engine ray``: the same coder as Ray Data tasks, on a local or remote Ray cluster.

Needs the optional extra (``pip install 'sanderling[ray]'``). Design, and why:

* Articles are read on the driver with ``sanderling.ingest.iter_inputs`` (plus a Parquet reader
  here), so ids, dates and skips are exactly those of the local engine.
* They go to the cluster in windows (``window`` articles, default 10,000) through
  ``ray.data.from_items``; each window runs ``map_batches`` with a callable class, so every Ray
  worker actor builds ONE ``Coder`` and reuses it for all its batches. Memory on the driver is
  bounded by the window, not the corpus; the per-window actor start (a few seconds) is small
  next to coding 10,000 articles.
* Records come back pickled, so they are the very ``EventRecord`` objects a local ``Coder``
  makes, and are yielded in input order; ``run()`` writes the store from them as usual.
* ``run_ray`` also writes numbered JSONL or Parquet shards from the driver: no shared
  filesystem is needed between the cluster nodes and the machine that runs the command.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from sanderling.parallel import (
    DEFAULT_CHUNK_CHARS,
    ArticleCoder,
    CoderFactory,
    build_coder,
    chunked,
)
from sanderling.run import RunSummary, dump_record, run
from sanderling.types import Article, EventRecord, Skip

if TYPE_CHECKING:
    from sanderling.pipeline import CoderConfig
    from sanderling.store import Store

FORMATS = ("parquet", "jsonl")
DEFAULT_WINDOW = 10_000
DEFAULT_BATCH = 16

ARTICLE_SCHEMA = pa.schema(
    [
        ("index", pa.int64()),
        ("id", pa.string()),
        ("text", pa.string()),
        ("date", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("language", pa.string()),
        ("origin", pa.string()),
        ("body_start", pa.int64()),
    ]
)
RESULT_SCHEMA = pa.schema(
    [("index", pa.int64()), ("doc_id", pa.string()), ("records", pa.binary())]
)
_ENTITY = pa.struct(
    [
        ("code", pa.string()),
        ("sector", pa.string()),
        ("entity_text", pa.string()),
        ("identifier_text", pa.string()),
        ("identifier_id", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
    ]
)
# One row per PLOVER record. Free-form dicts (text_info, event_loc, cite_info, extra) are JSON
# text so the schema never depends on which keys a batch happened to contain.
RECORD_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("doc_id", pa.string()),
        ("date", pa.string()),
        ("date_precision", pa.string()),
        ("date_text", pa.string()),
        ("event", pa.string()),
        ("mode", pa.list_(pa.string())),
        ("context", pa.list_(pa.string())),
        ("actor", pa.list_(_ENTITY)),
        ("recipient", pa.list_(_ENTITY)),
        ("event_text", pa.string()),
        ("text", pa.string()),
        ("text_info", pa.string()),
        ("quad_code", pa.int64()),
        ("event_scale", pa.float64()),
        ("event_loc", pa.string()),
        ("cite_info", pa.string()),
        ("coder", pa.string()),
        ("coded_date", pa.string()),
        ("confidence", pa.float64()),
        ("event_span", pa.list_(pa.int64())),
        ("extra", pa.string()),
    ]
)
_JSON_COLUMNS = ("text_info", "event_loc", "cite_info", "extra")


class RayNotInstalled(RuntimeError):
    """``--engine ray`` without the optional extra."""


def _ray() -> Any:
    try:
        import ray
        import ray.data  # the extra must include Ray Data
    except ImportError as exc:
        raise RayNotInstalled(
            "--engine ray needs the optional extra: pip install 'sanderling[ray]' "
            f"(ray[data]==2.60.0); import failed: {exc}"
        ) from None
    return ray


# -- rows <-> articles ------------------------------------------------------------------------
def article_to_row(index: int, a: Article) -> dict[str, Any]:
    return {
        "index": index,
        "id": a.id,
        "text": a.text,
        "date": a.date.isoformat() if a.date else None,
        "title": a.title,
        "url": a.url,
        "source": a.source,
        "language": a.language,
        "origin": a.origin,
        "body_start": a.body_start,
    }


def row_to_article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        title=row["title"],
        url=row["url"],
        source=row["source"],
        language=row["language"],
        origin=row["origin"] or "",
        body_start=int(row["body_start"] or 0),
    )


class _BatchCoder:
    """Ray Data callable class: one coder per worker actor, built in ``__init__``.

    ``config`` and ``factory`` are class attributes of a subclass made per run (see
    ``_coder_class``) rather than constructor arguments: the class then travels with the task
    definition and nothing has to outlive the driver in the object store.
    """

    config: CoderConfig | None = None
    factory: CoderFactory = build_coder

    def __init__(self) -> None:
        self.coder = type(self).factory(type(self).config)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        articles = [row_to_article(r) for r in rows]
        pairs = list(self.coder.code_articles(articles))
        if [a.id for a, _ in pairs] != [a.id for a in articles]:
            raise RuntimeError("coder did not return one result per article, in order")
        return pa.table(
            {
                "index": [r["index"] for r in rows],
                "doc_id": [a.id for a in articles],
                "records": [pickle.dumps(recs, protocol=5) for _, recs in pairs],
            },
            schema=RESULT_SCHEMA,
        )


def _coder_class(config: CoderConfig | None, factory: CoderFactory) -> type[_BatchCoder]:
    return type("SanderlingBatchCoder", (_BatchCoder,), {"config": config, "factory": factory})


# -- the engine ---------------------------------------------------------------------------------
class RayCoder:
    """``code_articles`` on Ray Data; same records and order as ``Coder``.

    ``address``: a Ray cluster (``ray://host:10001`` or ``host:6379``/``auto``); default the
    ``RAY_ADDRESS`` variable, else a private local instance with ``workers`` CPUs. If Ray is
    already initialised in this process (a notebook, a test) that instance is used.
    """

    def __init__(
        self,
        config: CoderConfig | None = None,
        workers: int = 0,
        *,
        address: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        window: int = DEFAULT_WINDOW,
        factory: CoderFactory = build_coder,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
    ) -> None:
        if batch_size < 1 or window < 1:
            raise ValueError("batch_size and window must be positive")
        self.config = config
        self.workers = workers
        self.address = address if address is not None else os.environ.get("RAY_ADDRESS")
        self.batch_size = batch_size
        self.window = window
        self.factory = factory
        self.chunk_chars = chunk_chars
        self._owns_ray = False
        self._actors = 0

    def start(self) -> int:
        """Connect to (or start) Ray; return how many coder actors each window uses."""
        if self._actors:
            return self._actors
        ray = _ray()
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address:
                ray.init(address=self.address, **kwargs)
            else:
                ray.init(num_cpus=self.workers if self.workers > 0 else os.cpu_count(), **kwargs)
            self._owns_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self._actors = max(1, min(self.workers, cpus) if self.workers > 0 else cpus)
        return self._actors

    def close(self) -> None:
        """Shut down the Ray instance if this coder started it."""
        if self._owns_ray:
            _ray().shutdown()
            self._owns_ray = False
        self._actors = 0

    def __enter__(self) -> RayCoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        """Stream (article, records) pairs in input order, one Ray Data run per window."""
        actors = self.start()
        window: list[Article] = []
        for a in articles:
            window.append(a)
            if len(window) >= self.window:
                yield from self._code_window(window, actors)
                window = []
        if window:
            yield from self._code_window(window, actors)

    def _code_window(
        self, window: list[Article], actors: int
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        ray = _ray()
        # One block per batch so the actor pool can balance the window (a repartition step
        # would need CPUs that the coder actors already hold).
        # Blocks are bounded in articles and characters like the local engine's chunks.
        blocks = []
        start = 0
        for chunk in chunked(window, self.batch_size, self.chunk_chars):
            rows = [article_to_row(start + i, a) for i, a in enumerate(chunk)]
            blocks.append(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA))
            start += len(chunk)
        ds = ray.data.from_arrow(blocks)
        ctx = ds.context
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        ds = ds.map_batches(
            _coder_class(self.config, self.factory),
            batch_size=None,  # one block (= one chunk) per call
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=max(1, min(actors, len(blocks)))),
            num_cpus=1,
        )
        # Re-order defensively: only finished-out-of-turn results wait in ``done``.
        done: dict[int, list[EventRecord]] = {}
        nxt = 0
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            for index, blob in zip(
                batch.column("index").to_pylist(),
                batch.column("records").to_pylist(),
                strict=True,
            ):
                done[index] = pickle.loads(blob)
            while nxt in done:
                yield window[nxt], done.pop(nxt)
                nxt += 1
        if nxt != len(window):
            raise RuntimeError(f"Ray returned {nxt} of {len(window)} articles")


# -- inputs ------------------------------------------------------------------------------------
def _parquet_files(arg: str) -> list[Path]:
    p = Path(arg)
    if p.is_file():
        return [p] if p.name.endswith(".parquet") else []
    if p.is_dir():
        return sorted(q for q in p.rglob("*.parquet") if not q.name.startswith("."))
    return []


def _record_to_article(
    record: dict[str, Any],
    where: str,
    fallback_id: str,
    default_date: dt.date | None,
    max_bytes: int,
) -> Article | Skip:
    """The ingest rules for a JSONL/CSV record, applied to a Parquet row."""
    from sanderling.ingest import article_from_record  # one definition of the record rules

    norm = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in record.items()}
    return article_from_record(norm, where, fallback_id, default_date, max_bytes)


def iter_parquet(
    path: Path, default_date: dt.date | None = None, max_bytes: int = 5_000_000
) -> Iterator[Article | Skip]:
    """Rows of a Parquet file as articles (ids ``<stem>-<row>`` when there is no id column)."""
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        yield Skip(str(path), f"unreadable Parquet: {exc}")
        return
    stem = path.name[: -len(".parquet")]
    index = 0
    for batch in pf.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            row = {str(k).strip().lower(): v for k, v in row.items()}
            yield _record_to_article(
                row, f"{path}:{index + 1}", f"{stem}-{index}", default_date, max_bytes
            )
            index += 1


def iter_ray_inputs(
    inputs: Sequence[str], *, default_date: dt.date | None = None, max_bytes: int = 5_000_000
) -> Iterator[Article | Skip]:
    """``iter_inputs`` plus ``.parquet`` files (given, or found in given directories)."""
    from sanderling.ingest import iter_inputs

    for arg in inputs:
        parquet = _parquet_files(arg)
        for path in parquet:
            yield from iter_parquet(path, default_date, max_bytes)
        if parquet and Path(arg).is_file():
            continue
        for item in iter_inputs([arg], default_date=default_date, max_bytes=max_bytes):
            if parquet and isinstance(item, Skip) and item.where == arg:
                continue  # a directory of Parquet files only: not an empty directory
            yield item


# -- shards ------------------------------------------------------------------------------------
def record_row(r: EventRecord) -> dict[str, Any]:
    d = r.to_dict()
    d.setdefault("extra", {})
    for k in _JSON_COLUMNS:
        d[k] = None if d[k] is None else json.dumps(d[k], ensure_ascii=False, sort_keys=True)
    return d


class ShardWriter:
    """Numbered shards ``part-00000.{jsonl,parquet}``, a new one every ``shard_articles``."""

    def __init__(self, out_dir: Path, fmt: str, shard_articles: int = DEFAULT_WINDOW) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
        self.out_dir = out_dir
        self.fmt = fmt
        self.shard_articles = max(1, shard_articles)
        self.paths: list[Path] = []
        self._articles = 0
        self._rows: list[dict[str, Any]] = []
        self._jsonl: IO[str] | None = None
        out_dir.mkdir(parents=True, exist_ok=True)

    def add(self, article: Article, records: list[EventRecord]) -> None:
        if self._articles == 0:
            self._open()
        if self.fmt == "jsonl":
            assert self._jsonl is not None
            self._jsonl.writelines(dump_record(r) + "\n" for r in records)
        else:
            self._rows.extend(record_row(r) for r in records)
        self._articles += 1
        if self._articles >= self.shard_articles:
            self._finish()

    def _open(self) -> None:
        path = self.out_dir / f"part-{len(self.paths):05d}.{self.fmt}"
        self.paths.append(path)
        if self.fmt == "jsonl":
            self._jsonl = path.open("w", encoding="utf-8")

    def _finish(self) -> None:
        if self.fmt == "jsonl":
            if self._jsonl is not None:
                self._jsonl.close()
                self._jsonl = None
        else:
            pq.write_table(pa.Table.from_pylist(self._rows, schema=RECORD_SCHEMA), self.paths[-1])
            self._rows = []
        self._articles = 0

    def close(self) -> None:
        if self._articles:
            self._finish()


class _Tee:
    """Passes pairs through to ``run()`` while writing them to the shards."""

    def __init__(self, coder: ArticleCoder, sink: Callable[[Article, list[EventRecord]], None]):
        self.coder = coder
        self.sink = sink

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        for article, records in self.coder.code_articles(articles):
            self.sink(article, records)
            yield article, records


def run_ray(
    inputs: Sequence[str],
    out_dir: str | Path,
    config: CoderConfig | None = None,
    workers: int = 0,
    address: str | None = None,
    fmt: str = "parquet",
    *,
    store: Store | None = None,
    run_id: int | None = None,
    default_date: dt.date | None = None,
    max_bytes: int = 5_000_000,
    window: int = DEFAULT_WINDOW,
    batch_size: int = DEFAULT_BATCH,
    factory: CoderFactory = build_coder,
    on_skip: Callable[[Skip], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[RunSummary, list[Path]]:
    """Code ``inputs`` on Ray and write record shards (one per window) under ``out_dir``.

    With ``store``/``run_id`` the records also go to the store, exactly as ``run()`` writes them
    (articles the store already holds unchanged are not sent to the cluster at all).
    Returns the run summary and the shard paths.
    """
    writer = ShardWriter(Path(out_dir), fmt, window)
    with RayCoder(
        config, workers, address=address, batch_size=batch_size, window=window, factory=factory
    ) as coder:
        try:
            summary = run(
                iter_ray_inputs(inputs, default_date=default_date, max_bytes=max_bytes),
                _Tee(coder, writer.add),
                store=store,
                run_id=run_id,
                on_skip=on_skip,
                on_progress=on_progress,
            )
        finally:
            writer.close()
    return summary, writer.paths


def read_shards(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Records of written shards as PLOVER dicts (JSON columns decoded); for checks and tests."""
    for path in paths:
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as f:
                yield from (json.loads(line) for line in f if line.strip())
            continue
        for row in pq.read_table(path).to_pylist():
            for k in _JSON_COLUMNS:
                row[k] = None if row[k] is None else json.loads(row[k])
            if not row["extra"]:
                row.pop("extra")
            yield row
