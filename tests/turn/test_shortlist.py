"""The planner's shortlist over the benchmark's 310-tool catalogue, with MiniLM retrieval."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agentroute import TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.targets import preselect
from agentroute.targets._index import TargetIndex
from agentroute.turn._shortlist import MEMORY_PRIOR, memory_prior, shortlist
from agentroute.types import MemoryHit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from _tool_catalogue import tools


@pytest.fixture(scope="module")
def catalogue() -> tuple[TargetIndex, dict[str, TargetDescriptor]]:
    descriptors = {
        t["name"]: TargetDescriptor(
            name=t["name"],
            kind=TargetKind.TOOL,
            description=t["description"],
            input_schema=t["schema"],
            server=t["server"],
        )
        for t in tools()
    }
    descriptors["facts"] = TargetDescriptor(
        name="facts", kind=TargetKind.KNOWLEDGE, description="encyclopedia passages"
    )
    index = TargetIndex(default_embedder())
    index.add(list(descriptors.values()))
    return index, descriptors


def test_every_part_of_the_request_gets_its_tools(catalogue) -> None:
    index, descriptors = catalogue
    shown = shortlist(
        index,
        "what's the weather in Oslo, and create a jira ticket for the login bug",
        descriptors,
        limit=10,
    )
    tools_shown = [d.name for d in shown if d.kind is TargetKind.TOOL]
    assert len(tools_shown) <= 10
    assert any(n.startswith("weather.") for n in tools_shown), tools_shown
    assert "jira.jira_create_issue" in tools_shown, tools_shown
    assert "facts" in [d.name for d in shown]  # non-tools are always shown


def test_the_shortlist_is_the_preselection(catalogue) -> None:
    """What bench_preselection.py measures is what the planner is shown: the shortlist's tools
    are `preselect`'s, read-only parts kept from writing tools."""
    index, descriptors = catalogue
    request = ("I'm moving to Oslo next month. What's the weather there this week? "
               "Also list the open issues of the agentroute repository.")  # fmt: skip
    shown = {d.name for d in shortlist(index, request, descriptors, limit=6)
             if d.kind is TargetKind.TOOL}  # fmt: skip
    tools = {d.name: d for d in descriptors.values() if d.kind is TargetKind.TOOL}
    picked = preselect(index, request, k=6, kinds={TargetKind.TOOL}, per_part=3,
                       read_only_parts=True)  # fmt: skip
    assert shown == {h.descriptor.name for h in picked}
    assert not any(tools[n].writes for n in shown), shown
    assert any(n.startswith("weather.") for n in shown), shown


def test_few_tools_are_shown_as_they_are(catalogue) -> None:
    index, descriptors = catalogue
    few = dict(list(descriptors.items())[:8])
    assert shortlist(index, "anything", few, limit=10) == list(few.values())


def test_a_tool_from_a_good_case_of_the_same_ask_enters_the_list(catalogue) -> None:
    index, descriptors = catalogue
    request = "stage README.md"
    ranked = [h.descriptor.name for h in index.search(request, k=40, kinds={TargetKind.TOOL})]
    limit = 5
    outside = ranked[limit]  # the first tool the list has no room for
    without = [d.name for d in shortlist(index, request, descriptors, limit=limit)]
    assert outside not in without
    hit = MemoryHit(
        case_id="c1", similarity=0.95, utility=1.0, success=True, targets=[outside], same_ask=True
    )
    merely_similar = hit.model_copy(update={"case_id": "c0", "same_ask": False})
    assert memory_prior([merely_similar]) == {}  # another request's tool gets no bonus
    prior = memory_prior([hit, merely_similar])
    assert prior == {outside: pytest.approx(0.95 * MEMORY_PRIOR)}
    with_prior = [d.name for d in shortlist(index, request, descriptors, limit=limit, prior=prior)]
    assert outside in with_prior
    bad = MemoryHit(
        case_id="c2", similarity=0.9, utility=0.0, success=False, targets=[outside], same_ask=True
    )
    assert memory_prior([hit, bad])[outside] == pytest.approx((0.95 - 0.9) * MEMORY_PRIOR)


def test_tools_tried_this_turn_stay_visible(catalogue) -> None:
    index, descriptors = catalogue
    shown = shortlist(
        index, "send a slack message", descriptors, limit=3, keep=["stripe.create_refund"]
    )
    assert "stripe.create_refund" in [d.name for d in shown]


def test_a_read_request_is_shown_no_writing_tool_even_when_all_tools_fit() -> None:
    from agentroute.turn._shortlist import planner_view

    targets = {
        name: TargetDescriptor(name=name, kind=TargetKind.TOOL, description=name, effect=effect)
        for name, effect in [
            ("git.git_log", "read"),
            ("git.git_commit", "write"),
            ("fs.delete", "destructive"),
        ]
    }

    def shown(request: str, tried: list[str] | None = None) -> list[str]:
        view, _ = planner_view(None, targets, request, hits=[], tried=tried or [], limit=20)
        return [d.name for d in view]

    assert shown("show me the last 5 commits") == ["git.git_log"]
    assert shown("show the log, then commit the staged changes") == list(targets)
    assert shown("show me the last 5 commits", tried=["git.git_commit"]) == [
        "git.git_log",
        "git.git_commit",
    ]
