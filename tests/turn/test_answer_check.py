"""An LLM's polished answer is used only when it keeps every finding and every failure.

A scripted answer model plays the LLM (these tests are about the check, not a model); the turn
runs through the real graph with scripted targets. When the polish does not hold, the composed
answer stands and the reason is in ``answer_check`` (shown by ``--json``) and in the trace.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from agentroute import Agent, TargetKind, TurnResult
from agentroute.observability import format_trace
from agentroute.testing import ScriptedChatModel, ScriptedPlanner, ScriptedTarget

REQUEST = "What is 17 * 23, and how many kilometres are 5 miles?"
PLAN = [("What is 17 * 23", "calc"), ("how many kilometres are 5 miles?", "units")]
CLOCK_REQUEST = "What is 17 * 23, and what time is it in Tokyo?"
CLOCK_PLAN = [("What is 17 * 23", "calc"), ("What time is it in Tokyo?", "clock")]


def _run(polish: str, *, clock_fails: bool = False) -> tuple[TurnResult, int]:
    calc = ScriptedTarget("calc", "391")
    units = ScriptedTarget("units", "8.04672 km")
    clock = ScriptedTarget("clock", "10:00", fail=clock_fails)
    model = ScriptedChatModel(replies=[polish])
    request, plan = (CLOCK_REQUEST, CLOCK_PLAN) if clock_fails else (REQUEST, PLAN)
    with Agent(
        targets=[calc, units, clock],
        planner=ScriptedPlanner(plan),
        answer_model=model,
        max_rounds=1,
    ) as agent:
        result = agent.run(request)
    model.assert_consumed()  # the answer step swallows a model error: check it was asked once
    return result, len(model.calls)


def _answer_events(result: TurnResult) -> list[dict]:
    return [e.data for e in result.trace if e.node == "answer" and e.kind == "answer"]


def test_unrelated_polish_is_replaced_by_the_composed_answer() -> None:
    result, calls = _run("The answer is 42")
    assert calls == 1, "the answer model was asked"
    assert "42" not in result.answer
    assert "391 [calc]" in result.answer and "8.04672 km [units]" in result.answer
    check = result.answer_check
    assert check is not None and check.by == "composed"
    assert any("391" in p for p in check.problems)
    assert any("8.04672" in p for p in check.problems)
    assert any("42" in p and "neither" in p for p in check.problems)
    # The reason is in the trace, and in what `agentroute run --json` prints.
    assert _answer_events(result) == [check.model_dump()]
    assert any("answer by composed" in line for line in format_trace(result.trace))
    shown = result.model_dump(mode="json", exclude={"trace"})
    assert shown["answer_check"]["by"] == "composed"
    assert "did not keep the steps' findings" in shown["answer_check"]["reason"]


def test_faithful_polish_is_kept() -> None:
    polish = "17 × 23 = 391 [calc], and 5 miles are 8.04672 kilometres [units]."
    result, _ = _run(polish)
    assert result.answer == polish
    assert result.answer_check is not None and result.answer_check.by == "llm"
    assert result.answer_check.problems == []
    assert _answer_events(result)[0]["by"] == "llm"


def test_thousands_separators_are_the_same_value() -> None:
    calc = ScriptedTarget("calc", "1234567")
    model = ScriptedChatModel(replies=["1111 * 1111.27 is about 1,234,567 [calc]."])
    with Agent(
        targets=[calc],
        planner=ScriptedPlanner([("1111 * 1111.27", "calc")]),
        answer_model=model,
        max_rounds=1,
    ) as agent:
        result = agent.run("What is 1111 * 1111.27?")
    assert result.answer_check is not None and result.answer_check.by == "llm", result.answer


@pytest.mark.parametrize(
    "polish",
    [
        "17 × 23 = 391, and 5 miles ≈ 8.05 km.",  # rounded: not the value the step showed
        "17 × 23 = 391.",  # a finding dropped
    ],
)
def test_changed_or_dropped_number_falls_back(polish: str) -> None:
    result, _ = _run(polish)
    assert result.answer_check is not None and result.answer_check.by == "composed"
    assert "8.04672 km [units]" in result.answer
    assert any("8.04672" in p for p in result.answer_check.problems)


def test_polish_hiding_a_failure_falls_back() -> None:
    result, _ = _run("17 × 23 = 391 [calc].", clock_fails=True)
    assert result.answer_check is not None and result.answer_check.by == "composed"
    assert any("What time is it in Tokyo?" in p for p in result.answer_check.problems)
    assert "Could not answer 'What time is it in Tokyo?'" in result.answer


def test_polish_inventing_the_failed_part_falls_back() -> None:
    result, _ = _run("17 × 23 = 391, and it is 10:42 in Tokyo.", clock_fails=True)
    check = result.answer_check
    assert check is not None and check.by == "composed"
    assert any("42" in p and "neither" in p for p in check.problems)
    assert "10:42" not in result.answer


def test_polish_that_owns_up_to_the_failure_is_kept() -> None:
    polish = "17 × 23 = 391 [calc]. I could not get the time in Tokyo: the clock failed."
    result, _ = _run(polish, clock_fails=True)
    assert result.answer == polish
    assert result.answer_check is not None and result.answer_check.by == "llm"


@pytest.mark.parametrize(
    ("polish", "by"),
    [
        (
            "Alexander Graham Bell invented the telephone; his US patent of 1876 was the first,"
            " though Elisha Gray filed a similar design the same day [facts#inv-telephone].",
            "llm",
        ),
        ("Bell invented the telephone [facts#inv-telephone].", "composed"),
    ],
)
def test_knowledge_passages_are_the_finding_not_their_labels(polish: str, by: str) -> None:
    """A similarity score or passage number is provenance: the polish need not repeat it."""
    from agentroute.knowledge._documents import quote_passages

    passage = (
        "Alexander Graham Bell is credited with inventing the telephone; he received the first "
        "US patent for it in 1876. Elisha Gray filed a similar design the same day."
    )
    facts = ScriptedTarget(
        "facts",
        quote_passages("facts", [("Telephone (doc inv-telephone, similarity 0.79)", passage)]),
        kind=TargetKind.KNOWLEDGE,
    )
    with Agent(
        targets=[facts],
        planner=ScriptedPlanner([("Who invented the telephone?", "facts")]),
        answer_model=ScriptedChatModel(replies=[polish]),
        max_rounds=1,
    ) as agent:
        result = agent.run("Who invented the telephone?")
    assert result.answer_check is not None and result.answer_check.by == by, result.answer_check
    assert (result.answer == polish) is (by == "llm")


def test_without_an_answer_model_the_composed_answer_says_so() -> None:
    with Agent(
        targets=[ScriptedTarget("calc", "391")], planner=ScriptedPlanner([("17*23", "calc")])
    ) as agent:
        result = agent.run("17*23")
    assert result.answer == "- 391 [calc]"
    assert result.answer_check is not None and result.answer_check.by == "composed"
    assert "no answer model" in result.answer_check.reason


def test_numbers_are_values_not_spellings() -> None:
    from agentroute.turn._faithful import numbers

    assert numbers("1,234,567 and 1234567.0") == {Decimal(1234567)}
    assert numbers("8.04672 km") == {Decimal("8.04672")}
    assert Decimal("8.05") not in numbers("8.04672")
    assert numbers("step s1 on gpt-4o") == {Decimal(4)}
    assert numbers("it is -3 °C") == {Decimal(-3)}


def test_a_time_may_be_reworded_but_not_changed() -> None:
    """A tool's ISO timestamp may become "19:00 on 1 May 2024"; another hour or month may not."""
    from agentroute.turn._faithful import Finding, check_rewrite

    found = '{"timezone": "Asia/Tokyo", "datetime": "2024-05-01T19:00:00+09:00"}'
    findings = [Finding("What time is it in Tokyo?", found)]
    composed = f"- {found} [time.get_current_time]"

    def problems(text: str) -> list[str]:
        return check_rewrite(text, "What time is it in Tokyo?", findings, [], composed)

    assert problems("In Tokyo (Asia/Tokyo, UTC+09:00) it is 19:00 on 1 May 2024.") == []
    assert problems("In Tokyo (Asia/Tokyo, UTC+09:00) it is 19:00 on 1 June 2024.")
    assert problems("In Tokyo (Asia/Tokyo, UTC+09:00) it is 20:00 on 1 May 2024.")
