"""agentroute: route each part of a request to the best expert model, MCP tool or knowledge
base, under a privilege policy, learning from an episodic memory of past cases.

    from agentroute import Agent

    with Agent.default() as agent:
        print(agent.run("What is 17 * 23, and how many kilometres are 5 miles?").answer)
"""

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
