"""Logging (structlog, console or JSON, local only) and turn traces."""

from agentroute.observability._logging import configure_logging
from agentroute.observability._trace import format_trace

__all__ = ["configure_logging", "format_trace"]
