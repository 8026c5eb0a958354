"""The agents the blind-set planning tests ask: the bundled facts base, the real calc and units
MCP servers, and a general-purpose expert (a scripted chat model answering ``REPLY``), so a
test sees where each request went and whether the catch-all or a decline took it; the
multi-part one adds the geography graph and the official time server."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import build_default_knowledge, default_graph
from agentroute.mcp import McpServerSpec
from agentroute.models import ChatModelExpert
from agentroute.protocols import Target
from agentroute.testing import FunctionChatModel
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["REPLY", "general_agent", "multi_part_agent"]

REPLY = "GENERAL-EXPERT-REPLY"


@contextmanager
def general_agent(folder: Path, bases: Sequence[Target] = ()) -> Iterator[Agent]:
    """The agent, its facts base built in ``folder``; ``bases``: more knowledge bases."""
    embedder = default_embedder()
    facts = build_default_knowledge(folder / "facts", embedder)
    general = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: REPLY),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: explanations of everyday topics, "
            "advice, recipes, jokes and poems, drafting emails and messages.",
            domains=["general"],
            examples=["Write a short poem about autumn", "Explain what inflation is"],
        ),
    )
    servers = [
        McpServerSpec(name=name, command=sys.executable, args=["-m", f"agentroute_tools.{name}"])
        for name in ("calc", "units")
    ]
    with Agent(
        targets=[facts, *bases, general], mcp=servers, embedder=embedder, warm_spares=False
    ) as built:
        yield built


@contextmanager
def multi_part_agent(folder: Path) -> Iterator[Agent]:
    """The agent multi-part requests are asked of, its facts base built in ``folder``."""
    __import__("mcp_server_time")  # the official time server (.ci/install_ecosystem.sh)
    embedder = default_embedder()
    facts = build_default_knowledge(folder / "facts", embedder)
    general = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: REPLY),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing and rewriting text, "
            "explanations of everyday topics, advice, jokes and poems, drafting emails and "
            "messages.",
            domains=["general", "writing"],
            examples=[
                "Write a short poem about autumn",
                "Draft a polite email declining a meeting",
            ],
        ),
    )
    servers = [
        McpServerSpec(name=name, command=sys.executable, args=["-m", f"agentroute_tools.{name}"])
        for name in ("calc", "units")
    ]
    servers.append(
        McpServerSpec(
            name="time",
            command=sys.executable,
            args=["-m", "mcp_server_time", "--local-timezone", "UTC"],
        )
    )
    with Agent(
        targets=[facts, default_graph(embedder), general],
        mcp=servers,
        embedder=embedder,
        warm_spares=False,
    ) as built:
        yield built
