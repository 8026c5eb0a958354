"""A policy that asks a human before big computations, answered through the Python API.

    python examples/ask_a_human.py

The calc server is one of agentroute's own MCP servers; the policy allows short arithmetic,
asks above 40 characters, and the turn pauses (a LangGraph interrupt) until ``resume``.
"""

import sys
import tempfile
from pathlib import Path

from agentroute import Agent
from agentroute.mcp import McpServerSpec

POLICY = """\
scope server calc {
  default deny fallback "Only the calc server's arithmetic is allowed."
  ask   calc.calculate when len(query) > 40 fallback "A person must approve long computations."
  allow calc.calculate
}
"""

with tempfile.TemporaryDirectory() as tmp:
    policy = Path(tmp) / "calc.policy"
    policy.write_text(POLICY)
    calc = McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])
    with Agent(mcp=[calc], policy=policy) as agent:
        print(agent.run("What is 6 * 7?").answer)
        paused = agent.run("What is 123456789 * 987654321 + 1000000 * 3?", thread="t1")
        call = paused.pending_approval["call"]
        print(f"approval needed for {call['target']} {call['args']}")
        print(agent.resume("t1", approved=True).answer)
