"""Logging (structlog, console or JSON, local only), turn traces, OpenTelemetry spans (exported
only where configured) and Prometheus counters (read by a scrape, never pushed)."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.observability._asgi import metrics_app, metrics_route
    from agentroute.observability._logging import configure_logging
    from agentroute.observability._metrics import (
        enable_metrics,
        metrics_enabled,
        metrics_text,
        multiprocess_dir,
    )
    from agentroute.observability._trace import format_trace
    from agentroute.observability._tracing import configure_tracing, use_tracer_provider

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "configure_logging": "agentroute.observability._logging",
        "configure_tracing": "agentroute.observability._tracing",
        "enable_metrics": "agentroute.observability._metrics",
        "format_trace": "agentroute.observability._trace",
        "metrics_app": "agentroute.observability._asgi",
        "metrics_enabled": "agentroute.observability._metrics",
        "metrics_route": "agentroute.observability._asgi",
        "metrics_text": "agentroute.observability._metrics",
        "multiprocess_dir": "agentroute.observability._metrics",
        "use_tracer_provider": "agentroute.observability._tracing",
    },
)

__all__ = [
    "configure_logging",
    "configure_tracing",
    "enable_metrics",
    "format_trace",
    "metrics_app",
    "metrics_enabled",
    "metrics_route",
    "metrics_text",
    "multiprocess_dir",
    "use_tracer_provider",
]
