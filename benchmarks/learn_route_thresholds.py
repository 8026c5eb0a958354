"""Learn the semantic planner's per-target thresholds and margin on the TRAIN split only.

    python benchmarks/learn_route_thresholds.py [--out agentroute/planning/thresholds.json]

For every single-turn train request of benchmarks/planning/requests.jsonl whose clauses line
up with its gold steps (or that is to be declined), each clause is searched in the planning
benchmark's real target index (benchmarks/_planning_targets.py). A target's threshold is the
similarity that best separates the clauses it is right for (its similarity should clear it)
from those it comes first for and is wrong (it should not), pulled towards its kind's value
when it was seen a few times only; targets never seen use their kind's value. Clauses that
need live data, the user's state or an act are left out: declining them is not a threshold's
work. The margin between kinds is then chosen by the whole choice (`choose`) on the same
clauses. The test split is never read.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _planning_targets import build_agent
from bench_planning import load_requests

from agentroute.planning._acceptance import Thresholds, choose, is_general
from agentroute.text import names_verb, split_clauses, write_verb

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "agentroute" / "planning" / "thresholds.json"
PULL = 4.0
"""How many observations a target's own estimate needs to count as much as its kind's."""
MARGINS = [round(0.01 * i, 2) for i in range(0, 11)]
KIND_GRID = [round(0.15 + 0.025 * i, 3) for i in range(13)]
"""Kinds' thresholds searched: 0.15-0.45 (below, anything fits; above, little does)."""
TARGET_STEPS = [round(0.025 * i, 3) for i in range(-4, 5)]
"""A target's own threshold: its kind's, up to 0.1 either way."""


def clauses_with_gold() -> list[tuple[str, list[str], str]]:
    """(clause, right targets (none: decline), category) of the train split's single turns."""
    out = []
    for record in load_requests():
        if record["split"] != "train" or isinstance(record["request"], list):
            continue
        clauses = split_clauses(record["request"])
        if record["decline"]:
            out += [(c, [], record["category"]) for c in clauses]
            continue
        gold = [step["targets"] for step in record["steps"]]
        if len(gold) == len(clauses):
            out += [(c, g, record["category"]) for c, g in zip(clauses, gold, strict=True)]
    return out


def safe_hits(index: Any, clause: str) -> list[Any]:
    """What the planner chooses among: read-only targets unless the clause asks to write."""
    verb = write_verb(clause)
    hits = index.search(clause, k=16 if verb is None else 8)
    hits = [h for h in hits if not (verb is None and h.descriptor.writes)]
    if verb is not None:
        named = [h for h in hits if h.descriptor.writes and names_verb(h.descriptor.name, verb)]
        hits = named + [h for h in hits if h not in named]
    return hits


def learn(data: list[tuple[str, list[str], str, list[Any]]]) -> dict[str, Any]:
    """Coordinate descent on the whole choice's accuracy over a grid of sane values: first one
    threshold per kind, then each target's own near its kind's (a tie keeps the value nearer
    the kind's), then each pulled towards its kind's by how often it was among the first
    hits."""
    kind_of: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    where: dict[str, list[int]] = defaultdict(list)
    for i, (_clause, _gold, _cat, hits) in enumerate(data):
        for rank, h in enumerate(hits):
            kind_of[h.descriptor.name] = h.descriptor.kind.value
            seen[h.descriptor.name] += rank < 4
            where[h.descriptor.name].append(i)
    kinds = {kind: 0.3 for kind in sorted(set(kind_of.values()))}
    for _round in range(2):
        for kind in kinds:
            kinds[kind] = _best(
                data, lambda v, k=kind: Thresholds({}, {**kinds, k: v}), KIND_GRID, 0.3
            )
    targets = {n: kinds[k] for n, k in kind_of.items()}
    for _round in range(2):
        for name in sorted(targets):
            home = kinds[kind_of[name]]
            grid = [round(home + d, 3) for d in TARGET_STEPS]
            subset = [data[i] for i in where[name]]
            targets[name] = _best(
                subset, lambda v, n=name: Thresholds({**targets, n: v}, kinds), grid, home
            )
    pulled = {
        n: round((seen[n] * t + PULL * kinds[kind_of[n]]) / (seen[n] + PULL), 3)
        for n, t in sorted(targets.items())
        if seen[n] and t != kinds[kind_of[n]]
    }
    return {"kinds": {k: round(v, 3) for k, v in kinds.items()}, "targets": pulled}


def _best(
    data: list[tuple[str, list[str], str, list[Any]]],
    make: Any,
    grid: list[float],
    home: float,
) -> float:
    """The grid value of the highest accuracy; of equals, the one nearest ``home``."""
    scored = [(accuracy(data, make(v)).get("ALL", 0.0), -abs(v - home), v) for v in grid]
    return max(scored)[2]


def accuracy(data: list[tuple[str, list[str], str, list[Any]]], th: Thresholds) -> dict[str, float]:
    right: dict[str, list[bool]] = defaultdict(list)
    for clause, gold, cat, hits in data:
        general = [h.descriptor for h in hits if is_general(h.descriptor)][:1]
        choice = choose(clause, hits, th, general)
        got = choice.candidates[0].descriptor.name if choice.candidates else None
        ok = got is None if not gold else got in gold
        right[cat].append(ok)
        right["ALL"].append(ok)
    return {c: round(sum(v) / len(v), 3) for c, v in sorted(right.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--hits", type=Path, help="keep the searched hits in this file")
    args = parser.parse_args()
    clauses = clauses_with_gold()
    if args.hits and args.hits.is_file():
        data = pickle.loads(args.hits.read_bytes())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            agent = build_agent(Path(tmp))
            try:
                agent.run("What is 1 + 1?")  # starts the servers and builds the index
                data = [(c, g, cat, safe_hits(agent.index, c)) for c, g, cat in clauses]
            finally:
                agent.close()
        if args.hits:
            args.hits.write_bytes(pickle.dumps(data))
    learned = learn(data)
    base = Thresholds.uniform(0.3)
    print("clauses", len(data), "global 0.3:", json.dumps(accuracy(data, base)))
    scores = []
    for m in MARGINS:
        th = Thresholds(learned["targets"], learned["kinds"], 0.3, m)
        scores.append((accuracy(data, th)["ALL"], -m, m))
    margin = max(scores)[2]
    th = Thresholds(learned["targets"], learned["kinds"], 0.3, margin)
    print(f"learned (margin {margin}):", json.dumps(accuracy(data, th)))
    out = {
        "_comment": (
            "Learned by benchmarks/learn_route_thresholds.py on the planning benchmark's train "
            "split: a cosine similarity per target, a default per kind for targets never seen, "
            "and the margin under which two targets of different kinds are compared by how "
            "far each is above its own threshold."
        ),
        "default": 0.3,
        "kinds": learned["kinds"],
        "margin": margin,
        "targets": learned["targets"],
    }
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
