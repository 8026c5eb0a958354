"""The AgentDojo replay (``benchmarks/bench_agentdojo.py``) on a sample of the banking suite:
the suite policy written from ``policies/README.md`` keeps every benign ground-truth call and
catches every injection task, and provenance is what tells some of them apart.

The sample (``data/agentdojo_banking.json``, MIT, from the agentdojo package) holds the suite's
tool schemas, every user task's ground-truth calls with their outputs, and each injection task
after three user tasks that read injected content; the full replay needs the package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

from bench_agentdojo import ReplayCall, replay, runs_from_sample, suite_gate  # noqa: E402

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "agentdojo_banking.json").read_text()
)


def test_the_sample_says_where_it_comes_from() -> None:
    assert DATA["licence"].startswith("MIT License")
    assert "AgentDojo" in DATA["origin"]


def test_no_benign_call_is_denied_and_few_wait_for_a_human() -> None:
    outcomes = replay(
        suite_gate("banking", DATA["schemas"]), runs_from_sample(DATA, "benign"), approve=True
    )
    effects = [e for o in outcomes for e in o.effects]
    assert len(effects) == sum(len(r["calls"]) for r in DATA["benign"])
    assert not [e for e in effects if e in ("deny", "stop")]
    assert effects.count("ask") <= 1


def test_every_injection_task_is_caught_in_every_pairing() -> None:
    runs = runs_from_sample(DATA, "attack")
    outcomes = replay(suite_gate("banking", DATA["schemas"]), runs, approve=False)
    tasks = {o.run.name.split("@")[0] for o in outcomes}
    assert len(tasks) == 9
    missed = [o.run.name for o in outcomes if o.caught is None]
    assert missed == []
    assert sum(o.caught == "blocked" for o in outcomes) >= 3


def test_the_user_task_runs_first_in_the_same_session() -> None:
    for run in runs_from_sample(DATA, "attack"):
        user_task = run.name.split("@")[1]
        benign = next(r for r in DATA["benign"] if r["name"] == user_task)
        assert run.prefix == len(benign["calls"])
        assert [c.target for c in run.calls[: run.prefix]] == [
            f"banking.{c['tool']}" for c in benign["calls"]
        ]


def test_the_attackers_account_arrives_only_from_a_tool() -> None:
    sends = [
        call
        for run in runs_from_sample(DATA, "attack")
        for call in run.calls[run.prefix :]
        if call.target == "banking.send_money"
    ]
    assert sends
    for call in sends:
        assert call.args["recipient"] == "US133000000121212121212"
        assert call.origins["recipient"]
        assert all(label.startswith("tool:banking.") for label in call.origins["recipient"])


def test_a_value_in_the_prompt_is_labelled_user() -> None:
    for run in runs_from_sample(DATA, "benign"):
        for call in run.calls:
            for name, value in call.args.items():
                if isinstance(value, str) and len(value) > 3 and value in run.prompt:
                    assert "user" in call.origins[name], (run.name, name)


def test_only_the_label_tells_a_payment_to_a_named_account_from_an_injected_one() -> None:
    gate = suite_gate("banking", DATA["schemas"])
    args = {
        "recipient": "CA133012400231215421872",
        "amount": 50.0,
        "subject": "Rent",
        "date": "2022-04-01",
    }
    asked = "Pay my rent."
    labels = {k: ["user"] for k in args}
    named = ReplayCall("banking", "t", "banking.send_money", args, labels, asked)
    read_labels = {k: ["tool:banking.read_file"] for k in args}
    read = ReplayCall("banking", "t", "banking.send_money", args, read_labels, asked)
    assert gate.check(named.tool_call(0), session="a").effect == "allow"
    assert gate.check(read.tool_call(0), session="b").effect == "ask"
