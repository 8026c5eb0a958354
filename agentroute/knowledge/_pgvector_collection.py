"""A knowledge base's passages in PostgreSQL with pgvector, behind the slice of chromadb's
collection API that :class:`ChromaKnowledgeBase` uses on a Chroma server (``add``, ``get``,
``query``, ``delete``, ``count``, ``metadata``, ``modify``).

So ingestion (by content hash, per document), the fused lexical and dense search and the
``where`` filters are the same code on every store; only where the rows live differs. Each
base is one table with an HNSW index (cosine); a search without a filter walks the index, a
filtered one compares every passage the filter admits (exact: pgvector 0.6's index filters
after its walk, and would return fewer than asked for under a narrow filter).

``where`` is chromadb's metadata syntax: ``{"k": v}``, ``$eq``, ``$ne``, ``$gt``, ``$gte``,
``$lt``, ``$lte``, ``$in``, ``$nin``, ``$and``, ``$or``. Anything else (``$contains`` on a
metadata list, a document filter) raises ``ValueError`` saying so.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from agentroute._pgvector_client import PgConnection, as_array, display, table_name
from agentroute._postgres import PostgresServer

__all__ = ["PgCollection", "PgCollections", "pg_collections", "where_sql"]

_BASES = "agentroute_kb_collections"
_LOCK = 0x61676B62  # "agkb": creating a base's table, one process at a time
_HNSW_MAX_EF = 1000
"""pgvector's largest ``hnsw.ef_search``: a longer result list is searched exactly."""
_COMPARE = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
_SUPPORTED = "$eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $and, $or"


def pg_collections(server: PostgresServer) -> PgCollections:
    """The bases on ``server``, over one connection per process and address. The address is
    read now: two servers named by the same variable at different times (another
    configuration, a test's own server) never share a connection."""
    return _pg_collections(server, server.conninfo())


@functools.lru_cache(maxsize=8)
def _pg_collections(server: PostgresServer, conninfo: str) -> PgCollections:
    return PgCollections(server.model_copy(update={"url": conninfo}))  # this address, for good


class PgCollections:
    """The knowledge bases in one PostgreSQL database, as chromadb's client lists collections."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.db = PgConnection(server)

    def _registry(self, conn: Any) -> None:
        if conn.execute("SELECT to_regclass(%s)", (_BASES,)).fetchone()[0] is not None:
            return
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {_BASES} (name text PRIMARY KEY, tbl text NOT NULL "
            "UNIQUE, dim integer NOT NULL, metadata jsonb NOT NULL DEFAULT '{}')"
        )

    def get_or_create_collection(
        self, name: str, *, dim: int, metadata: dict[str, Any] | None = None
    ) -> PgCollection:
        """The base ``name`` (made with ``metadata`` and an HNSW index when missing)."""

        def open_or_make(conn: Any) -> str:
            self._registry(conn)
            row = conn.execute(f"SELECT tbl FROM {_BASES} WHERE name = %s", (name,)).fetchone()
            if row is not None:
                return str(row[0])
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            row = conn.execute(f"SELECT tbl FROM {_BASES} WHERE name = %s", (name,)).fetchone()
            if row is not None:
                return str(row[0])
            table = table_name("agentroute_kb", name)
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(
                f"CREATE TABLE {table} (seq bigserial, id text PRIMARY KEY, document text NOT "
                f"NULL, metadata jsonb NOT NULL, embedding vector({int(dim)}) NOT NULL)"
            )
            conn.execute(
                f"CREATE INDEX {table}_hnsw ON {table} USING hnsw (embedding vector_cosine_ops)"
            )
            conn.execute(f"CREATE INDEX {table}_seq ON {table} (seq)")
            conn.execute(
                f"INSERT INTO {_BASES} (name, tbl, dim, metadata) VALUES (%s, %s, %s, %s)",
                (name, table, dim, json.dumps(metadata or {})),
            )
            return table

        return PgCollection(self, name, self.db.run(open_or_make))

    def delete_collection(self, name: str) -> None:
        """Drop the base ``name``; ``ValueError`` when there is none (as chromadb raises)."""

        def drop(conn: Any) -> bool:
            self._registry(conn)
            row = conn.execute(
                f"DELETE FROM {_BASES} WHERE name = %s RETURNING tbl", (name,)
            ).fetchone()
            if row is None:
                return False
            conn.execute(f"DROP TABLE IF EXISTS {row[0]}")
            return True

        if not self.db.run(drop):
            raise ValueError(f"no knowledge base {name!r} in {display(self.server)}")


class PgCollection:
    """One base's passages: a table of id, text, metadata (jsonb) and vector."""

    def __init__(self, owner: PgCollections, name: str, table: str) -> None:
        self._owner = owner
        self._db = owner.db
        self.name = name
        self.table = table

    @property
    def metadata(self) -> dict[str, Any]:
        """The base's own metadata (its embedder, its files' stamps), read now."""
        row = self._db.run(
            lambda c: c.execute(
                f"SELECT metadata FROM {_BASES} WHERE name = %s", (self.name,)
            ).fetchone(),
            atomic=False,
        )
        return dict(row[0]) if row is not None else {}

    def modify(self, *, metadata: dict[str, Any]) -> None:
        self._db.run(
            lambda c: c.execute(
                f"UPDATE {_BASES} SET metadata = %s WHERE name = %s",
                (json.dumps(metadata), self.name),
            )
        )

    def count(self) -> int:
        row = self._db.run(
            lambda c: c.execute(f"SELECT count(*) FROM {self.table}").fetchone(), atomic=False
        )
        return int(row[0])

    def add(
        self,
        *,
        ids: Sequence[str],
        documents: Sequence[str],
        embeddings: Any,
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        rows = [
            (str(i), str(d), json.dumps(dict(m or {})), as_array(e))
            for i, d, m, e in zip(ids, documents, metadatas, embeddings, strict=True)
        ]

        def write(conn: Any) -> None:
            with conn.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO {self.table} (id, document, metadata, embedding) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET document = "
                    "EXCLUDED.document, metadata = EXCLUDED.metadata, embedding = "
                    "EXCLUDED.embedding",
                    rows,
                )

        self._db.run(write)

    upsert = add

    def delete(
        self, ids: Sequence[str] | None = None, *, where: dict[str, Any] | None = None
    ) -> None:
        sql, params = _filters(ids, where)
        self._db.run(lambda c: c.execute(f"DELETE FROM {self.table} WHERE {sql}", params))

    def get(
        self,
        ids: Sequence[str] | None = None,
        *,
        where: dict[str, Any] | None = None,
        include: Sequence[str] = ("documents", "metadatas"),
        limit: int | None = None,
        offset: int | None = None,
    ) -> dict[str, Any]:
        sql, params = _filters(ids, where)
        page = ""
        if limit is not None:
            page += f" LIMIT {int(limit)}"
        if offset:
            page += f" OFFSET {int(offset)}"
        rows = self._db.run(
            lambda c: c.execute(
                f"SELECT id, document, metadata, embedding FROM {self.table} WHERE {sql} "
                f"ORDER BY seq{page}",
                params,
            ).fetchall(),
            atomic=False,
        )
        out: dict[str, Any] = {"ids": [str(r[0]) for r in rows]}
        out["documents"] = [str(r[1]) for r in rows] if "documents" in include else None
        out["metadatas"] = [dict(r[2]) for r in rows] if "metadatas" in include else None
        out["embeddings"] = [as_array(r[3]) for r in rows] if "embeddings" in include else None
        return out

    def query(
        self,
        *,
        query_embeddings: Sequence[Any],
        n_results: int = 10,
        where: dict[str, Any] | None = None,
        include: Sequence[str] = ("documents", "metadatas", "distances"),
    ) -> dict[str, Any]:
        """The ``n_results`` passages nearest each query vector (cosine distance), under
        ``where``: the HNSW index without a filter, every admitted passage with one."""
        sql, params = _filters(None, where)
        exact = bool(where) or n_results > _HNSW_MAX_EF
        out: dict[str, Any] = {"ids": [], "documents": [], "metadatas": [], "distances": []}
        for vector in query_embeddings:
            q = as_array(vector)

            def search(conn: Any, q: Any = q) -> list[Any]:
                if exact:
                    conn.execute("SET LOCAL enable_indexscan = off")
                else:
                    self._db.setting(conn, "hnsw.ef_search", max(40, int(n_results)))
                return list(
                    conn.execute(
                        f"SELECT id, document, metadata, embedding <=> %s AS d FROM {self.table} "
                        f"WHERE {sql} ORDER BY d LIMIT %s",
                        [q, *params, int(n_results)],
                    ).fetchall()
                )

            rows = self._db.run(search, atomic=exact) if n_results > 0 else []
            out["ids"].append([str(r[0]) for r in rows])
            out["documents"].append([str(r[1]) for r in rows])
            out["metadatas"].append([dict(r[2]) for r in rows])
            out["distances"].append([float(r[3]) for r in rows])
        return out


def _filters(ids: Sequence[str] | None, where: dict[str, Any] | None) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if ids is not None:
        parts.append("id = ANY(%s)")
        params.append([str(i) for i in ids])
    if where:
        sql, more = where_sql(where)
        parts.append(sql)
        params.extend(more)
    return (" AND ".join(parts) or "TRUE"), params


def where_sql(where: dict[str, Any]) -> tuple[str, list[Any]]:
    """chromadb's metadata filter as a SQL condition over the ``metadata`` jsonb column, and
    its parameters. ``ValueError`` names what is malformed or not supported here."""
    if not isinstance(where, dict) or not where:
        raise ValueError(f"a where filter is a non-empty object, not {where!r}")
    parts: list[str] = []
    params: list[Any] = []
    for key, value in where.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise ValueError(f"{key} takes a non-empty list of filters, not {value!r}")
            subs = [where_sql(w) for w in value]
            joiner = " AND " if key == "$and" else " OR "
            parts.append("(" + joiner.join(s for s, _ in subs) + ")")
            params.extend(p for _, ps in subs for p in ps)
        elif key.startswith("$"):
            raise ValueError(
                f"the operator {key!r} is not supported in a where filter on pgvector "
                f"(supported: {_SUPPORTED})"
            )
        else:
            sql, more = _field(key, value)
            parts.append(sql)
            params.extend(more)
    return "(" + " AND ".join(parts) + ")", params


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool | int | float | str):
        return json.dumps(value)
    raise ValueError(
        f"where: {key!r} compares with {value!r}; a metadata value is a string, number or bool"
    )


def _field(key: str, value: Any) -> tuple[str, list[Any]]:
    if not isinstance(value, dict):
        return "metadata -> %s = %s::jsonb", [key, _scalar(key, value)]
    if len(value) != 1:
        raise ValueError(f"where: {key!r} takes one operator, not {sorted(value)}")
    ((op, operand),) = value.items()
    if op == "$eq":
        return "metadata -> %s = %s::jsonb", [key, _scalar(key, operand)]
    if op == "$ne":
        return "metadata -> %s IS DISTINCT FROM %s::jsonb", [key, _scalar(key, operand)]
    if op in _COMPARE:
        if isinstance(operand, bool) or not isinstance(operand, int | float):
            raise ValueError(f"where: {op} on {key!r} compares numbers, not {operand!r}")
        return (
            f"(jsonb_typeof(metadata -> %s) = 'number' AND "
            f"(metadata ->> %s)::float8 {_COMPARE[op]} %s)",
            [key, key, float(operand)],
        )
    if op in ("$in", "$nin"):
        if not isinstance(operand, list) or not operand:
            raise ValueError(f"where: {op} on {key!r} takes a non-empty list, not {operand!r}")
        values = [_scalar(key, v) for v in operand]
        test = "metadata -> %s = ANY(%s::jsonb[])"
        return (test if op == "$in" else f"NOT coalesce({test}, false)"), [key, values]
    raise ValueError(
        f"where: the operator {op!r} on {key!r} is not supported on pgvector "
        f"(supported: {_SUPPORTED})"
    )
