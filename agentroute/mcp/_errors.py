"""Errors of the MCP client side.

Exception tree::

    McpError                    base; the message names the server and says what failed
    ├── McpUnavailableError     not started, closed, restarting beyond the wait, breaker open
    ├── McpCallFailedError      the connection broke under a call (crash, garbage, transport)
    └── McpTimeoutError         the server did not answer in time (it is recycled)

Targets turn all of these into ``Observation(ok=False, error=str(exc))``; only ``McpServer``
users see them as exceptions.
"""

from __future__ import annotations

__all__ = ["McpCallFailedError", "McpError", "McpTimeoutError", "McpUnavailableError"]


class McpError(Exception):
    """A server-side failure of an MCP server, worded for the user."""

    def __init__(self, server: str, message: str) -> None:
        super().__init__(message)
        self.server = server


class McpUnavailableError(McpError):
    """The server cannot take calls right now."""


class McpCallFailedError(McpError):
    """The connection failed while a call was in flight."""


class McpTimeoutError(McpError):
    """The call exceeded its timeout; the server is being recycled."""
