"""Re-embedding a whole store after the embedder changed (``agentroute memory reindex``)."""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from agentroute._log import get_logger
from agentroute.embeddings._base import Embedder
from agentroute.memory._chroma_records import (
    case_meta,
    col_meta,
    collection_name,
    parse_case,
    with_meta_counts,
)

__all__ = ["reindex_cases"]

log = get_logger(__name__)


def reindex_cases(
    client: Any, collections: dict[str, Any], embedder: Embedder, *, batch: int
) -> int:
    """Rebuild each namespace's collection with new vectors, then swap it in by name.

    The new collection is filled under a temporary name first, so a crash midway leaves the old
    collection whole.
    """
    total = 0
    for ns, col in collections.items():
        got: dict[str, list[Any]] = {"ids": [], "documents": [], "metadatas": []}
        while True:  # paged: an unbounded get overflows SQLite's variable limit at 100k rows
            page = col.get(include=["documents", "metadatas"], limit=5000, offset=len(got["ids"]))
            if not page["ids"]:
                break
            got["ids"].extend(page["ids"])
            got["documents"].extend(page["documents"])
            got["metadatas"].extend(page["metadatas"])
        cases = [  # the counts a Chroma server keeps in the metadata go into the new document
            with_meta_counts(parse_case(d, where=f"{ns}/{i}"), m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        tmp_name = collection_name(ns) + "-reindex"
        with contextlib.suppress(Exception):  # left over from an earlier crash
            client.delete_collection(tmp_name)
        tmp = client.create_collection(
            name=tmp_name,
            embedding_function=None,
            metadata=col_meta(ns, embedder),
            configuration={"hnsw": {"space": "cosine"}},
        )
        for a in range(0, len(cases), batch):
            chunk = cases[a : a + batch]
            vecs = embedder.embed([c.task for c in chunk])
            for c in chunk:
                c.provenance.embedder_id = embedder.id
            tmp.add(
                ids=[c.id for c in chunk],
                embeddings=np.asarray(vecs, dtype=np.float32),
                documents=[c.model_dump_json() for c in chunk],
                metadatas=[case_meta(c) for c in chunk],
            )
        client.delete_collection(col.name)
        tmp.modify(name=collection_name(ns))
        total += len(cases)
        log.info("memory.reindexed", namespace=ns, cases=len(cases), embedder=embedder.id)
    return total
