"""Targets: expert models, MCP tools and knowledge bases behind one protocol."""

from agentroute.targets._base import Health, Target, TargetDescriptor

__all__ = ["Health", "Target", "TargetDescriptor"]
