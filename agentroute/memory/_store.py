"""The case-store protocol and the in-memory store.

A store keeps cases and their task vectors per namespace. Namespaces are isolated exactly: a
search only ever sees the vectors of the namespace it names (one index per namespace, keyed by
the full name, so ``"a"`` never sees ``"ab"``). Only active cases are returned by a search.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from agentroute.embeddings._base import EmbedderMismatchError
from agentroute.memory._case import Case, CaseStatus
from agentroute.memory._index import VectorIndex

__all__ = ["CaseStore", "InMemoryCaseStore", "MemoryStoreError", "embedder_mismatch"]


class MemoryStoreError(Exception):
    """A case store cannot do what was asked (bad path, unknown case, broken record)."""


def embedder_mismatch(path: str, stored: str, given: str) -> EmbedderMismatchError:
    """The error for a case store indexed by another embedder, saying how to re-embed it."""
    return EmbedderMismatchError(
        f"case store at {path}",
        stored,
        given,
        f"Re-embed every case with `agentroute memory reindex --path {path}` "
        "(or open it with the original embedder).",
    )


@runtime_checkable
class CaseStore(Protocol):
    """Where cases live. ``put`` replaces a case with the same id in the same namespace."""

    @property
    def embedder_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def put(self, case: Case, vector: npt.ArrayLike, *, updates: Sequence[Case] = ()) -> None:
        """Store ``case``; ``updates`` (other stored cases' new recall counts, vectors kept)
        are written with it as one write (a turn's case and its recall counts: one journal
        sync), or on a Chroma server behind it (``ServerCaseStore``: only their counts, within
        a second). An update of a case no longer stored (forgotten meanwhile) is dropped."""
        ...

    def put_many(self, cases: list[Case], vectors: npt.ArrayLike) -> None:
        """Bulk ``put`` (imports): one row of ``vectors`` per case."""
        ...

    def update(self, case: Case) -> None:
        """Replace a stored case's fields, keeping its vector (stats, status, outcome)."""
        ...

    def update_many(self, cases: Sequence[Case]) -> None:
        """Several ``update`` calls as one write."""
        ...

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None: ...

    def get_many(self, case_ids: Sequence[str], *, namespace: str) -> dict[str, Case]:
        """The stored cases among ``case_ids`` in ``namespace``, by id, read in one go: a
        store on a server answers them in one round trip, not one each."""
        ...

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None: ...

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool: ...

    def search(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        n: int,
        min_similarity: float | None = None,
    ) -> list[tuple[Case, float]]:
        """Top ``n`` *active* cases of ``namespace`` by cosine similarity, best first; with
        ``min_similarity``, only those at or above it (no other body is read)."""
        ...

    def nearest(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[str, float]]:
        """Like ``search`` but ids only: no case bodies are read (cheap checks on write)."""
        ...

    def cases(self, *, namespace: str | None = None) -> Iterator[Case]: ...

    def namespaces(self) -> list[str]: ...

    def find_turn(self, turn_id: str) -> Case | None: ...

    def count(self, *, namespace: str | None = None) -> int: ...

    def close(self) -> None: ...


class InMemoryCaseStore:
    """A store that lives in the process: for tests and throw-away agents.

    Cases are kept as JSON: each read parses its own copy (cheaper than a deep copy)."""

    def __init__(self, embedder_id: str, dim: int) -> None:
        self._embedder_id = embedder_id
        self._dim = dim
        self._cases: dict[str, dict[str, str]] = {}
        self._turns: dict[str, tuple[str, str]] = {}
        self._index: dict[str, VectorIndex] = {}

    @property
    def embedder_id(self) -> str:
        return self._embedder_id

    @property
    def dim(self) -> int:
        return self._dim

    def put(self, case: Case, vector: npt.ArrayLike, *, updates: Sequence[Case] = ()) -> None:
        vec = check_vector(vector, self._dim)
        for other in updates:
            if other.id == case.id and other.namespace == case.namespace:
                raise MemoryStoreError(f"case {case.id!r} is both put and updated")
        self.update_many([u for u in updates if u.id in self._cases.get(u.namespace, {})])
        ns = case.namespace
        self._cases.setdefault(ns, {})[case.id] = case.model_dump_json()
        if case.turn_id:
            self._turns[case.turn_id] = (ns, case.id)
        index = self._index.setdefault(ns, VectorIndex(self._dim))
        index.add(case.id, vec, active=case.status is CaseStatus.ACTIVE)

    def put_many(self, cases: list[Case], vectors: npt.ArrayLike) -> None:
        mat = np.asarray(vectors, dtype=np.float32).reshape(len(cases), -1)
        for case, vec in zip(cases, mat, strict=True):
            self.put(case, vec)

    def update(self, case: Case) -> None:
        bucket = self._cases.get(case.namespace, {})
        if case.id not in bucket:
            raise MemoryStoreError(f"no case {case.id!r} in namespace {case.namespace!r}")
        bucket[case.id] = case.model_dump_json()
        if case.turn_id:
            self._turns[case.turn_id] = (case.namespace, case.id)
        self._index[case.namespace].set_active(case.id, case.status is CaseStatus.ACTIVE)

    def update_many(self, cases: Sequence[Case]) -> None:
        for case in cases:
            self.update(case)

    def get(self, case_id: str, *, namespace: str | None = None) -> Case | None:
        spaces = [namespace] if namespace is not None else list(self._cases)
        for ns in spaces:
            body = self._cases.get(ns, {}).get(case_id)
            if body is not None:
                return Case.model_validate_json(body)
        return None

    def get_many(self, case_ids: Sequence[str], *, namespace: str) -> dict[str, Case]:
        bucket = self._cases.get(namespace, {})
        return {
            cid: Case.model_validate_json(bucket[cid])
            for cid in dict.fromkeys(case_ids)
            if cid in bucket
        }

    def vector(self, case_id: str, *, namespace: str) -> npt.NDArray[np.float32] | None:
        index = self._index.get(namespace)
        return index.vector(case_id) if index is not None else None

    def delete(self, case_id: str, *, namespace: str | None = None) -> bool:
        case = self.get(case_id, namespace=namespace)
        if case is None:
            return False
        del self._cases[case.namespace][case_id]
        if self._turns.get(case.turn_id) == (case.namespace, case_id):
            del self._turns[case.turn_id]
        self._index[case.namespace].remove(case_id)
        return True

    def search(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        n: int,
        min_similarity: float | None = None,
    ) -> list[tuple[Case, float]]:
        hits = self.nearest(vector, namespace=namespace, n=n)
        bucket = self._cases.get(namespace, {})
        return [
            (Case.model_validate_json(bucket[cid]), sim)
            for cid, sim in hits
            if min_similarity is None or sim >= min_similarity
        ]

    def nearest(self, vector: npt.ArrayLike, *, namespace: str, n: int) -> list[tuple[str, float]]:
        index = self._index.get(namespace)
        return index.search(check_vector(vector, self._dim), n) if index is not None else []

    def cases(self, *, namespace: str | None = None) -> Iterator[Case]:
        spaces = [namespace] if namespace is not None else sorted(self._cases)
        for ns in spaces:
            for body in list(self._cases.get(ns, {}).values()):
                yield Case.model_validate_json(body)

    def namespaces(self) -> list[str]:
        return sorted(ns for ns, b in self._cases.items() if b)

    def find_turn(self, turn_id: str) -> Case | None:
        where = self._turns.get(turn_id)
        return self.get(where[1], namespace=where[0]) if where is not None else None

    def count(self, *, namespace: str | None = None) -> int:
        if namespace is not None:
            return len(self._cases.get(namespace, {}))
        return sum(len(b) for b in self._cases.values())

    def close(self) -> None:
        return None


def check_vector(vector: npt.ArrayLike, dim: int) -> npt.NDArray[np.float32]:
    vec = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vec.shape[0] != dim:
        raise MemoryStoreError(f"vector has dimension {vec.shape[0]}, the store expects {dim}")
    if not np.all(np.isfinite(vec)):
        raise MemoryStoreError("vector contains NaN or infinity")
    return vec
