"""Route natural-language requests across the four official servers, then fill and call.

The whole no-LLM path on real third-party tools: TargetIndex picks the tool from its
list_tools description, argfill reads the arguments, the hub calls the server.
"""

from __future__ import annotations

import json
from pathlib import Path

from agentroute.embeddings import default_embedder
from agentroute.mcp import McpHub, McpServerSpec
from agentroute.targets._index import TargetIndex
from agentroute.text import fill_arguments, validate_arguments


async def test_route_fill_and_call_across_official_servers(
    time_spec: McpServerSpec,
    git_spec: McpServerSpec,
    filesystem_spec: McpServerSpec,
    everything_spec: McpServerSpec,
    repo: Path,
    files: Path,
) -> None:
    notes = files / "notes.txt"
    requests = [
        ("What time is it in Tokyo?", {"time.get_current_time"}, "Asia/Tokyo"),
        (f"What is the git status of {repo}?", {"git.git_status"}, "notes-untracked.txt"),
        (f"Show the commit history of {repo}", {"git.git_log"}, "Add the readme"),
        (f"Read the file {notes}", {"filesystem.read_text_file", "filesystem.read_file"}, "gamma line"),
        (f"List the contents of the directory {files}", {"filesystem.list_directory"}, "notes.txt"),
        ("Echo back 'ping 42'", {"everything.echo"}, "ping 42"),
        ("Add the two numbers 19 and 23", {"everything.get-sum"}, "42"),
    ]  # fmt: skip
    async with McpHub([time_spec, git_spec, filesystem_spec, everything_spec]) as hub:
        targets = {t.name: t for t in hub.targets()}
        assert len(targets) > 30  # every tool of every server is a target
        index = TargetIndex(default_embedder())
        index.add(t.descriptor for t in targets.values())

        for query, expected, evidence in requests:
            hits = index.search(query, k=5)
            best = hits[0].descriptor.name
            ranked = [(h.descriptor.name, round(h.score, 3)) for h in hits]
            assert best in expected, f"{query!r} routed to {ranked}"
            target = targets[best]
            schema = target.descriptor.input_schema or {}
            args = fill_arguments(query, schema, tool=target.tool)
            assert validate_arguments(args, schema) == []
            obs = await target.invoke("s1", query, args, timeout=20)
            assert obs.ok, f"{query!r} → {best}({json.dumps(args)}): {obs.error}"
            assert evidence in obs.result, f"{query!r} → {best}: {obs.result[:300]}"
