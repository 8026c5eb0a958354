"""The target index: which of the targets fit a request, among hundreds (the protocol every
target implements is ``agentroute.protocols.Target``, its descriptor ``agentroute.types``)."""

from agentroute.targets._index import ScoredTarget, TargetIndex
from agentroute.targets._preselect import preselect

__all__ = ["ScoredTarget", "TargetIndex", "preselect"]
