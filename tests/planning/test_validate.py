import pytest

from agentroute import Plan, Step
from agentroute.planning import PlanError, validate_plan


def test_unknown_target_rejected() -> None:
    plan = Plan(steps=[Step(id="s1", query="q", target="nope")])
    with pytest.raises(PlanError, match="unknown target 'nope'"):
        validate_plan(plan, {"calc.calculate"})


def test_reference_to_missing_step_rejected() -> None:
    plan = Plan(steps=[Step(id="s1", query="use {{s9}}", target="a")])
    with pytest.raises(PlanError, match="unknown step 's9'"):
        validate_plan(plan, {"a"})


def test_cycle_rejected() -> None:
    plan = Plan(
        steps=[Step(id="s1", query="{{s2}}", target="a"), Step(id="s2", query="{{s1}}", target="a")]
    )
    with pytest.raises(PlanError, match="cycle"):
        validate_plan(plan, {"a"})


def test_reference_to_done_step_is_fine() -> None:
    validate_plan(Plan(steps=[Step(id="s3", query="{{s1}}", target="a")]), {"a"}, {"s1"})


def test_duplicate_ids_rejected() -> None:
    plan = Plan(steps=[Step(id="s1", query="a", target="a"), Step(id="s1", query="b", target="a")])
    with pytest.raises(PlanError, match="duplicate"):
        validate_plan(plan, {"a"})


@pytest.mark.parametrize("query", ["", "  ", "...", "…"])
def test_placeholder_query_rejected(query: str) -> None:
    """A schema-constrained weak model fills the required query with the prompt's "..."."""
    with pytest.raises(PlanError, match="empty query"):
        validate_plan(Plan(steps=[Step(id="s1", query=query, target="a")]), {"a"})


def test_a_longer_cycle_is_named() -> None:
    """The message names the steps that go round, so a planner's author sees which."""
    plan = Plan(
        steps=[
            Step(id="s1", query="{{s3}}", target="a"),
            Step(id="s2", query="{{s1}}", target="a"),
            Step(id="s3", query="{{s2}}", target="a"),
            Step(id="s4", query="free", target="a"),
        ]
    )
    with pytest.raises(PlanError, match="cycle") as caught:
        validate_plan(plan, {"a"})
    assert {"s1", "s2", "s3"} <= set(str(caught.value).replace("'", " ").split())
    assert "s4" not in str(caught.value)
