"""Declining on the hand-written development sets (tests/text/route_dev/): every request no
target can serve is recognised as needing live data, the user's own state or an act, and no
request an expert or a knowledge base answers is. Requests for tools are left out of the
second check (a tool may offer what they need); benchmarks/bench_declining.py measures the
whole planner on both sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute.text import capability_need

DEV = Path(__file__).parent / "route_dev"


def _load(name: str, *, skip_sections: tuple[str, ...] = ()) -> list[str]:
    out, skipping = [], False
    for line in (DEV / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            skipping = any(line[1:].strip().startswith(s) for s in skip_sections)
        elif line and not skipping:
            out.append(line)
    return out


DECLINE = _load("decline.txt")
ANSWER = _load("answer.txt", skip_sections=("tools",))
KNOWN_MISSES = set((DEV / "known_misses.txt").read_text(encoding="utf-8").splitlines()) - {""}
"""Unanswerable requests the cues do not catch yet (strict xfail: catching one fails the
test, so the list stays honest)."""


def _mark(request: str) -> object:
    if request in KNOWN_MISSES:
        return pytest.param(request, marks=pytest.mark.xfail(strict=True, reason="known miss"))
    return request


def test_the_sets_are_large_enough() -> None:
    assert len(DECLINE) >= 200
    assert len(_load("answer.txt")) >= len(DECLINE)
    assert len(KNOWN_MISSES) <= len(DECLINE) // 10


@pytest.mark.parametrize("request_text", [_mark(r) for r in DECLINE])
def test_an_unanswerable_request_needs_a_capability(request_text: str) -> None:
    assert capability_need(request_text) is not None


@pytest.mark.parametrize("request_text", ANSWER)
def test_an_answerable_request_needs_none(request_text: str) -> None:
    assert capability_need(request_text) is None
