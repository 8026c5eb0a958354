"""Expert models: LangChain chat models as routable targets."""

from agentroute.models._expert import ChatModelExpert
from agentroute.models._providers import make_chat_model

__all__ = ["ChatModelExpert", "make_chat_model"]

from agentroute.models._replay import RecordedAnswer, ReplayChatModel  # noqa: E402

__all__ += ["RecordedAnswer", "ReplayChatModel"]
