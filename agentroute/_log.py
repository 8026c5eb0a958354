"""The library's loggers: structlog's, on stderr until the program configures structlog.

structlog unconfigured prints every event to stdout, where a command's output goes (a script
that only loads a policy and checks calls would mix the gate's log lines into its results). A
program that configures structlog itself, before or after, keeps its configuration; the CLI
and an ``Agent`` configure it through ``agentroute.observability.configure_logging``.
"""

from __future__ import annotations

import sys
from typing import Any

import structlog

__all__ = ["get_logger", "stderr_logger"]


def stderr_logger(*_args: object) -> structlog.PrintLogger:
    """A logger on the ``sys.stderr`` of the moment: a stream bound at configure time would
    outlive a test runner's or a redirect's swap of it (and could be closed by then)."""
    return structlog.PrintLogger(sys.stderr)


def get_logger(name: str) -> Any:
    """``structlog.get_logger(name)``, after pointing an unconfigured structlog at stderr."""
    if not structlog.is_configured():
        structlog.configure(logger_factory=stderr_logger)
    return structlog.get_logger(name)
