"""A batch's rows sent as one multi-row statement leave a real Postgres table exactly as
LangGraph's row-by-row ``executemany`` does, duplicate conflict keys included."""

from __future__ import annotations

import psycopg
import pytest
from langgraph.checkpoint.postgres.base import (
    INSERT_CHECKPOINT_WRITES_SQL,
    UPSERT_CHECKPOINT_BLOBS_SQL,
    UPSERT_CHECKPOINT_WRITES_SQL,
)

from agentroute.turn._pg_rows import multi_row
from tests.postgres_server import database_for_test

_TABLES = """
CREATE TABLE checkpoint_blobs (thread_id text, checkpoint_ns text, channel text, version text,
    type text, blob bytea, PRIMARY KEY (thread_id, checkpoint_ns, channel, version));
CREATE TABLE checkpoint_writes (thread_id text, checkpoint_ns text, checkpoint_id text,
    task_id text, task_path text, idx integer, channel text, type text, blob bytea,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx));
"""


def _blob(channel: str, version: str, value: bytes) -> tuple[object, ...]:
    return ("t", "", channel, version, "bytes", value)


def _write(task: str, idx: int, value: bytes) -> tuple[object, ...]:
    return ("t", "", "c1", task, "", idx, "said", "bytes", value)


BATCH = [
    (
        UPSERT_CHECKPOINT_BLOBS_SQL,
        [_blob("a", "1", b"x"), _blob("a", "1", b"y"), _blob("b", "2", b"z")],
    ),
    (
        UPSERT_CHECKPOINT_WRITES_SQL,
        [_write("k", 0, b"1"), _write("k", 0, b"2"), _write("k", 1, b"3")],
    ),
    (
        INSERT_CHECKPOINT_WRITES_SQL,
        [_write("k", 0, b"4"), _write("m", 0, b"5"), _write("m", 0, b"6")],
    ),
    (UPSERT_CHECKPOINT_WRITES_SQL, [_write("m", 0, b"7")]),
]
"""Duplicate keys within a statement (first or last wins) and across the two writes
statements (an upsert wins over an insert-if-new in either order)."""


def _tables(conn: psycopg.Connection, *, earlier: bool) -> None:
    conn.execute(_TABLES)
    if earlier:  # rows already stored by an earlier batch
        conn.execute(UPSERT_CHECKPOINT_WRITES_SQL, _write("m", 0, b"old"))
        conn.execute(UPSERT_CHECKPOINT_BLOBS_SQL, _blob("b", "2", b"old"))


def _state(conn: psycopg.Connection) -> list[list[tuple[object, ...]]]:
    return [
        conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5").fetchall()
        for table in ("checkpoint_blobs", "checkpoint_writes")
    ]


@pytest.mark.parametrize("earlier", [False, True])
def test_multi_row_statements_write_what_row_by_row_does(postgres_url: str, earlier: bool) -> None:
    row_by_row, batched = database_for_test(postgres_url), database_for_test(postgres_url)
    with psycopg.connect(row_by_row) as conn:
        _tables(conn, earlier=earlier)
        for sql, rows in BATCH:
            conn.cursor().executemany(sql, rows)
        expected = _state(conn)
    with psycopg.connect(batched) as conn:
        _tables(conn, earlier=earlier)
        statements = [pair for sql, rows in BATCH for pair in multi_row(sql, rows)]
        assert len(statements) == len(BATCH)  # one statement each, not one per row
        for statement, params in statements:
            conn.execute(statement, params)
        assert _state(conn) == expected
    assert expected[1][0][-1] == b"2" and expected[0][0][-1] == b"x"


def test_rows_beyond_a_statements_parameters_are_split() -> None:
    rows = [_blob("a", str(n), b"v") for n in range(12_000)]
    statements = multi_row(UPSERT_CHECKPOINT_BLOBS_SQL, rows)
    assert len(statements) > 1
    assert sum(len(params) for _, params in statements) == 6 * len(rows)
    assert all(len(params) <= 30_000 for _, params in statements)


def test_a_statement_it_does_not_recognise_runs_row_by_row() -> None:
    sql = "UPDATE checkpoints SET metadata = %s WHERE thread_id = %s"
    assert multi_row(sql, [("m", "t1"), ("m", "t2")]) == [(sql, ["m", "t1"]), (sql, ["m", "t2"])]
