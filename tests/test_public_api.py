"""The public surface is pinned: changing it is a deliberate act, seen in review."""

import agentroute

EXPECTED = {
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
}


def test_all_is_pinned() -> None:
    assert set(agentroute.__all__) == EXPECTED


def test_every_name_in_all_exists() -> None:
    for name in agentroute.__all__:
        assert hasattr(agentroute, name), name
