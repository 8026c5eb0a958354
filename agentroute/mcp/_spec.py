"""Configuration of one MCP server connection (embedded in ``agentroute.toml`` as ``[mcp.<name>]``)."""

from __future__ import annotations

import re
import sys
from pathlib import PurePath
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["DEFAULT_ENV_ALLOW", "McpServerSpec"]

# The cache folders let our own servers (``agentroute serve kb``) load the model the router built.
DEFAULT_ENV_ALLOW: tuple[str, ...] = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "SYSTEMROOT",
    "XDG_CACHE_HOME",
    "AGENTROUTE_CACHE_DIR",
)
"""Parent environment variables a stdio server sees unless the spec says otherwise.

Least privilege: API keys and tokens in the router's environment never leak into a tool
server by accident; pass them explicitly through ``env`` or name them in ``env_allow``.
"""

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

Transport = Literal["stdio", "http", "in_process"]


class McpServerSpec(BaseModel):
    """One MCP server: a stdio ``command`` to spawn, a streamable HTTP ``url`` to reach, or a
    Python ``module`` whose server runs in this process (or, ``in_process=False``, as
    ``python -m MODULE``)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    """Server name; tools become targets named ``<name>.<tool>`` (so no dots here)."""
    command: str | None = None
    args: list[str] = Field(default_factory=list)
    env_allow: list[str] = Field(default_factory=lambda: list(DEFAULT_ENV_ALLOW))
    """Names of parent environment variables passed through to the server process."""
    env: dict[str, str] = Field(default_factory=dict)
    """Explicit environment values for the server process (set over ``env_allow``)."""
    cwd: str | None = None
    url: str | None = None
    module: str | None = None
    """A Python module with an MCP server object named ``server`` (a low-level ``Server`` or
    an ``MCPServer``), e.g. ``agentroute_tools.calc``. In-process, prefer a low-level
    ``Server``: constructing an ``MCPServer`` sets up the process's root logger."""
    in_process: bool = True
    """With ``module``: serve it inside the agent's process over MCP's in-memory transport (no
    interpreter start-up, no second import of mcp, nothing to stop on exit); its tools go
    through the same targets, gate and trace as any server's. ``False`` runs ``python -m
    MODULE ARGS...`` as a supervised subprocess instead: for a server that may crash, hang or
    hold the event loop, or needs its own environment."""
    headers: dict[str, str] = Field(default_factory=dict)
    """HTTP headers sent with every request (e.g. ``Authorization``); HTTP servers only."""
    startup_timeout_s: float = Field(default=20.0, gt=0)
    call_timeout_s: float = Field(default=30.0, gt=0)
    max_restarts: int = Field(default=5, ge=0)
    """Consecutive failed (re)starts before the supervisor stops retrying on its own; a call
    after the breaker cooldown wakes it for one more attempt."""
    backoff_initial_s: float = Field(default=0.05, ge=0)
    """Delay before the first restart after a crash (kept small: a crashed server should
    serve again quickly); doubles per consecutive failure up to ``backoff_max_s``."""
    backoff_max_s: float = Field(default=5.0, ge=0)
    breaker_threshold: int = Field(default=5, ge=1)
    """Consecutive failed calls that open the circuit breaker (calls then fail fast)."""
    breaker_cooldown_s: float = Field(default=10.0, ge=0)
    warm_spare: bool = False
    """Keep one spare server process started (stdio only) so a crashed server is replaced
    without waiting for interpreter start-up and imports; costs one idle process."""
    enabled: bool = True
    defaults: dict[str, Any] = Field(default_factory=dict)
    """Argument values the server's tools take when a request gives none (``repo_path`` for
    a git server started on one repository): each becomes the ``default`` of that argument in
    every tool's schema that has it, and argument filling uses it for a required argument
    the request does not give."""

    examples: dict[str, list[str]] = Field(default_factory=dict)
    """Requests a tool answers, by tool name, each a text the tool is found by (as an
    expert's ``examples``): for a server whose terse descriptions miss what a tool is asked
    for (the git server's ``git_show`` "Shows the contents of a commit" says nothing of the
    changes a commit made, and a question about them went to ``git_diff_staged``)."""

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                f"MCP server name {value!r} must be letters, digits, '_' or '-' "
                "(tools are addressed as '<server>.<tool>')"
            )
        return value

    @field_validator("env_allow")
    @classmethod
    def _check_env_allow(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _ENV_NAME.match(v)]
        if bad:
            raise ValueError(f"env_allow holds invalid environment variable names: {bad}")
        return value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"url {value!r} must start with http:// or https://")
        return value

    @field_validator("module")
    @classmethod
    def _check_module(cls, value: str | None) -> str | None:
        if value is not None and not _MODULE.match(value):
            raise ValueError(f"module {value!r} must be a dotted Python module name")
        return value

    @model_validator(mode="after")
    def _check_transport(self) -> Self:
        given = [k for k in ("command", "url", "module") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"MCP server {self.name!r}: give exactly one of 'command' (stdio), 'url' "
                "(streamable HTTP) or 'module' (a Python server, in-process by default)"
            )
        if "in_process" in self.model_fields_set and self.module is None:
            raise ValueError(f"MCP server {self.name!r}: 'in_process' applies to a 'module'")
        if self.transport != "stdio":
            local = ("args", "env", "cwd", "env_allow", "warm_spare")
            wrong = [k for k in local if k in self.model_fields_set and getattr(self, k)]
            if wrong:
                where = "a 'url'" if self.url is not None else "an in-process 'module'"
                raise ValueError(
                    f"MCP server {self.name!r}: {', '.join(map(repr, wrong))} apply to a server "
                    f"process (a 'command', or a 'module' with in_process = false), not to {where}"
                )
        if self.url is None and self.headers:
            raise ValueError(f"MCP server {self.name!r}: 'headers' apply to a 'url' only")
        if self.backoff_max_s < self.backoff_initial_s:
            raise ValueError(
                f"MCP server {self.name!r}: backoff_max_s ({self.backoff_max_s}) is below "
                f"backoff_initial_s ({self.backoff_initial_s})"
            )
        return self

    def argument_defaults(self) -> dict[str, Any]:
        """``defaults``, over what the command line implies: ``mcp-server-git --repository
        PATH`` (or ``-r PATH``) serves one repository, so ``repo_path`` defaults to it; the
        filesystem server's first allowed directory is the ``path`` a request naming no
        folder means ("list the files"), and the root relative paths are read under."""
        implied: dict[str, Any] = {}
        if self.command is not None and _is_git_server(self.command, self.args):
            for i, arg in enumerate(self.args[:-1]):
                if arg in ("--repository", "-r"):
                    implied["repo_path"] = self.args[i + 1]
            for arg in self.args:
                if arg.startswith("--repository="):
                    implied["repo_path"] = arg.partition("=")[2]
        if self.command is not None and (roots := _filesystem_roots(self.command, self.args)):
            implied["path"] = roots[0]
        return {**implied, **self.defaults}

    @property
    def transport(self) -> Transport:
        """``"stdio"`` (a process we spawn), ``"http"`` or ``"in_process"``."""
        if self.url is not None:
            return "http"
        if self.module is not None and self.in_process:
            return "in_process"
        return "stdio"

    def argv(self) -> list[str]:
        """The command line of a stdio server: ``command ARGS`` or ``python -m MODULE ARGS``."""
        if self.command is not None:
            return [self.command, *self.args]
        if self.module is not None and not self.in_process:
            return [sys.executable, "-m", self.module, *self.args]
        raise ValueError(f"MCP server {self.name!r} is not a server process ({self.transport})")


def _is_git_server(command: str, args: list[str]) -> bool:
    """``mcp-server-git ...``, ``uvx mcp-server-git ...`` or ``python -m mcp_server_git ...``."""
    words = [PurePath(command).name, *args]
    return any(w in ("mcp-server-git", "mcp_server_git") for w in words)


def _filesystem_roots(command: str, args: list[str]) -> list[str]:
    """The allowed directories of ``npx @modelcontextprotocol/server-filesystem DIR...`` (or
    ``node .../server-filesystem/dist/index.js DIR...``, ``mcp-server-filesystem DIR...``):
    the absolute paths after the server's own name."""
    words = [command, *args]
    at = next((i for i, w in enumerate(words) if "server-filesystem" in w.replace("_", "-")), None)
    if at is None:
        return []
    return [w for w in words[at + 1 :] if w.startswith("/")]
