"""A program that uses the library without configuring structlog gets our log lines on
stderr, never mixed into its stdout; one that configured structlog keeps its configuration."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_an_unconfigured_program_gets_the_library_logs_on_stderr() -> None:
    done = _run(
        """
        from agentroute.embeddings import default_embedder

        default_embedder().embed(["a sentence"])  # the model's load is logged
        print("the program's output")
        """
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
