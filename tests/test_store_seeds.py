"""Acceptance (issue 5): seeds 000 and 001 report the same Xi-Trump phone call -> one event.

Seed 000 also reports a second CHN-USA phone call (health ministers Ma and Azar, 2020-03-30):
that one must stay a separate event with one source.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from sanderling.store import open_store
from sanderling.types import Article

sys.path.insert(0, str(Path(__file__).parent))  # pytest's importlib mode: tests/ is not on the path
from store_fixtures import BACKENDS, SHARED, fresh_target

XI, TRUMP = "Q15031", "Q22686"


@pytest.fixture(scope="module")
def coded_seeds(coder: Any) -> list[tuple[Article, list[Any]]]:
    """Seeds 000/001 coded once by the session ``coder`` (conftest: ``Coder(...)``)."""
    from sanderling.ingest import iter_inputs

    seeds = sorted((SHARED / "seeds").glob("00[01]_*.txt"))
    if len(seeds) != 2:
        pytest.skip(f"../shared not present: no seeds 000/001 in {SHARED / 'seeds'}")
    arts = [a for a in iter_inputs([str(p) for p in seeds]) if isinstance(a, Article)]
    assert len(arts) == 2
    return [(a, list(coder.code_article(a))) for a in arts]


def _phone_calls(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        e
        for e in events
        if "phone" in e["mode"]
        and {a["code"] for a in e["actor"] + e["recipient"]} == {"CHN", "USA"}
    ]


def _ids(event: dict[str, Any]) -> set[str]:
    return {a["identifier_id"] for a in event["actor"] + event["recipient"] if a["identifier_id"]}


@pytest.mark.parametrize("backend", BACKENDS)
def test_seed_call_is_one_event_and_recoding_changes_nothing(
    backend: str, tmp_path: Path, coded_seeds: list[tuple[Article, list[Any]]]
) -> None:
    with open_store(fresh_target(backend, tmp_path)) as st:
        counts = []
        for _ in range(2):
            run = st.begin_run("test-seeds", ["000", "001"])
            todo = [(a, r) for a, r in coded_seeds if not st.is_current(a.id, st.content_hash(a))]
            if todo:
                st.write_batch(run, todo)
            st.finish_run(run, {"articles": len(todo)})
            counts.append({k: v for k, v in st.counts().items() if k != "runs"})
        st.write_batch(run, coded_seeds)  # even forced re-writing adds nothing
        counts.append({k: v for k, v in st.counts().items() if k != "runs"})
        assert counts[0] == counts[1] == counts[2]

        calls = _phone_calls(st.events(category="CONSULT"))
        leaders = [c for c in calls if {XI, TRUMP} <= _ids(c)]
        assert len(leaders) == 1, calls
        (call,) = leaders
        assert call["num_articles"] == 2 and call["num_sources"] >= 2
        assert {s["doc_id"] for s in call["sources"]} == {a.id for a, _ in coded_seeds}
        ministers = [c for c in calls if not _ids(c) & {XI, TRUMP}]
        assert len(ministers) == 1 and ministers[0]["num_articles"] == 1, calls
