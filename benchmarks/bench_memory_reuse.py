"""Does memory reuse a plan only for a request that asks the same thing?

    python benchmarks/bench_memory_reuse.py            # all pairs, writes results/memory_reuse.json
    python benchmarks/bench_memory_reuse.py --quick    # the first 20 pairs

Each pair ``(first, later)`` of ``benchmarks/data/memory_reuse_pairs.jsonl`` runs through the
real ``Agent`` (the embedded default plus the official time and git servers, the git server on
a scratch repository with two commits; semantic planner; a case bank with the MiniLM embedder):
``first`` is run and remembered, then ``later`` is run in another thread. The same ``later``
is also run by an agent without memory: its plan is the request's own reading. Memory is
*right* for a pair when the later turn dispatched the same steps (targets and arguments) as
the memory-less run. Measured:

* reuse precision: of the later turns that reused a stored plan outright, the share that
  dispatched what the memory-less run dispatched;
* reuse recall: of the pairs whose later request, read on its own, calls the first request's
  targets, the share that reused the plan (and got it right);
* steered wrong: later turns whose dispatched steps differ from the memory-less run's
  (outright reuse or the recall prior), the harm memory did.

Each pair has a ``same`` label (whether the two requests ask the same thing, values aside),
reported beside the measured figures; the verdicts themselves come from the planner.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import structlog

structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))

from agentroute import Agent  # noqa: E402
from agentroute.embeddings import default_embedder  # noqa: E402
from agentroute.memory import CaseBank, InMemoryCaseStore  # noqa: E402

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "memory_reuse_pairs.jsonl"
RESULTS = HERE / "results" / "memory_reuse.json"


def scratch_repo(root: Path) -> Path:
    """A git repository with two commits and a staged and an unstaged change."""
    path = root / "repo"
    path.mkdir()
    env = {"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org",
           "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(root)}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (path / "README.md").write_text("# demo\n")
    git("add", "README.md")
    git("commit", "-q", "-m", "Add the readme")
    (path / "app.py").write_text("print('hi')\n")
    git("add", "app.py")
    git("commit", "-q", "-m", "Add the app entry point")
    (path / "app.py").write_text("print('hello')\n")
    git("add", "app.py")
    (path / "README.md").write_text("# demo app\n")
    return path


def config_file(root: Path, repo: Path) -> Path:
    path = root / "agentroute.toml"
    path.write_text(
        f'[agent]\ndata_dir = "{root / "data"}"\n\n'
        f'[mcp.time]\ncommand = "{sys.executable}"\n'
        'args = ["-m", "mcp_server_time", "--local-timezone", "UTC"]\n\n'
        f'[mcp.git]\ncommand = "{sys.executable}"\n'
        f'args = ["-m", "mcp_server_git", "--repository", "{repo}"]\n\n'
        "[memory]\nenabled = false\n"
    )
    return path


def dispatched(result: Any) -> list[tuple[str | None, str]]:
    """What a turn sent: each step's target and arguments."""
    return [(s.target, json.dumps(s.args, sort_keys=True)) for s in result.steps]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="the first 20 pairs")
    ap.add_argument("--no-write", action="store_true", help="do not write results/")
    args = ap.parse_args()
    pairs = [json.loads(line) for line in PAIRS.read_text().splitlines() if line.strip()]
    if args.quick:
        pairs = pairs[:20]
    embedder = default_embedder()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as tmp:
        root = Path(tmp)
        cfg = config_file(root, scratch_repo(root))
        bank = CaseBank(InMemoryCaseStore(embedder.id, embedder.dim), embedder)
        with (
            Agent.from_config(cfg, memory=None, embedder=embedder) as cold,
            Agent.from_config(cfg, memory=bank, embedder=embedder) as warm,
        ):
            for i, pair in enumerate(pairs):
                first = warm.run(pair["first"], thread=f"first-{i}")
                later = warm.run(pair["later"], thread=f"later-{i}")
                own = cold.run(pair["later"], thread=f"own-{i}")
                for case_id in (first.case_id, later.case_id):
                    if case_id:
                        bank.forget(case_id)
                rows.append(
                    {
                        **pair,
                        "remembered": first.case_id is not None,
                        "first_targets": [s.target for s in first.steps],
                        "own_targets": [s.target for s in own.steps],
                        "reused": later.reused_case is not None,
                        "right": dispatched(later) == dispatched(own),
                        "fits": bool(own.steps)
                        and [s.target for s in own.steps] == [s.target for s in first.steps],
                    }
                )
        bank.close()
    reused = [r for r in rows if r["reused"]]
    fits = [r for r in rows if r["fits"] and r["remembered"]]
    out = {
        "pairs": len(rows),
        "same_label": sum(r["same"] for r in rows),
        "reused": len(reused),
        "reuse_precision": round(sum(r["right"] for r in reused) / max(1, len(reused)), 4),
        "reuse_recall": round(sum(r["reused"] and r["right"] for r in fits) / max(1, len(fits)), 4),
        "reusable_pairs": len(fits),
        "steered_wrong": sum(not r["right"] for r in rows),
        "wrong": [
            {k: r[k] for k in ("first", "later", "reused", "first_targets", "own_targets")}
            for r in rows
            if not r["right"]
        ],
    }
    print(json.dumps({k: v for k, v in out.items() if k != "wrong"}, indent=1))
    for w in out["wrong"]:
        print("wrong:", json.dumps(w))
    if not args.no_write and not args.quick:
        RESULTS.write_text(json.dumps({**out, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
