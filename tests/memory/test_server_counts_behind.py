"""On a Chroma server a turn writes its own case at once and the recall counts behind it.

Under load (``benchmarks/bench_load.py --backend postgres``) each turn's case upserted with the
recall counts of the four cases it recalled was a 5-case upsert on the turn's path, and the
server's upserts queued (p95 6x one session's). Now a turn upserts its case alone; the counts
of one process are coalesced and written into the cases' metadata (no document, no vector) in
one request per interval and on close. Counted at chromadb's own ``Collection.upsert`` and
``Collection.update`` on a real ``chroma run`` server, through the bank; a second store
(another process's view, with no counts pending) shows what the server holds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseBank, RecallConfig, ServerCaseStore
from tests.chroma_server import server_for_test
from tests.memory.test_server_round_trips import TARGETS, summary

REQUEST = "weather in Oslo tomorrow"
"""Each turn asks it with a tag of its own: one task asked again refreshes its case."""
WAIT_S = 60.0
"""A bound on waiting for the background flush (not a measurement)."""


def _count(monkeypatch: pytest.MonkeyPatch, method: str) -> list[tuple[int, bool]]:
    """(ids, whether documents or embeddings were sent) per request of ``method``."""
    wrote: list[tuple[int, bool]] = []
    real = getattr(Collection, method)

    def counted(self: Collection, *args: Any, **kwargs: Any) -> Any:
        heavy = kwargs.get("documents") is not None or kwargs.get("embeddings") is not None
        wrote.append((len(kwargs.get("ids") or []), heavy))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Collection, method, counted)
    return wrote


@pytest.fixture
def upserts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, bool]]]:
    yield _count(monkeypatch, "upsert")


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, bool]]]:
    yield _count(monkeypatch, "update")


def _bank(url: str, interval_s: float) -> tuple[CaseBank, ServerCaseStore, ServerCaseStore]:
    emb = HashingEmbedder(dim=128)
    server = server_for_test(url)
    store = ServerCaseStore(server, emb, counts_interval_s=interval_s)
    config = RecallConfig(flood_limit=100, flood_similarity=0.999)
    return (
        CaseBank(store, emb, targets=lambda: TARGETS, config=config),
        store,
        ServerCaseStore(server, emb),
    )


def test_turns_upsert_only_their_case_and_the_counts_arrive_in_one_update(
    chroma_server_url: str, upserts: list[tuple[int, bool]], updates: list[tuple[int, bool]]
) -> None:
    bank, store, other = _bank(chroma_server_url, interval_s=3600.0)  # flushed by hand here
    old = [
        bank.remember(summary(f"t{i}", f"{REQUEST} t{i}", [], f"u{i}"), namespace="n")
        for i in range(4)
    ]
    recalled = [h.case_id for h in bank.recall(REQUEST, namespace="n", k=4)]
    assert sorted(recalled) == sorted(old)  # type: ignore[type-var]
    upserts.clear()
    new = [
        bank.remember(summary(f"r{i}", f"{REQUEST} r{i}", recalled, f"v{i}"), namespace="n")
        for i in range(5)
    ]
    assert upserts == [(1, True)] * 5  # each turn: its own case, nothing else
    assert updates == []
    for cid in new:  # durable when remember returned: another store sees it
        assert cid is not None and other.get(cid, namespace="n") is not None
    for cid in old:
        mine, theirs = store.get(cid, namespace="n"), other.get(cid, namespace="n")
        assert mine is not None and mine.recall.times_recalled == 5  # coalesced, none lost
        assert mine.recall.successes == 5
        assert theirs is not None and theirs.recall.times_recalled == 0  # not written yet
    upserts.clear()
    store.flush()
    assert upserts == []
    assert updates == [(4, False)]  # five turns' counts of four cases: one light request
    for cid in old:
        theirs = other.get(cid, namespace="n")
        assert theirs is not None and theirs.recall.times_recalled == 5
    store.close()
    other.close()


def test_the_flusher_writes_the_counts_without_being_asked(chroma_server_url: str) -> None:
    bank, store, other = _bank(chroma_server_url, interval_s=0.05)
    old = [
        bank.remember(summary(f"t{i}", f"{REQUEST} t{i}", [], f"u{i}"), namespace="m")
        for i in range(2)
    ]
    recalled = [h.case_id for h in bank.recall(REQUEST, namespace="m", k=4)]
    bank.remember(summary("r", f"{REQUEST} r", recalled, "v"), namespace="m")
    deadline = time.monotonic() + WAIT_S
    seen = []
    while time.monotonic() < deadline:
        seen = [other.get(cid, namespace="m") for cid in old]  # type: ignore[arg-type]
        # the flusher counts its batch once the server has it: another reader can see the
        # counts a moment before
        if store.counts.flushes >= 1 and all(
            c is not None and c.recall.times_recalled == 1 for c in seen
        ):
            break
        time.sleep(0.05)
    assert all(c is not None and c.recall.times_recalled == 1 for c in seen), seen
    assert store.counts.flushes >= 1
    store.close()
    other.close()


def test_close_writes_what_is_pending_and_a_forgotten_case_stays_forgotten(
    chroma_server_url: str,
) -> None:
    bank, _, other = _bank(chroma_server_url, interval_s=3600.0)
    old = [
        bank.remember(summary(f"t{i}", f"{REQUEST} t{i}", [], f"u{i}"), namespace="k")
        for i in range(2)
    ]
    recalled = [h.case_id for h in bank.recall(REQUEST, namespace="k", k=4)]
    bank.remember(summary("r", f"{REQUEST} r", recalled, "v"), namespace="k")
    kept, gone = old
    assert kept is not None and gone is not None
    assert bank.forget(gone)
    bank.close()
    got = other.get(kept, namespace="k")
    assert got is not None and got.recall.times_recalled == 1
    assert other.get(gone, namespace="k") is None  # not brought back by its pending count
    other.close()


def test_a_feedback_after_pending_counts_keeps_both(chroma_server_url: str) -> None:
    bank, store, other = _bank(chroma_server_url, interval_s=3600.0)
    first = summary("t0", f"{REQUEST} t0", [], "u0")
    old = bank.remember(first, namespace="f")
    assert old is not None
    bank.remember(summary("r", f"{REQUEST} r", [old], "v"), namespace="f")
    assert bank.feedback("t0", 0.0) == old  # a whole-case write while its count is pending
    store.flush()
    got = other.get(old, namespace="f")
    assert got is not None and got.recall.times_recalled == 1
    assert got.outcome.success is False
    store.close()
    other.close()


def test_concurrent_turns_of_a_process_share_upserts(
    chroma_server_url: str, upserts: list[tuple[int, bool]]
) -> None:
    bank, store, other = _bank(chroma_server_url, interval_s=3600.0)
    bank.remember(summary("warm", REQUEST, [], "w"), namespace="g")  # the collection exists
    upserts.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(
            pool.map(
                lambda i: bank.remember(
                    summary(f"c{i}", f"{REQUEST} {i}", [], f"s{i}"), namespace="g"
                ),
                range(24),
            )
        )
    for cid in ids:  # each turn's case was on the server when its remember returned
        assert cid is not None and other.get(cid, namespace="g") is not None
    assert sum(n for n, _ in upserts) == 24
    assert len(upserts) == store.puts.batches - 1
    store.close()
    other.close()
