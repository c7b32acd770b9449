"""Fixtures and builders for the store tests (imported by tests/test_store*.py).

Also a script: ``python tests/store_fixtures.py TARGET`` writes a synthetic corpus into a store in
small batches with pauses, the way ``sanderling code`` does; the crash test SIGKILLs it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sanderling.ontology import load_ontology
from sanderling.types import Article, Entity, EventRecord

REPO = Path(__file__).resolve().parents[1]
PG_SH = REPO / "scripts" / "pg.sh"
SHARED = REPO.parent / "shared"
BACKENDS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


# ---------------------------------------------------------------- builders
def ent(code: str, sector: str = "GOV", text: str | None = None, start: int = 0) -> Entity:
    t = text or f"{code} officials"
    return Entity(code=code, sector=sector, entity_text=t, start=start, end=start + len(t))


def record(
    doc_id: str,
    idx: int,
    event: str,
    actors: Sequence[str | Entity],
    recipients: Sequence[str | Entity] = (),
    *,
    date: str | None = None,
    precision: str = "day",
    mode: Sequence[str] = (),
    context: Sequence[str] = (),
    quote: str | None = None,
    span: tuple[int, int] = (0, 10),
    confidence: float = 0.8,
) -> EventRecord:
    """An EventRecord with PLOVER quad and score taken from the ontology."""
    onto = load_ontology()
    act = [a if isinstance(a, Entity) else ent(a) for a in actors]
    rec = [r if isinstance(r, Entity) else ent(r) for r in recipients]
    q = quote or f"{event.lower()} reported by {doc_id} #{idx}"
    return EventRecord(
        id=f"{doc_id}-e{idx}",
        doc_id=doc_id,
        date=date,
        date_precision=precision if date else (precision if precision != "day" else "unknown"),
        date_text=None,
        event=event,
        mode=list(mode),
        context=list(context),
        actor=act,
        recipient=rec,
        event_text=q,
        text=f"Sentence: {q}.",
        text_info={"sentence": 0},
        quad_code=onto.quad(event),
        event_scale=onto.score(event, list(mode)),
        event_loc=None,
        cite_info={"doc_id": doc_id},
        coder="test",
        coded_date="2024-01-01",
        confidence=confidence,
        event_span=span,
    )


def article(
    doc_id: str, date: str | None = "2021-05-01", text: str | None = None, source: str = "Test Wire"
) -> Article:
    return Article(
        id=doc_id,
        text=text or f"Body of {doc_id}.",
        date=dt.date.fromisoformat(date) if date else None,
        title=f"Title {doc_id}",
        url=f"https://example.org/{doc_id}",
        source=source,
    )


def synthetic_corpus(
    n_articles: int = 24, seed: int = 7
) -> list[tuple[Article, list[EventRecord]]]:
    """Articles re-reporting a small set of world events, so that deduplication has work to do."""
    rng = random.Random(seed)
    cats = [
        ("CONSULT", ["phone"]),
        ("ACCUSE", []),
        ("AID", []),
        ("THREATEN", []),
        ("AGREE", []),
        ("ASSAULT", ["aerial"]),
    ]
    codes = ["CHN", "USA", "RUS", "FRA", "IND"]
    base = dt.date(2021, 5, 1)
    world = []
    for i in range(10):
        cat, mode = cats[i % len(cats)]
        a, b = rng.sample(codes, 2)
        world.append((cat, mode, a, b, base + dt.timedelta(days=rng.randrange(0, 60))))
    out = []
    for n in range(n_articles):
        doc = f"syn{n:03d}"
        picks = rng.sample(world, rng.randint(1, 3))
        pub = max(w[4] for w in picks) + dt.timedelta(days=rng.randint(0, 2))
        recs = []
        for j, (cat, mode, a, b, day) in enumerate(picks):
            precise = rng.random() < 0.7
            shift = 0 if cat == "CONSULT" else rng.choice([0, 0, 1])
            when = (day + dt.timedelta(days=shift)).isoformat() if precise else None
            # CONSULT is reciprocal: coded with both parties as actors, no recipient.
            actors, recips = ([a, b], []) if cat == "CONSULT" else ([a], [b])
            recs.append(
                record(
                    doc,
                    j,
                    cat,
                    actors,
                    recips,
                    date=when,
                    precision="day" if precise else "story",
                    mode=mode,
                    span=(10 * j, 10 * j + 8),
                )
            )
        out.append((article(doc, pub.isoformat()), recs))
    return out


def snapshot(store: Any) -> dict[str, Any]:
    """Everything observable about a store's content (runs excluded)."""
    counts = store.counts()
    counts.pop("runs")
    return {
        "counts": counts,
        "events": sorted(store.events(), key=lambda e: e["id"]),
        "mentions": store.mentions(),
        "hashes": store.sql("SELECT doc_id, content_hash FROM articles ORDER BY doc_id")[1],
    }


# ---------------------------------------------------------------- PostgreSQL
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_available() -> bool:
    return subprocess.run([str(PG_SH), "bindir"], capture_output=True).returncode == 0


@functools.lru_cache(maxsize=1)
def pg_server_url() -> str:
    """Start ONE throwaway server per test session (stopped at exit); its base URL.

    SANDERLING_TEST_PG_URL points the tests at an existing server instead.
    """
    if os.environ.get("SANDERLING_TEST_PG_URL"):
        return os.environ["SANDERLING_TEST_PG_URL"]
    if not pg_available():
        pytest.skip("PostgreSQL server binaries not found (install them: scripts/pg.sh install)")
    # Under /tmp, not pytest's 0700 tmp dir: the server runs as `postgres` when we are root.
    d = tempfile.mkdtemp(prefix="sanderling-pg-", dir="/tmp")
    os.chmod(d, 0o755)
    last = ""
    for _ in range(3):
        proc = subprocess.run(
            [str(PG_SH), "start", d, str(_free_port())], capture_output=True, text=True, timeout=120
        )
        if proc.returncode == 0:
            atexit.register(_stop_server, d)
            return proc.stdout.strip().splitlines()[-1]
        last = proc.stderr
    shutil.rmtree(d, ignore_errors=True)
    raise RuntimeError(f"could not start a PostgreSQL server: {last}")


def _stop_server(d: str) -> None:
    subprocess.run([str(PG_SH), "stop", d], capture_output=True, timeout=60)
    shutil.rmtree(d, ignore_errors=True)


def pg_fresh_url() -> str:
    """URL of an empty schema on the session server (search_path set in the URL)."""
    import psycopg

    base = pg_server_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def fresh_target(backend: str, tmp_path: Path) -> str:
    """A fresh, empty store target: a DuckDB file in tmp_path, or a new PostgreSQL schema."""
    if backend == "postgres":
        return pg_fresh_url()
    return str(tmp_path / f"store-{uuid.uuid4().hex[:8]}.duckdb")


# ---------------------------------------------------------------- crash driver
def drive(target: str, batch: int = 3, pause: float = 0.05, slow_txn: bool = False) -> None:
    """Code the synthetic corpus into ``target`` batch by batch, printing progress."""
    from sanderling.store import open_store

    items = synthetic_corpus()
    with open_store(target) as st:
        run = st.begin_run("synthetic-driver/1", ["synthetic"])
        if slow_txn:
            original = st._rederive
            counter = iter(range(10**6))

            def slow(keys: Sequence[str]) -> None:
                print(f"in-txn {next(counter)}", flush=True)
                time.sleep(pause * 4)
                original(keys)

            st._rederive = slow  # type: ignore[method-assign]
        done = 0
        for i in range(0, len(items), batch):
            todo = [
                (a, r)
                for a, r in items[i : i + batch]
                if not st.is_current(a.id, st.content_hash(a))
            ]
            if todo:
                st.write_batch(run, todo)
                done += len(todo)
            print(f"batch {i // batch} wrote {len(todo)}", flush=True)
            time.sleep(pause)
        st.finish_run(run, {"articles": done})
    print("done", flush=True)


if __name__ == "__main__":
    drive(sys.argv[1], slow_txn=len(sys.argv) > 2 and sys.argv[2] == "slow")
