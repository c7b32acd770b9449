"""Event store: schema, idempotent ingestion, deduplication, queries, exports — on both backends."""

from __future__ import annotations

import csv
import dataclasses
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanderling.ontology import load_ontology
from sanderling.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    DedupParams,
    Store,
    StoreError,
    cameo_code,
    open_store,
    read_export,
)
from sanderling.store import dedup as dd
from sanderling.store.export import load_cameo_map
from sanderling.types import Entity

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode: tests/ is not on the path
from store_fixtures import (
    BACKENDS,
    article,
    ent,
    fresh_target,
    record,
    snapshot,
    synthetic_corpus,
)


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_target(request.param, tmp_path)


@pytest.fixture
def store(target: str) -> Iterator[Store]:
    with open_store(target) as s:
        yield s


def write(store: Store, *items: tuple[Any, list[Any]]) -> None:
    run = store.begin_run("test/1", ["inline"])
    store.write_batch(run, list(items))
    store.finish_run(run, {"articles": len(items)})


def consult(doc: str, date: str | None, precision: str = "day", **kw: Any) -> Any:
    return record(
        doc,
        kw.pop("idx", 0),
        "CONSULT",
        kw.pop("actors", ["CHN", "USA"]),
        kw.pop("recipients", []),
        date=date,
        precision=precision,
        mode=kw.pop("mode", ["phone"]),
        **kw,
    )


def events_of(store: Store, category: str = "CONSULT") -> list[dict[str, Any]]:
    return store.events(category=category)


# ---------------------------------------------------------------- schema and runs
def test_schema_is_versioned_and_migrations_run_once(target: str) -> None:
    with open_store(target) as s:
        rows = s.sql("SELECT version, description FROM schema_version ORDER BY version")[1]
        assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]
        assert rows[-1][0] == SCHEMA_VERSION
        write(s, (article("a1"), [consult("a1", "2021-05-01")]))
    with open_store(target) as s:  # reopening migrates nothing and keeps the data
        assert s.sql("SELECT count(*) FROM schema_version")[1][0][0] == len(MIGRATIONS)
        assert s.counts()["events"] == 1


def test_runs_record_coder_inputs_and_stats(store: Store) -> None:
    run = store.begin_run("sanderling 0.1.0", ["a.txt", "dir/"])
    store.write_batch(run, [(article("a1"), [])])
    assert store.runs()[0]["status"] == "running"
    store.finish_run(run, {"articles": 1, "seconds": 0.5})
    (r,) = store.runs()
    assert (r["run_id"], r["coder"], r["inputs"], r["status"]) == (
        run,
        "sanderling 0.1.0",
        ["a.txt", "dir/"],
        "finished",
    )
    assert r["stats"] == {"articles": 1, "seconds": 0.5} and r["finished_at"] is not None


def test_content_hash_covers_id_text_and_date() -> None:
    a = article("a1", "2021-05-01", text="Some text.")
    h = Store.content_hash(a)
    assert h == Store.content_hash(article("a1", "2021-05-01", text="Some text."))
    assert len(h) == 64
    for other in (
        dataclasses.replace(a, id="a2"),
        dataclasses.replace(a, text="Other."),
        dataclasses.replace(a, date=None),
    ):
        assert Store.content_hash(other) != h
    assert Store.content_hash(dataclasses.replace(a, title="new title")) == h


# ---------------------------------------------------------------- ingestion
def test_articles_and_mentions_are_stored_with_evidence(store: Store) -> None:
    a = article("a1", "2021-05-03", text="China and the US held a call.")
    rec = consult("a1", "2021-05-02", quote="held a call", span=(22, 28))
    write(store, (a, [rec]))
    _, rows = store.sql(
        "SELECT doc_id, pub_date, title, url, source, content_hash, text FROM articles"
    )
    assert rows[0][0] == "a1" and str(rows[0][1]) == "2021-05-03"
    assert rows[0][2:5] == (a.title, a.url, a.source)
    assert rows[0][5] == Store.content_hash(a) and rows[0][6] == a.text
    (m,) = store.mentions("a1")
    assert m == rec.to_dict()
    row = store.sql("SELECT quote, span_start, span_end, event FROM mentions")[1][0]
    assert row == ("held a call", 22, 28, "CONSULT")


def test_is_current_and_rewriting_is_idempotent(store: Store) -> None:
    items = synthetic_corpus(8)
    write(store, *items)
    before = snapshot(store)
    for a, _ in items:
        assert store.is_current(a.id, Store.content_hash(a))
    assert not store.is_current("syn000", "0" * 64)
    assert not store.is_current("nope", Store.content_hash(items[0][0]))
    assert store.current_hashes(["syn000", "nope"]) == {"syn000": Store.content_hash(items[0][0])}
    write(store, *items)  # a second run over the same inputs changes nothing
    assert snapshot(store) == before


def test_changed_article_replaces_its_mentions(store: Store) -> None:
    write(
        store,
        (
            article("a1"),
            [
                consult("a1", "2021-05-01"),
                record("a1", 1, "ACCUSE", ["RUS"], ["FRA"], date="2021-05-01"),
            ],
        ),
        (article("a2"), [consult("a2", "2021-05-02")]),
    )
    assert events_of(store)[0]["num_sources"] == 2
    assert len(store.events(category="ACCUSE")) == 1
    changed = article("a1", text="Corrected body.")
    write(store, (changed, [record("a1", 0, "AID", ["USA"], ["IND"], date="2021-05-01")]))
    assert store.is_current("a1", Store.content_hash(changed))
    assert [m["event"] for m in store.mentions("a1")] == ["AID"]
    (ev,) = events_of(store)
    assert ev["num_sources"] == 1 and [s["doc_id"] for s in ev["sources"]] == ["a2"]
    assert store.events(category="ACCUSE") == []
    assert store.counts() == {"articles": 2, "mentions": 2, "events": 2, "runs": 2}


def test_same_article_twice_in_one_batch_keeps_the_last(store: Store) -> None:
    write(
        store,
        (article("a1"), [consult("a1", "2021-05-01")]),
        (article("a1"), [consult("a1", "2021-05-01"), consult("a1", "2021-06-01", idx=1)]),
    )
    assert store.counts()["mentions"] == 2


def test_reader_never_sees_half_a_batch(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(target) as writer, open_store(target) as reader:
        write(writer, (article("a0"), [consult("a0", "2021-05-01")]))
        seen: list[dict[str, int]] = []
        original = writer._rederive

        def spy(keys: Any) -> None:
            seen.append(reader.counts())  # mid-transaction: mentions written, events not yet
            original(keys)
            seen.append(reader.counts())

        monkeypatch.setattr(writer, "_rederive", spy)
        run = writer.begin_run("t", [])
        writer.write_batch(
            run, [(article(f"b{i}"), [consult(f"b{i}", "2021-05-01")]) for i in range(3)]
        )
        before = {"articles": 1, "mentions": 1, "events": 1, "runs": 2}
        assert seen == [before, before]
        assert reader.counts()["articles"] == 4 and reader.events()[0]["num_sources"] == 4


def test_failed_batch_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    write(store, (article("a0"), [consult("a0", "2021-05-01")]))
    before = snapshot(store)

    def boom(keys: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_rederive", boom)
    with pytest.raises(RuntimeError):
        store.write_batch(1, [(article("a0", text="changed"), []), (article("a9"), [])])
    assert snapshot(store) == before


# ---------------------------------------------------------------- deduplication
def test_same_call_from_two_articles_is_one_event(store: Store) -> None:
    a = consult(
        "a1",
        "2020-03-27",
        actors=[ent("CHN", text="Xi"), ent("USA", text="Trump")],
        context=["health"],
        confidence=0.7,
    )
    b = consult(
        "a2",
        "2020-03-30",
        actors=["USA"],
        recipients=["CHN"],
        mode=["phone"],
        context=["diplomatic"],
        confidence=0.9,
    )
    write(store, (article("a1", "2020-03-28"), [a]), (article("a2", "2020-03-31"), [b]))
    (ev,) = events_of(store)
    assert (ev["num_sources"], ev["num_articles"]) == (2, 2)
    assert ev["date"] == "2020-03-27" and ev["date_precision"] == "day"
    assert {s["doc_id"] for s in ev["sources"]} == {"a1", "a2"}
    assert ev["sources"][0]["quote"] == a.event_text and ev["sources"][0]["span"] == [0, 10]
    assert ev["mode"] == ["phone"] and ev["context"] == ["diplomatic", "health"]
    assert [x["code"] for x in ev["actor"]] == ["CHN", "USA"] and ev["recipient"] == []
    assert ev["confidence"] == 0.9 and ev["quad_code"] == 1
    assert ev["event_scale"] == load_ontology().score("CONSULT", ["phone"])


@pytest.mark.parametrize("gap,expected", [(0, 1), (3, 1), (4, 2), (7, 2)])
def test_window_separates_distinct_calls(gap: int, expected: int) -> None:
    import datetime as dt

    day2 = (dt.date(2021, 5, 1) + dt.timedelta(days=gap)).isoformat()
    ms = [
        dd.Mention("a:1", "a", consult("a", "2021-05-01").to_dict()),
        dd.Mention("b:1", "b", consult("b", day2).to_dict()),
    ]
    assert len(dd.derive(ms, DedupParams(), frozenset({"CONSULT"}))) == expected


def test_key_rules() -> None:
    rc = frozenset({"CONSULT"})
    k = lambda r: dd.record_key(r.to_dict(), rc).text()  # noqa: E731
    # reciprocal categories ignore direction; directed ones do not
    assert k(consult("a", None, actors=["USA"], recipients=["CHN"])) == k(consult("b", None))
    acc = record("a", 0, "ACCUSE", ["CHN"], ["USA"])
    assert k(acc) != k(record("a", 0, "ACCUSE", ["USA"], ["CHN"]))
    # no recipient: the union of parties, order-free
    assert k(record("a", 0, "AGREE", ["USA", "CHN"])) == k(record("b", 0, "AGREE", ["CHN", "USA"]))
    # sets, not lists: a second CHN entity changes nothing
    assert k(record("a", 0, "ACCUSE", ["CHN", ent("CHN", "MIL")], ["USA"])) == k(acc)
    # a denied or threatened event is not the event
    assert k(record("a", 0, "ACCUSE", ["CHN"], ["USA"], mode=["negation"])) != k(acc)
    assert k(record("a", 0, "ACCUSE", ["CHN"], ["USA"], mode=["historical"])) == k(acc)
    # Sanderling writes auxiliary modes into context: a threat there is a key of its own too
    assert k(record("a", 0, "ACCUSE", ["CHN"], ["USA"], context=["future"])) != k(acc)


def _person(code: str, ident: str) -> Entity:
    e = ent(code, text=ident)
    return dataclasses.replace(e, identifier_id=f"sdl:{ident}", identifier_text=ident)


def test_two_calls_of_different_people_on_one_dyad_stay_apart() -> None:
    """Xi-Trump on 03-27 and Ma-Azar on 03-30: same dyad, within the window, two events."""
    rc = frozenset({"CONSULT"})
    xi, trump = _person("CHN", "xi"), _person("USA", "trump")
    ma, azar = _person("CHN", "ma"), _person("USA", "azar")
    ms = [
        dd.Mention("a:0", "a", consult("a", "2020-03-27", actors=[xi, trump]).to_dict()),
        dd.Mention("b:0", "b", consult("b", "2020-03-30", actors=[ma, azar]).to_dict()),
        # "China and the US spoke" names no one: it joins the nearest call, not a third event
        dd.Mention("c:0", "c", consult("c", "2020-03-29").to_dict()),
        dd.Mention("d:0", "d", consult("d", "2020-03-28", actors=[xi, trump]).to_dict()),
    ]
    groups = sorted(
        sorted(s["doc_id"] for s in e["sources"]) for e in dd.derive(ms, DedupParams(), rc)
    )
    assert groups == [["a", "c", "d"], ["b"]]
    rng = random.Random(1)
    for _ in range(10):
        rng.shuffle(ms)
        again = sorted(
            sorted(s["doc_id"] for s in e["sources"]) for e in dd.derive(ms, DedupParams(), rc)
        )
        assert again == groups


def test_undated_mentions_use_publication_date(store: Store) -> None:
    write(
        store,
        (article("p1", "2021-05-01"), [consult("p1", "2021-05-01")]),
        (article("p2", "2021-05-09"), [consult("p2", "2021-05-09")]),
        # undated, published 05-07: within reach of both calls, nearest is 05-09
        (article("u1", "2021-05-07"), [consult("u1", None, "story")]),
        # undated and far from any call: an event of its own, dated by publication
        (article("u2", "2021-07-01"), [consult("u2", None, "unknown")]),
        # no date at all: dateless event
        (article("u3", None), [consult("u3", None, "unknown")]),
    )
    evs = events_of(store)
    assert [
        (e["date"], e["date_precision"], sorted(s["doc_id"] for s in e["sources"])) for e in evs
    ] == [
        ("2021-05-01", "day", ["p1"]),
        ("2021-05-09", "day", ["p2", "u1"]),
        ("2021-07-01", "story", ["u2"]),
        (None, "unknown", ["u3"]),
    ]


def test_coarse_mentions_attach_but_never_bridge() -> None:
    rc = frozenset({"CONSULT"})
    ms = [
        dd.Mention("a:0", "a", consult("a", "2021-03-03").to_dict(), dd.parse_date("2021-03-03")),
        dd.Mention("b:0", "b", consult("b", "2021-03-10").to_dict(), dd.parse_date("2021-03-10")),
        dd.Mention(
            "c:0", "c", consult("c", "2021-03-01", "month").to_dict(), dd.parse_date("2021-03-11")
        ),
        dd.Mention(
            "d:0", "d", consult("d", "2021-03-08", "week").to_dict(), dd.parse_date("2021-03-20")
        ),
    ]
    evs = dd.derive(ms, DedupParams(), rc)
    # month mention (published 03-11) joins the 03-10 call; the week of 03-08..14 too
    groups = sorted(sorted(s["doc_id"] for s in e["sources"]) for e in evs)
    assert groups == [["a"], ["b", "c", "d"]]
    # a coarse-only event is dated by its earliest coarse mention
    (only,) = dd.derive(ms[2:3], DedupParams(), rc)
    assert (only["date"], only["date_precision"]) == ("2021-03-01", "month")


def test_merge_is_deterministic_and_order_independent() -> None:
    rc = frozenset({"CONSULT"})
    ms = [
        dd.Mention(f"{a.id}:{r.id}", a.id, r.to_dict(), a.date)
        for a, recs in synthetic_corpus(30, seed=3)
        for r in recs
    ]
    ref = dd.derive(ms, DedupParams(), rc)
    assert len(ref) < len(ms)
    rng = random.Random(0)
    for _ in range(20):
        rng.shuffle(ms)
        assert dd.derive(ms, DedupParams(), rc) == ref


def test_store_order_and_batching_do_not_matter(tmp_path: Path, target: str) -> None:
    items = synthetic_corpus(20, seed=5)
    with open_store(target) as s1:
        write(s1, *items)
        one_batch = snapshot(s1)
    with open_store(fresh_target("duckdb", tmp_path)) as s2:
        for it in reversed(items):
            write(s2, it)
        write(s2, *items[:7])  # re-sending some articles changes nothing
        assert snapshot(s2) == one_batch


def test_changing_the_window_rederives_events(target: str) -> None:
    with open_store(target) as s:
        write(
            s,
            (article("a"), [consult("a", "2021-05-01")]),
            (article("b"), [consult("b", "2021-05-08")]),
        )
        assert len(events_of(s)) == 2
    with open_store(target, params=DedupParams(window_days=10)) as s:
        assert len(events_of(s)) == 1
    with open_store(target) as s:
        assert len(events_of(s)) == 2


# ---------------------------------------------------------------- queries
@pytest.fixture
def filled(store: Store) -> Store:
    write(
        store,
        (
            article("a1", "2021-05-02"),
            [
                consult("a1", "2021-05-01", quote="Leaders spoke by phone", context=["health"]),
                record(
                    "a1",
                    1,
                    "ACCUSE",
                    ["RUS"],
                    [ent("UKR", "MIL")],
                    date="2021-05-01",
                    mode=["allege"],
                    quote="accused the army",
                ),
            ],
        ),
        (article("a2", "2021-05-03"), [consult("a2", "2021-05-02")]),
        (
            article("a3", "2021-06-10"),
            [
                record(
                    "a3",
                    0,
                    "ASSAULT",
                    [ent("RUS", "MIL")],
                    ["UKR"],
                    date="2021-06-09",
                    mode=["aerial"],
                    quote="air strikes hit",
                ),
                record("a3", 1, "AID", ["USA"], ["UKR"], date="2021-06-10", quote="sent aid"),
            ],
        ),
    )
    return store


def ids(evs: list[dict[str, Any]]) -> list[str]:
    return [e["event"] for e in evs]


def test_event_filters(filled: Store) -> None:
    s = filled
    # by date, then event id (CONSULT and ACCUSE share 2021-05-01)
    assert sorted(ids(s.events())[:2]) == ["ACCUSE", "CONSULT"]
    assert ids(s.events())[2:] == ["ASSAULT", "AID"]
    assert ids(s.events(since="2021-06-01")) == ["ASSAULT", "AID"]
    assert sorted(ids(s.events(until="2021-05-31"))) == ["ACCUSE", "CONSULT"]
    assert ids(s.events(since="2021-06-10", until="2021-06-10")) == ["AID"]
    assert sorted(ids(s.events(actor="rus"))) == ["ACCUSE", "ASSAULT"]
    assert ids(s.events(actor="USA")) == ["CONSULT", "AID"]
    # undirected: recipient matches any party
    assert ids(s.events(recipient="CHN")) == ["CONSULT"]
    assert sorted(ids(s.events(recipient="UKR"))) == ["ACCUSE", "AID", "ASSAULT"]
    assert sorted(ids(s.events(sector="MIL"))) == ["ACCUSE", "ASSAULT"]
    assert ids(s.events(category="assault")) == ["ASSAULT"]
    assert ids(s.events(mode="aerial")) == ["ASSAULT"]
    assert ids(s.events(context="health")) == ["CONSULT"]
    assert ids(s.events(quad=2)) == ["AID"]
    assert ids(s.events(text="AIR STRIKES")) == ["ASSAULT"]
    assert s.events(text="100%_") == []
    assert ids(s.events(min_sources=2)) == ["CONSULT"]
    assert len(s.events(limit=2)) == 2
    assert ids(s.events(actor="RUS", quad=4, since="2021-06-01")) == ["ASSAULT"]
    with pytest.raises(StoreError):
        s.events(since="yesterday")


def test_stats_and_dyads(filled: Store) -> None:
    st = filled.stats()
    assert st["totals"] == {"articles": 3, "mentions": 5, "events": 4, "runs": 1}
    assert {r["category"]: (r["events"], r["mentions"]) for r in st["by_category"]} == {
        "CONSULT": (1, 2),
        "ACCUSE": (1, 1),
        "ASSAULT": (1, 1),
        "AID": (1, 1),
    }
    assert st["by_month"] == [{"month": "2021-05", "events": 2}, {"month": "2021-06", "events": 2}]
    assert {r["dyad"]: r["events"] for r in st["by_dyad"]} == {
        "CHN<->USA": 1,
        "RUS->UKR": 2,
        "USA->UKR": 1,
    }
    dy = {r["dyad"]: r for r in filled.dyads()}
    ru = dy["RUS->UKR"]
    assert (ru["events"], ru["conflict"], ru["cooperation"], ru["balance"]) == (2, 2, 0, -1.0)
    onto = load_ontology()
    assert ru["mean_scale"] == pytest.approx(
        (onto.score("ACCUSE", ["allege"]) + onto.score("ASSAULT", ["aerial"])) / 2
    )
    assert dy["USA->UKR"]["balance"] == 1.0 and dy["USA->UKR"]["material_coop"] == 1
    assert [r["dyad"] for r in filled.dyads(min_events=2)] == ["RUS->UKR"]


def test_sql_is_read_only(filled: Store) -> None:
    cols, rows = filled.sql(
        "  -- count\nSELECT event, num_sources FROM events WHERE event = 'CONSULT';"
    )
    assert cols == ["event", "num_sources"] and rows == [("CONSULT", 2)]
    assert filled.sql("WITH x AS (SELECT 1 AS n) SELECT n FROM x")[1] == [(1,)]
    for bad in (
        "DELETE FROM events",
        "DROP TABLE events",
        "INSERT INTO runs VALUES (1)",
        "SELECT 1; DELETE FROM events",
        "UPDATE events SET num_sources = 0",
        "WITH d AS (DELETE FROM events RETURNING 1) SELECT * FROM d",
        "SELECT nextval('run_id_seq')",
        "SELECT * FROM no_such_table",
    ):
        with pytest.raises(StoreError):
            filled.sql(bad)
    assert filled.counts()["events"] == 4


def test_read_only_store(target: str, tmp_path: Path) -> None:
    with open_store(target) as s:
        write(s, (article("a1"), [consult("a1", "2021-05-01")]))
    with open_store(target, read_only=True) as ro:
        assert len(ro.events()) == 1
        with pytest.raises(Exception):  # noqa: B017 - backend-specific error type
            ro.begin_run("x", [])
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing.duckdb", read_only=True)


# ---------------------------------------------------------------- exports
def test_plover_jsonl_and_parquet_round_trip(filled: Store, tmp_path: Path) -> None:
    evs = filled.events()
    for fmt in ("plover-jsonl", "parquet"):
        path = tmp_path / f"out.{fmt}"
        assert filled.export(path, fmt) == len(evs)
        assert read_export(path, fmt) == evs
    assert filled.export(tmp_path / "few.jsonl", "plover-jsonl", since="2021-06-01") == 2
    with pytest.raises(ValueError):
        filled.export(tmp_path / "x", "xml")


def test_csv_export(filled: Store, tmp_path: Path) -> None:
    filled.export(tmp_path / "e.csv", "csv")
    with open(tmp_path / "e.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4
    c = next(r for r in rows if r["event"] == "CONSULT")
    assert (c["actor_codes"], c["num_sources"], c["doc_ids"]) == ("CHN;USA", "2", "a1;a2")


def test_cameo_export(filled: Store, tmp_path: Path) -> None:
    n = filled.export(tmp_path / "e.tsv", "cameo")
    with open(tmp_path / "e.tsv", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert n == len(rows) == 5  # CONSULT gives both directions
    by = {(r["CAMEO Code"], r["Source Country"], r["Target Country"]): r for r in rows}
    assert set(by) == {
        ("041", "China", "United States"),
        ("041", "United States", "China"),
        ("112", "Russian Federation", "Ukraine"),
        ("195", "Russian Federation", "Ukraine"),
        ("07", "United States", "Ukraine"),
    }
    strike = by[("195", "Russian Federation", "Ukraine")]
    assert strike["Source Sectors"] == "MIL" and strike["Source Code"] == "RUSMIL"
    assert float(strike["Intensity"]) == load_ontology().score("ASSAULT", ["aerial"])
    assert strike["Event Date"] == "2021-06-09" and strike["Story ID"] == "a3"


def test_cameo_mapping() -> None:
    cmap = load_cameo_map()
    onto = load_ontology()
    assert set(cmap) == set(onto.categories)

    def code(event: str, mode: list[str] = (), sector: str = "GOV") -> str:  # type: ignore[assignment]
        return cameo_code({"event": event, "mode": list(mode), "actor": [{"sector": sector}]})

    assert code("CONSULT") == "04" and code("CONSULT", ["phone"]) == "041"
    assert code("CONSULT", ["visit"]) == "042"
    assert code("AGREE") == "03" and code("SUPPORT") == "05" and code("COOPERATE") == "06"
    assert code("AID") == "07" and code("CONCEDE") == "08" and code("RETREAT") == "08"
    assert code("REQUEST") == "10" and code("ACCUSE") == "11" and code("REJECT") == "12"
    assert code("THREATEN") == "13" and code("PROTEST") == "14" and code("MOBILIZE") == "15"
    assert code("SANCTION") == "16" and code("COERCE") == "17"
    assert code("ASSAULT") == "18" and code("ASSAULT", sector="MIL") == "190"
    assert code("ASSAULT", ["firearms"]) == "193" and code("ASSAULT", ["unconventional"]) == "204"
    assert code("ACCUSE", ["investigate"]) == "090"
    assert code("CONSULT", ["negation", "phone"]) == "041"
    for name, cat in cmap.items():
        assert len(cat.root) == 2 and cat.root.isdigit(), name
        for m, c in cat.modes.items():
            assert c.isdigit() and 3 <= len(c) <= 4, (name, m)
