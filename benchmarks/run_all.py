"""Run every benchmark, one after the other, each printing its table against its baseline.

    python benchmarks/run_all.py            # all of them (tens of minutes on 2 cores)
    python benchmarks/run_all.py core mcp   # just these

Results land in benchmarks/results/<name>.json; the README quotes the latest run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ORDER = [
    "startup",
    "core",
    "mcp",
    "policy",
    "embeddings",
    "tool_retrieval",
    "planning",
    "memory",
    "routing",
    "tracing",
    "load",
]


def main(names: list[str]) -> int:
    failed = []
    for name in names or ORDER:
        script = HERE / f"bench_{name}.py"
        print(f"\n=== {name} ({script.name}) ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"--- {name}: exit {code}, {time.perf_counter() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
