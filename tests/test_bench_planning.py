"""The planning benchmark's data is well formed, and its scorer can say no (no agent: fast)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from _planning_score import WRITE_TOOLS, score_plan, score_request  # noqa: E402

CATEGORIES = {"question", "command", "fragment", "typo", "multi_part", "numbers", "reference",
              "followup", "decline"}  # fmt: skip


def records() -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((BENCH / "planning").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_the_benchmark_is_well_formed() -> None:
    rows = records()
    assert len(rows) >= 600
    assert len({r["id"] for r in rows}) == len(rows)
    splits = Counter((r["category"], r["split"]) for r in rows)
    for record in rows:
        assert record["category"] in CATEGORIES, record["id"]
        assert record["split"] in {"train", "test"}, record["id"]
        request = record["request"]
        if record["category"] == "followup":
            assert isinstance(request, list) and len(request) >= 2, record["id"]
        assert all(
            isinstance(t, str) and t.strip()
            for t in (request if isinstance(request, list) else [request])
        )
        if record["decline"]:
            assert record["steps"] == [] and record["answer"] == [], record["id"]
            continue
        assert 1 <= len(record["steps"]) <= 4 and record["answer"], record["id"]
        for i, step in enumerate(record["steps"]):
            assert step["targets"] and all(isinstance(t, str) for t in step["targets"])
            assert all(isinstance(k, str) and k for k in step["keys"]), record["id"]
            assert all(0 <= d < i for d in step["depends_on"]), record["id"]
    for category in CATEGORIES:
        n = splits[(category, "train")] + splits[(category, "test")]
        assert n >= 40, category
        assert abs(splits[(category, "train")] - splits[(category, "test")]) <= 1, category


def test_the_data_file_is_what_the_author_script_writes() -> None:
    sys.path.insert(0, str(BENCH / "planning"))
    from _author import records as authored

    assert records() == authored()


GOLD = [
    {"targets": ["calc.calculate"], "keys": ["17", "23"], "depends_on": []},
    {"targets": ["units.convert"], "keys": ["feet"], "depends_on": [0]},
]


def step(target: str, query: str, deps: list[int] | None = None) -> dict:
    return {"target": target, "query": query, "args": None, "depends_on": deps or []}


def test_the_scorer_accepts_the_right_plan_in_any_order() -> None:
    pred = [
        step("units.convert", "convert {{s1}} metres to feet", [1]),
        step("calc.calculate", "17 * 23"),
    ]
    verdict = score_plan(pred, GOLD)
    assert verdict["plan_ok"] and verdict["deps_ok"] and verdict["keys_ok"]
    assert verdict["target_hits"] == 2


def test_the_scorer_fails_a_missing_dependency() -> None:
    pred = [step("calc.calculate", "17 * 23"), step("units.convert", "convert metres to feet")]
    verdict = score_plan(pred, GOLD)
    assert not verdict["plan_ok"] and not verdict["deps_ok"]
    assert verdict["target_hits"] == 2  # the targets alone were right


def test_the_scorer_fails_a_wrong_target_and_a_write_tool_for_a_read() -> None:
    record = {"steps": GOLD, "answer": ["391", "1282.8"], "decline": False}
    pred = [step("calc.calculate", "17 * 23"), step("git.git_create_branch", "feet", [0])]
    verdict = score_request(record, pred, "391")
    assert not verdict["plan_ok"] and verdict["target_hits"] == 1
    assert verdict["write_for_read"] and "git.git_create_branch" in WRITE_TOOLS
    assert not verdict["answer_ok"]  # 1282.8 is missing


def test_declining() -> None:
    unanswerable = {"steps": [], "answer": [], "decline": True}
    assert score_request(unanswerable, [], "")["answer_ok"]
    assert not score_request(unanswerable, [step("general", "book a table")], "")["plan_ok"]
    answerable = {"steps": GOLD[:1], "answer": ["391"], "decline": False}
    assert score_request(answerable, [], "")["declined"]


def test_a_closing_remark_planned_with_nothing_is_right_and_no_decline() -> None:
    thanks = {"steps": [], "answer": [], "decline": False}
    scored = score_request(thanks, [], "You're welcome.")
    assert scored["plan_ok"] and scored["answer_ok"] and not scored["declined"]
    assert not score_request(thanks, [step("general", "ok thanks")], "")["plan_ok"]
