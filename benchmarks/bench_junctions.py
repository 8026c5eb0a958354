"""Does the learned junction model earn its keep on requests the rules never saw? (issue 13)

    python benchmarks/bench_junctions.py [--thresholds 0.95,0.9,0.85,0.8]

The clause rules were fitted on the development sets after each was written, so their score
on those sets today says little about new requests. Each development set has the commit that
added it: the rules of the commit before it never saw it. For each set F (leave one file out):

* the rules as they were before F, alone, on F: the rules' held-out score;
* the same rules plus the junction model trained on every other train and development request
  (F and the test split left out), its threshold chosen on the other sets' held-out scores
  (nested: F's own score never picks it).

A request counts as right when its clauses are as many as its gold steps, the dependencies
between them are the gold ones and each gold step's key values (those the request's text
holds) are in its clause (text only: no agent, no routing). The test split is never read.
It also times what the model adds to reading a request (CPU time, the rules alone measured
in the same run, every train and development request). Results: benchmarks/results/junctions.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from train_junctions import CUES, labelled, sources, train  # noqa: E402

DEV = HERE / "planning" / "dev"
RESULTS = HERE / "results" / "junctions.json"
SCORER = HERE / "_junction_score.py"


def added_by(path: Path) -> str:
    """The commit that added ``path``."""
    out = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    if not out:
        raise SystemExit(f"{path}: not in the git history (the held-out rules need it)")
    return out[-1]


def rules_before(commit: str, into: Path) -> Path:
    """The ``agentroute`` package of ``commit``'s parent, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "archive", f"{commit}^", "agentroute"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def cost() -> dict[str, float]:
    """CPU microseconds per request: the rules' clauses, and the model's cut on top of them."""
    from agentroute.text import clauses, split_confident

    texts = [
        r["request"]
        for records in sources().values()
        for r in records
        if not isinstance(r["request"], list)
    ]
    split_confident(clauses(texts[0]))  # the model's weights loaded before timing
    rules: list[float] = []
    model: list[float] = []
    for _ in range(3):
        for text in texts:
            started = time.process_time_ns()
            found = clauses(text)
            middle = time.process_time_ns()
            split_confident(found)
            ended = time.process_time_ns()
            rules.append((middle - started) / 1000)
            model.append((ended - middle) / 1000)
    return {
        "requests": len(texts),
        "rules_mean_us": statistics.fmean(rules),
        "model_mean_us": statistics.fmean(model),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", default="0.95,0.9,0.85,0.8")
    options = parser.parse_args(argv)
    thresholds = [float(t) for t in options.thresholds.split(",")]
    files = sources()
    labels = {
        stem: [row for r in records for row in labelled(r)] for stem, records in files.items()
    }
    held = sorted(p.stem for p in DEV.glob("*.jsonl"))
    scores: dict[str, dict[str, list[int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stem in held:
            rows = [row for s, got in labels.items() if s != stem for row in got]
            weights, bias = train(rows)
            model = Path(tmp) / f"{stem}.json"
            model.write_text(json.dumps({"cues": CUES, "bias": bias, "weights": weights}))
            old = rules_before(added_by(DEV / f"{stem}.jsonl"), Path(tmp) / stem)
            out = subprocess.run(
                [sys.executable, str(SCORER), str(model), str(DEV / f"{stem}.jsonl"),
                 ",".join(str(t) for t in [2.0, *thresholds])],
                env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"},
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            scores[stem] = json.loads(out)
    rows_out: list[dict[str, Any]] = []
    total = {"n": 0, "rules": 0, "tagger": 0}
    for stem in held:
        inner = {t: sum(scores[g][str(t)][1] for g in held if g != stem) for t in thresholds}
        best = max(thresholds, key=lambda t: (inner[t], t))
        n, rules, tagged = (
            scores[stem]["2.0"][0],
            scores[stem]["2.0"][1],
            scores[stem][str(best)][1],
        )
        rows_out.append({"set": stem, "n": n, "rules": rules, "tagger": tagged, "threshold": best})
        total["n"] += n
        total["rules"] += rules
        total["tagger"] += tagged
    print(f"{'set':<13} {'n':>5} {'rules%':>7} {'+model%':>8} {'θ':>5}")
    for r in rows_out:
        print(
            f"{r['set']:<13} {r['n']:>5} {100 * r['rules'] / r['n']:>7.1f}"
            f" {100 * r['tagger'] / r['n']:>8.1f} {r['threshold']:>5}"
        )
    n = total["n"]
    print(f"{'ALL':<13} {n:>5} {100 * total['rules'] / n:>7.1f} {100 * total['tagger'] / n:>8.1f}")
    spent = cost()
    RESULTS.write_text(
        json.dumps(
            {
                "command": "python benchmarks/bench_junctions.py",
                "measured": time.strftime("%Y-%m-%d %H:%M"),
                "sets": rows_out,
                "total": total,
                "by_threshold": scores,
                "cpu": spent,
            },
            indent=1,
        )
        + "\n"
    )
    print(
        f"CPU per request ({spent['requests']} requests x 3): rules {spent['rules_mean_us']:.0f} µs,"
        f" the model's cut on top {spent['model_mean_us']:.0f} µs"
    )
    print(f"results: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
