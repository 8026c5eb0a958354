"""The case store on PostgreSQL with pgvector: any number of processes share one bank.

The database does what the chromadb store's journal, write-behind queue and in-memory index do
for one process: a write is durable when its transaction commits, every process sees it at
once, and search is the engine's own HNSW index. Each namespace has its own table (named by a
hash of the full namespace, so isolation never rests on a filter or a prefix), with an HNSW
index over its *active* cases only (a partial index): a search walks only what it may return,
so a quarantined neighbour never crowds out an active one. The embedder id is recorded for
the store and each namespace, and checked on open.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute._log import get_logger
from agentroute._pgvector_client import PgConnection, as_array, display, table_name
from agentroute._postgres import PostgresServer
from agentroute.embeddings._base import Embedder
from agentroute.memory._case import Case, CaseStatus
from agentroute.memory._store import MemoryStoreError, check_vector, embedder_mismatch

__all__ = ["PgVectorCaseStore"]

log = get_logger(__name__)

_SPACES = "agentroute_case_namespaces"
"""One row per namespace: its table, the embedder and dimension its vectors were made with."""
_ACTIVE = CaseStatus.ACTIVE.value
_LOCK = 0x61676373  # "agcs": creating a namespace's table, one process at a time
_PAGE = 500
_BULK = 1000
"""A ``put_many`` of at least this many cases into one namespace builds its index once."""


class PgVectorCaseStore:
    """Cases in PostgreSQL (one table per namespace), searched by pgvector's HNSW index.

    ``embedder`` may be ``None`` for maintenance only (list, show, forget, export): then no
    vector is checked and ``put``/``search`` are unavailable. ``ef_search``: the HNSW search
    breadth (pgvector's ``hnsw.ef_search``; at least the number of results asked for): 400
    found 99% of the exact top 10 among 10,000 clustered vectors in ``bench_pgvector`` (40,
    pgvector's default, 64%; 200, 95%), at a tenth of an exact search's time.
    """

    def __init__(
        self, server: PostgresServer, embedder: Embedder | None, *, ef_search: int = 400
    ) -> None:
        self.server = server
        self.ef_search = ef_search
        self._db = PgConnection(server)
        self._embedder_id = embedder.id if embedder is not None else ""
        self._dim = embedder.dim if embedder is not None else 0
        self._tables: dict[str, str] = {}
        self._db.run(_create_registry)
        if embedder is not None:
            for _ns, stored in self._db.run(
                lambda c: c.execute(f"SELECT namespace, embedder FROM {_SPACES}").fetchall()
            ):
                if stored != embedder.id:
                    self.close()
                    raise embedder_mismatch(self.path, stored, embedder.id)

    @property
    def embedder_id(self) -> str:
        return self._embedder_id

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def path(self) -> str:
        """Where the store is, as errors name it (the server, never its password)."""
        return display(self.server)

    # -- tables ---------------------------------------------------------------------------------

    def _table(self, namespace: str, *, create: bool = False) -> str | None:
        """The table of ``namespace`` (made, with its index, when ``create``)."""
        table = self._tables.get(namespace)
        if table is not None:
            return table

        def find(conn: Any) -> str | None:
            row = conn.execute(
                f"SELECT tbl FROM {_SPACES} WHERE namespace = %s", (namespace,)
            ).fetchone()
            if row is not None or not create:
                return str(row[0]) if row is not None else None
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            row = conn.execute(  # another process may have made it while we waited
                f"SELECT tbl FROM {_SPACES} WHERE namespace = %s", (namespace,)
            ).fetchone()
            if row is not None:
                return str(row[0])
            name = table_name("agentroute_cases", namespace)
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {name} ("
                " id text PRIMARY KEY,"
                " turn_id text NOT NULL DEFAULT '',"
                " status text NOT NULL,"
                " body text NOT NULL,"
                f" embedding vector({int(self._dim)}) NOT NULL)"
            )
            conn.execute(_hnsw_sql(name))
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name}_turn ON {name} (turn_id)")
            conn.execute(
                f"INSERT INTO {_SPACES} (namespace, tbl, embedder, dim) VALUES (%s, %s, %s, %s)",
                (namespace, name, self._embedder_id, self._dim),
            )
            return name

        found = self._db.run(find)
        if found is not None:
            self._tables[namespace] = found
        return found

    def _spaces(self) -> dict[str, str]:
        rows = self._all(f"SELECT namespace, tbl FROM {_SPACES}", ())
        self._tables.update((str(ns), str(t)) for ns, t in rows)
        return {str(ns): str(t) for ns, t in rows}

    # -- protocol -------------------------------------------------------------------------------

    def put(self, case: Case, vector: npt.ArrayLike, *, updates: Sequence[Case] = ()) -> None:
        self._writable()
        vec = check_vector(vector, self._dim)
        for other in updates:
            if other.id == case.id and other.namespace == case.namespace:
                raise MemoryStoreError(f"case {case.id!r} is both put and updated")
        table = self._table(case.namespace, create=True)
        assert table is not None
        tables = {u.namespace: self._table(u.namespace) for u in updates}

        def write(conn: Any) -> None:
            for other in updates:  # one no longer stored is dropped, never brought back
                where = tables[other.namespace]
                if where is not None:
                    _update(conn, where, other)
            _upsert(conn, table=table, cases=[case], vectors=[vec])

        self._db.run(write)

    def put_many(self, cases: list[Case], vectors: npt.ArrayLike) -> None:
        """Bulk ``put`` (imports, benchmarks): one transaction per namespace and batch."""
        self._writable()
        mat = np.asarray(vectors, dtype=np.float32).reshape(len(cases), -1)
        if len(cases) and mat.shape[1] != self._dim:
            raise MemoryStoreError(
                f"vectors have dimension {mat.shape[1]}, the store expects {self._dim}"
            )
        by_ns: dict[str, list[int]] = {}
        for i, c in enumerate(cases):
            by_ns.setdefault(c.namespace, []).append(i)
        for ns, rows in by_ns.items():
            table = self._table(ns, create=True)
            assert table is not None
            vecs = [check_vector(mat[i], self._dim) for i in rows]
            if len(rows) < _BULK:
                self._db.run(
                    partial(_upsert, table=table, cases=[cases[i] for i in rows], vectors=vecs)
                )
                continue

            def load(
                conn: Any, table: str = table, rows: list[int] = rows, vecs: Any = vecs
            ) -> None:
                # One transaction: the index dropped, the rows in, the graph built once over
                # them (far quicker than growing it row by row); readers wait for the commit.
                conn.execute(f"DROP INDEX IF EXISTS {table}_hnsw")
                for a in range(0, len(rows), 1000):
                    _upsert(
                        conn,
                        table=table,
                        cases=[cases[i] for i in rows[a : a + 1000]],
                        vectors=vecs[a : a + 1000],
                    )
                conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
                conn.execute(_hnsw_sql(table))
                conn.execute(f"ANALYZE {table}")

            self._db.run(load)

    def update(self, case: Case) -> None:
        self.update_many([case])

    def update_many(self, cases: Sequence[Case]) -> None:
        tables = {c.namespace: self._table(c.namespace) for c in cases}

        def write(conn: Any) -> None:
            for case in cases:
                table = tables[case.namespace]
                if table is None or not _update(conn, table, case):
                    raise MemoryStoreError(f"no case {case.id!r} in namespace {case.namespace!r}")

        self._db.run(write)

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        spaces = [namespace] if namespace is not None else sorted(self._spaces())
        for ns in spaces:
            table = self._table(ns)
            if table is None:
                continue
            row = self._one(f"SELECT body FROM {table} WHERE id = %s", (case_id,))
            if row is not None:
                return _parse(row[0], ns, case_id)
        return None

    def get_many(self, case_ids: Sequence[str], *, namespace: str) -> dict[str, Case]:
        table = self._table(namespace)
        ids = list(dict.fromkeys(case_ids))
        if table is None or not ids:
            return {}
        rows = self._all(f"SELECT id, body FROM {table} WHERE id = ANY(%s)", (ids,))
        return {str(cid): _parse(body, namespace, str(cid)) for cid, body in rows}

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None:
        table = self._table(namespace)
        if table is None:
            return None
        row = self._one(f"SELECT embedding FROM {table} WHERE id = %s", (case_id,))
        return as_array(row[0]) if row is not None else None

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool:
        spaces = [namespace] if namespace is not None else sorted(self._spaces())
        for ns in spaces:
            table = self._table(ns)
            if table is None:
                continue
            if self._one(f"DELETE FROM {table} WHERE id = %s RETURNING id", (case_id,)):
                return True
        return False

    def search(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        n: int,
        min_similarity: float | None = None,
    ) -> list[tuple[Case, float]]:
        rows = self._nearest(vector, namespace, n, min_similarity, bodies=True)
        return [(_parse(body, namespace, cid), sim) for cid, sim, body in rows]

    def nearest(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[str, float]]:
        return [(cid, sim) for cid, sim, _ in self._nearest(vector, namespace, n, None)]

    def _nearest(
        self,
        vector: npt.ArrayLike,
        namespace: str,
        n: int,
        min_similarity: float | None,
        *,
        bodies: bool = False,
        exact: bool = False,
    ) -> list[tuple[str, float, str]]:
        """The ``n`` active cases nearest ``vector``: pgvector's HNSW index (its partial index
        over active cases), or, with ``exact``, every active case compared (the benchmark's
        ground truth)."""
        vec = check_vector(vector, self._dim)
        table = self._table(namespace)
        if table is None or n <= 0:
            return []
        body = "body" if bodies else "''"
        floor = "" if min_similarity is None else " AND embedding <=> %(q)s <= %(far)s"
        sql = (
            f"SELECT id, 1 - (embedding <=> %(q)s), {body} FROM {table} "
            f"WHERE status = '{_ACTIVE}'{floor} ORDER BY embedding <=> %(q)s LIMIT %(n)s"
        )
        params = {"q": vec, "n": n, "far": 1.0 - (min_similarity or 0.0)}

        def query(conn: Any) -> list[tuple[str, float, str]]:
            if exact:
                conn.execute("SET LOCAL enable_indexscan = off")
            else:
                self._db.setting(conn, "hnsw.ef_search", min(max(int(self.ef_search), n), 1000))
            return [(str(i), float(s), str(b)) for i, s, b in conn.execute(sql, params)]

        return self._db.run(query, atomic=exact)

    def exact_nearest(
        self, vector: npt.ArrayLike, *, namespace: str, n: int
    ) -> list[tuple[str, float]]:
        """Like ``nearest``, comparing every active case (no index): the recall benchmark's
        ground truth."""
        return [(c, s) for c, s, _ in self._nearest(vector, namespace, n, None, exact=True)]

    def cases(self, *, namespace: str | None = None) -> Iterator[Case]:
        spaces = [namespace] if namespace is not None else sorted(self._spaces())
        for ns in spaces:
            table = self._table(ns)
            if table is None:
                continue
            after = ""
            while True:
                page = self._all(
                    f"SELECT id, body FROM {table} WHERE id > %s ORDER BY id LIMIT %s",
                    (after, _PAGE),
                )
                for cid, body in page:
                    yield _parse(body, ns, cid)
                if len(page) < _PAGE:
                    break
                after = page[-1][0]

    def namespaces(self) -> list[str]:
        return sorted(self._spaces())

    def find_turn(self, turn_id: str) -> Case | None:
        for ns, table in sorted(self._spaces().items()):
            row = self._one(f"SELECT id, body FROM {table} WHERE turn_id = %s LIMIT 1", (turn_id,))
            if row is not None:
                return _parse(row[1], ns, row[0])
        return None

    def count(self, *, namespace: str | None = None) -> int:
        spaces = self._spaces()
        tables = [spaces[namespace]] if namespace in spaces else []
        if namespace is None:
            tables = list(spaces.values())
        return sum(int(self._one(f"SELECT count(*) FROM {t}", ())[0]) for t in tables)

    def close(self) -> None:
        self._db.close()

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        """The first row of ``sql`` (``None``: no row): one statement, committed alone."""
        return self._db.run(lambda c: c.execute(sql, params).fetchone(), atomic=False)

    def _all(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        return list(self._db.run(lambda c: c.execute(sql, params).fetchall(), atomic=False))

    def __enter__(self) -> PgVectorCaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self) -> None:
        if not self._embedder_id:
            raise MemoryStoreError("this store was opened without an embedder: read-only use")

    @classmethod
    def destroy(cls, server: PostgresServer) -> int:
        """Drop every namespace's table and the registry (tests, a bank started over);
        returns the number of namespaces dropped."""
        db = PgConnection(server)

        def drop(conn: Any) -> int:
            if conn.execute("SELECT to_regclass(%s)", (_SPACES,)).fetchone()[0] is None:
                return 0
            tables = [str(t) for (t,) in conn.execute(f"SELECT tbl FROM {_SPACES}")]
            for t in tables:
                conn.execute(f"DROP TABLE IF EXISTS {t}")
            conn.execute(f"DROP TABLE {_SPACES}")
            return len(tables)

        try:
            return db.run(drop)
        finally:
            db.close()


def _hnsw_sql(table: str) -> str:
    """The table's HNSW index (cosine) over its active cases only."""
    return (
        f"CREATE INDEX IF NOT EXISTS {table}_hnsw ON {table} "
        f"USING hnsw (embedding vector_cosine_ops) WHERE status = '{_ACTIVE}'"
    )


def _create_registry(conn: Any) -> None:
    if conn.execute("SELECT to_regclass(%s)", (_SPACES,)).fetchone()[0] is not None:
        return
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {_SPACES} (namespace text PRIMARY KEY, tbl text NOT NULL "
        "UNIQUE, embedder text NOT NULL, dim integer NOT NULL)"
    )


def _upsert(conn: Any, *, table: str, cases: list[Case], vectors: list[Any]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {table} (id, turn_id, status, body, embedding) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET turn_id = "
            "EXCLUDED.turn_id, status = EXCLUDED.status, body = EXCLUDED.body, "
            "embedding = EXCLUDED.embedding",
            [
                (c.id, c.turn_id or "", c.status.value, c.model_dump_json(), v)
                for c, v in zip(cases, vectors, strict=True)
            ],
        )


def _update(conn: Any, table: str, case: Case) -> bool:
    """A stored case's fields replaced, its vector kept; ``False``: no such case."""
    done = conn.execute(
        f"UPDATE {table} SET turn_id = %s, status = %s, body = %s WHERE id = %s",
        (case.turn_id or "", case.status.value, case.model_dump_json(), case.id),
    )
    return bool(done.rowcount)


def _parse(body: str, namespace: str, case_id: str) -> Case:
    try:
        return Case.model_validate_json(body)
    except ValueError as exc:
        raise MemoryStoreError(f"case {namespace}/{case_id} is not a valid record: {exc}") from exc
