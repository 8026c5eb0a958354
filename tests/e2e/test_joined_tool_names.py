"""Tools named in words written together, without a description, on a real MCP server: the
turn reaches the one whose name says what the request asks ("make a new coupon" →
``createcoupon``, not ``updateinventory``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec

SERVER = Path(__file__).with_name("joined_names_server.py")


@pytest.fixture(scope="module")
def shop() -> Iterator[Agent]:
    spec = McpServerSpec(name="shop", command=sys.executable, args=[str(SERVER)])
    with Agent(mcp=[spec], checkpoint=False, max_rounds=1) as agent:
        yield agent


@pytest.mark.parametrize(
    ("request_text", "tool"),
    [
        ("make a new coupon", "createcoupon"),
        ("cancel my subscription", "cancelsubscription"),
        ("get me the invoice for order 7 as a pdf", "getinvoicepdf"),
    ],
)
def test_a_joined_name_is_read_as_its_words(shop: Agent, request_text: str, tool: str) -> None:
    result = shop.run(request_text)
    assert [s.target for s in result.steps] == [f"shop.{tool}"], [
        (s.target, s.route.reason if s.route else None) for s in result.steps
    ]
    assert result.steps[0].ok
    assert f'"tool": "{tool}"' in result.steps[0].result
