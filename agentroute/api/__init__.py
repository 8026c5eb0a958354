"""An OpenAI-compatible HTTP API over an agent (``agentroute serve api``): any OpenAI client or
chat UI talks to the agent; the thread is the conversation; routes, policy decisions and cost
come back in an extra ``agentroute`` field; a policy's ``ask`` waits for the client's yes.

Names load on first use (Starlette and the agent's stack are imported by the server alone).
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.api._app import THREAD_HEADER, app_from_environment, create_app
    from agentroute.api._conversation import Conversations, Outcome, derive_thread
    from agentroute.api._errors import ApiError
    from agentroute.api._server import serve_api
    from agentroute.api._settings import ApiSettings

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "THREAD_HEADER": "agentroute.api._app",
        "app_from_environment": "agentroute.api._app",
        "create_app": "agentroute.api._app",
        "Conversations": "agentroute.api._conversation",
        "Outcome": "agentroute.api._conversation",
        "derive_thread": "agentroute.api._conversation",
        "ApiError": "agentroute.api._errors",
        "serve_api": "agentroute.api._server",
        "ApiSettings": "agentroute.api._settings",
    },
)

__all__ = [
    "THREAD_HEADER",
    "ApiError",
    "ApiSettings",
    "Conversations",
    "Outcome",
    "app_from_environment",
    "create_app",
    "derive_thread",
    "serve_api",
]
