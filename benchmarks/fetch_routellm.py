"""Copy RouteLLM's GSM8K and MMLU outcome sets into data/routellm/ (issue 17's APGR target:
carried in the repository so the benchmark and the tests never need the network).

    python benchmarks/fetch_routellm.py GIT_DIR_OR_CHECKOUT [--commit 0b64fda]

The source is a clone of github.com/lm-sys/RouteLLM: a bare git directory (read with
``git show COMMIT:path``) or a checkout. Written, replacing what is there:

* ``gsm8k.jsonl.gz`` / ``mmlu.jsonl.gz``: one row per prompt in the wide outcome layout
  (``prompt``, ``task``: ``gsm8k`` or ``mmlu-<domain>``, one 0/1 column per model,
  ``<model>|total_cost``), after RouteLLM's own decontamination (the prompts listed in
  ``contaminated_prompts.jsonl`` are dropped, as its ``benchmarks.py`` does);
* ``LICENSE``: the repository's licence text (Apache-2.0).

RouteLLM records correctness, not cost. A prompt's cost for a model is priced from list prices
as a caller would before the call: ``ceil(len(prompt) / 4)`` input tokens × input price + 256
output tokens × output price (dollars per million tokens, ``PRICES``). APGR itself counts only
the share of calls to the strong model, so the prices matter only to the AIQ beside it.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "routellm"
COMMIT = "0b64fda"
STRONG, WEAK = "gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"
PRICES = {STRONG: (10.0, 30.0), WEAK: (0.6, 0.6)}
"""List prices, dollars per million tokens (OpenAI's for gpt-4-1106-preview; Together's for
Mixtral-8x7B-Instruct)."""
CHARS_PER_TOKEN = 4
OUTPUT_TOKENS = 256
EVALS = "routellm/evals"


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


def listing(source: Path, commit: str, folder: str) -> list[str]:
    """File names under ``folder`` in the source."""
    if (source / folder).is_dir():
        return sorted(p.name for p in (source / folder).iterdir())
    out = subprocess.run(
        ["git", "-C", str(source), "ls-tree", "--name-only", f"{commit}:{folder}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(out.split())


def prompt_cost(prompt: str, model: str) -> float:
    """Dollars for one call: estimated prompt tokens and a fixed answer length at list price."""
    price_in, price_out = PRICES[model]
    return (math.ceil(len(prompt) / CHARS_PER_TOKEN) * price_in + OUTPUT_TOKENS * price_out) / 1e6


def contaminated(source: Path, commit: str, bench: str) -> set[str]:
    text = read(source, commit, f"{EVALS}/{bench}/contaminated_prompts.jsonl")
    return {json.loads(line)["eval_prompt"] for line in text.splitlines() if line.strip()}


def rows(text: str, task: str, drop: set[str]) -> list[dict[str, Any]]:
    """Wide-layout rows of one RouteLLM response file (strong model first)."""
    out = []
    for rec in csv.DictReader(io.StringIO(text)):
        prompt = rec["prompt"]
        if prompt in drop:
            continue
        row: dict[str, Any] = {"prompt": prompt, "task": task}
        for model in (STRONG, WEAK):
            row[model] = 1.0 if rec[model] == "True" else 0.0
            row[f"{model}|total_cost"] = prompt_cost(prompt, model)
        out.append(row)
    return out


def write(name: str, items: list[dict[str, Any]]) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items)
    # mtime=0: the same input gives the same bytes.
    with gzip.GzipFile(OUT / f"{name}.jsonl.gz", "wb", mtime=0) as fh:
        fh.write(data.encode("utf-8"))
    print(f"{name}: {len(items)} prompts")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="RouteLLM's git directory or a checkout of it")
    ap.add_argument("--commit", default=COMMIT)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    gsm = read(args.source, args.commit, f"{EVALS}/gsm8k/gsm8k_responses.csv")
    write("gsm8k", rows(gsm, "gsm8k", contaminated(args.source, args.commit, "gsm8k")))
    drop = contaminated(args.source, args.commit, "mmlu")
    mmlu: list[dict[str, Any]] = []
    folder = f"{EVALS}/mmlu/responses"
    for name in listing(args.source, args.commit, folder):
        domain = name.removeprefix("mmlu_").removesuffix(".csv")
        mmlu += rows(read(args.source, args.commit, f"{folder}/{name}"), f"mmlu-{domain}", drop)
    write("mmlu", mmlu)
    (OUT / "LICENSE").write_text(read(args.source, args.commit, "LICENSE"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
