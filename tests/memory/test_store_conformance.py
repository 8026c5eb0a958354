"""Every case store passes these (parametrised over the in-memory and chromadb stores)."""

from __future__ import annotations

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseStatus, CaseStore


def _put(store: CaseStore, embedder: HashingEmbedder, case) -> None:  # type: ignore[no-untyped-def]
    store.put(case, embedder.embed([case.task])[0])


def test_round_trip_is_lossless(store: CaseStore, embedder: HashingEmbedder, mk) -> None:
    case = mk("convert 12 USD to EUR", namespace="ns-é/ü")
    _put(store, embedder, case)
    assert store.get(case.id, namespace=case.namespace) == case
    assert store.get(case.id) == case
    [(found, sim)] = store.search(embedder.embed([case.task])[0], namespace=case.namespace, n=3)
    assert found == case
    assert abs(sim - 1.0) < 1e-5
    assert list(store.cases()) == [case]
    assert store.find_turn(case.turn_id) == case


def test_namespace_isolation_is_exact_without_prefix_leakage(
    store: CaseStore, embedder: HashingEmbedder, mk
) -> None:
    a = mk("book a flight to Rome", namespace="a")
    ab = mk("book a flight to Rome", namespace="ab")
    a_slash = mk("book a flight to Rome", namespace="a/")
    for c in (a, ab, a_slash):
        _put(store, embedder, c)
    q = embedder.embed(["book a flight to Rome"])[0]
    assert [c.id for c, _ in store.search(q, namespace="a", n=10)] == [a.id]
    assert [c.id for c, _ in store.search(q, namespace="ab", n=10)] == [ab.id]
    assert store.search(q, namespace="", n=10) == []
    assert store.search(q, namespace="A", n=10) == []
    assert store.get(ab.id, namespace="a") is None
    assert [c.id for c in store.cases(namespace="a")] == [a.id]
    assert store.count(namespace="a") == 1
    assert store.namespaces() == ["a", "a/", "ab"]


def test_forget_removes_the_case_everywhere(
    store: CaseStore, embedder: HashingEmbedder, mk
) -> None:
    keep, gone = mk("weather in Oslo"), mk("weather in Paris")
    _put(store, embedder, keep)
    _put(store, embedder, gone)
    assert store.delete(gone.id)
    assert not store.delete(gone.id)
    assert store.get(gone.id) is None
    q = embedder.embed([gone.task])[0]
    assert [c.id for c, _ in store.search(q, namespace="default", n=10)] == [keep.id]
    assert store.count() == 1


def test_quarantined_and_superseded_are_never_recalled(
    store: CaseStore, embedder: HashingEmbedder, mk
) -> None:
    cases = [mk(f"weather in city {i}") for i in range(3)]
    for c in cases:
        _put(store, embedder, c)
    cases[0].status = CaseStatus.QUARANTINED
    cases[1].status = CaseStatus.SUPERSEDED
    store.update(cases[0])
    store.update(cases[1])
    q = embedder.embed(["weather in city 0"])[0]
    assert [c.id for c, _ in store.search(q, namespace="default", n=10)] == [cases[2].id]
    assert store.get(cases[0].id) == cases[0]  # still there for review
    cases[0].status = CaseStatus.ACTIVE
    store.update(cases[0])
    assert store.search(q, namespace="default", n=1)[0][0].id == cases[0].id


def test_put_replaces_same_id(store: CaseStore, embedder: HashingEmbedder, mk) -> None:
    case = mk("translate hello to French")
    _put(store, embedder, case)
    case.answer = "bonjour"
    case.task = "translate hi to French"
    _put(store, embedder, case)
    assert store.count() == 1
    assert store.get(case.id) == case


def test_search_orders_by_similarity(store: CaseStore, embedder: HashingEmbedder, mk) -> None:
    for t in ("stock price of ACME today", "weather in Paris today", "weather in Paris tomorrow"):
        _put(store, embedder, mk(t))
    hits = store.search(embedder.embed(["weather in Paris tomorrow"])[0], namespace="default", n=3)
    assert hits[0][0].task == "weather in Paris tomorrow"
    sims = [s for _, s in hits]
    assert sims == sorted(sims, reverse=True)


def test_put_many_matches_put(store: CaseStore, embedder: HashingEmbedder, mk) -> None:  # type: ignore[no-untyped-def]
    cases = [mk(f"weather in town {i}", namespace="a" if i % 2 else "b") for i in range(6)]
    store.put_many(cases, embedder.embed([c.task for c in cases]))
    assert store.count() == 6 and store.count(namespace="a") == 3
    for c in cases:
        assert store.get(c.id, namespace=c.namespace) == c
    top = store.search(embedder.embed(["weather in town 3"])[0], namespace="a", n=1)
    assert top[0][0].id == cases[3].id


def test_a_put_carries_updates_of_other_cases(
    store: CaseStore, embedder: HashingEmbedder, mk
) -> None:  # type: ignore[no-untyped-def]
    old, gone = mk("weather in Oslo"), mk("weather in Riga")
    _put(store, embedder, old)
    _put(store, embedder, gone)
    old.recall.times_recalled = 3
    gone.recall.times_recalled = 9
    assert store.delete(gone.id)
    new = mk("weather in Rome")
    store.put(new, embedder.embed([new.task])[0], updates=[old, gone])
    assert store.get(new.id) == new
    got = store.get(old.id)
    assert got is not None and got.recall.times_recalled == 3
    assert store.get(gone.id) is None  # a forgotten case is not brought back by an update
    assert store.vector(old.id, namespace=old.namespace) is not None
    [(top, _)] = store.search(embedder.embed([old.task])[0], namespace="default", n=1)
    assert top.id == old.id and top.recall.times_recalled == 3


def test_search_reads_only_cases_over_the_threshold(
    store: CaseStore, embedder: HashingEmbedder, mk
) -> None:  # type: ignore[no-untyped-def]
    for t in ("weather in Paris tomorrow", "stock price of ACME", "translate cat to German"):
        _put(store, embedder, mk(t))
    q = embedder.embed(["weather in Paris tomorrow"])[0]
    every = store.search(q, namespace="default", n=3)
    cut = sorted(s for _, s in every)[1]
    kept = store.search(q, namespace="default", n=3, min_similarity=cut)
    assert [(c.id, s) for c, s in kept] == [(c.id, s) for c, s in every if s >= cut]
    assert len(kept) == 2


def test_get_many_reads_the_stored_cases_of_one_namespace(
    store: CaseStore, embedder: HashingEmbedder, mk
) -> None:
    a, b, other = mk("weather in Oslo"), mk("weather in Rome"), mk("weather in Oslo", namespace="x")
    for c in (a, b, other):
        _put(store, embedder, c)
    a.recall.times_recalled = 7
    store.update(a)
    got = store.get_many([a.id, "case-missing", b.id, a.id, other.id], namespace="default")
    assert got == {a.id: a, b.id: b}
    assert got[a.id].recall.times_recalled == 7
    assert store.get_many([other.id], namespace="x") == {other.id: other}
    assert store.delete(b.id)
    assert store.get_many([a.id, b.id], namespace="default") == {a.id: a}
    assert store.get_many([], namespace="default") == {}
    assert store.get_many([a.id], namespace="nowhere") == {}
