"""One real turn in a process of its own, from a real ``agentroute.toml`` (the path every
command takes: ``Agent.from_config``), through the misbehaving MCP server's ``echo``.

Run as ``python turn_process.py CONFIG REPORT``: writes to REPORT (JSON) the inet addresses the
process connected to, the OpenTelemetry modules it loaded, its tracer provider's class and
whether it imported prometheus_client.
``write_config`` writes such a CONFIG.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

connected: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect":
        sock, address = args
        if isinstance(sock, socket.socket) and sock.family in (socket.AF_INET, socket.AF_INET6):
            connected.append(repr(address))


sys.addaudithook(_audit)

from opentelemetry import trace  # noqa: E402

from agentroute import Agent  # noqa: E402
from agentroute.testing import ScriptedPlanner  # noqa: E402

SERVER = Path(__file__).resolve().parents[1] / "mcp" / "misbehaving_server.py"


def write_config(home: Path, observability: str = "") -> Path:
    """An ``agentroute.toml`` in ``home``: only the misbehaving server, no memory."""
    path = home / "agentroute.toml"
    path.write_text(
        f"""
[agent]
builtin_targets = false
data_dir = "{home / "data"}"

[memory]
enabled = false

[mcp.misbehaving]
command = "{sys.executable}"
args = ["{SERVER}"]

{observability}
""",
        encoding="utf-8",
    )
    return path


def main(config: str, report: str) -> None:
    planner = ScriptedPlanner([("say hi", "misbehaving.echo", {"query": "hi"})], [])
    with Agent.from_config(config, planner=planner) as agent:
        result = agent.run("say hi")
    assert result.steps[0].ok, result.steps[0].error
    loaded = sorted(m for m in sys.modules if m.startswith("opentelemetry."))
    Path(report).write_text(
        json.dumps(
            {
                "connected": connected,
                "otel_modules": loaded,
                "provider": type(trace.get_tracer_provider()).__name__,
                "prometheus_client": "prometheus_client" in sys.modules,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
