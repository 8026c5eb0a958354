"""Planning: does the planner understand what people ask? (issue 13)

    python benchmarks/bench_planning.py [--split train|test] [--category C] [--limit N]

604 requests written the many ways people write them (benchmarks/planning/requests.jsonl,
authored in benchmarks/planning/_author.py; questions, commands, fragments, typos, several
parts, numbers inside clauses, references between parts, follow-ups in a thread, requests no
target can serve), each with its gold plan and the key strings of its answer. They run
through the real Agent (the semantic planner, no memory) over the embedded default, the
official MCP servers (time, git, filesystem, everything), four knowledge bases and three
expert models (benchmarks/_planning_targets.py). Per category and split (train: the planner
may learn from it; test: never seen), it reports the whole plan right (targets and
dependencies), the share of steps routed to a right target, key values present in the
steps, answers right, declining, write tools planned for a read, and the planning time
(recall done → plan done). Results: benchmarks/results/planning.json.

Targets (issue 13): plan >= 95%, answer >= 95%, references >= 95%, follow-ups >= 90%,
unanswerable declined >= 95%, answerable wrongly declined <= 1%, write tool for a read: never,
planning p50 <= 20 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _planning_score import score_request
from _planning_targets import build_agent

from agentroute.observability import configure_logging
from agentroute.types import references

HERE = Path(__file__).resolve().parent
DATA = HERE / "planning"
RESULTS = HERE / "results" / "planning.json"


def load_requests(where: Path = DATA) -> list[dict[str, Any]]:
    """The requests of one ``.jsonl`` file, or of every one directly in a folder."""
    out = []
    for path in sorted(where.glob("*.jsonl")) if where.is_dir() else [where]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def predicted_steps(plan: Any, args: dict[str, Any]) -> list[dict[str, Any]]:
    """A ``Plan`` as the scorer's steps: dependencies (declared or ``{{s1}}``) as indices."""
    index = {step.id: i for i, step in enumerate(plan.steps)}
    out = []
    for step in plan.steps:
        deps = {*step.depends_on, *references(step.query)}
        out.append(
            {
                "target": step.target,
                "query": step.query,
                "args": args.get(step.id) if args.get(step.id) is not None else step.args,
                "depends_on": sorted(index[d] for d in deps if d in index),
            }
        )
    return out


def run_one(agent: Any, record: dict[str, Any]) -> dict[str, Any]:
    turns = record["request"] if isinstance(record["request"], list) else [record["request"]]
    thread = uuid.uuid4().hex[:12]
    for earlier in turns[:-1]:
        if agent.run(earlier, thread=thread).pending_approval is not None:
            agent.resume(thread, True)
    seen: dict[str, Any] = {}

    def on_update(node: str, update: dict[str, Any]) -> None:
        now = time.perf_counter()
        if node == "recall":
            seen.setdefault("recalled", now)
        elif node == "plan" and "planned" not in seen:
            seen["planned"], seen["plan"] = now, update.get("plan")

    started = time.perf_counter()
    result = agent.run(turns[-1], thread=thread, on_update=on_update)
    while result.pending_approval is not None:  # a write the request asked for: the user says yes
        result = agent.resume(thread, True)
    plan = seen.get("plan")
    args = {s.id: s.args for s in result.steps}
    pred = predicted_steps(plan, args) if plan is not None else []
    scored = score_request(record, pred, result.answer)
    scored.update(
        id=record["id"],
        split=record["split"],
        category=record["category"],
        request=turns[-1],
        planned=[p["target"] for p in pred],
        planner=plan.planner if plan is not None else None,
        unmatched=list(plan.unmatched) if plan is not None else [],
        plan_ms=(seen.get("planned", started) - seen.get("recalled", started)) * 1000,
        turn_ms=result.latency_s * 1000,
        answer=result.answer,
        errors=[f"{s.target}: {s.error}" for s in result.steps if not s.ok],
    )
    return scored


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["decline"]]
    unanswerable = [r for r in rows if r["decline"]]
    with_refs = [r for r in answerable if r["has_reference"]]
    steps = sum(r["steps"] for r in answerable)

    def share(items: list[dict[str, Any]], key: str) -> float | None:
        return sum(bool(r[key]) for r in items) / len(items) if items else None

    return {
        "n": len(rows),
        "plan": share(answerable, "plan_ok"),
        "step_target": sum(r["target_hits"] for r in answerable) / steps if steps else None,
        "keys": share(answerable, "keys_ok"),
        "answer": share(answerable, "answer_ok"),
        "references": share(with_refs, "deps_ok"),
        "declined": share(unanswerable, "declined"),
        "wrongly_declined": share(answerable, "declined"),
        "write_for_read": sum(r["write_for_read"] for r in rows),
        "plan_p50_ms": statistics.median(r["plan_ms"] for r in rows) if rows else None,
    }


def fmt(value: float | None, pct: bool = True) -> str:
    if value is None:
        return "—"
    return f"{100 * value:5.1f}" if pct else f"{value:5.1f}"


def table(summary: dict[str, dict[str, dict[str, Any]]]) -> str:
    header = (
        f"{'split':<5} {'category':<11} {'n':>4} {'plan%':>6} {'step%':>6} {'keys%':>6}"
        f" {'answ%':>6} {'refs%':>6} {'decl%':>6} {'wdecl%':>6} {'write':>5} {'p50ms':>6}"
    )
    lines = [header, "-" * len(header)]
    for split, cats in summary.items():
        for cat, s in cats.items():
            lines.append(
                f"{split:<5} {cat:<11} {s['n']:>4} {fmt(s['plan']):>6} {fmt(s['step_target']):>6}"
                f" {fmt(s['keys']):>6} {fmt(s['answer']):>6} {fmt(s['references']):>6}"
                f" {fmt(s['declined']):>6} {fmt(s['wrongly_declined']):>6}"
                f" {s['write_for_read']:>5} {fmt(s['plan_p50_ms'], pct=False):>6}"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "test", "dev"])
    parser.add_argument("--category")
    parser.add_argument("--limit", type=int)
    parser.add_argument(
        "--requests",
        type=Path,
        default=DATA,
        help="a .jsonl file or a folder of them (default: the benchmark's own requests); "
        "development sets (split 'dev', benchmarks/planning/dev/) are run this way",
    )
    options = parser.parse_args(argv)
    records = load_requests(options.requests)
    if options.split:
        records = [r for r in records if r["split"] == options.split]
    if options.category:
        records = [r for r in records if r["category"] == options.category]
    if options.limit:
        records = records[: options.limit]
    if not records:
        print("no request matches", file=sys.stderr)
        return 2

    configure_logging()  # logs to stderr, before the embedder loads
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        agent = build_agent(Path(tmp))
        try:
            agent.start()
            start_s = time.perf_counter() - started
            for record in records:
                rows.append(run_one(agent, record))
        finally:
            agent.close()

    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for split in ("train", "test", "dev"):
        mine = [r for r in rows if r["split"] == split]
        if not mine:
            continue
        by_cat: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in mine:
            by_cat[row["category"]].append(row)
        summary[split] = {cat: summarise(items) for cat, items in by_cat.items()}
        summary[split]["ALL"] = summarise(mine)
    summary["both"] = {"ALL": summarise(rows)}

    print(f"planning benchmark: {len(rows)} requests, agent start {start_s:.1f} s")
    print(table(summary))
    print(
        "plan: whole plan right (targets + dependencies); step: steps to a right target; keys:"
        " key values in every step; answ: answer key strings; refs: dependencies right where"
        " parts refer to each other; decl: unanswerable declined; wdecl: answerable declined;"
        " write: write tool planned for a read request (count); p50ms: planning time p50."
    )
    command = "python benchmarks/bench_planning.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    results = RESULTS if options.requests == DATA else RESULTS.with_name("planning_dev.json")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        json.dumps(
            {
                "command": command,
                "measured": time.strftime("%Y-%m-%d %H:%M"),
                "agent_start_s": start_s,
                "summary": summary,
                "requests": rows,
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
