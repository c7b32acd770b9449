"""The PLOVER ontology (categories, quads, modes, scores) loaded from ``data/ontology.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    quad: int
    score: float
    requires_recipient: bool
    reciprocal: bool
    modes: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class Ontology:
    version: str
    categories: dict[str, Category]
    auxiliary_modes: tuple[str, ...]
    entity_codes: tuple[str, ...]
    igo_class: frozenset[str]
    sectors: frozenset[str]

    def score(self, category: str, modes: list[str] | tuple[str, ...] = ()) -> float:
        """PLOVER score of a category, refined by the first mode that has a score of its own."""
        cat = self.categories[category]
        for m in modes:
            value = cat.modes.get(m)
            if value is not None:
                return value
        return cat.score

    def quad(self, category: str) -> int:
        return self.categories[category].quad


def data_path(*parts: str) -> Any:
    """A Traversable inside the package's bundled ``data`` folder."""
    node = resources.files("sanderling").joinpath("data")
    for p in parts:
        node = node.joinpath(p)
    return node


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    raw = yaml.safe_load(data_path("ontology.yaml").read_text(encoding="utf-8"))
    cats = {
        name: Category(
            name=name,
            quad=int(c["quad"]),
            score=float(c["score"]),
            requires_recipient=bool(c.get("requires_recipient", False)),
            reciprocal=bool(c.get("reciprocal", False)),
            modes={m: (None if v is None else float(v)) for m, v in (c.get("modes") or {}).items()},
        )
        for name, c in raw["categories"].items()
    }
    return Ontology(
        version=str(raw["version"]),
        categories=cats,
        auxiliary_modes=tuple(raw["auxiliary_modes"]),
        entity_codes=tuple(raw["entity_codes"]),
        igo_class=frozenset(raw["igo_class"]),
        sectors=frozenset(raw["sectors"]),
    )
