"""A program that uses the library without configuring structlog gets our log lines on
stderr, never mixed into its stdout; one that configured structlog keeps its configuration."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AGENTROUTE_LOG")}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**environ, **env},
    )


def test_an_unconfigured_program_gets_the_library_logs_on_stderr() -> None:
    done = _run(
        """
        from agentroute.embeddings import default_embedder

        default_embedder().embed(["a sentence"])  # the model's load is logged
        print("the program's output")
        """,
        AGENTROUTE_LOG="debug",  # the placeholder shows warnings alone unless asked
    )
    assert done.stdout == "the program's output\n"
    assert "minilm.loaded" in done.stderr


def test_a_program_that_configured_structlog_keeps_its_configuration() -> None:
    done = _run(
        """
        import sys
        import structlog

        structlog.configure(
            processors=[structlog.processors.JSONRenderer()],
            logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        )
        from agentroute._log import get_logger

        get_logger("agentroute.probe").warning("probe.event")
        """
    )
    assert '"event": "probe.event"' in done.stdout  # where the program said, as it said
    assert "probe.event" not in done.stderr


def test_an_agent_built_in_python_shows_warnings_only() -> None:
    """README's own ``Agent(...)``: importing the library had configured structlog unfiltered,
    and the agent kept that, so a run put every info and debug line of its start (the model
    loaded, the server ready, the turn done) on the program's stderr."""
    code = """
        from agentroute import Agent
        from agentroute.mcp import McpServerSpec

        calc = McpServerSpec(name="calc", module="agentroute_tools.calc")
        with Agent(mcp=[calc], checkpoint=False) as agent:
            print(agent.run("What is 6 * 7?").answer)
        """
    quiet = _run(code)
    assert "42" in quiet.stdout and "[debug" not in quiet.stdout
    assert quiet.stderr == "", quiet.stderr
    loud = _run(code, AGENTROUTE_LOG="info")  # asked for: shown, on stderr
    assert "turn.done" in loud.stderr and "minilm.loaded" not in loud.stderr
