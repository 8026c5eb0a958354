"""Planners: split a request into steps and choose a target for each (the protocol they
implement is ``agentroute.protocols.Planner``)."""

from agentroute.planning._base import PlanError, validate_plan
from agentroute.planning._llm import LLMPlanner, PlanSpec
from agentroute.planning._probe import ContentProbe
from agentroute.planning._semantic import SemanticPlanner

__all__ = [
    "ContentProbe",
    "LLMPlanner",
    "PlanError",
    "PlanSpec",
    "SemanticPlanner",
    "validate_plan",
]
