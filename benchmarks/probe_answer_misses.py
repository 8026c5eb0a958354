"""Where is the key fact lost? bench_answers' held-out questions, each miss counted by kind.

    python benchmarks/probe_answer_misses.py [--split train] [--per-base 60] [--show KIND]

Each question is asked of its own base as bench_answers asks it; the passages the answer's
statements were chosen among (``answer_claims``' ``hits``) are recorded beside it. A question
whose key word (bench_answers' ``key_word``) the answer does not show is counted as:

* ``declined-name``: declined by the name or subject check (a name no passage writes);
* ``declined-floor``: declined below the similarity floor or the word-share bars;
* ``declined-other``: declined otherwise (the attribute check);
* ``retrieval``: its document not among the search's ten best documents;
* ``cut``: its document in the ten best, but no passage of it among the answer's pool;
* ``passage``: a passage of its document in the pool, none writing the key word (the
  passage holding the fact was not retrieved or cut);
* ``sentence-right-passage``: the key word's passage gave a claim, but another statement of it;
* ``sentence-other-passage``: the key word's passage is in the pool and gave no claim.

Counted on train only (the rules: the test split is run once, by bench_answers).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kb_corpora import _WORD, held_out
from bench_answers import ask, build, corpus_of, gold_rank, key_word, shown

from agentroute.knowledge import _chroma_kb
from agentroute.observability import configure_logging


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train"], default="train")
    parser.add_argument("--per-base", type=int, default=60)
    parser.add_argument("--corpus", choices=["four", "extra"], default="four")
    parser.add_argument("--show", default="", help="print the questions of this kind")
    args = parser.parse_args()
    configure_logging(level="warning")
    names, docs = corpus_of(args.corpus == "extra")
    kept, questions = held_out(docs, names, keep_layout=True)
    bases = build(kept)
    texts = {d.id: d.text for ds in kept.values() for d in ds}
    df = Counter(w for t in texts.values() for w in {w.lower() for w in _WORD.findall(t)})
    seen: list[Any] = []
    real = _chroma_kb.answer_claims

    def recording(query: str, hits: Any, *a: Any, **k: Any) -> Any:
        seen.append(list(hits))
        return real(query, hits, *a, **k)

    _chroma_kb.answer_claims = recording  # type: ignore[assignment]
    kinds: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for base in names:
        mine = [q for q in questions if q.split == args.split and q.bases == (base,)]
        for q in mine[: args.per_base]:
            key = key_word(q, texts, df)
            if not key:
                continue
            totals[base] += 1
            seen.clear()
            obs = asyncio.run(ask(bases[base], q.text))
            said = shown(obs.result) if obs.ok else ""
            if key.lower() in said.lower():
                kinds[(base, "hit")] += 1
                continue
            gold = q.docs[0]
            if not obs.ok:
                err = obs.error or ""
                kind = (
                    "declined-floor"
                    if "similarity" in err
                    else "declined-name"
                    if "no passage about" in err or "not in" in err or "does not" in err
                    else "declined-other"
                )
            else:
                pool = seen[0] if seen else []
                mine_pool = [h for h in pool if h.doc_id == gold]
                with_key = [h for h in mine_pool if key.lower() in h.text.lower()]
                claimed = {c["text"] for c in (obs.data or {}).get("claims", [])}
                rank = gold_rank(bases[base], q)
                if not mine_pool:
                    kind = "retrieval" if rank is None else "cut"
                elif not with_key:
                    kind = "passage"
                elif any(any(c in h.text or _shares(c, h.text) for c in claimed) for h in with_key):
                    kind = "sentence-right-passage"
                else:
                    kind = "sentence-other-passage"
            kinds[(base, kind)] += 1
            if args.show and kind == args.show:
                print(f"--- {base} {q.text!r}\n    key {key!r}  held {q.held[:200]!r}")
                print(f"    error {obs.error!r}" if not obs.ok else "    said " + said[:400])
    all_kinds = sorted({k for _, k in kinds})
    print(f"{'base':18}" + "".join(f"{k[:14]:>16}" for k in all_kinds) + f"{'n':>6}")
    for base in names:
        print(f"{base:18}" + "".join(f"{kinds[(base, k)]:>16}" for k in all_kinds)
              + f"{totals[base]:>6}")  # fmt: skip
    print(f"{'all':18}" + "".join(f"{sum(kinds[(b, k)] for b in names):>16}" for k in all_kinds)
          + f"{sum(totals.values()):>6}")  # fmt: skip


def _shares(claim: str, passage: str) -> bool:
    """Whether a claim's statement came from ``passage`` (its first 60 characters in it)."""
    return claim[:60] in " ".join(passage.split())


if __name__ == "__main__":
    main()
