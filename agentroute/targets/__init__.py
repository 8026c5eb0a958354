"""The target index: which of the targets fit a request, among hundreds (the protocol every
target implements is ``agentroute.protocols.Target``, its descriptor ``agentroute.types``)."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.targets._index import ScoredTarget, TargetIndex
    from agentroute.targets._preselect import preselect

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ScoredTarget": "agentroute.targets._index",
        "TargetIndex": "agentroute.targets._index",
        "preselect": "agentroute.targets._preselect",
    },
)

__all__ = ["ScoredTarget", "TargetIndex", "preselect"]
