"""Versioned schema: an ordered list of migrations and a ``schema_version`` table.

Each migration is a list of portable statements (valid in DuckDB and PostgreSQL).  Never edit a
released migration: append a new one.  ``migrate`` applies the missing ones, each in its own
transaction together with its ``schema_version`` row, so a crash leaves a whole version or none.

List-valued columns used for filtering (codes, modes, contexts, sectors) are stored as
``|A|B|`` strings so that one ``LIKE '%|A|%'`` works on both backends; the full record is kept as
JSON text next to them.
"""

from __future__ import annotations

from .backend import Backend

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "articles, mentions, events, runs",
        [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE SEQUENCE run_id_seq START 1",
            """CREATE TABLE runs (
                run_id BIGINT PRIMARY KEY DEFAULT nextval('run_id_seq'),
                coder TEXT NOT NULL,
                inputs TEXT NOT NULL,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP,
                status TEXT NOT NULL,
                stats TEXT)""",
            """CREATE TABLE articles (
                doc_id TEXT PRIMARY KEY,
                pub_date DATE,
                title TEXT,
                url TEXT,
                source TEXT,
                language TEXT,
                origin TEXT,
                content_hash TEXT NOT NULL,
                text TEXT NOT NULL,
                body_start INTEGER NOT NULL,
                run_id BIGINT,
                coded_at TIMESTAMP NOT NULL)""",
            """CREATE TABLE mentions (
                mention_id TEXT PRIMARY KEY,
                doc_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                record_id TEXT,
                dedup_key TEXT NOT NULL,
                event TEXT NOT NULL,
                date DATE,
                date_precision TEXT,
                actor_codes TEXT NOT NULL,
                recipient_codes TEXT NOT NULL,
                modes TEXT NOT NULL,
                contexts TEXT NOT NULL,
                quad_code INTEGER,
                event_scale FLOAT8,
                confidence FLOAT8,
                quote TEXT,
                text TEXT,
                span_start INTEGER,
                span_end INTEGER,
                record TEXT NOT NULL,
                run_id BIGINT)""",
            "CREATE INDEX mentions_doc_idx ON mentions (doc_id)",
            "CREATE INDEX mentions_key_idx ON mentions (dedup_key)",
            """CREATE TABLE events (
                event_id TEXT PRIMARY KEY,
                dedup_key TEXT NOT NULL,
                event TEXT NOT NULL,
                date DATE,
                date_precision TEXT,
                directed BOOLEAN NOT NULL,
                dyad TEXT,
                actor_codes TEXT NOT NULL,
                recipient_codes TEXT NOT NULL,
                sectors TEXT NOT NULL,
                modes TEXT NOT NULL,
                contexts TEXT NOT NULL,
                quad_code INTEGER,
                event_scale FLOAT8,
                confidence FLOAT8,
                num_sources INTEGER NOT NULL,
                num_articles INTEGER NOT NULL,
                quotes TEXT NOT NULL,
                record TEXT NOT NULL)""",
            "CREATE INDEX events_key_idx ON events (dedup_key)",
            "CREATE INDEX events_date_idx ON events (date)",
            """CREATE TABLE event_mentions (
                event_id TEXT NOT NULL,
                mention_id TEXT NOT NULL,
                PRIMARY KEY (event_id, mention_id))""",
        ],
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(db: Backend) -> int:
    if db.kind == "postgres":
        exists = db.query("SELECT to_regclass('schema_version') IS NOT NULL")[0][0]
    else:
        exists = bool(
            db.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                ["schema_version"],
            )[0][0]
        )
    if not exists:
        return 0
    row = db.query("SELECT max(version) FROM schema_version")[0][0]
    return int(row or 0)


def migrate(db: Backend) -> int:
    """Bring the schema to ``SCHEMA_VERSION``; returns the version found before migrating."""
    found = current_version(db)
    if found > SCHEMA_VERSION:
        raise RuntimeError(
            f"store schema version {found} is newer than this Sanderling ({SCHEMA_VERSION})"
        )
    if found == SCHEMA_VERSION or db.read_only:
        if found < SCHEMA_VERSION:
            raise RuntimeError(f"store schema version {found} needs migrating; open it writable")
        return found
    with db.transaction():
        db.lock_writers()
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "description TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
    for version, description, statements in MIGRATIONS:
        with db.transaction():
            db.lock_writers()
            # Re-check under the lock: another process may have migrated meanwhile.
            if db.query("SELECT count(*) FROM schema_version WHERE version = ?", [version])[0][0]:
                continue
            for stmt in statements:
                db.execute(stmt)
            db.execute(
                "INSERT INTO schema_version VALUES (?, ?, CURRENT_TIMESTAMP)",
                [version, description],
            )
    return found
