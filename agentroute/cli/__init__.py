"""The ``agentroute`` command line: chat, run, targets, serve, policy, memory, route."""

from agentroute.cli._app import app, main

__all__ = ["app", "main"]
