"""Event store: embedded DuckDB by default, PostgreSQL for teams (see docs/store.md).

The coder calls ``open_store`` once, skips articles for which ``is_current`` holds, and writes
coded articles with ``write_batch`` (one transaction per batch).  Queries and exports read the
deduplicated events that each batch re-derives.
"""

from __future__ import annotations

from .dedup import DedupParams
from .export import FORMATS, cameo_code, read_export, write_export
from .schema import MIGRATIONS, SCHEMA_VERSION
from .store import DEFAULT_STORE, Store, StoreError, open_store

__all__ = [
    "DEFAULT_STORE",
    "FORMATS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "DedupParams",
    "Store",
    "StoreError",
    "cameo_code",
    "open_store",
    "read_export",
    "write_export",
]
