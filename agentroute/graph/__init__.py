"""The turn as a LangGraph state graph."""

from agentroute.graph._result import StepResult, TurnResult
from agentroute.graph._state import Budget, TurnRuntime, TurnState
from agentroute.graph._turn import build_turn_graph

__all__ = ["Budget", "StepResult", "TurnResult", "TurnRuntime", "TurnState", "build_turn_graph"]
