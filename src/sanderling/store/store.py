"""The event store: articles, mentions (coded records with evidence), deduplicated events, runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sanderling.types import Article, EventRecord

from . import dedup
from .backend import Backend, connect
from .schema import migrate

DEFAULT_STORE = "sanderling.duckdb"
_CHUNK = 500
_SQL_START = re.compile(r"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*(select|with)\b", re.I | re.S)


class StoreError(RuntimeError):
    """A store that cannot be opened or a request it refuses (e.g. a writing ``sql``)."""


def _codes(codes: Iterable[str]) -> str:
    """``|A|B|``: list columns in a form one LIKE pattern can search on both backends."""
    items = sorted({c for c in codes if c})
    return "|" + "|".join(items) + ("|" if items else "")


def _like_item(value: str) -> str:
    return "%|" + _escape_like(value) + "|%"


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    d = dedup.parse_date(value)
    if d is None:
        raise StoreError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return d


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _reciprocal() -> frozenset[str]:
    from sanderling.ontology import load_ontology

    return frozenset(n for n, c in load_ontology().categories.items() if c.reciprocal)


class Store:
    """One open store.  Not thread-safe: open one per thread or process."""

    def __init__(self, db: Backend, target: str, params: dedup.DedupParams | None = None) -> None:
        self._db = db
        self.target = target
        self.params = params or dedup.DedupParams()
        self._reciprocal = _reciprocal()

    # ------------------------------------------------------------------ basics
    @property
    def backend(self) -> str:
        """``duckdb`` or ``postgres``."""
        return self._db.kind

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def content_hash(article: Article) -> str:
        """sha256 over id, text and date: what decides whether an article must be re-coded."""
        date = article.date.isoformat() if article.date else ""
        return hashlib.sha256("\x1f".join((article.id, article.text, date)).encode()).hexdigest()

    # ------------------------------------------------------------------ runs
    def begin_run(self, coder: str, inputs: Sequence[str]) -> int:
        with self._db.transaction():
            rows = self._db.query(
                "INSERT INTO runs (coder, inputs, started_at, status) VALUES (?, ?, ?, 'running') "
                "RETURNING run_id",
                [coder, json.dumps(list(inputs)), _now()],
            )
        return int(rows[0][0])

    def finish_run(self, run_id: int, stats: Mapping[str, int | float]) -> None:
        with self._db.transaction():
            self._db.execute(
                "UPDATE runs SET finished_at = ?, status = 'finished', stats = ? WHERE run_id = ?",
                [_now(), json.dumps(dict(stats), sort_keys=True, default=str), run_id],
            )

    def runs(self) -> list[dict[str, Any]]:
        cols, rows = self._db.query_cols(
            "SELECT run_id, coder, inputs, started_at, finished_at, status, stats "
            "FROM runs ORDER BY run_id"
        )
        out = []
        for r in rows:
            d = dict(zip(cols, r, strict=True))
            d["inputs"] = json.loads(d["inputs"])
            d["stats"] = json.loads(d["stats"]) if d["stats"] else None
            out.append(d)
        return out

    # ------------------------------------------------------------------ ingestion
    def is_current(self, doc_id: str, content_hash: str) -> bool:
        rows = self._db.query("SELECT content_hash FROM articles WHERE doc_id = ?", [doc_id])
        return bool(rows) and rows[0][0] == content_hash

    def current_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Bulk ``is_current``: the stored content hash of each known doc id."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(doc_ids))):
            rows = self._db.query(
                f"SELECT doc_id, content_hash FROM articles WHERE doc_id IN ({_marks(len(chunk))})",
                list(chunk),
            )
            out.update({str(a): str(b) for a, b in rows})
        return out

    def write_batch(
        self, run_id: int, items: Sequence[tuple[Article, Sequence[EventRecord]]]
    ) -> None:
        """Store coded articles in ONE transaction and re-derive the events they touch.

        Each article replaces whatever was stored under its id (its mentions included), so a
        re-coded or changed article never leaves stale mentions behind.  Readers see the batch
        entirely or not at all; a crash before commit leaves the previous state.
        """
        latest: dict[str, tuple[Article, Sequence[EventRecord]]] = {}
        for article, records in items:
            latest[article.id] = (article, records)
        if not latest:
            return
        now = _now()
        article_rows = []
        mention_rows = []
        new_keys: set[str] = set()
        for article, records in latest.values():
            article_rows.append(
                [
                    article.id,
                    article.date,
                    article.title,
                    article.url,
                    article.source,
                    article.language,
                    article.origin,
                    self.content_hash(article),
                    article.text,
                    article.body_start,
                    run_id,
                    now,
                ]
            )
            ids = [r.id for r in records]
            unique = len(set(ids)) == len(ids) and all(ids)
            for i, rec in enumerate(records):
                d = rec.to_dict()
                key = dedup.record_key(d, self._reciprocal).text()
                new_keys.add(key)
                mention_rows.append(
                    [
                        f"{article.id}:{rec.id}" if unique else f"{article.id}:{i}",
                        article.id,
                        i,
                        rec.id,
                        key,
                        rec.event,
                        dedup.parse_date(rec.date),
                        rec.date_precision,
                        _codes(e.code for e in rec.actor),
                        _codes(e.code for e in rec.recipient),
                        _codes(rec.mode),
                        _codes(rec.context),
                        rec.quad_code,
                        rec.event_scale,
                        rec.confidence,
                        rec.event_text,
                        rec.text,
                        rec.event_span[0],
                        rec.event_span[1],
                        json.dumps(d, ensure_ascii=False),
                        run_id,
                    ]
                )
        doc_ids = list(latest)
        db = self._db
        with db.transaction():
            db.lock_writers()
            old_keys: set[str] = set()
            for chunk in _chunks(doc_ids):
                marks = _marks(len(chunk))
                old_keys.update(
                    r[0]
                    for r in db.query(
                        f"SELECT DISTINCT dedup_key FROM mentions WHERE doc_id IN ({marks})",
                        list(chunk),
                    )
                )
                db.execute(f"DELETE FROM mentions WHERE doc_id IN ({marks})", list(chunk))
                db.execute(f"DELETE FROM articles WHERE doc_id IN ({marks})", list(chunk))
            db.insert("articles", article_rows)
            db.insert("mentions", mention_rows)
            self._rederive(sorted(old_keys | new_keys))

    def _load_mentions(self, where: str, params: Sequence[Any]) -> list[dedup.Mention]:
        rows = self._db.query(
            "SELECT m.mention_id, m.doc_id, m.record, a.pub_date, a.url, a.source, a.title "
            f"FROM mentions m JOIN articles a ON a.doc_id = m.doc_id {where}",
            params,
        )
        return [
            dedup.Mention(
                mention_id=r[0],
                doc_id=r[1],
                record=json.loads(r[2]),
                published=dedup.parse_date(r[3]),
                url=r[4],
                outlet=r[5],
                title=r[6],
            )
            for r in rows
        ]

    def _rederive(self, keys: Sequence[str]) -> None:
        """Inside a transaction: replace the events of ``keys`` by a new merge of their mentions."""
        db = self._db
        for chunk in _chunks(keys):
            marks = _marks(len(chunk))
            mentions = self._load_mentions(f"WHERE m.dedup_key IN ({marks})", list(chunk))
            db.execute(
                "DELETE FROM event_mentions WHERE event_id IN "
                f"(SELECT event_id FROM events WHERE dedup_key IN ({marks}))",
                list(chunk),
            )
            db.execute(f"DELETE FROM events WHERE dedup_key IN ({marks})", list(chunk))
            self._insert_events(dedup.derive(mentions, self.params, self._reciprocal))

    def _insert_events(self, events: list[dict[str, Any]]) -> None:
        rows = []
        links: list[list[str]] = []
        for ev in events:
            actors = [a["code"] for a in ev["actor"]]
            recips = [r["code"] for r in ev["recipient"]]
            if ev["directed"]:
                dyad: str | None = (
                    "+".join(sorted(set(actors))) + "->" + "+".join(sorted(set(recips)))
                )
            else:
                parties = sorted(set(actors))
                dyad = "<->".join(parties) if len(parties) > 1 else None
            sectors = [e["sector"] for e in ev["actor"] + ev["recipient"]]
            quotes = "\n".join(q for s in ev["sources"] for q in (s["quote"], s["text"]) if q)
            rows.append(
                [
                    ev["id"],
                    ev["dedup_key"],
                    ev["event"],
                    dedup.parse_date(ev["date"]),
                    ev["date_precision"],
                    ev["directed"],
                    dyad,
                    _codes(actors),
                    _codes(recips),
                    _codes(sectors),
                    _codes(ev["mode"]),
                    _codes(ev["context"]),
                    ev["quad_code"],
                    ev["event_scale"],
                    ev["confidence"],
                    ev["num_sources"],
                    ev["num_articles"],
                    quotes,
                    json.dumps(ev, ensure_ascii=False),
                ]
            )
            links.extend([ev["id"], s["mention_id"]] for s in ev["sources"])
        self._db.insert("events", rows)
        self._db.insert("event_mentions", links)

    def rebuild_events(self) -> int:
        """Recompute every mention key and every event (after a change of rule or ontology)."""
        db = self._db
        with db.transaction():
            db.lock_writers()
            mentions = self._load_mentions("", [])
            fixes = []
            for m in mentions:
                fixes.append([dedup.record_key(m.record, self._reciprocal).text(), m.mention_id])
            db.executemany("UPDATE mentions SET dedup_key = ? WHERE mention_id = ?", fixes)
            db.execute("DELETE FROM event_mentions")
            db.execute("DELETE FROM events")
            events = dedup.derive(mentions, self.params, self._reciprocal)
            self._insert_events(events)
            self._set_meta("dedup", self._dedup_signature())
        return len(events)

    def _dedup_signature(self) -> str:
        return json.dumps(
            {**self.params.as_dict(), "reciprocal": sorted(self._reciprocal), "rule": 2},
            sort_keys=True,
        )

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("DELETE FROM meta WHERE key = ?", [key])
        self._db.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

    def _check_dedup_signature(self) -> None:
        rows = self._db.query("SELECT value FROM meta WHERE key = 'dedup'")
        if rows and rows[0][0] == self._dedup_signature():
            return
        if self._db.read_only:
            return  # events are as the last writer derived them
        self.rebuild_events()

    # ------------------------------------------------------------------ queries
    def _filters(
        self,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        actor: str | None = None,
        recipient: str | None = None,
        sector: str | None = None,
        category: str | None = None,
        mode: str | None = None,
        context: str | None = None,
        quad: int | None = None,
        text: str | None = None,
        min_sources: int | None = None,
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("date >= ?")
            params.append(_date(since))
        if until is not None:
            where.append("date <= ?")
            params.append(_date(until))
        if actor:
            # An undirected event (CONSULT, no recipient) lists all its parties as actors.
            where.append("actor_codes LIKE ? ESCAPE '\\'")
            params.append(_like_item(actor.upper()))
        if recipient:
            where.append(
                "(recipient_codes LIKE ? ESCAPE '\\' OR (NOT directed AND actor_codes LIKE ? "
                "ESCAPE '\\'))"
            )
            params += [_like_item(recipient.upper())] * 2
        for col, value in (("sectors", sector), ("modes", mode), ("contexts", context)):
            if value:
                where.append(f"{col} LIKE ? ESCAPE '\\'")
                params.append(_like_item(value if col != "sectors" else value.upper()))
        if category:
            where.append("event = ?")
            params.append(category.upper())
        if quad is not None:
            where.append("quad_code = ?")
            params.append(int(quad))
        if text:
            where.append("lower(quotes) LIKE ? ESCAPE '\\'")
            params.append("%" + _escape_like(text.lower()) + "%")
        if min_sources is not None:
            where.append("num_sources >= ?")
            params.append(int(min_sources))
        return ("WHERE " + " AND ".join(where)) if where else "", params

    def events(self, *, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Deduplicated events (PLOVER dicts with ``sources``), by date then id.

        Filters: since/until (YYYY-MM-DD, inclusive), actor, recipient (country/entity code;
        for undirected events both match any party), sector, category, mode, context, quad,
        text (case-insensitive substring of the quotes and sentences), min_sources.
        """
        where, params = self._filters(**filters)
        sql = f"SELECT record FROM events {where} ORDER BY date NULLS LAST, event_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [json.loads(r[0]) for r in self._db.query(sql, params)]

    def mentions(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Stored records (as coded), optionally of one article, in article order."""
        where, params = ("WHERE doc_id = ?", [doc_id]) if doc_id else ("", [])
        rows = self._db.query(
            f"SELECT record FROM mentions {where} ORDER BY doc_id, ordinal", params
        )
        return [json.loads(r[0]) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "mentions", "events", "runs"):
            out[table] = int(self._db.query(f"SELECT count(*) FROM {table}")[0][0])
        return out

    def stats(self, *, top: int = 20, **filters: Any) -> dict[str, Any]:
        """Totals, events and mentions per category, events per month and per dyad (top N)."""
        where, params = self._filters(**filters)
        q = self._db.query
        by_cat = q(
            f"SELECT event, count(*), sum(num_sources) FROM events {where} "
            "GROUP BY event ORDER BY count(*) DESC, event",
            params,
        )
        by_month = q(
            "SELECT substr(CAST(date AS TEXT), 1, 7) AS month, count(*) FROM events "
            f"{where} GROUP BY month ORDER BY month NULLS LAST",
            params,
        )
        dyad_where = (where + " AND " if where else "WHERE ") + "dyad IS NOT NULL"
        by_dyad = q(
            f"SELECT dyad, count(*) FROM events {dyad_where} GROUP BY dyad "
            "ORDER BY count(*) DESC, dyad LIMIT ?",
            [*params, top],
        )
        return {
            "totals": self.counts(),
            "by_category": [
                {"category": c, "events": int(n), "mentions": int(m or 0)} for c, n, m in by_cat
            ],
            "by_month": [{"month": m, "events": int(n)} for m, n in by_month],
            "by_dyad": [{"dyad": d, "events": int(n)} for d, n in by_dyad],
        }

    def dyads(self, *, top: int = 20, min_events: int = 1, **filters: Any) -> list[dict[str, Any]]:
        """Top dyads with their cooperation-conflict balance.

        ``mean_scale`` is the mean PLOVER event_scale (-10 conflict .. +10 cooperation);
        ``cooperation``/``conflict`` count quads 1-2 / 3-4;
        ``balance`` = (cooperation - conflict) / events, from -1 to +1.
        """
        where, params = self._filters(**filters)
        where = (where + " AND " if where else "WHERE ") + "dyad IS NOT NULL"
        rows = self._db.query(
            "SELECT dyad, count(*), sum(num_sources), avg(event_scale), "
            "sum(CASE WHEN quad_code = 1 THEN 1 ELSE 0 END), "
            "sum(CASE WHEN quad_code = 2 THEN 1 ELSE 0 END), "
            "sum(CASE WHEN quad_code = 3 THEN 1 ELSE 0 END), "
            "sum(CASE WHEN quad_code = 4 THEN 1 ELSE 0 END) "
            f"FROM events {where} GROUP BY dyad HAVING count(*) >= ? "
            "ORDER BY count(*) DESC, dyad LIMIT ?",
            [*params, int(min_events), int(top)],
        )
        out = []
        for dyad_, n, m, mean, q1, q2, q3, q4 in rows:
            n, q1, q2, q3, q4 = int(n), int(q1), int(q2), int(q3), int(q4)
            out.append(
                {
                    "dyad": dyad_,
                    "events": n,
                    "mentions": int(m or 0),
                    "mean_scale": round(float(mean or 0.0), 3),
                    "verbal_coop": q1,
                    "material_coop": q2,
                    "verbal_conflict": q3,
                    "material_conflict": q4,
                    "cooperation": q1 + q2,
                    "conflict": q3 + q4,
                    "balance": round((q1 + q2 - q3 - q4) / n, 3),
                }
            )
        return out

    def sql(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run one read-only SELECT/WITH query; returns (column names, rows).

        Refused unless it is a single SELECT or WITH statement; it also runs in a read-only
        transaction (and on a read-only connection when the store was opened read-only), so the
        database itself rejects writes hidden in a WITH.
        """
        text = query.strip().rstrip(";").strip()
        if not _SQL_START.match(text):
            raise StoreError("only SELECT or WITH queries are allowed")
        if self._db.kind == "duckdb":
            import duckdb

            try:
                stmts = duckdb.extract_statements(text)
            except duckdb.Error as exc:
                raise StoreError(f"SQL error: {exc}") from exc
            if len(stmts) != 1 or stmts[0].type != duckdb.StatementType.SELECT:
                raise StoreError("only one SELECT or WITH query is allowed")
        elif ";" in text:
            raise StoreError("only one statement is allowed")
        try:
            with self._db.read_only_transaction():
                return self._db.raw_query_cols(text)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"SQL error: {exc}") from exc

    def export(self, path: str | os.PathLike[str], fmt: str, **filters: Any) -> int:
        """Write the (filtered) events to ``path``; returns the number of events/rows written."""
        from .export import write_export

        return write_export(self.events(**filters), path, fmt)


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    params: dedup.DedupParams | None = None,
) -> Store:
    """Open (creating and migrating if needed) a store.

    ``None`` -> ``sanderling.duckdb`` in the working directory; a path -> that DuckDB file;
    ``postgresql://...`` -> PostgreSQL.  ``read_only`` opens DuckDB read-only (other processes
    may read too) and makes every PostgreSQL transaction read-only.
    """
    target = os.fspath(target) if target is not None else DEFAULT_STORE
    is_pg = target.startswith(("postgresql://", "postgres://"))
    if not is_pg and read_only and not os.path.exists(target):
        raise StoreError(f"no store at {target} (code some articles into it first)")
    try:
        db = connect(target, read_only=read_only)
    except Exception as exc:
        raise StoreError(f"cannot open store {target}: {exc}") from exc
    try:
        migrate(db)
        store = Store(db, target, params)
        store._check_dedup_signature()
    except BaseException:
        db.close()
        raise
    return store
