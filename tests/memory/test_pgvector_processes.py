"""Several processes on one case bank in PostgreSQL with pgvector (issue 18): no lock, no "held
by another process"; what one process acknowledged the others recall at once, a process killed
mid-write loses nothing it acknowledged, and a server restarted under a bank fails its calls
loudly, then serves the same bank again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from agentroute._postgres import PostgresServer
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import Case, CaseBank, CaseOutcome, Judge, Provenance
from agentroute.memory._pgvector import PgVectorCaseStore
from agentroute.types import Plan, Step

ENV = "AGENTROUTE_TEST_CASES_DSN"

WRITER = textwrap.dedent(
    """
    import os, sys, time
    from agentroute._postgres import PostgresServer
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import Case, CaseBank, CaseOutcome, Judge, Provenance
    from agentroute.memory._pgvector import PgVectorCaseStore
    from agentroute.types import Plan, Step

    tag, count, other = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    emb = HashingEmbedder(dim=128)
    store = PgVectorCaseStore(PostgresServer(url_env="AGENTROUTE_TEST_CASES_DSN"), emb)
    bank = CaseBank(store, emb)
    for i in range(count):
        task = f"weather in city {tag}{i}"
        case = Case(
            id=f"{tag}{i}", namespace="ops", turn_id=f"turn-{tag}{i}", task=task,
            plan=Plan(steps=[Step(id="s1", query=task, target="weather.forecast")]),
            outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
            provenance=Provenance(session=tag),
        )
        store.put(case, emb.embed([task])[0])
        print(f"written {tag}{i}", flush=True)
    if other == "wait":
        time.sleep(600)
    # the other process's cases, as it wrote them (it may still be writing)
    deadline = time.monotonic() + 120
    while store.count(namespace="ops") < 2 * count and time.monotonic() < deadline:
        time.sleep(0.05)
    hits = bank.recall(f"weather in city {other}3", namespace="ops", k=1)
    print("recalled", hits[0].case_id if hits else None, flush=True)
    bank.close()
    """
)


def _env(dsn: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "VIRTUAL_ENV", "PYTHONPATH", "AGENTROUTE_FORBIDDEN_DIRS")
    return {**{k: v for k, v in os.environ.items() if k in keep}, ENV: dsn}


def _writer(dsn: str, tag: str, count: int, other: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, tag, str(count), other],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(dsn),
    )


def test_two_processes_write_and_recall_each_others_cases(pgvector_db: str) -> None:
    first, second = _writer(pgvector_db, "a", 40, "b"), _writer(pgvector_db, "b", 40, "a")
    outs = [p.communicate(timeout=300) for p in (first, second)]
    for proc, (out, err) in zip((first, second), outs, strict=True):
        assert proc.returncode == 0, err
        assert out.count("written") == 40
    assert outs[0][0].splitlines()[-1] == "recalled b3"
    assert outs[1][0].splitlines()[-1] == "recalled a3"
    emb = HashingEmbedder(dim=128)
    with PgVectorCaseStore(PostgresServer(url=pgvector_db), emb) as store:
        assert store.count(namespace="ops") == 80
        assert store.find_turn("turn-b39") is not None
        bank = CaseBank(store, emb)  # and a third, this one, beside them
        assert [h.case_id for h in bank.recall("weather in city a17", namespace="ops", k=1)] == [
            "a17"
        ]


def test_a_process_killed_mid_write_loses_nothing_it_acknowledged(pgvector_db: str) -> None:
    writer = _writer(pgvector_db, "k", 5000, "wait")
    assert writer.stdout is not None
    acknowledged = [writer.stdout.readline().split()[-1] for _ in range(20)]
    writer.send_signal(signal.SIGKILL)  # while it goes on writing
    writer.wait(timeout=60)
    with PgVectorCaseStore(PostgresServer(url=pgvector_db), HashingEmbedder(dim=128)) as store:
        stored = {c.id for c in store.cases(namespace="ops")}
    assert len(acknowledged) == 20 and set(acknowledged) <= stored
    assert len(stored) < 5000


def test_a_server_restart_fails_loudly_then_the_same_store_serves_again() -> None:
    from agentroute._postgres import PostgresError
    from tests.pgvector_server import PgVectorProcess, database_for_test

    own = PgVectorProcess().start()
    try:
        emb = HashingEmbedder(dim=128)
        store = PgVectorCaseStore(PostgresServer(url=database_for_test(own.url)), emb)
        bank = CaseBank(store, emb)
        store.put(_case("before"), emb.embed(["weather in city before"])[0])
        own.stop()
        with pytest.raises(PostgresError, match=r"the Postgres server at 127\.0\.0\.1:\d+/\S+ \("):
            bank.recall("weather in city before", namespace="ops")
        own.start()  # same port, same data: the store reconnects on its next call
        assert [h.case_id for h in bank.recall("weather in city before", namespace="ops")] == [
            "before"
        ]
        store.put(_case("after"), emb.embed(["weather in city after"])[0])
        assert store.count(namespace="ops") == 2
        store.close()
    finally:
        own.remove()


def _case(tag: str) -> Case:
    task = f"weather in city {tag}"
    return Case(
        id=tag,
        namespace="ops",
        turn_id=f"turn-{tag}",
        task=task,
        plan=Plan(steps=[Step(id="s1", query=task, target="weather.forecast")]),
        outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
        provenance=Provenance(session="s"),
    )
