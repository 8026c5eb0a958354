"""build_target_server in process: tool shapes, errors, descriptions (no subprocess)."""

import mcp_types
import pytest
from kb_server import Echo, FactsKB
from mcp.server.mcpserver.exceptions import ToolError

from agentroute.mcp import build_target_server


async def test_each_target_becomes_a_query_tool():
    server = build_target_server([FactsKB(), Echo()], "kb")
    tools = {t.name: t for t in await server.list_tools()}
    assert set(tools) == {"facts", "echo_agent"}
    for tool in tools.values():
        assert tool.input_schema["required"] == ["query"]
        assert tool.input_schema["properties"]["query"]["type"] == "string"
    assert tools["facts"].description.startswith("Encyclopaedic facts")
    assert "- what is the capital of France" in tools["facts"].description
    assert tools["echo_agent"].description == "Repeats the question back."


async def test_answers_and_failures():
    server = build_target_server([FactsKB(), Echo()], "kb")
    result = await server.call_tool("facts", {"query": "boiling point of water?"})
    assert isinstance(result, mcp_types.CallToolResult)
    assert result.content[0].text == "Water boils at 100 °C at sea level."
    assert result.structured_content["sources"][0]["name"] == "facts"
    with pytest.raises(ToolError, match="no fact matches"):
        await server.call_tool("facts", {"query": "unknown"})
    echoed = await server.call_tool("echo_agent", {"query": "hi"})
    assert echoed.content[0].text == "you asked: hi"


async def test_askable_without_description_uses_its_docstring():
    class Helper:
        """Answers questions about the helper."""

        async def ask(self, query: str) -> str:
            return query

    server = build_target_server([Helper()], "helper")
    (tool,) = await server.list_tools()
    assert (tool.name, tool.description) == ("helper", "Answers questions about the helper.")


@pytest.mark.parametrize(
    ("targets", "error", "message"),
    [
        ([], ValueError, "no targets"),
        ([FactsKB(), FactsKB()], ValueError, "two targets map to tool 'facts'"),
        ([object()], TypeError, "neither a Target nor has async ask"),
    ],
)
def test_bad_input(targets, error, message):
    with pytest.raises(error, match=message):
        build_target_server(targets, "kb")


async def test_a_served_knowledge_base_takes_k_and_where(tmp_path):
    """``serve kb``'s tool: ``k`` passages at most, ``where`` a metadata filter chromadb
    evaluates, a malformed filter a clear tool error (issue 15). Real chromadb on disk."""
    from agentroute.embeddings import HashingEmbedder
    from agentroute.knowledge import ChromaKnowledgeBase, Document

    kb = ChromaKnowledgeBase("pkgs", tmp_path / "db", HashingEmbedder(), min_similarity=0.0)
    kb.add(
        [
            Document(id=f"p{i}", text=f"Package p{i} adds users to group {i}.", title=f"p{i}",
                     metadata={"section": "admin" if i % 2 else "utils"})
            for i in range(6)
        ]
    )  # fmt: skip
    server = build_target_server([kb], "kb")
    (tool,) = await server.list_tools()
    assert tool.input_schema["required"] == ["query"]
    assert {"k", "where"} <= set(tool.input_schema["properties"])
    admin = await server.call_tool(
        "pkgs", {"query": "package adds users to group", "k": 6, "where": {"section": "admin"}}
    )
    refs = {s["ref"] for s in admin.structured_content["sources"]}
    assert refs and refs <= {"p1", "p3", "p5"}
    one = await server.call_tool("pkgs", {"query": "package adds users to group", "k": 1})
    assert len(one.structured_content["sources"]) == 1
    with pytest.raises(ToolError, match="invalid 'where'"):
        await server.call_tool("pkgs", {"query": "users", "where": {"section": {"$nope": 1}}})
