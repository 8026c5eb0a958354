"""The turn as a LangGraph state graph."""

from agentroute.turn._result import StepResult, TurnResult
from agentroute.turn._state import Budget, TurnRuntime, TurnState
from agentroute.turn._turn import build_turn_graph

__all__ = ["Budget", "StepResult", "TurnResult", "TurnRuntime", "TurnState", "build_turn_graph"]
