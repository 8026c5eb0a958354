"""Errors of the MCP client side.

Exception tree::

    McpError                    base; the message names the server and says what failed
    ├── McpUnavailableError     not started, closed, restarting beyond the wait, breaker open
    ├── McpCallFailedError      the connection broke under a call (crash, garbage, transport),
    │                           or the server answered with a protocol error
    └── McpTimeoutError         the server did not answer in time (it is recycled)

Targets turn all of these into ``Observation(ok=False, error=str(exc))``; only ``McpServer``
users see them as exceptions.
"""

from __future__ import annotations

__all__ = ["McpCallFailedError", "McpError", "McpTimeoutError", "McpUnavailableError"]


class McpError(Exception):
    """A server-side failure of an MCP server, worded for the user."""

    unavailable = False
    """The server could not be reached (down, restarting, hung, connection lost): no verdict
    on the call itself (`agentroute.types.Observation.unavailable`)."""

    def __init__(self, server: str, message: str, *, unavailable: bool | None = None) -> None:
        super().__init__(message)
        self.server = server
        if unavailable is not None:
            self.unavailable = unavailable


class McpUnavailableError(McpError):
    """The server cannot take calls right now."""

    unavailable = True


class McpCallFailedError(McpError):
    """The connection failed while a call was in flight (``unavailable``), or the server
    answered the call with a protocol error."""


class McpTimeoutError(McpError):
    """The call exceeded its timeout; the server is being recycled."""

    unavailable = True
