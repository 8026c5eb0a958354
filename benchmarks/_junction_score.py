"""One held-out set read by the clause rules on ``PYTHONPATH`` (an older ``agentroute``),
alone and with the junction model of this checkout: run by ``bench_junctions.py``.

    python benchmarks/_junction_score.py MODEL.json SET.jsonl 2.0,0.9,...

Prints ``{threshold: [requests, right]}``; a threshold over 1 is the rules alone.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path
from typing import Any

from agentroute.text import clauses, resolve_references

_SOURCE = Path(__file__).resolve().parents[1] / "agentroute" / "text" / "_junctions.py"


def _junction_module(model: Path) -> Any:
    """This checkout's ``_junctions`` over the older rules, with ``model``'s weights."""
    spec = importlib.util.spec_from_file_location("_heldout_junctions", _SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    data = json.loads(model.read_text("utf-8"))
    loaded = (frozenset(data["cues"]), data["weights"], data["bias"])
    module._model = lambda: loaded
    return module


def right(record: dict[str, Any], found: list[Any]) -> bool:
    """As many clauses as gold steps, the gold dependencies, each step's keys in its clause."""
    resolved = resolve_references(found)
    index: dict[int, int] = {}
    for i, part in enumerate(resolved):
        if part.shows is None:
            index[i] = len(index)
    steps = record["steps"]
    if len(index) != len(steps):
        return False
    parts = [p for p in resolved if p.shows is None]
    deps = [sorted(index[j] for j in p.depends_on if j in index) for p in parts]
    if deps != [sorted(g["depends_on"]) for g in steps]:
        return False
    texts = [p.text.lower().replace(",", "") for p in parts]
    low = record["request"].lower().replace(",", "")
    keys = [[k.lower().replace(",", "") for k in s["keys"]] for s in steps]
    keys = [[k for k in ks if k in low] for ks in keys]
    orders = itertools.permutations(range(len(steps))) if len(steps) <= 5 else [range(len(steps))]
    return any(
        all(all(k in texts[p] for k in keys[g]) for g, p in enumerate(order)) for order in orders
    )


def main() -> int:
    junctions = _junction_module(Path(sys.argv[1]))
    records = [
        json.loads(line)
        for line in Path(sys.argv[2]).read_text("utf-8").splitlines()
        if line.strip()
    ]
    records = [
        r for r in records
        if r["split"] != "test" and not isinstance(r["request"], list) and not r.get("decline")
    ]  # fmt: skip
    out = {}
    for threshold in (float(t) for t in sys.argv[3].split(",")):
        good = 0
        for record in records:
            found = clauses(record["request"])
            if threshold <= 1:
                found = junctions.split_confident(found, threshold)
            good += right(record, found)
        out[str(threshold)] = [len(records), good]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
