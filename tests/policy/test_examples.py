"""The shipped example policies load against their tool schemas and pass their cases."""

from __future__ import annotations

import json
from pathlib import Path

from agentroute.policy import Policy, PolicyGate
from agentroute.types import TargetKind, ToolCall

ROOT = Path(__file__).resolve().parents[2] / "policies"


def test_filesystem_example_against_the_real_servers_schemas() -> None:
    schemas = json.loads((ROOT / "examples" / "filesystem.schemas.json").read_text())
    gate = PolicyGate(Policy.from_files([ROOT / "filesystem.policy"], schemas))

    def effect(tool: str, **args: object) -> str:
        call = ToolCall(step_id="1", target=f"filesystem.{tool}", kind=TargetKind.TOOL, args=args)
        return gate.check(call, session="s").effect

    assert effect("read_text_file", path="/srv/agent-data/a.txt") == "allow"
    assert effect("read_text_file", path="/srv/agent-data") == "allow"
    assert effect("read_text_file", path="/srv/agent-data-evil/a.txt") == "deny"
    assert effect("read_text_file", path="/srv/agent-data/../../etc/passwd") == "deny"
    assert (
        effect("write_file", path="/srv/agent-data/x/.ssh/authorized_keys", content="k") == "deny"
    )
    assert effect("write_file", path="/srv/agent-data/x/notes.md", content="k") == "allow"
    assert (
        effect("move_file", source="/srv/agent-data/a", destination="/srv/agent-data/.a") == "deny"
    )
    assert effect("read_multiple_files", paths=[]) == "deny"
    assert effect("list_allowed_directories") == "allow"


def test_mail_payments_example_cases() -> None:
    schemas = json.loads((ROOT / "examples" / "mail_payments.schemas.json").read_text())
    gate = PolicyGate(Policy.from_files([ROOT / "mail_payments.policy"], schemas))
    for line in (ROOT / "examples" / "mail_payments.cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        call = ToolCall(step_id="1", target=case["call"], kind=TargetKind.TOOL, args=case["args"])
        session = case.get("session", "test")
        decision = gate.check(call, session=session)
        assert decision.effect == case["expect"], (case, decision)
        if decision.effect == "ask" and "approve" in case:
            gate.resolve_ask(call, case["approve"], session=session)
