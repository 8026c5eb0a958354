"""Planners: split a request into steps and choose a target for each (the protocol they
implement is ``agentroute.protocols.Planner``)."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.planning._base import PlanError, validate_plan
    from agentroute.planning._llm import LLMPlanner, PlanSpec
    from agentroute.planning._probe import ContentProbe
    from agentroute.planning._semantic import SemanticPlanner

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "PlanError": "agentroute.planning._base",
        "validate_plan": "agentroute.planning._base",
        "LLMPlanner": "agentroute.planning._llm",
        "PlanSpec": "agentroute.planning._llm",
        "ContentProbe": "agentroute.planning._probe",
        "SemanticPlanner": "agentroute.planning._semantic",
    },
)

__all__ = [
    "ContentProbe",
    "LLMPlanner",
    "PlanError",
    "PlanSpec",
    "SemanticPlanner",
    "validate_plan",
]
