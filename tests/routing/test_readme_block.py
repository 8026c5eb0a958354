"""The routing README's Python block runs as written, the way a new user pastes it: in a fresh
process, in a working directory holding only the outcome files it names (a held-out pair in
the long layout, a wide CSV, a long JSONL), with ``HOME`` there so its cache stays in it."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from agentroute.routing import OutcomeTable

README = Path(__file__).resolve().parents[2] / "agentroute" / "routing" / "README.md"


def write_long(path: Path, table: OutcomeTable, rows: range) -> None:
    with path.open("w") as fh:
        for i in rows:
            for j, m in enumerate(table.models):
                q, c = float(table.quality[i, j]), float(table.cost[i, j])
                fh.write(
                    json.dumps(
                        {
                            "query": table.queries[i],
                            "model": m,
                            "quality": q,
                            "cost_usd": c,
                            "task": table.tasks[i],
                        }
                    )
                    + "\n"
                )


def write_wide(path: Path, table: OutcomeTable) -> None:
    cost = [f"{m}|total_cost" for m in table.models]
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["prompt", "eval_name", *table.models, *cost])
        for i, query in enumerate(table.queries):
            w.writerow([query, table.tasks[i], *table.quality[i], *table.cost[i]])


def test_the_block_runs_as_written(tmp_path: Path, make_table) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) == 1
    table = make_table(160)
    write_long(tmp_path / "train.jsonl", table, range(0, 120))
    write_long(tmp_path / "test.jsonl", table, range(120, 160))
    write_long(tmp_path / "outcomes.jsonl", table, range(0, 160))
    write_wide(tmp_path / "outcomes.csv", table)
    epilogue = "\nprint('chose', decision.target, sorted(router.memory.models))\n"
    env = {**os.environ, "HOME": str(tmp_path), "AGENTROUTE_LOG": "error"}
    proc = subprocess.run(
        [sys.executable, "-c", blocks[0] + epilogue],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "chose " in proc.stdout and "['big', 'cheap', 'coder']" in proc.stdout, proc.stdout
    assert "graph" in proc.stdout and "zero router" in proc.stdout  # the report's table
    assert (tmp_path / ".cache" / "x").is_dir()  # the fit was cached where the block says
    assert not (tmp_path / "~").exists()  # not in a folder named "~"
