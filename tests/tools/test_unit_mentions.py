"""The units tool finds unit names with a table, not a 787-way regex; it must find exactly
what that regex (the reading it replaced, rebuilt here as the oracle) finds."""

import json
import re
from pathlib import Path

import pytest
from agentroute_tools._units import (
    _ALTERNATIVES,
    _BOUNDARY_L,
    _BOUNDARY_R,
    _unit_mentions,
)

REPO = Path(__file__).resolve().parents[2]


def _oracle() -> re.Pattern[str]:
    return re.compile(
        _BOUNDARY_L
        + "(?:"
        + "|".join(
            (re.escape(a) if cased else "(?i:" + re.escape(a).replace(r"\ ", r"\s+") + ")")
            + ("" if a in ('"', "'", "″", "′") else _BOUNDARY_R)
            for a, cased in _ALTERNATIVES
        )
        + ")"
    )


ORACLE = _oracle()


def _texts() -> list[str]:
    contexts = [
        "{a}",
        "5 {a} to km",
        "convert 2.5{a} into {a}s",
        "x{a} {a}x 2{a}30 {a}/h",
        "how many {A} in 3  {a}?",
        "1 {a}\n{a}2 mph",
    ]
    out = []
    for alias, _ in _ALTERNATIVES:
        spaced = alias.replace(" ", "   ")
        for c in contexts:
            out.append(c.format(a=alias, A=spaced.upper()))
            out.append(c.format(a=spaced, A=alias.title()))
    for line in (REPO / "benchmarks" / "planning" / "requests.jsonl").read_text().splitlines():
        request = json.loads(line)["request"]  # a conversation is a list of turns
        out.extend([request] if isinstance(request, str) else request)
    return out


def _by_oracle(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in ORACLE.finditer(text)]


def test_the_table_finds_what_the_alternation_found() -> None:
    texts = _texts()
    assert len(texts) > 10_000
    differ = [t for t in texts if _unit_mentions(t) != _by_oracle(t)]
    assert differ == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("how many kilometres are 5 miles", ["kilometres", "miles"]),
        ("2h30m in seconds", ["h", "m", "seconds"]),
        ("500MB to GiB", ["MB", "GiB"]),
        ("3 square   feet in sq m", ["square   feet", "sq m"]),
        ("the dog of a cat", []),
    ],
)
def test_mentions_in_plain_requests(text: str, words: list[str]) -> None:
    assert [w for _, _, w in _unit_mentions(text)] == words
