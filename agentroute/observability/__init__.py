"""Logging (structlog, console or JSON, local only) and turn traces."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.observability._logging import configure_logging
    from agentroute.observability._trace import format_trace

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "configure_logging": "agentroute.observability._logging",
        "format_trace": "agentroute.observability._trace",
    },
)

__all__ = ["configure_logging", "format_trace"]
