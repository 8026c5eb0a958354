"""A knowledge answer is about what was asked: the blind set of issue 13/15 item 4.

    python benchmarks/bench_entity_asked.py

Three small bases written for it (``benchmarks/data/entity_asked``): a team handbook with a
section per department, a backup tool's manual naming other programs in passing (quoted,
in parentheses), an admin cheat sheet with a section per program. Each question either has
an answer (a string its first claim must write) or none (a sibling section's entity, a
program named only in passing): then the base must decline, in ``invoke`` and in ``probe``
(what the planner routes by). Written before the fix, golds read off the documents; it is a
dev set (no split is held out).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase
from agentroute.observability import configure_logging

DATA = Path(__file__).resolve().parent / "data" / "entity_asked"
BASES = {
    "team": ("handbook.md", "The company's team handbook: departments and their leads."),
    "backup": ("backup.md", "Manual of the snapkeep backup tool."),
    "admin": ("tools.md", "Cheat sheet of the command-line programs administrators use."),
}


async def run(root: Path) -> dict[str, object]:
    embedder = default_embedder()
    kbs = {}
    for name, (file, description) in BASES.items():
        kb = ChromaKnowledgeBase(name, root / name, embedder, description=description)
        kb.ingest([DATA / file])
        kbs[name] = kb
    rows = [json.loads(line) for line in (DATA / "questions.jsonl").read_text().splitlines()]
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for r in rows:
        kb = kbs[r["base"]]
        obs = await kb.invoke("s1", r["question"], None, timeout=60)
        probe = kb.probe(r["question"])
        if r["expect"] is None:
            ok = not obs.ok and not probe.answers
            group = "declined"
        else:
            first = obs.data["claims"][0]["text"] if obs.ok else ""
            ok = probe.answers and r["expect"].lower() in first.lower()
            group = "answered first"
        total[group] += 1
        right[group] += ok
        if not ok:
            print(f"MISS {r['kind']:8} {r['base']:6} {r['question']!r}", file=sys.stderr)
    return {g: f"{right[g]}/{total[g]}" for g in total}


def main() -> None:
    configure_logging(level="warning")
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(asyncio.run(run(Path(tmp)))))


if __name__ == "__main__":
    main()
