"""Re-filling a reused plan: details swapped, intent changes refused."""

from __future__ import annotations

import pytest

from agentroute.memory._refill import refill_plan
from agentroute.types import Plan, Step


def plan(query: str, target: str = "t", args: dict[str, object] | None = None) -> Plan:
    return Plan(steps=[Step(id="s1", query=query, target=target, args=args)])


@pytest.mark.parametrize(
    ("old", "new", "query", "expected"),
    [
        (
            "weather in Paris tomorrow",
            "weather in Berlin tomorrow",
            "forecast Paris",
            "forecast Berlin",
        ),
        (
            "convert 12 USD to EUR",
            "convert 40 EUR to GBP",
            "convert 12 USD to EUR",
            "convert 40 EUR to GBP",
        ),
        (
            "translate 'good morning' to German",
            "translate 'see you soon' to German",
            "translate good morning into German",
            "translate see you soon into German",
        ),
        (
            "please tell me the population of Riga",
            "can you find the population of Oslo",
            "population Riga",
            "population Oslo",
        ),
        (
            "flights from New York to Rome",
            "flights from San Francisco to Rome",
            "flights New York Rome",
            "flights San Francisco Rome",
        ),
    ],
)
def test_details_are_refilled(old: str, new: str, query: str, expected: str) -> None:
    out = refill_plan(plan(query), old, new)
    assert out is not None
    assert out[0][0].query == expected


@pytest.mark.parametrize(
    ("old", "new", "query"),
    [
        ("show me the population of Riga", "show me the local time in Riga", "population Riga"),
        ("flights from Oslo to Rome", "distance from Oslo to Rome", "flights Oslo Rome"),
        ("weather in Paris", "weather in Paris and Rome", "forecast Paris"),
        ("weather in Paris", "book a table for two at a bistro in Paris tonight", "forecast Paris"),
    ],
)
def test_intent_changes_are_refused(old: str, new: str, query: str) -> None:
    assert refill_plan(plan(query), old, new) is None


def test_args_are_refilled_with_their_types() -> None:
    out = refill_plan(
        plan("convert 12 USD", args={"amount": 12, "from": "USD", "flag": True}),
        "convert 12 USD to EUR",
        "convert 7 CHF to EUR",
    )
    assert out is not None
    assert out[0][0].args == {"amount": 7, "from": "CHF", "flag": True}
