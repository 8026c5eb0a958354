"""The library's loggers: structlog's, on stderr until the program configures structlog.

structlog unconfigured prints every event to stdout, where a command's output goes (a script
that only loads a policy and checks calls would mix the gate's log lines into its results). A
program that configures structlog itself, before or after, keeps its configuration; the CLI
and an ``Agent`` configure it through ``agentroute.observability.configure_logging``.

Until then the placeholder shows what ``configure_logging`` would (warnings and errors, or the
level ``AGENTROUTE_LOG`` names): a program that builds ``Agent(...)`` itself had every info and
debug line of the start (a model loaded, a server ready) on its stderr, because importing the
library had already configured structlog, unfiltered, and the agent then kept that.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import structlog

__all__ = [
    "filtering_wrapper",
    "get_logger",
    "level_name",
    "placeholder_in_use",
    "stderr_logger",
]

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
"""The levels ``AGENTROUTE_LOG`` (and ``[logging] level``) may name."""


def level_name(level: str = "warning") -> str:
    """The level ``AGENTROUTE_LOG`` names, else ``level`` (one it does not know: warning)."""
    name = os.environ.get("AGENTROUTE_LOG", level).lower()
    return name if name in _LEVELS else "warning"


def filtering_wrapper(level: str = "warning") -> Any:
    """structlog's bound logger dropping events below the level ``AGENTROUTE_LOG`` names, else
    ``level`` (a name it does not know: warning); the placeholder's and the configured one's."""
    return structlog.make_filtering_bound_logger(_LEVELS[level_name(level)])


def stderr_logger(*_args: object) -> structlog.PrintLogger:
    """A logger on the ``sys.stderr`` of the moment: a stream bound at configure time would
    outlive a test runner's or a redirect's swap of it (and could be closed by then)."""
    return structlog.PrintLogger(sys.stderr)


def _placeholder_logger(*args: object) -> structlog.PrintLogger:
    """``stderr_logger``, under a name of its own: it tells the placeholder apart."""
    return stderr_logger(*args)


def placeholder_in_use() -> bool:
    """Whether structlog runs on the placeholder (no one has configured it yet)."""
    return structlog.get_config()["logger_factory"] is _placeholder_logger


def get_logger(name: str) -> Any:
    """``structlog.get_logger(name)``, after pointing an unconfigured structlog at stderr."""
    if not structlog.is_configured():
        structlog.configure(logger_factory=_placeholder_logger, wrapper_class=filtering_wrapper())
    return structlog.get_logger(name)
