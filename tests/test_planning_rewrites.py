"""The planning rewrites keep each request's gold plan and skip where their rule does not
apply (no agent: fast)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from _rewrites import parts_of, rewrite_all, rewrites  # noqa: E402


def train() -> list[dict]:
    rows = [
        json.loads(line)
        for line in (BENCH / "planning" / "requests.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in rows if r["split"] == "train"]


def record(request: str, steps: list[dict]) -> dict:
    return {"id": "x", "split": "train", "category": "c", "request": request, "steps": steps,
            "answer": [], "decline": False}  # fmt: skip


def step(target: str, keys: list[str], depends_on: list[int] | None = None) -> dict:
    return {"targets": [target], "keys": keys, "depends_on": depends_on or []}


def test_every_rewrite_keeps_the_gold_and_changes_the_words() -> None:
    originals = {r["id"]: r for r in train()}
    made = rewrite_all(list(originals.values()))
    assert {m["rewrite"].split(":")[0] for m in made} == {"conn", "ref", "wrap", "case", "punct",
                                                         "num"}  # fmt: skip
    for new in made:
        old = originals[new["original"]]
        assert (new["steps"], new["answer"], new["decline"]) == (
            old["steps"],
            old["answer"],
            old["decline"],
        )
        assert new["request"] != old["request"]


def test_parts_are_found_only_where_they_are_sure() -> None:
    two = [step("units.convert", ["100"]), step("units.convert", ["37"])]
    assert parts_of(record("Convert 100 km to miles; then convert 37 C to F.", two)) == [
        ("Convert 100 km to miles", ""),
        ("convert 37 C to F", "."),
    ]
    # one step over a list: no parts to join another way
    assert parts_of(record("Add 3, 4 and 5.", [step("calc.calculate", ["3", "4", "5"])])) is None
    # the cut that gives two parts leaves a step's keys on the wrong side: not sure
    bags = [step("calc.calculate", ["2.5", "1.5"]), step("units.convert", ["pound"], [0])]
    assert parts_of(record("A 2.5 kg bag and a 1.5 kg bag: their weight in pounds?", bags)) is None


def test_a_rule_that_does_not_apply_makes_nothing() -> None:
    rules = rewrites()
    single = record("What is 17 * 23?", [step("calc.calculate", ["17", "23"])])
    assert rules["conn:then"](single) is None  # one part
    assert rules["ref:the_result"](single) is None  # nothing to point back at
    assert rules["wrap:could_you"](single) is None  # a question, not a command
    pointed = record(
        "How many km are 5 miles? Then multiply that by 2.",
        [step("units.convert", ["5"]), step("calc.calculate", ["2"], [0])],
    )
    new = rules["ref:typo_teh_result"](pointed)
    assert (
        new is not None
        and new["request"] == "How many km are 5 miles? Then multiply teh result by 2."
    )
