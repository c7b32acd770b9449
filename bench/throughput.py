"""Throughput and memory benchmark (not a test).

    .venv/bin/python bench/throughput.py [--workers 2] [--mode sample|stream] [--limit N]
                                         [--json results.json]

``sample`` (default), in one run on ../shared/corpora/guardian_sample.csv:
  (a) Sanderling end to end: ``iter_inputs`` -> ``ParallelCoder`` -> ``run()`` writing JSONL
      to /dev/null, with 1, 2, 4 ... N worker processes (the scaling curve);
  (b) the baseline: spaCy en_core_web_sm, full pipeline (all components), ``nlp.pipe`` over
      the same texts in the same kind of pool with the same number of processes;
  and prints articles/s for both, their ratio, and peak RSS (VmHWM) of every worker.
``stream``: a synthetic feed of 20,000 articles (the sample repeated with new ids, made
lazily) through the local engine; prints worker and driver RSS at 1k, 10k and 20k articles.

Model loading is timed apart ("startup") for both sides: a long run pays it once.
The corpus is read at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sanderling.ingest import iter_inputs
from sanderling.parallel import ParallelCoder, build_coder
from sanderling.run import run
from sanderling.types import Article, EventRecord

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "guardian_sample.csv"
STREAM_TOTAL = 20_000
STREAM_MARKS = (1_000, 10_000, 20_000)


# -- the baseline --------------------------------------------------------------------------------
class SpacyFull:
    """spaCy en_core_web_sm with every component, nothing else: the baseline 'coder'."""

    def __init__(self, batch_size: int) -> None:
        from sanderling.nlp import load_pipeline

        self.nlp = load_pipeline()  # the same package the coder uses, all components enabled
        self.nlp.max_length = max(self.nlp.max_length, 6_000_000)
        self.batch_size = batch_size

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        docs = self.nlp.pipe(
            ((a.text, a) for a in articles), as_tuples=True, batch_size=self.batch_size
        )
        for _doc, article in docs:
            yield article, []


def spacy_factory(config: Any) -> SpacyFull:
    return SpacyFull(config.batch_size if config is not None else 16)


# -- measuring ---------------------------------------------------------------------------------
def proc_status_kb(pid: int, key: str) -> int:
    """VmHWM (peak) or VmRSS (now) of a live process, in kB; 0 if unavailable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def mb(kb: int) -> float:
    return round(kb / 1024, 1)


def load_corpus(path: Path, limit: int | None) -> list[Article]:
    arts = [a for a in iter_inputs([str(path)]) if isinstance(a, Article)]
    return arts[:limit] if limit else arts


@dataclasses.dataclass
class Measure:
    name: str
    workers: int
    articles: int
    events: int
    startup_s: float
    seconds: float
    peak_rss_mb: list[float]

    @property
    def per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["articles_per_s"] = round(self.per_s, 3)
        return d


def measure(
    name: str, workers: int, factory: Any, config: Any, path: Path, limit: int | None, chunk: int
) -> Measure:
    """Start the pool (timed apart), then read, code and write the corpus end to end."""
    t0 = time.perf_counter()
    coder = ParallelCoder(config, workers, chunk_size=chunk, factory=factory, in_process=False)
    coder.start()
    startup = time.perf_counter() - t0
    try:
        stream: Iterable[Any] = iter_inputs([str(path)])
        if limit:
            stream = itertools.islice((x for x in stream if isinstance(x, Article)), limit)
        with open(os.devnull, "w", encoding="utf-8") as sink:
            summary = run(stream, coder, out=sink)
        peaks = [mb(proc_status_kb(pid, "VmHWM")) for pid in coder.pids]
    finally:
        coder.close()
    return Measure(
        name,
        workers,
        summary.coded,
        summary.events,
        round(startup, 2),
        round(summary.seconds, 2),
        peaks,
    )


def scaling_steps(n: int) -> list[int]:
    steps = [1]
    while steps[-1] * 2 < n:
        steps.append(steps[-1] * 2)
    if n > 1:
        steps.append(n)
    return steps


def sample_mode(args: argparse.Namespace, config: Any) -> dict[str, Any]:
    n = args.workers
    articles = load_corpus(args.corpus, args.limit)
    chars = sum(len(a.text) for a in articles)
    print(
        f"corpus {args.corpus.name}: {len(articles)} articles, "
        f"{chars / max(1, len(articles)):.0f} chars on average; workers 1..{n}",
        flush=True,
    )
    # Small runs: shrink the chunks so every worker gets several (scaling stays measurable).
    args.chunk = max(1, min(args.chunk, len(articles) // (4 * n)))
    ours: list[Measure] = []
    for w in scaling_steps(n):
        m = measure("sanderling", w, build_coder, config, args.corpus, args.limit, args.chunk)
        print(f"  sanderling  workers={w}: {m.per_s:.2f} articles/s", flush=True)
        ours.append(m)
    base = measure("spacy-full", n, spacy_factory, config, args.corpus, args.limit, args.chunk)
    print(f"  spacy-full  workers={n}: {base.per_s:.2f} articles/s", flush=True)
    if len({m.events for m in ours}) > 1:
        print(
            "  WARNING: event counts differ between worker counts "
            f"{[m.events for m in ours]}: was the code edited during the run?",
            flush=True,
        )
    top = ours[-1]
    one = ours[0]
    result = {
        "mode": "sample",
        "workers": n,
        "articles": len(articles),
        "sanderling": [m.as_dict() for m in ours],
        "spacy_full": base.as_dict(),
        "ratio": round(top.per_s / base.per_s, 3) if base.per_s else None,
        "scaling": round(top.per_s / one.per_s, 3) if one.per_s else None,
    }
    rows = [
        (
            m.name,
            m.workers,
            m.articles,
            m.events,
            m.startup_s,
            m.seconds,
            m.per_s,
            max(m.peak_rss_mb, default=0.0),
        )
        for m in [*ours, base]
    ]
    print()
    print(
        f"{'engine':<12}{'workers':>8}{'articles':>9}{'events':>8}{'startup s':>10}"
        f"{'coding s':>10}{'art/s':>8}{'peak RSS/worker MB':>20}"
    )
    for r in rows:
        print(
            f"{r[0]:<12}{r[1]:>8}{r[2]:>9}{r[3]:>8}{r[4]:>10.1f}{r[5]:>10.1f}{r[6]:>8.2f}"
            f"{r[7]:>20.0f}"
        )
    print(
        f"\nratio sanderling/spacy-full at {n} workers: {result['ratio']}   "
        f"scaling 1->{n} workers: {result['scaling']}x"
    )
    return result


# -- stream mode -------------------------------------------------------------------------------
def synthetic_feed(base: list[Article], total: int) -> Iterator[Article]:
    """The sample repeated with new ids, generated lazily (nothing is held but ``base``)."""
    for k in range(total):
        a = base[k % len(base)]
        yield dataclasses.replace(a, id=f"syn{k:06d}-{a.id}")


def stream_mode(args: argparse.Namespace, config: Any) -> dict[str, Any]:
    total = args.limit or STREAM_TOTAL
    marks = sorted({max(1, round(total * m / STREAM_TOTAL)) for m in STREAM_MARKS})
    base = load_corpus(args.corpus, None)
    print(
        f"streaming {total} synthetic articles (from {len(base)}) with {args.workers} "
        f"workers; memory at {', '.join(map(str, marks))}",
        flush=True,
    )
    coder = ParallelCoder(config, args.workers, chunk_size=args.chunk, in_process=False)
    coder.start()
    points: list[dict[str, Any]] = []
    seen = 0
    started = time.perf_counter()
    try:
        with open(os.devnull, "w", encoding="utf-8") as sink:

            def tick(k: int) -> None:
                nonlocal seen
                before, seen = seen, seen + k
                for m in marks:
                    if before < m <= seen:
                        p = {
                            "articles": seen,
                            "seconds": round(time.perf_counter() - started, 1),
                            "worker_rss_mb": [mb(proc_status_kb(i, "VmRSS")) for i in coder.pids],
                            "worker_peak_mb": [mb(proc_status_kb(i, "VmHWM")) for i in coder.pids],
                            "driver_rss_mb": mb(proc_status_kb(os.getpid(), "VmRSS")),
                        }
                        points.append(p)
                        print(
                            f"  {seen:>6} articles  {p['seconds']:>7.1f} s  worker RSS "
                            f"{p['worker_rss_mb']} MB  driver {p['driver_rss_mb']} MB",
                            flush=True,
                        )

            summary = run(
                synthetic_feed(base, total),
                coder,
                out=sink,
                on_progress=tick,
                batch_size=args.chunk,
            )
    finally:
        coder.close()
    # Compare from the first mark after one full pass over the sample (every article, the
    # longest included, has been through each worker's pipeline) to the last mark.
    first = next((p for p in points if p["articles"] >= len(base)), points[0])
    last = points[-1]

    def change(key: str) -> list[float | None]:
        return [
            round(b / a - 1, 3) if a else None for a, b in zip(first[key], last[key], strict=True)
        ]

    growth, peak_growth = change("worker_rss_mb"), change("worker_peak_mb")
    driver_growth = round(last["driver_rss_mb"] / first["driver_rss_mb"] - 1, 3)

    def fmt(xs: list[float | None]) -> list[str]:
        return [f"{g:+.1%}" for g in xs if g is not None]

    print(
        f"\n{first['articles']} -> {last['articles']} articles: worker peak RSS "
        f"{fmt(peak_growth)}, worker RSS now {fmt(growth)}, driver {driver_growth:+.1%} "
        f"(target within +-10%); {summary.docs_per_second:.2f} articles/s"
    )
    return {
        "mode": "stream",
        "workers": args.workers,
        "articles": summary.coded,
        "events": summary.events,
        "articles_per_s": round(summary.docs_per_second, 3),
        "points": points,
        "compared_marks": [first["articles"], last["articles"]],
        "worker_rss_growth": growth,
        "worker_peak_growth": peak_growth,
        "driver_rss_growth": driver_growth,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--workers", type=int, default=2, help="processes (0 = all cores)")
    ap.add_argument("--mode", choices=("sample", "stream"), default="sample")
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="sample: first N articles; stream: N articles instead of 20,000",
    )
    ap.add_argument("--chunk", type=int, default=16, help="articles per worker task")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(
            f"error: corpus not found: {args.corpus}\n(the benchmark reads ../shared beside the "
            "checkout at run time; pass --corpus PATH to use another CSV/JSONL)",
            file=sys.stderr,
        )
        return 2
    args.workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    from sanderling.pipeline import CoderConfig

    config = CoderConfig()
    load_before = [round(x, 2) for x in os.getloadavg()]
    if load_before[0] > 0.5:
        print(
            f"note: load average {load_before[0]} before the run: other processes share the "
            "CPUs, so the numbers may be low",
            flush=True,
        )
    started = time.perf_counter()
    result = sample_mode(args, config) if args.mode == "sample" else stream_mode(args, config)
    result["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_before": load_before,
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        "driver_peak_rss_mb": mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
