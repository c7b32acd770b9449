"""Shared fixtures: the spaCy pipeline and a Coder are loaded once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with the reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared not present ({p}): the corpora are read from there at test time")
    return p


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from sanderling.nlp import UNUSED_COMPONENTS, load_pipeline

    return load_pipeline(exclude=UNUSED_COMPONENTS, fast=True)  # as the Coder loads it


@pytest.fixture(scope="session")
def coder(nlp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    import datetime as dt

    from sanderling.pipeline import Coder, CoderConfig

    yield Coder(CoderConfig(coded_date=dt.date(2026, 1, 1)), nlp=nlp)
