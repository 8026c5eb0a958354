"""Does int8 MiniLM retrieve as float32 does (issue 15: int8 only if retrieval quality holds)?

    python benchmarks/bench_int8_recall.py      # prints a table, writes results/int8_recall.json

The first 1,000 documents of the knowledge corpora (as bench_ingest cuts them), each with one
sentence held out and turned into a question (``_kb_corpora.held_out``); the TRAIN questions
whose document is among them. Chunks are embedded as ``ChromaKnowledgeBase.add`` words them,
once by each model, queries by the same model as the passages. Reported: recall of the gold
document at 1/3/10 for each, how often the two agree, and CPU-seconds per model.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._kb_corpora import corpora, held_out  # noqa: E402

DOCUMENTS = 1000


def _documents_ranked(sims: np.ndarray, owner: list[str], k: int = 10) -> list[str]:
    seen: list[str] = []
    for j in np.argsort(-sims):
        if owner[j] not in seen:
            seen.append(owner[j])
            if len(seen) == k:
                break
    return seen


def main() -> None:
    from agentroute.embeddings import MiniLMEmbedder
    from agentroute.knowledge._chunking import chunk_document

    docs, questions = held_out(corpora())
    pool = [d for ds in docs.values() for d in ds if d.id and d.text.strip()][:DOCUMENTS]
    ids = {d.id for d in pool}
    texts, owner = [], []
    for d in pool:
        for chunk in chunk_document(d.text, 600):
            heading = " › ".join(p for p in (d.title, chunk.section) if p)
            texts.append(f"{heading}. {chunk.text}" if heading else chunk.text)
            owner.append(d.id)
    train = [q for q in questions if q.split == "train" and q.docs and q.docs[0] in ids]
    ranked: dict[str, list[list[str]]] = {}
    out: dict[str, object] = {"chunks": len(texts), "questions": len(train)}
    vectors = {}
    for precision in ("float32", "int8"):
        model = MiniLMEmbedder(cache_size=0, precision=precision)  # type: ignore[arg-type]
        c0 = time.process_time()
        passages = model.embed(texts)
        queries = model.embed([q.text for q in train])
        cpu = time.process_time() - c0
        vectors[precision] = passages
        sims = queries @ passages.T
        ranked[precision] = [_documents_ranked(sims[i], owner) for i in range(len(train))]
        out[precision] = {
            "cpu_s": cpu,
            "chunks_per_cpu_s": len(texts) / cpu,
            **{
                f"recall@{k}": float(
                    np.mean(
                        [q.docs[0] in r[:k] for q, r in zip(train, ranked[precision], strict=True)]
                    )
                )
                for k in (1, 3, 10)
            },
        }
    pairs = list(zip(ranked["float32"], ranked["int8"], strict=True))
    cos = (vectors["float32"] * vectors["int8"]).sum(axis=1)
    out["top1_same"] = float(np.mean([a[0] == b[0] for a, b in pairs]))
    out["top10_overlap"] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in pairs]))
    out["passage_cosine_min_mean"] = [float(cos.min()), float(cos.mean())]
    print(json.dumps(out, indent=2))
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "int8_recall.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
