"""How a case is laid out in chromadb: collection names and metadata, vector and body coding."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute._durable import write_bytes
from agentroute.embeddings._base import Embedder
from agentroute.memory._case import Case, RecallStats
from agentroute.memory._store import MemoryStoreError

__all__ = [
    "MARK",
    "RECALL_KEY",
    "apply_ops",
    "b64",
    "case_meta",
    "col_meta",
    "collection_name",
    "parse_case",
    "recall_meta",
    "unb64",
    "with_meta_counts",
    "write_recorded",
]

MARK = "agentroute-case-bank"
"""Set in the metadata of every collection the case bank owns."""


def collection_name(namespace: str) -> str:
    """A chromadb-legal name from the whole namespace (no prefix can collide)."""
    return "cases-" + hashlib.sha256(namespace.encode()).hexdigest()[:40]


def write_recorded(path: Path, embedder: Embedder) -> None:
    meta = path / "store.json"
    body = json.dumps({"embedder": embedder.id, "dim": embedder.dim})
    if not meta.exists() or meta.read_text(encoding="utf-8") != body:
        write_bytes(meta, body.encode("utf-8"))  # processes opening one bank may race here


def col_meta(namespace: str, embedder: Embedder | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"agentroute": MARK, "namespace": namespace}
    if embedder is not None:
        meta["embedder"] = embedder.id
        meta["dim"] = embedder.dim
    return meta


def case_meta(case: Case) -> dict[str, Any]:
    return {
        "status": case.status.value,
        "turn_id": case.turn_id,
        "namespace": case.namespace,
        "success": case.outcome.success,
        "created_at": case.provenance.created_at,
    }


RECALL_KEY = "recall"
"""The metadata key holding a case's recall counts (JSON) on a Chroma server, newer than its
document's: counts are written behind, into the metadata alone (``_chroma_server``)."""


def recall_meta(stats: RecallStats) -> dict[str, Any]:
    return {RECALL_KEY: stats.model_dump_json()}


def with_meta_counts(case: Case, meta: Any) -> Case:
    """``case`` with the counts its metadata holds, when it holds any."""
    counts = (meta or {}).get(RECALL_KEY)
    if isinstance(counts, str):
        case.recall = RecallStats.model_validate_json(counts)
    return case


def b64(vec: npt.NDArray[np.float32]) -> str:
    return base64.b64encode(np.ascontiguousarray(vec, dtype="<f4").tobytes()).decode()


def unb64(raw: str) -> npt.NDArray[np.float32]:
    return np.frombuffer(base64.b64decode(raw), dtype="<f4").astype(np.float32)


def parse_case(doc: str | None, *, where: str) -> Case:
    if doc is None:
        raise MemoryStoreError(f"case {where} has no stored body")
    try:
        return Case.model_validate_json(doc)
    except ValueError as exc:
        raise MemoryStoreError(f"case {where} is not a valid case record: {exc}") from exc


def apply_ops(ops: list[dict[str, Any]], collection: Callable[..., Any]) -> None:
    """Apply journal ops to chromadb in order, batching consecutive puts per namespace.

    ``collection(namespace, create=..., embedder_id=..., dim=...)`` gives the namespace's
    collection (``None`` when it does not exist and ``create`` is false).
    """
    batch: list[dict[str, Any]] = []

    def drain() -> None:
        if not batch:
            return
        op0 = batch[0]
        ns = op0["case"]["namespace"]
        col = collection(ns, create=True, embedder_id=op0["embedder"], dim=len(unb64(op0["vec"])))
        last: dict[str, dict[str, Any]] = {o["case"]["id"]: o for o in batch}
        cases = [Case.model_validate(o["case"]) for o in last.values()]
        col.upsert(
            ids=[c.id for c in cases],
            embeddings=np.stack([unb64(o["vec"]) for o in last.values()]),
            documents=[c.model_dump_json() for c in cases],
            metadatas=[case_meta(c) for c in cases],
        )
        batch.clear()

    for op in ops:
        if op["op"] == "put":
            if batch and batch[0]["case"]["namespace"] != op["case"]["namespace"]:
                drain()
            batch.append(op)
        else:
            drain()
            col = collection(op["ns"], create=False)
            if col is not None:
                col.delete(ids=[op["id"]])
    drain()
