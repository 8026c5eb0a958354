"""Clause splitting and references over the hand-written development set of requests in
several parts (benchmarks/planning/dev/parts.jsonl): how many come apart into as many clauses
as their gold plan has steps, and, of those, how many depend on the clauses the gold says.
Floors, not per-request answers: the set is for measuring, the mechanisms are tested apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentroute.text import clauses, resolve_references

DEV = Path(__file__).resolve().parents[2] / "benchmarks" / "planning" / "dev" / "parts.jsonl"
SPLIT_FLOOR = 0.95
DEPENDENCY_FLOOR = 0.95


def _requests() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if not r.get("decline") and isinstance(r["request"], str)]


def test_the_set_is_a_development_set() -> None:
    rows = _requests()
    assert len(rows) >= 100
    assert {r["split"] for r in rows} == {"dev"}


def test_requests_come_apart_into_their_parts() -> None:
    rows = _requests()
    wrong = [r["request"] for r in rows if len(clauses(r["request"])) != len(r["steps"])]
    assert 1 - len(wrong) / len(rows) >= SPLIT_FLOOR, wrong


def test_parts_depend_on_the_parts_they_refer_to() -> None:
    checked, wrong = 0, []
    for r in _requests():
        parts, steps = clauses(r["request"]), r["steps"]
        if len(parts) != len(steps):
            continue
        checked += 1
        got = [p.depends_on for p in resolve_references(parts)]
        if got != [s["depends_on"] for s in steps]:
            wrong.append((r["request"], got))
    assert checked
    assert 1 - len(wrong) / checked >= DEPENDENCY_FLOOR, wrong
