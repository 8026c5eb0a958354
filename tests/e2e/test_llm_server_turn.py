"""`agentroute run --json` with an LLM planner and answer writer behind an OpenAI-compatible
server: the plan is asked for under the plan's JSON schema, and an answer that drops the
findings is replaced by the composed one, with the reason in the JSON.

The server is a loopback stub (tests/planning/openai_stub.py) scripted as a careless model;
everything else is real: the CLI process, the config, the calc and units MCP servers.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from .conftest import cli

_STUB = Path(__file__).resolve().parents[1] / "planning" / "openai_stub.py"
_spec = importlib.util.spec_from_file_location("openai_stub", _STUB)
assert _spec is not None and _spec.loader is not None
openai_stub = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(openai_stub)

REQUEST = "What is 17 * 23, and how many kilometres are 5 miles?"
PLAN = {
    "steps": [
        {"id": "a", "query": "What is 17 * 23", "target": "calc.calculate", "depends_on": []},
        {
            "id": "b",
            "query": "how many kilometres are 5 miles?",
            "target": "units.convert",
            "depends_on": [],
        },
    ],
    "reasoning": "arithmetic to calc, conversion to units",
}


def _careless_model(request: dict[str, Any]) -> str:
    """Plans well when held to the schema; writes an unrelated final answer."""
    return json.dumps(PLAN) if "response_format" in request else "The answer is 42"


def test_run_json_keeps_the_findings_when_the_llm_answer_drops_them(tmp_path: Path) -> None:
    with openai_stub.openai_stub(_careless_model) as server:
        (tmp_path / "agentroute.toml").write_text(
            f"""
[experts.local]
model = "stub-model"
base_url = "{server.base_url}"
description = "a general model"

[planner]
kind = "llm"
model = "local"
"""
        )
        proc = cli("run", REQUEST, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    # The plan came from the model, asked under the plan's schema.
    assert out["planners"] == ["llm"]
    assert [s["target"] for s in out["steps"]] == ["calc.calculate", "units.convert"]
    plan_request = next(r for r in server.chat_requests() if "response_format" in r)
    response_format = plan_request["response_format"]
    assert response_format["type"] == "json_schema"
    step = response_format["json_schema"]["schema"]["properties"]["steps"]["items"]
    assert {"calc.calculate", "units.convert"} <= set(step["properties"]["target"]["enum"])
    # The answer model was asked, its text dropped both findings: the composed answer stands.
    assert any("response_format" not in r for r in server.chat_requests())
    assert "42" not in out["answer"]
    assert "391" in out["answer"] and "8.04672" in out["answer"]
    check = out["answer_check"]
    assert check["by"] == "composed"
    assert "391" in check["reason"] and "8.04672" in check["reason"]
