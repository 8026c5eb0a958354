"""Deterministic, strict stand-ins for tests: chat models, planners and targets.

Use these where a test is about agentroute's logic, not a model's; every capability also has
end-to-end tests through the real graph with real servers. ``Scripted*`` doubles answer from a
script, in order, and are strict like the agent SDKs' fake models: a call beyond the script
raises ``ScriptError``, and ``assert_consumed()`` says whether the script was used up.
``Function*`` doubles answer from a function, as often as they are asked.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
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

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ChatFunction": "agentroute.testing._models",
        "FunctionChatModel": "agentroute.testing._models",
        "ScriptedChatModel": "agentroute.testing._models",
        "FunctionPlanner": "agentroute.testing._planners",
        "OneStepPlanner": "agentroute.testing._planners",
        "PlanFunction": "agentroute.testing._planners",
        "ScriptedPlanner": "agentroute.testing._planners",
        "ScriptedStep": "agentroute.testing._planners",
        "TestPlanner": "agentroute.testing._planners",
        "ScriptError": "agentroute.testing._script",
        "FunctionTarget": "agentroute.testing._targets",
        "ScriptedTarget": "agentroute.testing._targets",
        "TargetFunction": "agentroute.testing._targets",
    },
)

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
