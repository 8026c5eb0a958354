"""The fault campaign (issue 18): every scenario in benchmarks/faults/, one table.

    python benchmarks/bench_faults.py [--quick] [scenario ...]

Each file in benchmarks/faults/ is one kind of fault injected into a running agent or API
server on loopback (a worker killed, Postgres or the Chroma server restarted, the data
directory's disk full, an MCP server killed, hung or spewing garbage), runnable on its own,
and exposes ``run(quick: bool = False) -> list[dict]``: one row per scenario with how many
writes were acknowledged, how many failed loudly, how many acknowledged writes were lost
afterwards (the target: 0), and whether the system recovered. A scenario whose harness itself
fails is a row too, never a silent gap. Results: benchmarks/results/faults.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
FAULTS = HERE / "faults"
COLUMNS = ("scenario", "acknowledged", "failed_loudly", "lost", "recovered", "detail")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"faults_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def scenarios() -> list[Path]:
    return sorted(p for p in FAULTS.glob("*.py") if not p.name.startswith("_"))


def run_one(path: Path, quick: bool) -> list[dict[str, Any]]:
    started = time.perf_counter()
    try:
        rows = list(_load(path).run(quick=quick))
    except Exception as exc:  # the harness broke: that is a result, shown as one
        traceback.print_exc(file=sys.stderr)
        rows = [
            {
                "scenario": path.stem,
                "acknowledged": 0,
                "failed_loudly": 0,
                "lost": None,
                "recovered": False,
                "detail": f"harness error: {type(exc).__name__}: {exc}",
            }
        ]
    seconds = round(time.perf_counter() - started, 1)
    for row in rows:
        row.setdefault("file", path.name)
        row.setdefault("seconds", seconds)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in COLUMNS[:-1]}
    head = " | ".join(c.ljust(widths[c]) for c in COLUMNS[:-1]) + " | detail"
    lines = [head, "-" * len(head)]
    for row in rows:
        cells = [str(row.get(c, "")).ljust(widths[c]) for c in COLUMNS[:-1]]
        lines.append(" | ".join(cells) + f" | {row.get('detail', '')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer turns per scenario")
    parser.add_argument("names", nargs="*", help="scenario files to run (stem), default all")
    args = parser.parse_args(argv)
    chosen = [p for p in scenarios() if not args.names or p.stem in args.names]
    if not chosen:
        print(f"no fault scenarios match {args.names} in {FAULTS}", file=sys.stderr)
        return 2
    rows: list[dict[str, Any]] = []
    for path in chosen:
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        rows.extend(run_one(path, args.quick))
    print(table(rows))
    lost = sum(int(r["lost"]) for r in rows if r.get("lost") is not None)
    unknown = [r["scenario"] for r in rows if r.get("lost") is None]
    unrecovered = [r["scenario"] for r in rows if not r.get("recovered")]
    print(f"\nacknowledged writes lost: {lost}; not recovered: {unrecovered or 'none'}")
    if unknown:
        print(f"no verdict (harness failed): {unknown}")
    results = HERE / "results" / "faults.json"
    results.write_text(json.dumps({"quick": args.quick, "rows": rows}, indent=2) + "\n")
    return 1 if lost or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
