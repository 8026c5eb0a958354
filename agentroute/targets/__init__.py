"""Targets: expert models, MCP tools and knowledge bases behind one protocol, and the index
that finds the ones that fit a request among hundreds."""

from agentroute.targets._base import Health, Target, TargetDescriptor
from agentroute.targets._index import ScoredTarget, TargetIndex

__all__ = ["Health", "ScoredTarget", "Target", "TargetDescriptor", "TargetIndex"]
