"""``agentroute serve api``: uvicorn serving the app, in one process or ``workers`` processes
that share the listening socket (uvicorn replaces a worker that dies)."""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

from agentroute.api._settings import ENVIRONMENT_KEY, ApiSettings
from agentroute.observability import multiprocess_dir

__all__ = ["is_loopback", "serve_api"]

_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s uvicorn: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
"""uvicorn's own lines go to stderr, like every log line (its default prints access lines to
stdout)."""


KEEP_ALIVE_S = 30
"""How long an idle connection stays open: longer than clients keep theirs (httpx, and so
OpenAI's client: 5 s, uvicorn's own default too). With equal timeouts a client reuses a
connection at the moment the server closes it, and the request fails unanswered (``ReadError``;
seen at 50 sessions thinking 1–3 s between turns); longer, the client always lets go first."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_api(settings: ApiSettings, *, host: str, port: int) -> None:
    """Serve until interrupted. Without a token the server answers anyone who can reach it,
    so it binds to loopback only."""
    import uvicorn

    if settings.token_env is None and not is_loopback(host):
        raise ValueError(
            f"--host {host}: without --token-env the server has no authentication and binds to "
            "loopback only (127.0.0.1, ::1, localhost)"
        )
    settings.token()  # a named variable that is unset fails here, before any worker starts
    multiprocess_dir()  # the workers count into one folder: /metrics sums them
    os.environ[ENVIRONMENT_KEY] = settings.to_environment()
    auth = (
        f"bearer token from ${settings.token_env}"
        if settings.token_env
        else "no authentication (loopback only)"
    )
    print(
        f"agentroute serve api: http://{host}:{port}/v1 · {settings.workers} worker(s) · {auth}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        "agentroute.api._app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=settings.workers,
        log_config=_LOGGING,
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_S,
        timeout_graceful_shutdown=30,
        timeout_worker_healthcheck=30,
    )
