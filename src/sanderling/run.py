"""Running the coder over inputs: streaming, batching, output, store, progress and the summary.

Kept apart from the CLI so the same run can be driven from Python, tests and the Ray engine.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from sanderling.types import Article, EventRecord, Skip

if TYPE_CHECKING:
    from sanderling.store import Store


class ArticleCoder(Protocol):
    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]: ...


@dataclass
class RunSummary:
    """What a run did; printed at the end and stored with the run."""

    read: int = 0
    coded: int = 0
    unchanged: int = 0
    skipped: int = 0
    events: int = 0
    seconds: float = 0.0
    skips: list[Skip] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.coded / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, int | float]:
        return {
            "read": self.read,
            "coded": self.coded,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.docs_per_second, 2),
        }

    def line(self) -> str:
        return (
            f"documents read {self.read}, coded {self.coded}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, events {self.events}, {self.docs_per_second:.1f} docs/s"
        )

    @property
    def exit_code(self) -> int:
        if self.read == 0:
            return 1
        return 3 if self.skipped else 0


def dump_record(record: EventRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=False)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for it in items:
        batch.append(it)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(
    stream: Iterable[Article | Skip],
    coder: ArticleCoder,
    *,
    out: TextIO | None = None,
    store: Store | None = None,
    run_id: int | None = None,
    on_skip: Callable[[Skip], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = 64,
) -> RunSummary:
    """Code every article of ``stream``; write JSONL to ``out`` and batches to ``store``.

    Articles the store already holds with the same content are not coded again, which makes a
    re-run idempotent and lets an interrupted run resume where it stopped.
    """
    summary = RunSummary()
    started = time.perf_counter()

    def articles() -> Iterator[Article]:
        for item in stream:
            if isinstance(item, Skip):
                summary.skipped += 1
                summary.skips.append(item)
                if on_skip:
                    on_skip(item)
                continue
            summary.read += 1
            if store is not None and store.is_current(item.id, store.content_hash(item)):
                summary.unchanged += 1
                if on_progress:
                    on_progress(1)
                continue
            yield item

    for batch in _batches(coder.code_articles(articles()), batch_size):
        for _article, records in batch:
            summary.coded += 1
            summary.events += len(records)
            if out is not None:
                for r in records:
                    out.write(dump_record(r) + "\n")
        if store is not None and run_id is not None:
            store.write_batch(run_id, batch)
        if out is not None:
            out.flush()
        if on_progress:
            on_progress(len(batch))
    summary.seconds = time.perf_counter() - started
    return summary


def code_all(coder: ArticleCoder, articles: Sequence[Article]) -> list[EventRecord]:
    """Convenience for tests and notebooks: every record of ``articles``, in order."""
    return [r for _, recs in coder.code_articles(articles) for r in recs]
