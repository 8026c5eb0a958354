"""Deterministic, strict stand-ins for tests: chat models, planners and targets.

Use these where a test is about agentroute's logic, not a model's; every capability also has
end-to-end tests through the real graph with real servers. ``Scripted*`` doubles answer from a
script, in order, and are strict like the agent SDKs' fake models: a call beyond the script
raises ``ScriptError``, and ``assert_consumed()`` says whether the script was used up.
``Function*`` doubles answer from a function, as often as they are asked.
"""

from agentroute.testing._models import ChatFunction, FunctionChatModel, ScriptedChatModel
from agentroute.testing._planners import (
    FunctionPlanner,
    OneStepPlanner,
    PlanFunction,
    ScriptedPlanner,
    ScriptedStep,
    TestPlanner,
)
from agentroute.testing._script import ScriptError
from agentroute.testing._targets import FunctionTarget, ScriptedTarget, TargetFunction

__all__ = [
    "ChatFunction",
    "FunctionChatModel",
    "FunctionPlanner",
    "FunctionTarget",
    "OneStepPlanner",
    "PlanFunction",
    "ScriptError",
    "ScriptedChatModel",
    "ScriptedPlanner",
    "ScriptedStep",
    "ScriptedTarget",
    "TargetFunction",
    "TestPlanner",
]
