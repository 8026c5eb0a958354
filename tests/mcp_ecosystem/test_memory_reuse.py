"""Memory helps a request only when it asks what a stored case asked (the official git server).

"what changed in the last commit?" and "show me the last commit" are close in meaning but
read to different tools; a stored case of the first must neither be reused for the second
nor bias the second's tool choice, while a rewording of the first reuses its plan, and a plan
whose reuse was judged wrong is not reused again.
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.memory import CaseBank

FIRST = "what changed in the last commit?"
OTHER = "show me the last commit"
SAME = "what changed in the last commit, please?"


def test_a_stored_plan_steers_only_a_request_that_asks_the_same(
    git_spec: McpServerSpec, tmp_path: Path
) -> None:
    with Agent(mcp=[git_spec], max_rounds=1, warm_spares=False) as cold:
        own = [s.target for s in cold.run(OTHER).steps]
        first_own = [s.target for s in cold.run(FIRST, thread="b").steps]
    assert own != first_own  # the two requests read to different tools on their own
    bank = CaseBank.open(tmp_path / "memory", embedder=default_embedder())
    try:
        with Agent(mcp=[git_spec], memory=bank, max_rounds=1, warm_spares=False) as agent:
            first = agent.run(FIRST, thread="a")
            assert first.case_id is not None and first.steps[0].ok
            other = agent.run(OTHER, thread="b")
            assert [h.case_id for h in other.memory][:1] == [first.case_id]  # it was recalled
            assert other.reused_case is None
            assert [s.target for s in other.steps] == own  # not steered to the stored tool
            same = agent.run(SAME, thread="c")
            assert same.reused_case == first.case_id
            assert same.planner_calls == 0
            assert [s.target for s in same.steps] == [s.target for s in first.steps]
            assert agent.feedback(same.turn_id, 0.0)  # the reused plan was wrong
            again = agent.run(SAME, thread="d")
            assert again.reused_case is None
    finally:
        bank.close()
