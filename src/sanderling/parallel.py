"""Coding with several worker processes: bounded memory, input order kept.

``ParallelCoder`` has the same ``code_articles`` seam as ``Coder``, so ``run()`` and the CLI
do not care which one they get. Each worker process builds ONE coder at start (loading spaCy
and the resources takes seconds; coding a chunk takes milliseconds per article) and reuses it.

Why a hand-rolled pool rather than ``Pool.imap``: ``imap`` drains the input iterator in a
background thread, so memory grows with the corpus; here at most ``max_in_flight`` chunks
(submitted but not yet yielded, including finished chunks waiting for an earlier one) exist
at any moment, and results are re-ordered so the output never depends on worker timing.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import signal
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from typing import TYPE_CHECKING, Any, Protocol

from sanderling.types import Article, EventRecord

if TYPE_CHECKING:
    from sanderling.pipeline import CoderConfig

ENGINES = ("local", "ray")
DEFAULT_CHUNK = 16
# spaCy's peak memory follows the text in one nlp.pipe batch: on the Guardian sample, batches
# of 16 articles peaked at 740 MB per process (a few 40-60k-character articles together);
# closing chunks at 60k characters peaked at 358 MB for the same time.
DEFAULT_CHUNK_CHARS = 60_000
_POLL_SECONDS = 0.5
_JOIN_SECONDS = 10.0


class ArticleCoder(Protocol):
    """Anything ``run()`` can drive (``Coder``, ``ParallelCoder``, ``RayCoder``)."""

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]: ...


CoderFactory = Callable[["CoderConfig | None"], ArticleCoder]


class WorkerError(RuntimeError):
    """A worker failed to start or to code a chunk; carries the worker's traceback."""


def build_coder(config: CoderConfig | None) -> ArticleCoder:
    """Default worker factory (top level so it pickles to spawned processes)."""
    from sanderling.pipeline import Coder

    return Coder(config)


def chunked(
    articles: Iterable[Article], size: int, max_chars: int = DEFAULT_CHUNK_CHARS
) -> Iterator[list[Article]]:
    """Chunks of at most ``size`` articles and (unless one article is longer) ``max_chars``."""
    chunk: list[Article] = []
    chars = 0
    for a in articles:
        n = len(a.text) - a.body_start
        if chunk and (len(chunk) >= size or chars + n > max_chars):
            yield chunk
            chunk, chars = [], 0
        chunk.append(a)
        chars += n
    if chunk:
        yield chunk


def resolve_workers(workers: int) -> int:
    """``0`` (or less) means every core."""
    return workers if workers > 0 else (os.cpu_count() or 1)


# -- the worker side ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Result:
    seq: int
    records: list[list[EventRecord]] | None = None
    error: str | None = None


def _worker_main(
    factory: CoderFactory, config: CoderConfig | None, tasks: Queue[Any], results: Queue[Any]
) -> None:
    """Build one coder, then code chunks until told to stop (``None``)."""
    # Ctrl-C reaches the whole process group: let the parent decide and shut us down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        coder = factory(config)
    except BaseException as exc:
        results.put(_Result(-1, error=f"could not build the coder: {_explain(exc)}"))
        return
    results.put(_Result(-1))  # ready
    while True:
        task = tasks.get()
        if task is None:
            return
        seq, chunk = task
        try:
            pairs = list(coder.code_articles(chunk))
            if len(pairs) != len(chunk) or any(
                a.id != b.id for (a, _), b in zip(pairs, chunk, strict=True)
            ):
                raise RuntimeError("coder did not return one result per article, in order")
            results.put(_Result(seq, records=[recs for _, recs in pairs]))
        except Exception as exc:
            ids = ", ".join(a.id for a in chunk[:5]) + (", ..." if len(chunk) > 5 else "")
            results.put(_Result(seq, error=f"articles [{ids}]: {_explain(exc)}"))


def _explain(exc: BaseException) -> str:
    """The exception on one line, then the worker's traceback (the parent cannot see it)."""
    head = "".join(traceback.format_exception_only(exc)).strip()
    return f"{head}\n--- worker traceback ---\n{traceback.format_exc()}"


# -- the parent side ---------------------------------------------------------------------------
@dataclass
class _Pool:
    procs: list[BaseProcess]
    tasks: Queue[Any]
    results: Queue[Any]


def _shutdown(pool: _Pool, graceful: bool) -> None:
    """Stop the workers; ``graceful`` lets them finish the queue, otherwise terminate."""
    if graceful:
        for _ in pool.procs:
            with contextlib.suppress(Exception):
                pool.tasks.put(None)
        for p in pool.procs:
            p.join(_JOIN_SECONDS)
    for p in pool.procs:
        if p.is_alive():
            p.terminate()
    for p in pool.procs:
        p.join(_JOIN_SECONDS)
        if p.is_alive():  # pragma: no cover - a worker stuck in C code
            p.kill()
            p.join()
    for q in (pool.tasks, pool.results):
        q.close()
        q.cancel_join_thread()  # never block exit on a queue nobody reads any more


class ParallelCoder:
    """``code_articles`` over N worker processes (``workers=1``: in this process, no pool).

    Workers start on first use and stay up across calls; ``close()`` (or ``with``) stops them.
    A call abandoned midway (exception, Ctrl-C, ``break``) terminates the pool, and the next
    call starts a fresh one, so no stale result can leak into a later call.
    """

    def __init__(
        self,
        config: CoderConfig | None = None,
        workers: int = 0,
        *,
        chunk_size: int = DEFAULT_CHUNK,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
        max_in_flight: int | None = None,
        factory: CoderFactory = build_coder,
        start_method: str = "spawn",
        in_process: bool | None = None,
    ) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be positive, got {chunk_size}")
        self.config = config
        self.workers = resolve_workers(workers)
        self.chunk_size = chunk_size
        self.chunk_chars = chunk_chars
        self.max_in_flight = max(1, max_in_flight or 2 * self.workers)
        self.factory = factory
        self.start_method = start_method
        # One worker codes in this process unless asked otherwise (the benchmark isolates
        # it in a child to measure its memory).
        self.in_process = self.workers == 1 if in_process is None else in_process
        if self.in_process and self.workers != 1:
            raise ValueError("in_process needs workers=1")
        self._local: ArticleCoder | None = None
        self._pool: _Pool | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def pids(self) -> list[int]:
        """Worker process ids (empty in-process or before first use); for RSS reporting."""
        if self._pool is None:
            return []
        return [p.pid for p in self._pool.procs if p.pid is not None]

    def start(self) -> None:
        """Start the workers now and wait until each has built its coder."""
        if self.in_process:
            if self._local is None:
                self._local = self.factory(self.config)
            return
        if self._pool is not None:
            return
        ctx: BaseContext = mp.get_context(self.start_method)
        tasks: Queue[Any] = ctx.Queue()
        results: Queue[Any] = ctx.Queue()
        procs = [
            ctx.Process(  # type: ignore[attr-defined]
                target=_worker_main,
                args=(self.factory, self.config, tasks, results),
                name=f"sanderling-worker-{i}",
                daemon=True,
            )
            for i in range(self.workers)
        ]
        pool = _Pool(procs, tasks, results)
        for p in procs:
            p.start()
        self._pool = pool
        self._finalizer = weakref.finalize(self, _shutdown, pool, False)
        try:
            for _ in procs:
                res = self._get(pool, starting=True)
                if res.error is not None:
                    raise WorkerError(f"a worker failed to start: {res.error}")
        except BaseException:
            self._stop(graceful=False)
            raise

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        self._stop(graceful=True)
        self._local = None

    def _stop(self, graceful: bool) -> None:
        pool, self._pool = self._pool, None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if pool is not None:
            _shutdown(pool, graceful)

    def __enter__(self) -> ParallelCoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- coding ----------------------------------------------------------------------------------
    def code_article(self, article: Article) -> list[EventRecord]:
        return next(iter(self.code_articles([article])))[1]

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        """Stream (article, records) pairs in input order."""
        if self.in_process:
            self.start()
            assert self._local is not None
            for chunk in chunked(articles, self.chunk_size, self.chunk_chars):
                yield from self._local.code_articles(chunk)
            return
        self.start()
        pool = self._pool
        assert pool is not None
        source = chunked(articles, self.chunk_size, self.chunk_chars)
        pending: dict[int, list[Article]] = {}  # submitted, not yet yielded
        done: dict[int, list[list[EventRecord]]] = {}  # finished out of turn
        next_seq = 0  # next chunk to submit
        next_out = 0  # next chunk to yield
        exhausted = False
        finished = False
        try:
            while True:
                while not exhausted and len(pending) < self.max_in_flight:
                    fresh = next(source, None)
                    if fresh is None:
                        exhausted = True
                        break
                    pending[next_seq] = fresh
                    pool.tasks.put((next_seq, fresh))
                    next_seq += 1
                if not pending:
                    break
                while next_out not in done:
                    res = self._get(pool)
                    if res.error is not None:
                        raise WorkerError(f"a worker failed on {res.error}")
                    done[res.seq] = res.records or []
                chunk = pending.pop(next_out)
                records = done.pop(next_out)
                next_out += 1
                yield from zip(chunk, records, strict=True)
            finished = True
        finally:
            if not finished:
                # Results of abandoned chunks are still on their way: discard the pool.
                self._stop(graceful=False)

    def _get(self, pool: _Pool, starting: bool = False) -> _Result:
        """Next result; raise instead of hanging if a worker died (OOM killer, segfault)."""
        while True:
            try:
                res: _Result = pool.results.get(timeout=_POLL_SECONDS)
                return res
            except queue.Empty:
                dead = [p for p in pool.procs if not p.is_alive()]
                if dead:
                    codes = ", ".join(f"{p.name} exit code {p.exitcode}" for p in dead)
                    hint = (
                        " while starting; with the 'spawn' start method the main script must "
                        "create the coder under `if __name__ == '__main__':`"
                        if starting
                        else ""
                    )
                    raise WorkerError(f"worker process died ({codes}){hint}") from None


def make_coder(
    config: CoderConfig | None,
    workers: int,
    engine: str = "local",
    *,
    ray_address: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> ParallelCoder | ArticleCoder:
    """The coder the CLI runs: ``local`` (processes on this machine) or ``ray`` (a cluster).

    ``workers=0`` means every core of this machine (for ``ray``: the local instance's CPUs,
    or every CPU of the cluster when an address is given).
    """
    if engine == "local":
        coder = ParallelCoder(config, workers, chunk_size=chunk_size)
        coder.start()  # fail fast (missing model, bad actor file) before reading any input
        return coder
    if engine == "ray":
        from sanderling.engines.ray_engine import RayCoder

        return RayCoder(config, workers, address=ray_address, batch_size=chunk_size)
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
