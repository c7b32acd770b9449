"""ParallelCoder: input order kept, bounded in-flight work, clear worker errors, same records."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Generator, Iterable, Iterator
from typing import Any, cast

import pytest

from sanderling.parallel import ParallelCoder, WorkerError, make_coder
from sanderling.types import Article, EventRecord


def _record(article: Article) -> EventRecord:
    return EventRecord(
        id=f"{article.id}-0",
        doc_id=article.id,
        date=None,
        date_precision="unknown",
        date_text=None,
        event="CONSULT",
        mode=[],
        context=[],
        actor=[],
        recipient=[],
        event_text="met",
        text=article.text,
        text_info={},
        quad_code=1,
        event_scale=0.0,
        event_loc=None,
        cite_info={},
        coder="fake",
        coded_date="2026-01-01",
        confidence=0.5,
    )


class FakeCoder:
    """Sleeps on articles whose text says 'slow' so workers finish out of order."""

    def code_articles(
        self, articles: Iterable[Article]
    ) -> Iterator[tuple[Article, list[EventRecord]]]:
        for a in articles:
            if "boom" in a.text:
                raise ValueError(f"cannot code {a.id}")
            if "slow" in a.text:
                time.sleep(0.3)
            yield a, [_record(a)]


def fake_factory(config: object) -> FakeCoder:
    return FakeCoder()


def broken_factory(config: object) -> FakeCoder:
    raise OSError("model files missing")


def _articles(n: int, slow_every: int = 0, boom_at: int = -1) -> list[Article]:
    out = []
    for i in range(n):
        text = f"article number {i}"
        if slow_every and i % slow_every == 0:
            text += " slow"
        if i == boom_at:
            text += " boom"
        out.append(Article(id=f"a{i}", text=text))
    return out


def test_order_is_input_order_even_when_workers_finish_out_of_order() -> None:
    # Chunk 0 is slow, chunk 1 fast: worker 2 finishes first but chunk 0 must come out first.
    arts = _articles(40, slow_every=8)
    with ParallelCoder(None, 2, chunk_size=4, factory=fake_factory) as coder:
        got = list(coder.code_articles(arts))
        assert [a.id for a, _ in got] == [a.id for a in arts]
        assert [recs[0].doc_id for _, recs in got] == [a.id for a in arts]
        # The pool is reused for a second call.
        pids = coder.pids
        assert len(pids) == 2
        again = list(coder.code_articles(arts[:5]))
        assert [a.id for a, _ in again] == [a.id for a in arts[:5]]
        assert coder.pids == pids
    assert coder.pids == []


def test_in_flight_work_is_bounded() -> None:
    pulled = 0
    chunk, in_flight = 3, 4

    def source() -> Iterator[Article]:
        nonlocal pulled
        for a in _articles(200, slow_every=50):
            pulled += 1
            yield a

    yielded = 0
    worst = 0
    with ParallelCoder(
        None, 2, chunk_size=chunk, max_in_flight=in_flight, factory=fake_factory
    ) as coder:
        for _ in coder.code_articles(source()):
            yielded += 1
            worst = max(worst, pulled - yielded)
    assert yielded == 200
    assert worst <= chunk * in_flight


def test_worker_exception_surfaces_with_article_ids() -> None:
    coder = ParallelCoder(None, 2, chunk_size=4, factory=fake_factory)
    with pytest.raises(WorkerError) as info:
        list(coder.code_articles(_articles(30, boom_at=13)))
    msg = str(info.value)
    assert "a12" in msg and "ValueError: cannot code a13" in msg
    # The failed call tore the pool down; the coder still works afterwards.
    assert coder.pids == []
    assert len(list(coder.code_articles(_articles(6)))) == 6
    coder.close()


def test_worker_that_cannot_start_is_a_clear_error() -> None:
    coder = ParallelCoder(None, 2, factory=broken_factory)
    expected = "failed to start: could not build the coder: OSError: model files missing"
    with pytest.raises(WorkerError, match=expected):
        coder.start()
    assert coder.pids == []


def test_abandoned_iteration_shuts_the_pool_down() -> None:
    coder = ParallelCoder(None, 2, chunk_size=2, factory=fake_factory)
    it = cast(Generator[Any, None, None], coder.code_articles(_articles(50)))
    next(it)
    procs = list(coder._pool.procs) if coder._pool else []
    it.close()  # what a `break` or an exception in the consumer does
    assert coder.pids == []
    assert procs and not any(p.is_alive() for p in procs)


def test_one_worker_is_in_process() -> None:
    with ParallelCoder(None, 1, factory=fake_factory) as coder:
        got = list(coder.code_articles(_articles(5)))
        assert coder.pids == []
    assert [a.id for a, _ in got] == [f"a{i}" for i in range(5)]


def test_make_coder_rejects_unknown_engine() -> None:
    with pytest.raises(ValueError, match="engine"):
        make_coder(None, 1, "spark")


# -- the real coder ---------------------------------------------------------------------------
TINY = [
    "The foreign minister of Norway met the Kenyan president in Nairobi on Tuesday to "
    "discuss a new trade agreement.",
    "Protesters marched through the capital of Chile on Friday. Police in Santiago fired "
    "tear gas at the crowd.",
    "Japan announced it would send emergency aid to the Philippines after the typhoon, "
    "and Australia pledged support as well.",
]


def test_two_workers_give_the_same_records_as_the_coder() -> None:
    try:
        from sanderling.pipeline import Coder, CoderConfig
    except ImportError as exc:  # pragma: no cover - while the pipeline is being assembled
        pytest.skip(f"sanderling.pipeline does not import yet: {exc}")
    config = CoderConfig(coded_date=dt.date(2026, 1, 1))
    arts = [
        Article(id=f"tiny-{i}", text=t, date=dt.date(2024, 3, 4 + i)) for i, t in enumerate(TINY)
    ]
    reference = Coder(config)
    expected = [(a.id, [r.to_dict() for r in recs]) for a, recs in reference.code_articles(arts)]
    with ParallelCoder(config, 2, chunk_size=1) as coder:
        got = [(a.id, [r.to_dict() for r in recs]) for a, recs in coder.code_articles(arts)]
    assert got == expected
