"""The pgvector case store's own promises (the shared ones are in ``test_store_conformance``):
search walks the engine's HNSW index, which holds active cases only; a bulk load builds that
index once over its rows; the embedder is recorded and checked."""

from __future__ import annotations

import numpy as np
import pytest

from agentroute._postgres import PostgresServer
from agentroute.embeddings import EmbedderMismatchError, HashingEmbedder
from agentroute.memory import CaseStatus
from agentroute.memory._pgvector import PgVectorCaseStore


def _plan(store: PgVectorCaseStore, namespace: str, q: np.ndarray) -> str:
    table = store._table(namespace)

    def explain(conn):  # type: ignore[no-untyped-def]
        rows = conn.execute(
            f"EXPLAIN SELECT id FROM {table} WHERE status = 'active' "
            "ORDER BY embedding <=> %s LIMIT 10",
            (q,),
        )
        return "\n".join(r[0] for r in rows)

    return str(store._db.run(explain))


def test_a_bulk_load_is_searched_through_the_hnsw_index(pgvector_db: str, mk) -> None:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=64)
    store = PgVectorCaseStore(PostgresServer(url=pgvector_db), emb)
    cases = [mk(f"weather in town number {i}", case_id=f"c{i}") for i in range(1500)]
    vectors = np.random.default_rng(0).standard_normal((1500, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.put_many(cases, vectors)
    assert store.count(namespace="default") == 1500
    q = vectors[7]
    assert "_hnsw" in _plan(store, "default", q)  # the engine's index, not a scan
    assert store.nearest(q, namespace="default", n=1)[0][0] == "c7"
    assert store.exact_nearest(q, namespace="default", n=1)[0][0] == "c7"

    cases[7].status = CaseStatus.QUARANTINED
    store.update(cases[7])
    hits = store.nearest(q, namespace="default", n=10)
    assert len(hits) == 10 and "c7" not in {cid for cid, _ in hits}
    store.close()


def test_another_embedder_is_refused(pgvector_db: str, mk) -> None:  # type: ignore[no-untyped-def]
    server = PostgresServer(url=pgvector_db)
    with PgVectorCaseStore(server, HashingEmbedder(dim=64)) as store:
        store.put(mk("convert 3 miles"), HashingEmbedder(dim=64).embed(["convert 3 miles"])[0])
    with pytest.raises(EmbedderMismatchError, match="hashing-128"):
        PgVectorCaseStore(server, HashingEmbedder(dim=128))
    with PgVectorCaseStore(server, None) as maintenance:  # list, show, export: no embedder
        assert [c.task for c in maintenance.cases()] == ["convert 3 miles"]


def test_a_server_that_cannot_be_reached_is_named_without_its_password() -> None:
    """The store takes the same address as chat threads, and fails as they do: naming the
    server as host:port/database and the setting, never the connection string."""
    from agentroute._pgvector_client import display
    from agentroute._postgres import PostgresError
    from tests.pgvector_server import free_port

    port = free_port()
    server = PostgresServer(
        url=f"postgresql://me:s3cr3t@127.0.0.1:{port}/cases", setting="the test's url"
    )
    assert display(server) == f"postgresql://127.0.0.1:{port}/cases"  # what a store is called
    with pytest.raises(PostgresError) as caught:  # the store reads its registry on opening
        PgVectorCaseStore(server, HashingEmbedder(dim=32))
    said = str(caught.value)
    assert said.startswith(f"the Postgres server at 127.0.0.1:{port}/cases (the test's url)")
    assert "cannot be reached" in said and "s3cr3t" not in said
