"""Declining on hand-written development sets (issue 13, round 2): precision and recall.

    python benchmarks/bench_declining.py [--show]

Runs tests/text/route_dev/decline.txt (no target can serve them) and answer.txt (some target
must) through the planning benchmark's agent and counts requests planned with no step
(declined). Prints declined share of each set, precision and recall of declining, and with
``--show`` the misses. Written for development: these sets are not the benchmark's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _planning_targets import build_agent

from agentroute.observability import configure_logging

DEV = Path(__file__).resolve().parent.parent / "tests" / "text" / "route_dev"


def load(name: str) -> list[str]:
    lines = (DEV / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def planned(agent: Any, request: str) -> list[str]:
    seen: dict[str, Any] = {}

    def on_update(node: str, update: dict[str, Any]) -> None:
        if node == "plan" and "plan" not in seen:
            seen["plan"] = update.get("plan")

    agent.run(request, on_update=on_update)
    plan = seen.get("plan")
    return [s.target for s in plan.steps] if plan is not None else []


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    configure_logging()
    decline, answer = load("decline.txt"), load("answer.txt")
    with tempfile.TemporaryDirectory() as tmp:
        agent = build_agent(Path(tmp))
        try:
            agent.start()
            d_rows = [(r, planned(agent, r)) for r in decline]
            a_rows = [(r, planned(agent, r)) for r in answer]
        finally:
            agent.close()
    tp = sum(1 for _, p in d_rows if not p)
    fp = sum(1 for _, p in a_rows if not p)
    recall = tp / len(d_rows)
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"declined {tp}/{len(d_rows)} unanswerable (recall {recall:.1%})")
    print(f"wrongly declined {fp}/{len(a_rows)} answerable ({fp / len(a_rows):.1%})")
    print(f"precision {precision:.1%}")
    if args.show:
        for r, p in d_rows:
            if p:
                print(f"NOT DECLINED  {r!r} -> {p}")
        for r, p in a_rows:
            if not p:
                print(f"WRONGLY DECLINED  {r!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
