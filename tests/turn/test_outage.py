"""Which parts a replan may re-route: not those whose target was unavailable, nor the parts
that waited on them, whatever the planner's new step ids."""

from __future__ import annotations

from agentroute.turn._outage import outage_repeats, reroutable_failures, unreachable
from agentroute.turn._state import TurnState
from agentroute.types import Observation, Step, TargetKind


def failed(sid: str, query: str, target: str, *, unavailable: bool = False) -> Observation:
    return Observation(
        step_id=sid,
        target=target,
        kind=TargetKind.TOOL,
        query=query,
        ok=False,
        error="down" if unavailable else "could not read the query",
        unavailable=unavailable,
    )


def state() -> TurnState:
    steps = {
        "s1": Step(id="s1", query="What is 240 * 31?", target="calc.calculate"),
        "s2": Step(id="s2", query="{{s1}} divided by 4", target="calc.calculate"),
        "s3": Step(id="s3", query="convert 5 parsecs to furlongs", target="units.convert"),
    }
    return {
        "steps": steps,
        "order": list(steps),
        "observations": {
            "s1": failed("s1", "What is 240 * 31?", "calc.calculate", unavailable=True),
            "s2": failed("s2", "{{s1}} divided by 4", "calc.calculate"),  # its input failed
            "s3": failed("s3", "convert 5 parsecs to furlongs", "units.convert"),
        },
    }


def test_an_unavailable_target_and_what_waited_on_it_are_not_reroutable() -> None:
    current = state()
    assert unreachable(current) == {"s1", "s2"}
    assert [o.step_id for o in reroutable_failures(current)] == ["s3"]


def test_a_replan_asking_an_unreachable_part_again_is_dropped_with_its_dependents() -> None:
    planned = [
        Step(id="s4", query="what is 240 * 31?", target="general"),
        Step(id="s5", query="{{s4}} divided by 4", target="general"),
        Step(id="s6", query="convert 5 parsecs to furlongs", target="general"),
        Step(id="s7", query="{{s6}} in metres", target="general"),
    ]
    assert outage_repeats(state(), planned) == {"s4", "s5"}


def test_nothing_is_dropped_without_an_outage() -> None:
    current = state()
    current["observations"]["s1"] = failed("s1", "What is 240 * 31?", "calc.calculate")
    assert unreachable(current) == set()
    assert outage_repeats(current, [Step(id="s4", query="What is 240 * 31?")]) == set()
