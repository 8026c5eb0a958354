"""Knowledge-base ingestion (issue 15): throughput, a restart with nothing changed, one edited
and one deleted document in a 1,000-document base, against re-embedding the whole file (what
ingestion did before it was incremental) measured in the same run.

    python benchmarks/bench_ingest.py            # prints a table, writes results/ingest.json
    python benchmarks/bench_ingest.py --precision float32   # results/ingest_float32.json

The base holds real corpora the project carries or the interpreter ships (Debian package
stanzas, manual pages, CPython's reference topics, standard-library docstrings; see
``_kb_corpora.py``), cut to 1,000 documents in one JSONL file, embedded with the real MiniLM
and stored in a real chromadb on disk, at the precision a configured base gets by default
(``KnowledgeConfig.precision``: int8 MiniLM) unless ``--precision`` says otherwise. The user's vector cache is not used: every chunk is
embedded. Restart, edit and deletion run each in a fresh interpreter (what a new ``agentroute``
process pays, chromadb's import included when a write needs it), timed from inside it after
the stack's imports.

Throughput is reported per second of wall time and per CPU-second (comparable on a busy
machine), beside the float32 FLOP floor: the chunks' token lengths through MiniLM's matrix
products, at this machine's single-core matrix-product speed measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agentroute.config._models import KnowledgeConfig  # noqa: E402
from benchmarks._kb_corpora import corpora  # noqa: E402

DOCUMENTS = 1000
DEFAULT_PRECISION = str(KnowledgeConfig.model_fields["precision"].default)
"""What a fresh configuration's base embeds with."""
TARGET_WALL = 150.0
"""Issue 15's target, chunks per second of wall time on a quiet 2-core machine."""


def _flops(lengths: list[int], config: object) -> float:
    """Float operations of MiniLM's forward pass over texts of these token lengths: per token
    the six layers' matrix products (QKV, output, two feed-forward: 2 x 12 h^2 with a 4h
    feed-forward), per text the attention's scores and context (2 x 2 L^2 h per layer)."""
    h = int(config.hidden_size)  # type: ignore[attr-defined]
    ff = int(config.intermediate_size)  # type: ignore[attr-defined]
    layers = int(config.num_hidden_layers)  # type: ignore[attr-defined]
    per_token = layers * 2 * (4 * h * h + 2 * h * ff)
    return float(sum(per_token * n + layers * 4 * n * n * h for n in lengths))


def _peak_gflops() -> float:
    """This machine's single-core float32 matrix-product speed, by CPU time (a busy machine
    slows the wall clock, not the CPU-seconds): numpy's BLAS on one thread, best of 5."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).standard_normal((1024, 1024)).astype(np.float32)
    best = 0.0
    with threadpool_limits(1, user_api="blas"):
        for _ in range(5):
            c0 = time.process_time()
            for _ in range(8):
                a @ a
            best = max(best, 8 * 2 * 1024**3 / max(time.process_time() - c0, 1e-9) / 1e9)
    return best


def _floor(docs: list[dict[str, str]], embedder: object, chunk_chars: int) -> dict[str, float]:
    """The float32 FLOP floor of embedding these documents' chunks (as `ChromaKnowledgeBase.add`
    words them: heading, then text), and what the target needs."""
    from agentroute.knowledge._chunking import chunk_document

    texts = []
    for d in docs:
        for chunk in chunk_document(d["text"], chunk_chars):
            heading = " › ".join(p for p in (d["title"], chunk.section) if p)
            texts.append(f"{heading}. {chunk.text}" if heading else chunk.text)
    tokenizer = embedder._tokenizer  # type: ignore[attr-defined]
    lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
    config = embedder._config  # type: ignore[attr-defined]
    flops = _flops(lengths, config)
    peak = _peak_gflops()
    per_chunk = flops / len(texts)
    return {
        "chunks": len(texts),
        "tokens": sum(lengths),
        "gflop": flops / 1e9,
        "gflop_per_chunk": per_chunk / 1e9,
        "peak_gflops_per_core": peak,
        "floor_cpu_s": flops / (peak * 1e9),
        "floor_chunks_per_cpu_s": peak * 1e9 / per_chunk,
        "floor_chunks_per_s_wall_2_cores": 2 * peak * 1e9 / per_chunk,
        "target_needs_gflops": TARGET_WALL * per_chunk / 1e9,
    }


_STEP = """
import json, os, sys, time
from agentroute.embeddings import default_embedder, int8_embedder
from agentroute.knowledge import ChromaKnowledgeBase
embedder = int8_embedder() if os.environ["BENCH_PRECISION"] == "int8" else default_embedder()
embedder.embed(["warm"])
t0 = time.perf_counter(); c0 = time.process_time()
kb = ChromaKnowledgeBase("bench", sys.argv[1], embedder)
report = kb.ingest([sys.argv[2]])
out = {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
       "chromadb": "chromadb" in sys.modules, **report.model_dump()}
if len(sys.argv) > 3:
    hits = kb.search(sys.argv[3], 10)
    out["retrieved"] = [h.doc_id for h in hits]
print(json.dumps(out))
"""


def _write(path: Path, docs: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")


def _step(db: Path, corpus: Path, precision: str, query: str | None = None) -> dict[str, object]:
    args = [sys.executable, "-c", _STEP, str(db), str(corpus), *([query] if query else [])]
    env = {
        **os.environ,
        "AGENTROUTE_LOG": "error",
        "PYTHONPATH": str(ROOT),
        "BENCH_PRECISION": precision,
    }
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env, timeout=3600)
    return dict(json.loads(out.stdout.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    parser.add_argument(
        "--precision",
        choices=("float32", "int8"),
        default=DEFAULT_PRECISION,
        help=f"the base's embedder (default {DEFAULT_PRECISION}: what a configured base gets)",
    )
    args = parser.parse_args()

    from agentroute.embeddings import default_embedder, int8_embedder
    from agentroute.knowledge import ChromaKnowledgeBase

    pool = [d for docs in corpora().values() for d in docs if d.id and d.text.strip()]
    docs = [{"id": d.id, "title": d.title, "text": d.text} for d in pool[: args.documents]]
    embedder = int8_embedder() if args.precision == "int8" else default_embedder()
    embedder.embed(["warm"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        _write(corpus, docs)

        t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        kb = ChromaKnowledgeBase("bench", folder / "db", embedder)
        first = kb.ingest([corpus])
        c1 = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter() - t0
        cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)

        restart = _step(folder / "db", corpus, args.precision)

        edited = dict(docs[len(docs) // 2])
        edited["text"] += " It now also ships the zorblax reconciler, edited for this benchmark."
        _write(corpus, [edited if d["id"] == edited["id"] else d for d in docs])
        edit = _step(folder / "db", corpus, args.precision, "zorblax reconciler")

        victim = docs[len(docs) // 3]
        remaining = [edited if d["id"] == edited["id"] else d for d in docs if d is not victim]
        _write(corpus, remaining)
        deletion = _step(folder / "db", corpus, args.precision, victim["text"][:300])

    floor = _floor(docs, embedder, kb.chunk_chars)
    rows = [
        ("documents / chunks", f"{len(docs)} / {first.chunks_written}", "", ""),
        (
            "first ingestion (whole file embedded)",
            f"{wall:.1f} s wall, {cpu:.1f} s CPU",
            f"{first.chunks_written / wall:.0f} chunks/s wall, "
            f"{first.chunks_written / cpu:.1f} per CPU-s",
            f"≥ {TARGET_WALL:.0f} chunks/s wall",
        ),
        (
            "float32 FLOP floor",
            f"{floor['gflop']:.0f} GFLOP ({floor['tokens']} tokens): "
            f"{floor['floor_cpu_s']:.0f} CPU-s at {floor['peak_gflops_per_core']:.0f} GFLOP/s",
            f"{floor['floor_chunks_per_s_wall_2_cores']:.0f} chunks/s on 2 cores at peak",
            f"{TARGET_WALL:.0f}/s needs {floor['target_needs_gflops']:.0f} GFLOP/s",
        ),
        (
            "restart, nothing changed",
            f"{restart['seconds']:.3f} s (chromadb imported: {restart['chromadb']})",
            f"files read {restart['files_read']}",
            "≤ 0.5 s",
        ),
        (
            "one document edited",
            f"{edit['seconds']:.2f} s ({edit['cpu']:.2f} CPU-s), "
            f"{edit['chunks_written']} chunk(s) embedded",
            f"baseline: whole file again {wall:.1f} s",
            "≤ 1 s",
        ),
        (
            "edited text found",
            str(edit["retrieved"][0] == edited["id"]),  # type: ignore[index]
            "",
            "",
        ),
        (
            "one document deleted",
            f"{deletion['seconds']:.2f} s ({deletion['cpu']:.2f} CPU-s), "
            f"removed {deletion['documents_removed']}",
            "",
            "",
        ),
        (
            "deleted document retrievable (top 10 for its own text)",
            str(victim["id"] in deletion["retrieved"]),  # type: ignore[operator]
            "",
            "never",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'agentroute':62}  {'note / baseline':40}  target")
    for name, value, note, target in rows:
        print(f"{name:{width}}  {value:62}  {note:40}  {target}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    name = "ingest.json" if args.precision == DEFAULT_PRECISION else f"ingest_{args.precision}.json"
    (results / name).write_text(
        json.dumps(
            {
                "documents": len(docs),
                "precision": args.precision,
                "chunks": first.chunks_written,
                "first_wall_s": wall,
                "first_cpu_s": cpu,
                "chunks_per_s_wall": first.chunks_written / wall,
                "chunks_per_cpu_s": first.chunks_written / cpu,
                "floor": floor,
                "restart": restart,
                "edit": edit,
                "deletion": deletion,
                "deleted_retrieved": victim["id"] in deletion["retrieved"],  # type: ignore[operator]
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
