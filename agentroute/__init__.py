"""agentroute: route each part of a request to the best expert model, MCP tool or knowledge
base, under a privilege policy, learning from an episodic memory of past cases.

    from agentroute import Agent

    with Agent.default() as agent:
        print(agent.run("What is 17 * 23, and how many kilometres are 5 miles?").answer)
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute._agent import Agent
    from agentroute.config import Config, ConfigError, load_config
    from agentroute.models import ChatModelExpert
    from agentroute.planning import LLMPlanner, SemanticPlanner
    from agentroute.policy import AllowAllGate
    from agentroute.protocols import Gate, Memory, ModelRouter, Planner, Target
    from agentroute.turn import Budget, StepResult, TurnResult
    from agentroute.types import (
        Alternative,
        Health,
        MemoryHit,
        Observation,
        Plan,
        PlanningContext,
        PolicyDecision,
        RouteDecision,
        Source,
        Step,
        TargetDescriptor,
        TargetKind,
        ToolCall,
        TraceEvent,
    )

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Agent": "agentroute._agent",
        "Config": "agentroute.config",
        "ConfigError": "agentroute.config",
        "load_config": "agentroute.config",
        "ChatModelExpert": "agentroute.models",
        "LLMPlanner": "agentroute.planning",
        "SemanticPlanner": "agentroute.planning",
        "AllowAllGate": "agentroute.policy",
        "Gate": "agentroute.protocols",
        "Memory": "agentroute.protocols",
        "ModelRouter": "agentroute.protocols",
        "Planner": "agentroute.protocols",
        "Target": "agentroute.protocols",
        "Budget": "agentroute.turn",
        "StepResult": "agentroute.turn",
        "TurnResult": "agentroute.turn",
        "Alternative": "agentroute.types",
        "Health": "agentroute.types",
        "MemoryHit": "agentroute.types",
        "Observation": "agentroute.types",
        "Plan": "agentroute.types",
        "PlanningContext": "agentroute.types",
        "PolicyDecision": "agentroute.types",
        "RouteDecision": "agentroute.types",
        "Source": "agentroute.types",
        "Step": "agentroute.types",
        "TargetDescriptor": "agentroute.types",
        "TargetKind": "agentroute.types",
        "ToolCall": "agentroute.types",
        "TraceEvent": "agentroute.types",
    },
)

__version__ = "0.1.0"

__all__ = [
    "Agent",
    "AllowAllGate",
    "Alternative",
    "Budget",
    "ChatModelExpert",
    "Config",
    "ConfigError",
    "Gate",
    "Health",
    "LLMPlanner",
    "Memory",
    "MemoryHit",
    "ModelRouter",
    "Observation",
    "Plan",
    "Planner",
    "PlanningContext",
    "PolicyDecision",
    "RouteDecision",
    "SemanticPlanner",
    "Source",
    "Step",
    "StepResult",
    "Target",
    "TargetDescriptor",
    "TargetKind",
    "ToolCall",
    "TraceEvent",
    "TurnResult",
    "__version__",
    "load_config",
]
