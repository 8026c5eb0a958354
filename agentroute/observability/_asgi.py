"""``/metrics`` for a Starlette server (``serve api`` mounts it): the text exposition of
``_metrics``, produced in Starlette's thread pool (a multiprocess scrape reads files)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentroute.observability._metrics import CONTENT_TYPE, enable_metrics, metrics_text

__all__ = ["metrics_app", "metrics_route"]


def _metrics(request: Request) -> Response:
    return Response(metrics_text(), media_type=CONTENT_TYPE)


def metrics_route(path: str = "/metrics") -> Route:
    """A ``GET`` route for an app's route list; counting starts in this process."""
    enable_metrics()
    return Route(path, _metrics, methods=["GET"])


def metrics_app(path: str = "/metrics") -> Starlette:
    """A Starlette app serving only ``path``: standalone, or mounted whole (``Mount("", ...)``)."""
    return Starlette(routes=[metrics_route(path)])
