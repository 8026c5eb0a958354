"""The LLM planner's plans through the real Agent graph and the real calc/units MCP servers:
a sound plan is dispatched as is; garbage is replaced by the semantic plan; an unknown target,
a write tool for a read and a dangling reference are repaired (that step dropped and planned
by the semantic planner) — and the trace says which. An unsound step is never dispatched."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import BaseMessage, HumanMessage

from agentroute import Agent, AllowAllGate
from agentroute.mcp import McpServerSpec
from agentroute.testing import FunctionChatModel, FunctionTarget

REPLIES: dict[str, list[str]] = {}
"""Per request, the model's replies in order (a request may be asked again after garbage)."""


def _reply(messages: list[BaseMessage]) -> str:
    first = next(str(m.content) for m in messages if isinstance(m, HumanMessage))
    request = first.rsplit("Request: ", 1)[-1]
    asked = sum(isinstance(m, HumanMessage) for m in messages)  # 2 and more: a re-ask
    return REPLIES[request][asked - 1]


def _plan(*steps: tuple[str, str, str, list[str]]) -> str:
    return json.dumps(
        {
            "steps": [{"id": i, "query": q, "target": t, "depends_on": d} for i, q, t, d in steps],
            "reasoning": "scripted",
        }
    )


@pytest.fixture(scope="module")
def model() -> FunctionChatModel:
    return FunctionChatModel(function=_reply)


@pytest.fixture(scope="module")
def notes() -> FunctionTarget:
    """A tool that writes: it must never run for a request that reads."""
    target = FunctionTarget(
        "notes.save_note",
        lambda query, args: "saved",
        description="Saves a note with the given text to the notebook.",
    )
    target.descriptor.effect = "write"
    return target


@pytest.fixture(scope="module")
def agent(model: FunctionChatModel, notes: FunctionTarget) -> Iterator[Agent]:
    servers = [
        McpServerSpec(name=name, command=sys.executable, args=["-m", f"agentroute_tools.{name}"])
        for name in ("calc", "units")
    ]
    # about repairing plans: the gate allows all (the no-policy default would ask before
    # the note is saved; tests/mcp_ecosystem/test_safe_default.py covers that)
    with Agent(
        mcp=servers,
        targets=[notes],
        planner=model,
        max_rounds=1,
        checkpoint=False,
        policy=AllowAllGate(),
    ) as agent:
        yield agent


def _run(agent: Agent, request: str, *replies: str) -> tuple[Any, dict[str, Any]]:
    REPLIES[request] = list(replies)
    result = agent.run(request)
    plan_event = next(e for e in result.trace if e.node == "plan")
    return result, plan_event.data


def test_a_sound_plan_is_dispatched_as_is(agent: Agent) -> None:
    result, traced = _run(
        agent,
        "What is 17 * 23, and how many kilometres are 5 miles?",
        _plan(
            ("a", "17 * 23", "calc.calculate", []),
            ("b", "5 miles in km", "units.convert", []),
        ),
    )
    assert traced["planner"] == "llm"
    assert [(s.target, s.ok) for s in result.steps] == [
        ("calc.calculate", True),
        ("units.convert", True),
    ]
    assert "391" in result.answer and "8.04672" in result.answer


def test_a_reference_between_steps_is_kept_and_renumbered(agent: Agent) -> None:
    result, traced = _run(
        agent,
        "What is 2 + 3, and what is that times 4?",
        _plan(
            ("a", "2 + 3", "calc.calculate", []),
            ("b", "{{a}} * 4", "calc.calculate", ["a"]),
        ),
    )
    assert traced["planner"] == "llm"
    assert [(s["id"], s["query"], s["depends_on"]) for s in traced["steps"]] == [
        ("s1", "2 + 3", []),
        ("s2", "{{s1}} * 4", ["s1"]),
    ]
    assert result.steps[1].query == "5 * 4"  # s1's value (5) flowed at dispatch
    assert "20" in result.answer


def test_garbage_twice_is_replaced_by_the_semantic_plan(
    agent: Agent, model: FunctionChatModel
) -> None:
    before = len(model.calls)
    result, traced = _run(
        agent, "What is 17 * 23?", "I would use a calculator for that.", "{not json"
    )
    assert len(model.calls) - before == 2, "one re-ask, then the semantic plan"
    assert traced["planner"].startswith("semantic (fallback: llm plan rejected")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "391" in result.answer


def test_an_unknown_target_is_planned_again_and_a_near_miss_is_mapped(agent: Agent) -> None:
    result, traced = _run(
        agent,
        "What is 17 * 23, and how many kilometres are 5 miles?",
        _plan(
            ("s1", "17 * 23", "calculator_pro", []),  # no such target, nothing like it
            ("s2", "5 miles in kilometres", "convert", []),  # units.convert, the only one
        ),
    )
    assert traced["planner"].startswith("llm (repaired")
    assert "unknown target 'calculator_pro'" in traced["reasoning"]
    assert "target 'convert' read as 'units.convert'" in traced["reasoning"]
    assert {s.target for s in result.steps} == {"calc.calculate", "units.convert"}
    assert "calculator_pro" not in {s.target for s in result.steps}
    assert "391" in result.answer and "8.04672" in result.answer


def test_a_write_tool_for_a_read_is_never_shown_nor_dispatched(
    agent: Agent, model: FunctionChatModel, notes: FunctionTarget
) -> None:
    before = len(model.calls)
    result, traced = _run(
        agent,
        "What is 12 * 12?",
        _plan(("s1", "What is 12 * 12?", "notes.save_note", [])),
    )
    prompt = str(model.calls[before][0].content)
    assert "notes.save_note" not in prompt, "a read request is shown no writing tool"
    assert "calc.calculate" in prompt
    # not among the targets it was shown: its only step is unsound, the semantic plan replaces it
    assert traced["planner"].startswith("semantic (fallback: llm plan rejected")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert traced["writes"] == {}
    assert notes.calls == []
    assert "144" in result.answer


def test_a_write_tool_for_the_read_part_of_a_mixed_request_is_repaired(
    agent: Agent, notes: FunctionTarget
) -> None:
    calls = len(notes.calls)
    result, traced = _run(
        agent,
        "Save a note saying call mum, and what is 12 * 12?",
        _plan(
            ("s1", "save a note saying call mum", "notes.save_note", []),
            ("s2", "what is 12 * 12?", "notes.save_note", []),
        ),
    )
    assert traced["planner"].startswith("llm (repaired")
    assert (
        "notes.save_note writes but 'what is 12 * 12?' asks to change nothing"
        in (traced["reasoning"])
    )
    assert [s.target for s in result.steps] == ["notes.save_note", "calc.calculate"]
    assert traced["writes"] == {"s1": "notes.save_note (write)"}
    assert [q for q, _ in notes.calls[calls:]] == ["save a note saying call mum"]
    assert "144" in result.answer


def test_a_request_that_writes_is_shown_the_writing_tool(
    agent: Agent, model: FunctionChatModel, notes: FunctionTarget
) -> None:
    before = len(model.calls)
    result, traced = _run(
        agent,
        "Save a note saying buy milk",
        _plan(("s1", "save a note saying buy milk", "notes.save_note", [])),
    )
    assert "notes.save_note (tool, writes)" in str(model.calls[before][0].content)
    assert traced["planner"] == "llm"
    assert traced["writes"] == {"s1": "notes.save_note (write)"}
    assert [s.target for s in result.steps] == ["notes.save_note"]


def test_a_dangling_reference_is_planned_again_not_dispatched(agent: Agent) -> None:
    result, traced = _run(
        agent,
        "What is 6 * 7, and how many kilometres are 3 miles?",
        _plan(
            ("s1", "6 * 7", "calc.calculate", []),
            ("s2", "3 miles in km {{s9}}", "units.convert", ["s9"]),
        ),
    )
    assert traced["planner"].startswith("llm (repaired")
    assert "refers to missing step(s) ['s9']" in traced["reasoning"]
    assert all("{{" not in s.query for s in result.steps)
    assert [s.target for s in result.steps] == ["calc.calculate", "units.convert"]
    assert "42" in result.answer and "4.828" in result.answer


def test_a_dangling_dependency_alone_is_dropped_and_the_step_kept(agent: Agent) -> None:
    result, traced = _run(
        agent,
        "How many kilometres are 10 miles?",
        _plan(("s1", "10 miles in km", "units.convert", ["s4"])),
    )
    assert traced["planner"].startswith("llm (repaired")
    assert "dropped dependency on missing ['s4']" in traced["reasoning"]
    assert [(s.target, s.ok) for s in result.steps] == [("units.convert", True)]
    assert "16.09" in result.answer
