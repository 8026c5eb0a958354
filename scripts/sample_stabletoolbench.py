"""Make data/stabletoolbench/ from a checkout of THUNLP-MT/StableToolBench (deterministic).

    python scripts/sample_stabletoolbench.py /path/to/StableToolBench [commit]

Reads the six files ``solvable_queries/test_instruction/*.json`` at ``commit`` (default the
one named in data/stabletoolbench/README.md) with ``git show``, and writes:

* ``tools.jsonl``: every API offered to any request (the union of their ``api_list``), one a
  line, sorted by provider then API: category, provider (RapidAPI "tool"), API name,
  description, required and optional parameters (name, type, description, default), method.
  The recorded response templates are left out (not what a tool is found by).
* ``requests.jsonl``: every request, in file then file order: id (``<group>:<query_id>``),
  group, the request text, its gold APIs (``[provider, api]`` pairs, the "relevant APIs") and
  its split: ``train`` when the first byte of sha256(id) is even, else ``test``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

COMMIT = "aa4ed9f4737ad98bd706663f01d63623c3427812"
GROUPS = ("G1_instruction", "G1_category", "G1_tool", "G2_instruction", "G2_category",
          "G3_instruction")  # fmt: skip
OUT = Path(__file__).resolve().parent.parent / "data" / "stabletoolbench"


def split_of(request_id: str) -> str:
    """The fixed rule: half the requests tune, the other half are never looked at."""
    return "train" if hashlib.sha256(request_id.encode()).digest()[0] % 2 == 0 else "test"


def _params(params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("name", "type", "description", "default")
    return [{k: p[k] for k in keep if k in p} for p in params]


def main() -> None:
    repo = Path(sys.argv[1])
    commit = sys.argv[2] if len(sys.argv) > 2 else COMMIT
    tools: dict[tuple[str, str], dict[str, Any]] = {}
    requests = []
    for group in GROUPS:
        raw = subprocess.check_output(
            ["git", "-C", str(repo), "show", f"{commit}:solvable_queries/test_instruction/{group}.json"]
        )
        for q in json.loads(raw):
            for api in q["api_list"]:
                key = (api["tool_name"], api["api_name"])
                tools.setdefault(key, {
                    "category": api.get("category_name", ""),
                    "provider": api["tool_name"],
                    "api": api["api_name"],
                    "description": api.get("api_description") or "",
                    "required": _params(api.get("required_parameters") or []),
                    "optional": _params(api.get("optional_parameters") or []),
                    "method": api.get("method", ""),
                })  # fmt: skip
            request_id = f"{group}:{q['query_id']}"
            gold = [list(pair) for pair in dict.fromkeys(tuple(r) for r in q["relevant APIs"])]
            requests.append({"id": request_id, "group": group, "query": q["query"],
                             "gold": gold, "split": split_of(request_id)})  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "tools.jsonl").open("w") as f:
        for key in sorted(tools):
            f.write(json.dumps(tools[key], ensure_ascii=False, sort_keys=True) + "\n")
    with (OUT / "requests.jsonl").open("w") as f:
        for r in requests:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    train = sum(r["split"] == "train" for r in requests)
    print(f"{len(tools)} tools, {len(requests)} requests ({train} train, {len(requests) - train} test)")


if __name__ == "__main__":
    main()
