"""Planners: split a request into steps and choose a target for each."""

from agentroute.planning._base import PlanError, Planner, PlanningContext, validate_plan
from agentroute.planning._llm import LLMPlanner, PlanSpec
from agentroute.planning._semantic import SemanticPlanner

__all__ = [
    "LLMPlanner",
    "PlanError",
    "PlanSpec",
    "Planner",
    "PlanningContext",
    "SemanticPlanner",
    "validate_plan",
]
