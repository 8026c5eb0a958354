"""Copy LLMRouter's DCRouter outcome set into data/llmrouter/ (issue 17: a second public
outcome set, carried in the repository so the benchmark and the tests never need the network).

    python benchmarks/fetch_llmrouter.py GIT_DIR_OR_CHECKOUT [--commit 4e7a796942ce]

The source is a clone of github.com/ulab-uiuc/LLMRouter: a bare git directory (read with
``git show COMMIT:path``) or a checkout. Written, replacing what is there:

* ``train.jsonl.gz`` / ``test.jsonl.gz``: one row per prompt in the wide outcome layout
  (``prompt``, ``task`` on train only, one 0/1 column per model, ``<model>|total_cost``);
* ``models.json``: the nine models' descriptors (description and list prices);
* ``LICENSE``: the repository's licence text.

A prompt's cost for a model is priced from its list prices, as a caller would before the call:
``ceil(len(prompt) / 4)`` input tokens × input price + 256 output tokens × output price
(``ExpertDescriptor.typical_tokens_out``), prices in dollars per million tokens.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "llmrouter"
COMMIT = "4e7a796942ce"
SPLITS = {
    "train": "data/dcrouter_preprocessed/train.json",
    "test": "data/dcrouter_preprocessed/test.json",
}
CANDIDATES = "data/example_data/llm_candidates/default_llm.json"
CHARS_PER_TOKEN = 4
OUTPUT_TOKENS = 256


def read(source: Path, commit: str, path: str) -> str:
    """A file of the source at ``commit`` (a bare git directory) or as checked out."""
    if (source / path).is_file():
        return (source / path).read_text(encoding="utf-8")
    return subprocess.run(
        ["git", "-C", str(source), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prompt_cost(prompt: str, price_in: float, price_out: float) -> float:
    """Dollars for one call: estimated prompt tokens and a fixed answer length at list price."""
    tokens_in = math.ceil(len(prompt) / CHARS_PER_TOKEN)
    return (tokens_in * price_in + OUTPUT_TOKENS * price_out) / 1e6


def rows(items: list[dict[str, Any]], prices: dict[str, tuple[float, float]]) -> list[dict]:
    """Wide-layout rows, models in ``prices``' order (the same columns in both files)."""
    out = []
    for item in items:
        row: dict[str, Any] = {"prompt": item["question"]}
        if "cluster_id" in item:
            row["task"] = f"dcrouter-cluster-{item['cluster_id']}"
        for model in prices:
            row[model] = float(item["scores"][model])
            row[f"{model}|total_cost"] = prompt_cost(item["question"], *prices[model])
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="LLMRouter's git directory or a checkout of it")
    ap.add_argument("--commit", default=COMMIT)
    args = ap.parse_args()
    cands = json.loads(read(args.source, args.commit, CANDIDATES))
    splits = {k: json.loads(read(args.source, args.commit, p)) for k, p in SPLITS.items()}
    models = sorted({m for item in splits["train"] for m in item["scores"]})
    prices = {m: (float(cands[m]["input_price"]), float(cands[m]["output_price"])) for m in models}
    OUT.mkdir(parents=True, exist_ok=True)
    for name, items in splits.items():
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows(items, prices))
        # mtime=0: the same input gives the same bytes.
        with gzip.GzipFile(OUT / f"{name}.jsonl.gz", "wb", mtime=0) as fh:
            fh.write(data.encode("utf-8"))
        print(f"{name}: {len(items)} prompts")
    descriptors = {
        "_about": (
            f"LLMRouter's candidate descriptors ({CANDIDATES} at {args.commit}) for the nine "
            "models with outcomes: 'feature' as the description, list prices in dollars per "
            "million tokens. Written by benchmarks/fetch_llmrouter.py."
        ),
        "models": [
            {
                "name": m,
                "description": cands[m]["feature"],
                "price_in_per_m": prices[m][0],
                "price_out_per_m": prices[m][1],
            }
            for m in models
        ],
    }
    (OUT / "models.json").write_text(json.dumps(descriptors, indent=2) + "\n")
    (OUT / "LICENSE").write_text(read(args.source, args.commit, "LICENSE"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
