"""Fit knowledge bases' passage re-ranker (`agentroute.knowledge._passage_rerank`) on the train
questions of bench_answers.py, and write it where bases read it.

    python benchmarks/train_kb_rerank.py [--check]

For every train question of the four bases and of the fifth (``--corpus extra``'s train half),
the fused order's best ``CANDIDATES`` passages of its own base and their features
(`agentroute.knowledge._passage_rerank.candidate_table`); a passage of the question's
document is gold. A linear model over the standardised features is fitted by a listwise
softmax (the gold passages share the target probability; L2 penalty), numpy only.
``--check`` first reports a two-fold split of the train questions (fitted on one half, gold
document @1/3/10 on the other), the only estimate the choices (penalty, features) were made
by; the test split is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kb_corpora import corpora, held_out, library_docs
from bench_answers import BASES, EXTRA, build

from agentroute.knowledge._fusion import DOCUMENT_SPACING, diversified, fused_order, lexical_weight
from agentroute.knowledge._passage_rerank import (
    CANDIDATES,
    FEATURES,
    MODEL_FILE,
    PassageReranker,
    candidate_table,
)
from agentroute.observability import configure_logging

L2 = 0.1
STEPS = 400
RATE = 0.05
DEPTH = 10 * (DOCUMENT_SPACING + 1)
"""How deep the fused order is read: what a search for ten passages diversifies."""

Row = tuple[str, npt.NDArray[np.float64], npt.NDArray[np.float64], list[str], list[str], str]
"""Question, its candidates' features, which are gold (1/0), their documents, the documents of
the fused order's rows past the candidates, the gold document."""


def rows() -> list[Row]:
    """Every train question of the four bases and the fifth, as candidates and labels."""
    out: list[Row] = []
    four = {b: ds for b, ds in corpora().items() if b in BASES}
    for docs, names in ((four, BASES), ({"library_docs": library_docs()}, EXTRA)):
        kept, questions = held_out(docs, names, keep_layout=True)
        bases = build(kept)
        for q in questions:
            if q.split != "train" or len(q.bases) != 1:
                continue
            kb = bases[q.bases[0]]
            scored = kb.scored(q.text, DEPTH)
            weight = lexical_weight(q.text, kb.lexical().holds)
            order = fused_order(
                scored.similarities,
                scored.lexical,
                min(DEPTH, len(scored.ids)),
                weight=weight,
                defining=scored.defining,
            )
            docs_of = [
                str((scored.metadatas[i] or {}).get("doc_id", str(scored.ids[i]).split("#")[0]))
                for i in order
            ]
            head = order[:CANDIDATES]
            table = candidate_table(q.text, scored, head, weight, kb._names().weight)
            labels = np.array([d == q.docs[0] for d in docs_of[:CANDIDATES]], dtype=np.float64)
            out.append((q.text, table, labels, docs_of[:CANDIDATES], docs_of[CANDIDATES:],
                        q.docs[0]))  # fmt: skip
    return out


def fit(train: list[Row], l2: float = L2) -> PassageReranker:
    """Adam on the listwise softmax loss, from zero weights."""
    stacked = np.concatenate([r[1] for r in train])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    tables = [((r[1] - mean) / scale, r[2] / r[2].sum()) for r in train if r[2].sum() > 0]
    w = np.zeros(stacked.shape[1])
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, STEPS + 1):
        grad = l2 * w
        for x, target in tables:
            s = x @ w
            p = np.exp(s - s.max())
            grad += x.T @ (p / p.sum() - target) / len(tables)
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= RATE * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
    return PassageReranker(CANDIDATES, mean, scale, w)


def gold_at(model: PassageReranker | None, held: list[Row]) -> tuple[float, float, float]:
    """Gold document @1/3/10 over ``held`` as a search for ten passages returns them (None:
    the fused order)."""
    hits = np.zeros(3)
    for _, table, _, docs, rest, gold in held:
        ranked = list(range(len(docs))) if model is None else model.order(table)
        documents = [docs[i] for i in ranked] + rest
        rows = diversified(range(len(documents)), dict(enumerate(documents)), 10)
        order = list(dict.fromkeys(documents[i] for i in rows))
        place = order.index(gold) if gold in order else 99
        hits += [place < 1, place < 3, place < 10]
    return tuple(float(h) / max(len(held), 1) for h in hits)  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="two-fold estimate on train first")
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args()
    configure_logging(level="warning")
    data = rows()
    if args.check:
        for half in (0, 1):
            inside = [r for r in data if hashlib.sha256(r[0].encode()).digest()[1] % 2 != half]
            held = [r for r in data if hashlib.sha256(r[0].encode()).digest()[1] % 2 == half]
            before = gold_at(None, held)
            after = gold_at(fit(inside, args.l2), held)
            print(f"half {half}: {len(held)} held-out questions, gold document @1/3/10 "
                  f"{'/'.join(f'{x:.3f}' for x in before)} -> "
                  f"{'/'.join(f'{x:.3f}' for x in after)}")  # fmt: skip
    model = fit(data, args.l2)
    MODEL_FILE.write_text(json.dumps(model.to_json(), indent=1) + "\n")
    print(f"{len(data)} questions; wrote {MODEL_FILE}")
    print(
        "weights: "
        + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, model.weights, strict=True))
    )


if __name__ == "__main__":
    main()
