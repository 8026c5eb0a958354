"""Knowledge retrieval: does a base find the passage that answers, from real corpora?

    python benchmarks/bench_knowledge.py [--split train|test|both]

Four chromadb bases built from the real corpora the project carries (benchmarks/_kb_corpora.py:
400 man pages' worth of data/manpages, the Debian records of data/debian_packages, CPython's
reference topics, standard-library docstrings) and questions generated from them by a fixed
script (benchmarks/_kb_questions.py): sentences held out of the index, man-page options asked
by their description and by their flag, hyphenated package names and dotted names. Each
question is searched two ways in the same run: ``oracle`` (the gold base alone) and ``merged``
(every base searched as one, ``knowledge.search_bases``: what a router that cannot choose
gets; until session 11 the bases' own top hits merged by similarity).

Reported per split and method: gold document in the top 1/3/10 (held-out questions), the
option's passage in the top 3 (option and flag questions), exact names (flags, packages,
dotted names) finding their passage first, and the search time. Defaults are tuned on train
only; test is measured at the start and the end. Results: benchmarks/results/knowledge.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kb_corpora import DESCRIPTIONS, corpora
from _kb_questions import BASES, KQuestion, knowledge_set, normal

from agentroute.embeddings import default_embedder
from agentroute.embeddings._vector_cache import TextVectorCache
from agentroute.knowledge import ChromaKnowledgeBase, Document, Hit, search_bases
from agentroute.knowledge._chunking import CHUNKER
from agentroute.observability import configure_logging

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "knowledge.json"
DEPTH = 10


def build(kept: dict[str, list[Any]], embedder: Any) -> dict[str, ChromaKnowledgeBase]:
    """One base per corpus, cached on disk by content and chunker; passages' vectors are kept
    across rebuilds in one cache file (a new chunking embeds only the passages it changed)."""
    digest = hashlib.sha256(
        json.dumps({b: [(d.id, d.text) for d in ds] for b, ds in kept.items()}).encode()
        + embedder.id.encode()
        + CHUNKER.encode()
    ).hexdigest()[:16]
    tmp = Path(tempfile.gettempdir())
    root = tmp / f"agentroute-knowledge-{digest}"
    vectors = TextVectorCache(
        tmp / "agentroute-bench-knowledge-vectors.sqlite", max_entries=200_000
    )
    bases = {}
    for name, docs in kept.items():

        def open_base(name: str = name) -> ChromaKnowledgeBase:
            return ChromaKnowledgeBase(
                name, root / name, embedder, description=DESCRIPTIONS[name], vectors=vectors
            )

        kb = open_base()
        if kb.content_hash != digest:
            ChromaKnowledgeBase.destroy(name, root / name)
            kb = open_base()
            kb.add(Document(id=d.id, title=d.title, text=d.text) for d in docs)
            kb.mark_indexed(digest)
            kb.refresh_snapshot()
        bases[name] = kb
    return bases


def answered(q: KQuestion, hit: Hit) -> bool:
    """The hit is the question's passage: its document, holding the answer's text if any."""
    return hit.doc_id == q.doc and (not q.answer or q.answer in normal(hit.text))


def rank_of(q: KQuestion, hits: list[Hit]) -> int | None:
    return next((i for i, h in enumerate(hits) if answered(q, h)), None)


def doc_rank(q: KQuestion, hits: list[Hit]) -> int | None:
    return next((i for i, h in enumerate(hits) if h.doc_id == q.doc), None)


def evaluate(
    questions: list[KQuestion], bases: dict[str, ChromaKnowledgeBase], embedder: Any
) -> list[dict[str, Any]]:
    rows = []
    for q in questions:
        vector = embedder.embed([q.text])[0]
        per: dict[str, list[Hit]] = {}
        ms: dict[str, float] = {}
        for name, kb in bases.items():
            t0 = time.perf_counter()
            per[name] = kb.search(q.text, DEPTH, vector=vector)
            ms[name] = (time.perf_counter() - t0) * 1e3
        t0 = time.perf_counter()
        merged = [found.hit for found in search_bases(list(bases.values()), q.text, DEPTH,
                                                      vector=vector)]  # fmt: skip
        ms["merged"] = (time.perf_counter() - t0) * 1e3
        for method, hits in (("oracle", per[q.base]), ("merged", merged)):
            rows.append(
                {
                    "method": method,
                    "kind": q.kind,
                    "base": q.base,
                    "split": q.split,
                    "question": q.text,
                    "doc": q.doc,
                    "doc_rank": doc_rank(q, hits),
                    "rank": rank_of(q, hits),
                    "top": [h.chunk_id for h in hits[:3]],
                    "ms": ms[q.base] if method == "oracle" else ms["merged"],
                }
            )
    return rows


def _at(rows: list[dict[str, Any]], key: str, k: int) -> float:
    return sum(1 for r in rows if r[key] is not None and r[key] < k) / max(len(rows), 1)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for method in ("oracle", "merged"):
        for split in ("train", "test"):
            mine = [r for r in rows if r["method"] == method and r["split"] == split]
            if not mine:
                continue
            held = [r for r in mine if r["kind"] == "held_out"]
            options = [r for r in mine if r["kind"] in ("option", "flag")]
            exact = [r for r in mine if r["kind"] in ("flag", "package", "dotted")]
            out[f"{method}/{split}"] = {
                "held_out_n": len(held),
                "doc@1": _at(held, "doc_rank", 1),
                "doc@3": _at(held, "doc_rank", 3),
                "doc@10": _at(held, "doc_rank", 10),
                "option_n": len(options),
                "option_page@3": _at(options, "doc_rank", 3),
                "option_passage@3": _at(options, "rank", 3),
                "exact_n": len(exact),
                "exact@1": _at(exact, "rank", 1),
                "exact@1_per_kind": {
                    kind: _at([r for r in exact if r["kind"] == kind], "rank", 1)
                    for kind in ("flag", "package", "dotted")
                },
                "doc@3_per_base": {
                    b: _at([r for r in held if r["base"] == b], "doc_rank", 3) for b in BASES
                },
                "p50_ms": statistics.median(r["ms"] for r in mine),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test", "both"], default="train")
    args = parser.parse_args()
    configure_logging(level="warning")
    embedder = default_embedder()
    kept, questions = knowledge_set(corpora())
    wanted = ("train", "test") if args.split == "both" else (args.split,)
    questions = [q for q in questions if q.split in wanted]
    t0 = time.perf_counter()
    bases = build(kept, embedder)
    built = time.perf_counter() - t0
    rows = evaluate(questions, bases, embedder)
    summary = summarise(rows)
    passages = {n: b.count() for n, b in bases.items()}
    print(
        f"knowledge retrieval: {len(bases)} bases, {sum(passages.values())} passages "
        f"({CHUNKER}, built in {built:.1f} s), {len(questions)} questions"
    )
    print(
        f"{'method/split':14} {'doc@1':>6} {'doc@3':>6} {'doc@10':>6} {'opt-page@3':>10} "
        f"{'opt-pass@3':>10} {'exact@1':>7} {'flag':>6} {'pkg':>6} {'dotted':>6} {'p50ms':>6}"
    )
    for key, m in summary.items():
        per = m["exact@1_per_kind"]
        print(
            f"{key:14} {m['doc@1']:6.1%} {m['doc@3']:6.1%} {m['doc@10']:6.1%} "
            f"{m['option_page@3']:10.1%} {m['option_passage@3']:10.1%} {m['exact@1']:7.1%} "
            f"{per['flag']:6.1%} {per['package']:6.1%} {per['dotted']:6.1%} {m['p50_ms']:6.1f}"
        )
    print("  n: " + ", ".join(
        f"{k} held-out {m['held_out_n']} option {m['option_n']} exact {m['exact_n']}"
        for k, m in summary.items() if k.startswith("oracle")
    ))  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "command": "python benchmarks/bench_knowledge.py " + " ".join(sys.argv[1:]),
                "chunker": CHUNKER,
                "passages": passages,
                "summary": summary,
                "rows": rows,
            },
            indent=1,
        )
    )
    print(f"results: {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
