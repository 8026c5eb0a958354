"""The turn as a LangGraph state graph."""

from agentroute.turn._result import StepResult, TurnResult
from agentroute.turn._state import Budget, TurnContext, TurnState, new_turn
from agentroute.turn._turn import build_turn_graph

__all__ = [
    "Budget",
    "StepResult",
    "TurnContext",
    "TurnResult",
    "TurnState",
    "build_turn_graph",
    "new_turn",
]
