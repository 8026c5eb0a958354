"""A follow-up that names the value it replaces ("with 6 instead of 12") and a bare number
after the previous clause's preposition ("and in 10?" after "in 6 weeks"): the reader's own
logic, with a keyword router (tests/planning/test_followup.py has the same one)."""

from __future__ import annotations

import pytest

from agentroute.planning._followup import _instead, resolve_followup
from agentroute.types import PriorStep, PriorTurn, TargetKind

from .test_followup import resolved, route, turn

QUOTIENT = turn("What's 144 / 12?", "calc", "144 / 12 = 12")
WEEKS = turn("How many days are in 6 weeks?", "units", "6 wk = 42 d")
CAIRO = turn("What time is it in Cairo?", "clock", '{"timezone": "Africa/Cairo"}')


@pytest.mark.parametrize(
    ("request_text", "last", "expected"),
    [
        ("and with 6 instead of 12?", QUOTIENT, "What's 144 / 6?"),
        ("try 8 rather than 12", QUOTIENT, "What's 144 / 8?"),
        ("Lima instead of Cairo", CAIRO, "What time is it in Lima?"),
    ],
)
def test_the_named_value_is_replaced(request_text: str, last: PriorTurn, expected: str) -> None:
    how, query, target = resolved(request_text, last)
    assert (how, query) == ("substitute", expected)
    assert target == last.steps[0].target


def test_a_value_the_previous_clause_never_said_is_no_named_swap() -> None:
    assert _instead("with 6 instead of 20?", QUOTIENT.request) is None
    assert _instead("6", QUOTIENT.request) is None  # nothing named as replaced
    follow = resolve_followup("with 6 instead of 20?", QUOTIENT, route)
    assert follow is None or all(q != "What's 144 / 6?" for q, _ in follow.clauses)


def test_a_bare_number_after_the_preposition_keeps_the_unit() -> None:
    assert resolved("and in 10?", WEEKS)[1] == "How many days are in 10 weeks?"


def test_a_number_with_its_own_unit_or_a_name_is_taken_as_said() -> None:
    assert resolved("and in 10 days?", WEEKS)[1] == "How many days are in 10 days?"
    assert resolved("and in Paris?", CAIRO)[1] == "What time is it in Paris?"


def test_a_failed_previous_step_keeps_no_target() -> None:
    failed = PriorTurn(
        request="What's 144 / 12?",
        steps=[
            PriorStep(
                query="What's 144 / 12?", target="calc", kind=TargetKind.TOOL, ok=False, result=""
            )
        ],
        answer="",
    )
    how, query, target = resolved("with 6 instead of 12", failed)
    assert (how, query, target) == ("substitute", "What's 144 / 6?", None)


CAPITAL_OF = turn("what's the capital of France", "atlas", "Paris —capital_of→ France")


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("and germany?", "what's the capital of Germany"),  # read as the name it is
        ("and new zealand", "what's the capital of New Zealand"),
        ("and the currency?", "what's the currency of France"),  # a noun comes with its article
    ],
)
def test_a_name_written_in_lower_case_takes_the_names_place(
    request_text: str, expected: str
) -> None:
    assert resolved(request_text, CAPITAL_OF)[1] == expected


def test_a_second_lower_case_follow_up_swaps_the_name_again() -> None:
    second = turn("what's the capital of germany", "atlas", "Berlin —capital_of→ Germany")
    assert resolved("and spain?", second)[1] == "what's the capital of Spain"
