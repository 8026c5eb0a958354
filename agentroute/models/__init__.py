"""Expert models: LangChain chat models as routable targets, and replay experts that answer
from recorded outcomes (so the whole graph runs offline on real model outputs)."""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.models._expert import ChatModelExpert
    from agentroute.models._providers import make_chat_model
    from agentroute.models._replay import RecordedAnswer, ReplayChatModel

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ChatModelExpert": "agentroute.models._expert",
        "make_chat_model": "agentroute.models._providers",
        "RecordedAnswer": "agentroute.models._replay",
        "ReplayChatModel": "agentroute.models._replay",
    },
)

__all__ = ["ChatModelExpert", "RecordedAnswer", "ReplayChatModel", "make_chat_model"]
