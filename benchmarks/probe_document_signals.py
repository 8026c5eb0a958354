"""Would a document-level signal beside the passages find the held-out question's document?

    python benchmarks/probe_document_signals.py [--corpus four|extra] [--variant NAME] [--weights 0,0.1,0.2]

bench_answers' bases and held-out train questions (a sentence of each document not indexed,
asked by its rarest words; ``--corpus extra``: the fifth base, never tuned on). The base's
fused search (``knowledge/_fusion.py``) ranks passages by cosine + BM25 share + definitions;
here each passage also gets ``weight`` times a signal of its whole document:

* ``summary``: the cosine of the question with the document's summary, embedded apart (its
  title and the line its structure puts first: a man page's NAME line, a Debian record's
  Description field, else the first sentence);
* ``first``: the cosine of the question with the document's first passage (no new vector);
* ``docbm25``: BM25 over whole documents (title and text), relative to the best document;
* ``prf``: not a document score: pseudo-relevance feedback, the ten rarest terms of the
  three best fused passages added to the BM25 query at ``weight`` of its best score.

Reported: gold document @1 / @3 / @10 among the documents of the ten best passages
(bench_answers' ``gold_rank``). Session 21 measured all four on train and dropped them
(README, "Knowledge answers").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kb_corpora import Doc, held_out
from bench_answers import build, corpus_of

from agentroute.knowledge import _chroma_kb
from agentroute.knowledge._fusion import (
    DEFINITION_WEIGHT,
    ScoredPassages,
    fused_order,
    lexical_weight,
)
from agentroute.observability import configure_logging
from agentroute.text import search_words
from agentroute.text._bm25 import LexicalIndex

_SENTENCE = re.compile(r"(?<=[.!?])\s")
_RULE = re.compile(r"[*=#-]+")


def summary(doc: Doc) -> str:
    """The document's title and the line its structure puts first."""
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    first = ""
    if lines[:1] == ["NAME"] and len(lines) > 1:
        first = lines[1]
    else:
        fields = [x for x in lines if x.startswith("Description:")]
        first = fields[0].removeprefix("Description:").strip() if fields else ""
    if not first:
        body = " ".join(x for x in lines[:4] if not _RULE.fullmatch(x))
        first = _SENTENCE.split(body, 1)[0][:300]
    return f"{doc.title}: {first}"


def _unit(v: Any) -> npt.NDArray[np.float64]:
    a = np.asarray(v, dtype=np.float64)
    return a / max(float(np.linalg.norm(a)), 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["four", "extra"], default="four")
    parser.add_argument("--variant", choices=["summary", "first", "docbm25", "prf"])
    parser.add_argument("--weights", default="0,0.1,0.2")
    args = parser.parse_args()
    configure_logging(level="warning")
    names, docs = corpus_of(args.corpus == "extra")
    kept, questions = held_out(docs, names, keep_layout=True)
    bases = build(kept)
    asked = [q for q in questions if q.split == "train"]
    embed = next(iter(bases.values())).embedder.embed
    summaries: dict[str, npt.NDArray[np.float64]] = {}
    whole: dict[str, tuple[list[str], LexicalIndex]] = {}
    if args.variant == "summary":
        for ds in kept.values():
            summaries.update(
                {d.id: _unit(v) for d, v in zip(ds, embed([summary(d) for d in ds]), strict=True)}
            )
    if args.variant == "docbm25":
        for name, ds in kept.items():
            texts = [f"{d.title} {d.text}" for d in ds]
            whole[name] = ([d.id for d in ds], LexicalIndex(texts, words=search_words))
    original = _chroma_kb.ChromaKnowledgeBase.scored
    weight = 0.0

    def signal(kb: Any, query: str, s: ScoredPassages) -> npt.NDArray[np.float64]:
        documents = [_chroma_kb._document_of(s, i) for i in range(len(s.ids))]
        if args.variant == "summary":
            q = _unit(embed([query])[0])
            return np.array([float(summaries[d] @ q) if d in summaries else 0.0 for d in documents])
        if args.variant == "first":
            first = {
                d: s.similarities[i]
                for i, (d, m) in enumerate(zip(documents, s.metadatas, strict=True))
                if int((m or {}).get("chunk", -1)) == 0
            }
            return np.array([first.get(d, 0.0) for d in documents])
        ids, index = whole[kb.name]
        scores = index.scores(query)
        best = float(scores.max()) if len(scores) else 0.0
        by = dict(zip(ids, scores / best if best > 0 else scores, strict=True))
        return np.array([by.get(d, 0.0) for d in documents])

    def feedback(kb: Any, query: str, s: ScoredPassages) -> ScoredPassages:
        lexical = kb.lexical()
        top = fused_order(
            s.similarities, s.lexical, 3, weight=lexical_weight(query, lexical.holds),
            defining=s.defining,
        )  # fmt: skip
        own = set(search_words(query))
        terms = {t for i in top for t in search_words(s.texts[i]) if t not in own}
        idf: Callable[[str], float] = lexical._idf
        rare = sorted((t for t in terms if lexical.holds(t)), key=lambda t: (-idf(t), t))[:10]
        more = lexical.scores(" ".join(rare)) if rare else np.zeros(len(s.ids))
        scale = float(s.lexical.max()) if s.lexical.max() > 0 else 1.0
        top_more = float(more.max()) if more.max() > 0 else 1.0
        lex = s.lexical + weight * scale * more / top_more
        return ScoredPassages(s.ids, s.texts, s.metadatas, s.similarities, lex, s.defining)

    def scored(self: Any, query: str, k: int = 3, **kw: Any) -> ScoredPassages:
        s = original(self, query, k, **kw)
        if weight == 0:
            return s
        if args.variant == "prf":
            return feedback(self, query, s)
        extra_share = weight / DEFINITION_WEIGHT * signal(self, query, s)
        return ScoredPassages(
            s.ids, s.texts, s.metadatas, s.similarities, s.lexical, s.defining + extra_share
        )

    _chroma_kb.ChromaKnowledgeBase.scored = scored  # type: ignore[method-assign]
    for weight in (float(w) for w in args.weights.split(",")):
        at = {1: 0, 3: 0, 10: 0}
        for q in asked:
            order = list(dict.fromkeys(h.doc_id for h in bases[q.bases[0]].search(q.text, 10)))
            rank = order.index(q.docs[0]) if q.docs[0] in order else None
            for k in at:
                at[k] += rank is not None and rank < k
        n = len(asked)
        print(
            f"{args.corpus} {args.variant} weight {weight:g} (n={n}): gold document "
            f"@1 {at[1] / n:.1%}  @3 {at[3] / n:.1%}  @10 {at[10] / n:.1%}",
            flush=True,
        )


if __name__ == "__main__":
    main()
