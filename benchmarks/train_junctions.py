"""Train the junction model (agentroute/text/learned/junctions.json) from the planning benchmark.

    python benchmarks/train_junctions.py [--out PATH] [--exclude SET]

Measured held out (the rules before each development set, on that set, alone and with the
model trained without it): ``python benchmarks/bench_junctions.py``.

Labels come from the gold plans of the train split (benchmarks/planning/requests.jsonl) and
the development sets (benchmarks/planning/dev/*.jsonl); the test split's rows are dropped as
they are read. A
request of n gold steps splits at n - 1 of its junctions: those whose segments hold every
gold step's key values (one step to a segment). A junction is a positive when it is in every
such choice, a negative when in none; ambiguous ones and requests no choice fits are left out.
The model is a logistic regression (L2, full-batch gradient descent, numpy).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentroute.text._junctions import Junction, junctions  # noqa: E402

DATA = ROOT / "benchmarks" / "planning"
OUT = ROOT / "agentroute" / "text" / "learned" / "junctions.json"
CUES = sorted(
    {
        ",", ";", ".", "?", "!", ":", "-", "–", "—", "+", "&",
        "and", "then", "also", "plus", "additionally", "finally", "lastly", "afterwards",
        "next", "besides", "moreover", "furthermore", "separately",
    }
)  # fmt: skip
"""The tokens a junction is made of."""


def sources() -> dict[str, list[dict[str, Any]]]:
    """Train and development requests by file (the test split left out)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for path in [DATA / "requests.jsonl", *sorted((DATA / "dev").glob("*.jsonl"))]:
        rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
        out[path.stem] = [r for r in rows if r["split"] != "test"]
    return out


def labelled(record: dict[str, Any]) -> list[tuple[Junction, int]]:
    """The junctions of one request with their labels from its gold plan (see the module)."""
    request = record["request"]
    if isinstance(request, list) or record.get("decline"):
        return []
    found = junctions(request, frozenset(CUES))
    steps = record["steps"]
    n = len(steps)
    if n == 1:
        return [(j, 0) for j in found]
    if len(found) < n - 1 or len(found) > 14:
        return []
    low = request.lower().replace(",", "")
    keys = [[k.lower().replace(",", "") for k in s["keys"] if k.lower() in low] for s in steps]
    valid = []
    for combo in itertools.combinations(range(len(found)), n - 1):
        cuts = [0, *(found[c].end for c in combo), len(request)]
        starts = [0, *(found[c].start for c in combo)]
        segments = [request[cuts[i] : starts[i + 1] if i + 1 < n else len(request)].lower()
                    for i in range(n)]  # fmt: skip
        segments = [s.replace(",", "") for s in segments]
        if any(not any(ch.isalnum() for ch in s) for s in segments):
            continue
        if any(
            all(all(k in segments[p] for k in keys[g]) for g, p in enumerate(perm))
            for perm in itertools.permutations(range(n))
        ):
            valid.append(set(combo))
    if not valid:
        return []
    out = []
    for i, j in enumerate(found):
        inside = [i in v for v in valid]
        if all(inside):
            out.append((j, 1))
        elif not any(inside):
            out.append((j, 0))
    return out


L2 = 1e-4
STEPS = 1500


def train(
    rows: list[tuple[Junction, int]], l2: float = L2, steps: int = STEPS, lr: float = 0.5
) -> tuple[dict[str, float], float]:
    """Logistic regression over the junctions' binary features."""
    vocab: dict[str, int] = {}
    idx = [[vocab.setdefault(f, len(vocab)) for f in j.features if f != "bias"] for j, _ in rows]
    y = np.array([label for _, label in rows], dtype=float)
    row_of = np.concatenate([np.full(len(r), i) for i, r in enumerate(idx)]).astype(int)
    col_of = np.concatenate([np.array(r, dtype=int) for r in idx])
    w = np.zeros(len(vocab))
    b = 0.0
    m = len(rows)
    for _ in range(steps):
        z = np.bincount(row_of, weights=w[col_of], minlength=m) + b
        p = 1.0 / (1.0 + np.exp(-z))
        g = p - y
        grad = np.bincount(col_of, weights=g[row_of], minlength=len(vocab)) / m + l2 * w
        w -= lr * grad
        b -= lr * g.mean()
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    return weights, round(b, 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--exclude", action="append", default=[], help="a file stem left out")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--steps", type=int, default=STEPS)
    options = parser.parse_args(argv)
    files = sources()
    rows: list[tuple[Junction, int]] = []
    used = 0
    for stem, records in files.items():
        if stem in options.exclude:
            continue
        for record in records:
            got = labelled(record)
            used += bool(got)
            rows.extend(got)
    weights, bias = train(rows, options.l2, options.steps)
    positives = sum(label for _, label in rows)
    options.out.write_text(
        json.dumps(
            {
                "about": "junction classifier: benchmarks/train_junctions.py "
                f"(excluded: {sorted(options.exclude)}); {len(rows)} junctions from {used} "
                f"requests, {positives} splits",
                "cues": CUES,
                "bias": bias,
                "weights": dict(sorted(weights.items())),
            },
            indent=0,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(rows)} junctions ({positives} splits) from {used} requests -> {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
