"""Planning invariance: does the planner hold when the same request is written another way?

    python benchmarks/bench_planning_rewrites.py --split train [--per-type N] [--only conn:]
    python benchmarks/bench_planning_rewrites.py --requests benchmarks/planning/dev --per-type 60

Every request of the chosen set is rewritten by each rule of benchmarks/planning/rewrites.json
that applies to it (other connectives between parts, other words pointing back at an earlier
part, politeness, casing, punctuation, number forms; benchmarks/_rewrites.py), each rewrite
keeping the gold plan exactly. Originals and rewrites run through the same real Agent as
bench_planning.py. Per rewrite type it reports invariance: of the items whose original is
planned right (targets + dependencies), the share whose rewrite is still planned right; and
how many rewrites are right where the original was not. --per-type samples that many rewrites
of each type (seeded) to keep a dev run short. Results (the summary and every rewrite planned
wrong): benchmarks/results/planning_rewrites_<split>*.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _planning_targets import build_agent
from _rewrites import rewrites
from bench_planning import DATA, HERE, load_requests, run_one

from agentroute.observability import configure_logging

_KEPT = ("id", "original", "rewrite", "request", "plan_ok", "planned", "unmatched")
"""What a missed rewrite's row keeps in the results file (the rest is bench_planning's)."""


def sample(
    records: list[dict[str, Any]], per_type: int | None, only: str | None
) -> dict[str, list[dict[str, Any]]]:
    """The rewrites to run, by type: every applicable one, or ``per_type`` of each (seeded)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rule in rewrites().items():
        if only and not name.startswith(only):
            continue
        made = [new for record in records if (new := rule(record)) is not None]
        if per_type is not None and len(made) > per_type:
            made = sorted(random.Random(f"13:{name}").sample(made, per_type), key=lambda r: r["id"])
        out[name] = made
    return out


def invariance(rows: list[dict[str, Any]], right: dict[str, bool]) -> dict[str, Any]:
    """Of the rewrites whose original was planned right, the share still planned right."""
    held = [r for r in rows if right[r["original"]]]
    return {
        "n": len(rows),
        "original_right": len(held),
        "kept": sum(r["plan_ok"] for r in held),
        "invariance": sum(r["plan_ok"] for r in held) / len(held) if held else None,
        "gained": sum(r["plan_ok"] and not right[r["original"]] for r in rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test", "dev"])
    parser.add_argument("--requests", type=Path, default=DATA)
    parser.add_argument("--per-type", type=int)
    parser.add_argument("--only", help="rewrite types starting with this (conn:, ref:, ...)")
    parser.add_argument("--show", action="store_true", help="print every broken rewrite")
    options = parser.parse_args(argv)
    records = load_requests(options.requests)
    if options.split:
        records = [r for r in records if r["split"] == options.split]
    chosen = sample(records, options.per_type, options.only)
    originals = {r["id"]: r for r in records}
    needed = sorted({new["original"] for made in chosen.values() for new in made})
    if not needed:
        print("no rewrite applies", file=sys.stderr)
        return 2

    configure_logging()
    right: dict[str, bool] = {}
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        agent = build_agent(Path(tmp))
        try:
            agent.start()
            for rid in needed:
                right[rid] = bool(run_one(agent, originals[rid])["plan_ok"])
            for name, made in chosen.items():
                for new in made:
                    row = run_one(agent, new)
                    row.update(original=new["original"], rewrite=name)
                    by_type[name].append(row)
        finally:
            agent.close()

    summary = {name: invariance(rows, right) for name, rows in by_type.items()}
    families: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name, rows in by_type.items():
        families[name.split(":")[0]].extend(rows)
    summary.update({f"{f}:ALL": invariance(rows, right) for f, rows in families.items()})
    summary["ALL"] = invariance([r for rows in by_type.values() for r in rows], right)
    print(f"planning rewrites: {len(needed)} originals ({sum(right.values())} planned right)")
    print(f"{'rewrite':<24} {'n':>5} {'orig ok':>7} {'kept':>5} {'invar%':>7} {'gained':>6}")
    for name, s in summary.items():
        inv = "—" if s["invariance"] is None else f"{100 * s['invariance']:.1f}"
        print(
            f"{name:<24} {s['n']:>5} {s['original_right']:>7} {s['kept']:>5} {inv:>7}"
            f" {s['gained']:>6}"
        )
    if options.show:
        for name, rows in by_type.items():
            for r in rows:
                if right[r["original"]] and not r["plan_ok"]:
                    print(f"BROKEN {name} {r['id']}: {r['request']!r} -> {r['planned']}")
    where = f"_{options.split}" if options.split else ""
    where += "" if options.requests == DATA else "_dev"
    results = HERE / "results" / f"planning_rewrites{where}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    command = "python benchmarks/bench_planning_rewrites.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    results.write_text(
        json.dumps(
            {
                "command": command,
                "measured": time.strftime("%Y-%m-%d %H:%M"),
                "summary": summary,
                "missed": [
                    {k: r[k] for k in _KEPT}
                    for rows in by_type.values()
                    for r in rows
                    if not r["plan_ok"]
                ],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"results: {results.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
