"""Each command loads what it needs (issue 14): ``serve kb`` opens its one knowledge base and
answers over MCP, ``policy check`` needs no agent, and neither starts the embedded servers."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from agentroute.mcp import McpHub, McpServerSpec

from .conftest import REPO, Chat, cli


def _serve_kb(name: str, cwd: Path, kind: str = "kb") -> McpServerSpec:
    return McpServerSpec(
        name="served",
        command=sys.executable,
        args=["-m", "agentroute", "serve", kind, *([name] if name else [])],
        env={"PYTHONPATH": os.environ.get("PYTHONPATH", ""), "AGENTROUTE_LOG": "error"},
        cwd=str(cwd),
        max_restarts=0,
    )


async def test_serve_kb_answers_over_mcp(tmp_path: Path) -> None:
    async with McpHub([_serve_kb("geography", tmp_path)]) as hub:
        tools = {t.descriptor.name: t for t in hub.targets()}
        assert list(tools) == ["served.geography"], tools
        query = "Which river does Vienna lie on?"
        obs = await tools["served.geography"].invoke("s1", query, {"query": query}, timeout=60)
    assert obs.ok, obs.error
    assert "Danube" in str(obs.result)
    assert not (tmp_path / ".agentroute" / "threads.sqlite").exists()  # no agent was built
    assert not (tmp_path / ".agentroute" / "memory").exists()


async def test_serve_expert_answers_over_mcp_with_that_model_alone(tmp_path: Path) -> None:
    """A configured expert is served from its own section: the recorded model answers, and no
    agent (threads, case bank, knowledge) is built around it."""
    mbpp = REPO / "data" / "routerbench" / "mbpp_train.csv"
    (tmp_path / "agentroute.toml").write_text(
        f'[experts.coder]\nreplay = "{mbpp}"\nreplay_model = "gpt-4-1106-preview"\n'
        f'description = "writes Python functions"\n'
    )
    async with McpHub([_serve_kb("coder", tmp_path, kind="expert")]) as hub:
        tools = {t.descriptor.name: t for t in hub.targets()}
        assert list(tools) == ["served.coder"], tools
        query = "Write a python function to reverse a string."
        obs = await tools["served.coder"].invoke("s1", query, {"query": query}, timeout=120)
    assert obs.ok, obs.error
    assert "def " in str(obs.result)  # the recorded model's code
    assert not (tmp_path / ".agentroute").exists()  # no agent was built


def test_serve_kb_names_what_it_could_serve(tmp_path: Path) -> None:
    proc = cli("serve", "kb", "no_such_base", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no knowledge named 'no_such_base'" in proc.stderr
    assert "'facts'" in proc.stderr and "'geography'" in proc.stderr
    assert proc.stdout == ""


def test_policy_check_against_schema_files_builds_no_agent(tmp_path: Path) -> None:
    policy = REPO / "policies" / "mail_payments.policy"
    schemas = REPO / "policies" / "examples" / "mail_payments.schemas.json"
    proc = cli("policy", "check", str(policy), "--schemas", str(schemas), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(
        r"ok: 10 rules in 1 file\(s\), checked against 8 tool schemas; version sha256:[0-9a-f]{16}",
        proc.stdout.strip(),
    ), proc.stdout
    assert not (tmp_path / ".agentroute").exists()


def test_help_lists_every_group_and_a_group_still_runs(tmp_path: Path) -> None:
    top = cli("--help", cwd=tmp_path)
    assert top.returncode == 0, top.stderr
    for name in ("run", "chat", "targets", "serve", "policy", "memory", "route"):
        assert f" {name} " in top.stdout, name
    serve = cli("serve", "--help", cwd=tmp_path)
    assert serve.returncode == 0 and all(k in serve.stdout for k in ("expert", "kb", "agent"))


def test_chat_leaves_at_once_while_the_agent_is_still_starting(tmp_path: Path) -> None:
    """``/help`` and ``/quit`` need no agent: neither waits for the targets to start."""
    chat = Chat(tmp_path)
    chat.read_until("agentroute chat")
    chat.send("/help")
    chat.read_until("/quit")
    out = "".join(chat.lines) + chat.close()
    assert "starting targets" not in out, out
    assert "bye — resume with: agentroute chat --thread" in out
    assert chat.proc.returncode == 0


async def test_serve_agent_refuses_an_empty_query_as_a_tool_error(tmp_path: Path) -> None:
    """``serve agent`` with a blank question is an MCP tool error saying so, not a 'success'."""
    async with McpHub([_serve_kb("", tmp_path, kind="agent")]) as hub:
        (tool,) = hub.targets()
        obs = await tool.invoke("s1", "", {"query": "  "}, timeout=120)
    assert not obs.ok
    assert "empty query" in str(obs.error)


async def test_a_served_expert_logs_warnings_only(tmp_path: Path) -> None:
    """MCPServer set the root logger to INFO: each call's 'Processing request' and 'Tool ...
    failed' (and the HTTP client's retries) filled the served expert's stderr in rich boxes."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    mbpp = REPO / "data" / "routerbench" / "mbpp_train.csv"
    (tmp_path / "agentroute.toml").write_text(
        f'[experts.coder]\nreplay = "{mbpp}"\nreplay_model = "gpt-4-1106-preview"\n'
    )
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agentroute", "serve", "expert", "coder"],
        env={"PYTHONPATH": os.environ.get("PYTHONPATH", ""), "PATH": os.environ["PATH"]},
        cwd=str(tmp_path),
    )
    errors = tmp_path / "stderr.txt"
    query = "Write a python function to reverse a string."
    with errors.open("w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            answered = await session.call_tool("coder", {"query": query})
            blank = await session.call_tool("coder", {"query": " "})
    assert not answered.is_error and blank.is_error
    logged = errors.read_text()
    assert "INFO" not in logged and "Processing request" not in logged, logged
