"""Re-filling a reused plan: details swapped, intent changes refused."""

from __future__ import annotations

import pytest

from agentroute.memory._refill import carried_values, refill_plan
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


@pytest.mark.parametrize(
    ("old", "new", "args"),
    [
        ("what is 12 * 7?", "what is 12 + 7?", {"query": "what is 12 * 7?"}),  # operator
        ("what is 9 * 9", "what is 9 * 8", None),  # which 9 changed is unknown
        ("what time is it in UTC?", "what time is it in Tokyo?", {"timezone": "UTC"}),  # kind
    ],
)
def test_a_changed_operator_kind_or_ambiguous_value_is_refused(
    old: str, new: str, args: dict[str, object] | None
) -> None:
    assert refill_plan(plan(old, args=args), old, new) is None


def test_a_value_read_into_other_text_is_read_again_from_the_new_request() -> None:
    """ "Asia/Tokyo" was the planner's reading of "Tokyo": "Asia/Paris" is no reading of
    "Paris", so the target re-reads the argument from the new query."""
    old, new = "what time is it in Tokyo?", "what time is it in Paris?"
    out = refill_plan(plan(old, args={"timezone": "Asia/Tokyo"}), old, new)
    assert out is not None
    assert out[0][0].query == new and out[0][0].args is None


def test_a_step_that_asked_the_whole_request_asks_the_new_one() -> None:
    old, new = "what is 12 * 7?", "what's 12 * 7?"
    out = refill_plan(plan(old, args={"query": old}), old, new)
    assert out is not None
    assert out[0][0].query == new and out[0][0].args == {"query": new}


def test_values_the_new_request_never_gave_are_found() -> None:
    step = plan("convert 5 km", args={"value": 5.0, "unit": "km"}).steps
    assert carried_values("convert 5 km to miles", "convert 8 km to miles", step) == ["5"]
    assert carried_values("convert 5 km to miles", "convert 5 km to miles", step) == []
