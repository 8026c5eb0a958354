"""Would a passage's best sentence find the held-out question's document better than the passage?

    python benchmarks/probe_sentence_signal.py [--split train|test] [--alphas 0,0.25,0.5]

bench_answers' four bases and held-out questions (a sentence of each document not indexed,
asked by its rarest words). The base's fused search (``knowledge/_fusion.py``) ranks its
passages by cosine + BM25 share + definitions; here the cosine is replaced by
``(1 - alpha) * passage cosine + alpha * best unit's cosine`` for three kinds of unit vector:

* ``sentence``: each statement of a passage (``_answer.units``) embedded on its own with the
  document's title before it, as the answer embeds them at query time (a second MiniLM pass
  over every passage's text at ingestion);
* ``bare``: the same statements embedded without the title;
* ``late``: the mean of the passage pass's own token vectors over each statement's span
  ("late chunking": no second pass, only pooling);

and, apart, the query's dense pass without its asking and stop words (``--strip``), BM25
still reading the whole question. Reported: gold document @1 / @3 / @10 among the documents
of the ten best passages (bench_answers' ``gold_rank``), and the CPU-seconds each unit kind
costs to embed against the passages' own pass. Unit vectors are cached under the temporary
directory by base digest (a rerun embeds nothing). Session 18 measured this on train only
and dropped all three (README, "Knowledge answers").
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kb_corpora import corpora, held_out
from bench_answers import BASES, build

from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase
from agentroute.knowledge._answer import Unit, units
from agentroute.knowledge._chroma_kb import _document_of
from agentroute.knowledge._fusion import DOCUMENT_SPACING, diversified, fused_order, lexical_weight
from agentroute.observability import configure_logging
from agentroute.text import STOP_WORDS, word_list

ASKING = set(word_list("agentroute.knowledge", "asking_words.txt"))
DEPTH = 10
_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^\W+|\W+$")
_SPACE = re.compile(r"\s+")

Vectors = npt.NDArray[np.float32]


def _passages(kb: ChromaKnowledgeBase, docs: list[Any]) -> tuple[list[str], list[int], list[Any]]:
    """Every passage as the base embedded it ("heading. context. text"), its snapshot row and
    its statements."""
    snap = kb._read_snapshot()
    assert snap is not None
    row = {chunk_id: r for r, chunk_id in enumerate(snap.ids)}
    texts, rows, cut = [], [], []
    for d in docs:
        for i, chunk in enumerate(kb._chunks(d.text)):
            heading = " › ".join(p for p in (d.title, chunk.section) if p)
            body = f"{chunk.context}. {chunk.text}" if chunk.context else chunk.text
            texts.append(f"{heading}. {body}" if heading else body)
            rows.append(row[f"{d.id}#{i}"])
            cut.append((d.title, units(chunk.text)))
    return texts, rows, cut


def _spans(text: str, statements: list[Unit]) -> list[tuple[int, int] | None]:
    """Each statement's character span in ``text``, matched in order, whitespace aside."""
    kept = [i for i, ch in enumerate(text) if not (ch.isspace() and i and text[i - 1].isspace())]
    flat = "".join(" " if text[i].isspace() else text[i] for i in kept)
    out: list[tuple[int, int] | None] = []
    at = 0
    for u in statements:
        t = _SPACE.sub(" ", u.text.strip())
        j = flat.find(t, at)
        if j < 0 or not t:
            out.append(None)
            continue
        out.append((kept[j], kept[j + len(t) - 1] + 1))
        at = j + len(t)
    return out


def unit_vectors(
    kind: str, kb: ChromaKnowledgeBase, docs: list[Any], embedder: Any
) -> tuple[Vectors, npt.NDArray[np.int32], float]:
    """One kind's unit vectors of a base, their passages' rows, and the CPU-seconds spent."""
    texts, rows, cut = _passages(kb, docs)
    vecs: list[Any] = []
    owners: list[int] = []
    t0 = time.process_time()
    if kind == "passage":
        embedder.embed_uncached(texts)
    elif kind in ("sentence", "bare"):
        todo = [
            (f"{title}. {u.text}" if kind == "sentence" and title else u.text, r)
            for (title, us), r in zip(cut, rows, strict=True)
            for u in us
        ]
        vecs = list(embedder.embed_uncached([t for t, _ in todo]))
        owners = [r for _, r in todo]
    else:  # late: pooled from the passage pass's token vectors
        encodings = embedder._tokenizer.encode_batch(texts)
        _, tokens = embedder.embed_with_tokens(texts)
        for text, enc, (names, tv), (_, us), r in zip(
            texts, encodings, tokens, cut, rows, strict=True
        ):
            offsets = enc.offsets[1 : 1 + len(names)]
            for span in _spans(text, us):
                if span is None:
                    continue
                inside = [k for k, (a, b) in enumerate(offsets) if span[0] <= a < b <= span[1]]
                if inside:
                    vecs.append(tv[inside].mean(axis=0))
                    owners.append(r)
    cpu = time.process_time() - t0
    mat = np.asarray(vecs, dtype=np.float32).reshape(-1, embedder.dim)
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-12)
    return mat, np.asarray(owners, dtype=np.int32), cpu


def cached_units(
    kind: str, name: str, kb: ChromaKnowledgeBase, docs: list[Any], embedder: Any
) -> tuple[Vectors, npt.NDArray[np.int32], float]:
    digest = hashlib.sha256(
        "".join(f"{d.id}\0{d.text}\0" for d in docs).encode() + embedder.id.encode()
    ).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"agentroute-sentence-probe-{kind}-{name}-{digest}.npz"
    if path.exists():
        with np.load(path) as z:
            return z["vectors"].astype(np.float32), z["rows"], float(z["cpu"])
    vecs, rows, cpu = unit_vectors(kind, kb, docs, embedder)
    np.savez(path, vectors=vecs.astype(np.float16), rows=rows, cpu=np.float64(cpu))
    return vecs, rows, cpu


def stripped(query: str) -> str:
    """``query`` without its asking words and stop words (what the dense pass reads)."""
    kept = [
        t
        for t in _TOKEN.findall(query)
        if (w := _EDGE.sub("", t).lower()) not in ASKING and w not in STOP_WORDS
    ]
    return " ".join(kept) or query


def gold_place(kb: ChromaKnowledgeBase, query: str, gold: str, sims: Any, scored: Any) -> int:
    """The gold document's place among the documents of the ``DEPTH`` best passages (``DEPTH``:
    not among them), ranked as ``search`` ranks with ``sims`` as the cosine."""
    n = len(sims)
    rows = fused_order(
        sims,
        scored.lexical,
        min(DEPTH * (DOCUMENT_SPACING + 1), n),
        weight=lexical_weight(query, kb.lexical().holds),
        defining=scored.defining,
    )
    documents = {i: _document_of(scored, i) for i in rows}
    order = list(dict.fromkeys(documents[i] for i in diversified(rows, documents, DEPTH)))
    return order.index(gold) if gold in order else DEPTH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test"], default="train")
    parser.add_argument("--alphas", default="0.25,0.5,1")
    parser.add_argument("--kinds", default="sentence,bare,late")
    args = parser.parse_args()
    configure_logging(level="warning")
    alphas = [float(a) for a in args.alphas.split(",")]
    kinds = [k for k in args.kinds.split(",") if k]
    docs = {b: ds for b, ds in corpora().items() if b in BASES}
    kept, questions = held_out(docs, BASES, keep_layout=True)
    bases = build(kept)
    embedder = default_embedder()
    places: dict[str, list[int]] = {}
    cpu: dict[str, float] = {}
    for name in BASES:
        kb = bases[name]
        found = {}
        for kind in ["passage", *kinds]:
            vecs, rows, spent = cached_units(kind, name, kb, kept[name], embedder)
            cpu[kind] = cpu.get(kind, 0.0) + spent
            found[kind] = (vecs, rows)
        asked = [q for q in questions if q.split == args.split and q.bases == (name,)]
        for q in asked:
            gold = q.docs[0]
            qv = np.asarray(embedder.embed([q.text])[0], dtype=np.float32)
            scored = kb.scored(q.text, DEPTH, vector=qv)
            base = scored.similarities
            places.setdefault("passage (as now)", []).append(
                gold_place(kb, q.text, gold, base, scored)
            )
            for kind in kinds:
                vecs, rows = found[kind]
                best = np.full(len(base), -2.0)
                np.maximum.at(best, rows, vecs @ qv)
                best = np.where(best < -1.5, base, best)  # no statement: the passage
                for a in alphas:
                    places.setdefault(f"{kind} alpha {a:g}", []).append(
                        gold_place(kb, q.text, gold, (1 - a) * base + a * best, scored)
                    )
            sv = np.asarray(embedder.embed([stripped(q.text)])[0], dtype=np.float32)
            dense = kb.scored(q.text, DEPTH, vector=sv)
            places.setdefault("query without asking and stop words", []).append(
                gold_place(kb, q.text, gold, dense.similarities, dense)
            )
    print(f"{args.split}: {len(places['passage (as now)'])} held-out questions, 4 bases")
    for label, got in places.items():
        at = [sum(p < k for p in got) / len(got) for k in (1, 3, 10)]
        print(f"  {label:38} gold document @1 {at[0]:.1%}  @3 {at[1]:.1%}  @10 {at[2]:.1%}")
    for kind, spent in cpu.items():
        print(f"  embedding cost, {kind:8} {spent:6.1f} CPU-s")


if __name__ == "__main__":
    main()
