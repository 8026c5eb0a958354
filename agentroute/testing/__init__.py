"""Deterministic stand-ins for tests: a scripted chat model, scripted targets, a one-step planner.

Use these where a test is about agentroute's logic, not a model's; every capability also has
end-to-end tests through the real graph with real servers.
"""

from agentroute.testing._models import ScriptedChatModel
from agentroute.testing._planners import OneStepPlanner
from agentroute.testing._targets import ScriptedTarget

__all__ = ["OneStepPlanner", "ScriptedChatModel", "ScriptedTarget"]
