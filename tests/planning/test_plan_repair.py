"""Repairing a model's plan step by step (`agentroute.planning._repair`, through LLMPlanner):
sound steps stay, a near-miss name maps only when one target fits, unsound steps are planned
again by the fallback, and steps that needed a step which is gone go too."""

from __future__ import annotations

import json

from agentroute import LLMPlanner, PlanningContext, Step, TargetDescriptor, TargetKind
from agentroute.planning._repair import match_target
from agentroute.testing import FunctionPlanner, ScriptedChatModel

TARGETS = {
    name: TargetDescriptor(name=name, kind=TargetKind.TOOL, description=name, effect=effect)
    for name, effect in [
        ("calc.calculate", "read"),
        ("units.convert", "read"),
        ("git.git_log", "read"),
        ("git.git_commit", "write"),
        ("fs.read_file", "read"),
        ("fs.read_files", "read"),
    ]
}


def test_a_near_miss_maps_only_when_one_target_fits() -> None:
    assert match_target("calc.calculate", TARGETS) == "calc.calculate"
    assert match_target("Calc_Calculate", TARGETS) == "calc.calculate"
    assert match_target("git_commit", TARGETS) == "git.git_commit"
    assert match_target("units.conver", TARGETS) == "units.convert"
    assert match_target("fs.read_fil", TARGETS) is None  # read_file or read_files: no guess
    assert match_target("shell.exec", TARGETS) is None
    assert match_target("", TARGETS) is None


def _fallback() -> FunctionPlanner:
    """Plans a query to units when it names miles, else says nothing fits."""

    def plan(ctx: PlanningContext) -> list[Step]:
        if "miles" in ctx.request:
            return [Step(id=f"s{ctx.next_step_number}", query=ctx.request, target="units.convert")]
        return []

    return FunctionPlanner(plan, name="semantic")


def _ctx(request: str) -> PlanningContext:
    return PlanningContext(request=request, targets=list(TARGETS.values()))


def _model(*steps: dict[str, object]) -> ScriptedChatModel:
    return ScriptedChatModel(replies=[json.dumps({"steps": list(steps), "reasoning": ""})])


def _step(id: str, query: str, target: str, *deps: str) -> dict[str, object]:
    return {"id": id, "query": query, "target": target, "depends_on": list(deps)}


async def test_a_dependent_of_a_replaced_step_waits_for_its_replacement() -> None:
    model = _model(
        _step("a", "5 miles in km", "unitconv"),
        _step("b", "{{a}} * 2", "calc.calculate", "a"),
    )
    plan = await LLMPlanner(model, _fallback()).plan(_ctx("5 miles in km, doubled"))
    assert plan.planner.startswith("llm (repaired")
    assert [(s.id, s.query, s.target, s.depends_on) for s in plan.steps] == [
        ("s1", "{{s2}} * 2", "calc.calculate", ["s2"]),
        ("s2", "5 miles in km", "units.convert", []),
    ]
    model.assert_consumed()


async def test_a_dependent_of_a_step_that_is_gone_goes_too() -> None:
    model = _model(
        _step("a", "17 * 23", "calc.calculate"),
        _step("b", "water the plants", "gardener"),
        _step("c", "{{b}} twice", "calc.calculate", "b"),
    )
    plan = await LLMPlanner(model, _fallback()).plan(_ctx("17 * 23; water the plants twice"))
    assert [(s.query, s.target) for s in plan.steps] == [("17 * 23", "calc.calculate")]
    assert plan.unmatched == ["water the plants", "{{b}} twice"]
    assert "its input is gone" in plan.reasoning


async def test_a_read_step_on_a_shown_write_tool_is_planned_again() -> None:
    model = _model(
        _step("s1", "commit the staged changes", "git.git_commit"),
        _step("s2", "show the last 5 commits", "git_commit"),
    )
    plan = await LLMPlanner(model, _fallback()).plan(_ctx("commit, then show the log"))
    assert [(s.query, s.target) for s in plan.steps] == [
        ("commit the staged changes", "git.git_commit")
    ]
    assert plan.unmatched == ["show the last 5 commits"]
    assert "git.git_commit writes but 'show the last 5 commits' asks to change nothing" in (
        plan.reasoning
    )


async def test_a_self_dependency_is_dropped_not_a_cycle() -> None:
    model = _model(_step("s1", "17 * 23", "calc.calculate", "s1"))
    plan = await LLMPlanner(model, _fallback()).plan(_ctx("17 * 23"))
    assert plan.planner.startswith("llm (repaired")
    assert [(s.target, s.depends_on) for s in plan.steps] == [("calc.calculate", [])]


async def test_a_plan_with_no_sound_step_is_replaced_whole() -> None:
    model = _model(_step("s1", "...", "calc.calculate"), _step("s2", "x", "nowhere"))
    fallback = _fallback()
    plan = await LLMPlanner(model, fallback).plan(_ctx("how far are 5 miles"))
    assert plan.planner.startswith("semantic (fallback: llm plan rejected: no step of the plan")
    assert "s1: empty query" in plan.planner and "'x' is not from the request" in plan.planner
    assert [s.target for s in plan.steps] == ["units.convert"]
    assert fallback.contexts[-1].request == "how far are 5 miles"
    model.assert_consumed()


async def test_a_query_copied_from_the_prompt_is_dropped_not_dispatched() -> None:
    model = _model(
        _step("s1", "<part 1 in full words>", "calc.calculate"),
        _step("s2", "5 miles in km", "units.convert"),
    )
    plan = await LLMPlanner(model, _fallback()).plan(_ctx("How far are 5 miles in km?"))
    assert [(s.query, s.target) for s in plan.steps] == [("5 miles in km", "units.convert")]
    assert "'<part 1 in full words>' is not from the request, dropped" in plan.reasoning


def test_a_query_is_grounded_in_the_request_or_the_thread() -> None:
    from agentroute.planning._repair import grounded

    assert grounded("17 times 23", "Calculate 17 times 23.")
    assert grounded("convert kilometers", "how many kilometres are 5 miles")  # shared stem
    assert grounded("{{s1}}", "anything")  # only a reference: the value flows at dispatch
    assert not grounded("<one short sentence>", "Calculate 17 times 23.")
    assert grounded("5 miles in yards", "and in yards? how many km are 5 miles 8.04 km")


def test_stop_words_alone_do_not_ground_a_query() -> None:
    from agentroute.planning._repair import grounded

    assert not grounded("What is the answer to this?", "What is the capital of France?")
    assert grounded("capital of France", "What is the capital of France?")


def test_a_reference_grounds_only_a_query_of_numbers() -> None:
    from agentroute.planning._repair import grounded

    assert grounded("{{s1}} * 2", "5 miles in km, doubled")
    assert not grounded("<part 2, may use {{s1}}>", "5 miles in km, doubled")
