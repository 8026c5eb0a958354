"""A server's terse tool descriptions completed by the configuration: ``[mcp.NAME.examples]``
gives a tool requests it answers, each a text it is found by (through the real Agent, graph
and official git server).

Why: the git server describes ``git_show`` as "Shows the contents of a commit, or of a file or
directory given as <revision>:<path>", nothing of the changes a commit made, while
``git_diff_staged`` "Shows changes that are staged for commit"; a question about what a commit
changed scored 0.55 against the latter and 0.39 against ``git_show``, and was planned to it.
"what changed in the last commit?" now finds ``git_show`` by the rule for a named revision
(``_siblings``); "what did the last commit touch?" still needs the example.
"""

from __future__ import annotations

from agentroute import Agent
from agentroute.mcp import McpServerSpec

QUESTION = "what did the last commit touch?"
EXAMPLE = "What did a commit change: its diff, message and author"


def test_a_configured_example_finds_the_tool_its_description_misses(
    git_spec: McpServerSpec,
) -> None:
    with Agent(mcp=[git_spec]) as agent:
        bare = agent.run(QUESTION)
    assert [s.target for s in bare.steps] != ["git.git_show"]  # the description alone
    described = git_spec.model_copy(update={"examples": {"git_show": [EXAMPLE]}})
    with Agent(mcp=[described]) as agent:
        assert "git_show" in {d.name.split(".")[-1] for d in agent.targets() if d.examples}
        result = agent.run(QUESTION)
    (step,) = result.steps
    assert step.target == "git.git_show" and step.ok, step.error
    assert step.args is not None and step.args["revision"] == "HEAD"
    assert "Add the app entry point" in step.result
