"""The turn as a LangGraph state graph."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.turn._result import StepResult, TurnResult
    from agentroute.turn._state import Budget, TurnContext, TurnState, new_turn
    from agentroute.turn._turn import build_turn_graph

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "StepResult": "agentroute.turn._result",
        "TurnResult": "agentroute.turn._result",
        "Budget": "agentroute.turn._state",
        "TurnContext": "agentroute.turn._state",
        "TurnState": "agentroute.turn._state",
        "new_turn": "agentroute.turn._state",
        "build_turn_graph": "agentroute.turn._turn",
    },
)

__all__ = [
    "Budget",
    "StepResult",
    "TurnContext",
    "TurnResult",
    "TurnState",
    "build_turn_graph",
    "new_turn",
]
