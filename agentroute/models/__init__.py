"""Expert models: LangChain chat models as routable targets, and replay experts that answer
from recorded outcomes (so the whole graph runs offline on real model outputs)."""

from agentroute.models._expert import ChatModelExpert
from agentroute.models._providers import make_chat_model
from agentroute.models._replay import RecordedAnswer, ReplayChatModel

__all__ = ["ChatModelExpert", "RecordedAnswer", "ReplayChatModel", "make_chat_model"]
