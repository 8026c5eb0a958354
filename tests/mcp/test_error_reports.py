"""A tool's error report is a failed step, whether the server sets ``isError`` or only says so.

Every case goes through a real MCP session with ``error_reporting_server.py``, which answers
with the text (and ``isError`` flag) the test asks for.
"""

from __future__ import annotations

import sys
from pathlib import Path

from agentroute import Agent
from agentroute.mcp import McpHub, McpServerSpec, McpToolTarget
from agentroute.testing import ScriptedPlanner

SERVER = str(Path(__file__).parent / "error_reporting_server.py")


def spec() -> McpServerSpec:
    return McpServerSpec(name="er", command=sys.executable, args=[SERVER], call_timeout_s=20)


ERROR_REPORTS = [
    "Error: no such record 'beta'",
    "error - the index is locked",
    "/etc/hostname: Error - Access denied - path outside allowed directories: /etc/hostname",
    "/a.txt: Error - Access denied - path outside allowed directories\n---\n"
    "/b.txt: Error - ENOENT: no such file or directory, open '/b.txt'",
    "Access denied - path outside allowed directories: /etc/passwd not in /srv",
    "ENOENT: no such file or directory, open '/srv/missing.txt'",
    "Permission denied",
    "Error executing tool search: upstream returned 503",
    "Unknown tool: frobnicate",
]

CONTENT = [
    "hello error world",  # a file that mentions the word
    "0 errors, 2 warnings",
    "Errors are logged to /var/log/app.log",
    "error-handling is described in chapter 3",
    "Error codes: see the table below",
    "Exit status: error (see the log)",
    # a man page about error codes: one line looks like a report, the page does not
    "ERRNO(3)\n\nNAME\n  errno - number of last error\n\nERRORS\n"
    "  EACCES Permission denied (POSIX.1-2001).\n  ENOENT No such file or directory.\n"
    "Error: this line alone would look like a report",
    # read_multiple_files with one good file and one refused: there is content to show
    "/srv/a.txt:\nalpha\n\n---\n/etc/hostname: Error - Access denied - path outside allowed",
]


def by_name(hub: McpHub) -> dict[str, McpToolTarget]:
    return {t.name: t for t in hub.targets()}


async def test_is_error_and_error_shaped_text_fail_the_step_other_text_does_not() -> None:
    async with McpHub([spec()]) as hub:
        reply = by_name(hub)["er.reply"]

        flagged = await reply.invoke(
            "s1", "q", {"text": "quota exceeded", "is_error": True}, timeout=20
        )
        assert not flagged.ok
        assert flagged.error == "tool 'er.reply' reported an error: quota exceeded"

        for text in ERROR_REPORTS:
            obs = await reply.invoke("s1", "q", {"text": text}, timeout=20)
            assert not obs.ok, text
            assert obs.error == f"tool 'er.reply' reported an error: {text}"
            assert obs.result == text  # kept for the trace

        for text in CONTENT:
            obs = await reply.invoke("s1", "q", {"text": text}, timeout=20)
            assert obs.ok, (text, obs.error)
            assert obs.result == text and obs.error is None


def test_error_text_makes_the_planner_replan_and_the_answer_say_so() -> None:
    # Looks 'beta' up first; once that fails, falls back to 'alpha' (what a replan does).
    planner = ScriptedPlanner(
        [("look up beta", "er.read_record", {"name": "beta"})],
        [("look up alpha", "er.read_record", {"name": "alpha"})],
        [],
    )
    with Agent(mcp=[spec()], planner=planner, checkpoint=False) as agent:
        result = agent.run("look up beta")
    first, second = result.steps
    assert not first.ok and "beta: Error - record not found" in (first.error or "")
    assert second.ok and second.result == "alpha: the first record"
    assert [c.round for c in planner.contexts][:2] == [1, 2]
    assert "Could not answer 'look up beta'" in result.answer
    assert "record not found" in result.answer
