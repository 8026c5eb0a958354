"""Hundreds of tools on a real MCP server: the planner sees a short list that covers every
part of the request, and the turn still reaches the right tools."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent, TargetKind
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedPlanner

CATALOGUE = Path(__file__).with_name("catalogue_server.py")


@pytest.fixture(scope="module")
def catalogue() -> Iterator[Agent]:
    spec = McpServerSpec(name="cat", command=sys.executable, args=[str(CATALOGUE)])
    with Agent(mcp=[spec], checkpoint=False, max_rounds=1) as agent:
        yield agent


def test_the_turn_reaches_the_right_tools_among_300(catalogue: Agent) -> None:
    result = catalogue.run(
        "get the current weather in Madrid, and list the last commits of /srv/repo"
    )
    plan = next(e for e in result.trace if e.node == "plan")
    assert plan.data["targets_total"] == 310
    assert plan.data["targets_shown"] <= 20
    targets = [s.target for s in result.steps]
    assert targets == ["cat.weather_get_current_weather", "cat.git_git_log"], [
        (s.target, s.route.reason if s.route else None) for s in result.steps
    ]
    assert all(s.ok for s in result.steps), [s.error for s in result.steps]
    assert '"tool": "weather_get_current_weather"' in result.steps[0].result


def test_find_targets_ranks_the_300_tools_for_a_request(catalogue: Agent) -> None:
    hits = catalogue.find_targets("what will the weather be like in Oslo this weekend", k=5)
    assert len(hits) == 5
    assert "cat.weather_get_forecast" in [h.descriptor.name for h in hits]
    assert [h.rank_score for h in hits] == sorted((h.rank_score for h in hits), reverse=True)


def test_the_planner_is_shown_a_short_list_covering_each_part() -> None:
    recorder = ScriptedPlanner([])  # records what it was shown; plans nothing
    spec = McpServerSpec(name="cat", command=sys.executable, args=[str(CATALOGUE)])
    with Agent(mcp=[spec], planner=recorder, checkpoint=False, max_rounds=1, shortlist=12) as a:
        a.run("create a new branch called feature/login, and send an email to ana@example.com")
        assert len(a.targets()) == 310
    shown = [t.name for t in recorder.contexts[0].targets if t.kind is TargetKind.TOOL]
    assert len(shown) <= 12
    assert "cat.git_git_create_branch" in shown
    assert any(name.startswith("cat.gmail_") and "send" in name for name in shown), shown


def test_value_shapes_pick_the_server_among_300(catalogue: Agent) -> None:
    """A channel, a tracker key, an environment variable: the value's shape says which tool,
    through the real graph (semantic planner, shortlist, MCP call)."""
    expected = {
        "let #ops know that the deploy is done": "cat.slack_slack_post_message",
        "assign OPS-42 to Dana": "cat.jira_jira_assign_issue",
        "what is JAVA_HOME set to": "cat.shell_read_env",
    }
    for request, tool in expected.items():
        result = catalogue.run(request)
        assert [s.target for s in result.steps] == [tool], [
            (s.target, s.route.reason if s.route else None) for s in result.steps
        ]
