"""Deterministic stand-ins for tests: a scripted chat model and scripted targets.

Use these where a test is about agentroute's logic, not a model's; every capability also has
end-to-end tests through the real graph with real servers.
"""

from agentroute.testing._models import ScriptedChatModel
from agentroute.testing._targets import ScriptedTarget

__all__ = ["ScriptedChatModel", "ScriptedTarget"]
