"""Every log line goes through structlog, to stderr, as console text or JSON. Nothing leaves
the machine: no exporter, no telemetry (chromadb's is switched off where it is opened)."""

from __future__ import annotations

import os
import sys

import structlog

from agentroute._log import filtering_wrapper, stderr_logger

__all__ = ["configure_logging"]


def configure_logging(fmt: str = "console", level: str = "warning") -> None:
    """Idempotent; ``AGENTROUTE_LOG`` / ``AGENTROUTE_LOG_FORMAT`` override the arguments."""
    fmt = os.environ.get("AGENTROUTE_LOG_FORMAT", fmt).lower()
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            renderer,
        ],
        wrapper_class=filtering_wrapper(level),
        logger_factory=stderr_logger,
        cache_logger_on_first_use=False,
    )
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
