"""Importing Progent's JSON policies (with the differences reported) and exporting back."""

from __future__ import annotations

import json
from typing import Any

from agentroute.policy import Policy, export_progent, import_progent

SCHEMAS: dict[str, dict[str, Any]] = {
    "send_money": {
        "type": "object",
        "properties": {
            "recipient": {"type": "string"},
            "amount": {"type": "number"},
            "subject": {"type": "string"},
        },
        "required": ["recipient", "amount"],
    },
    "send_email": {
        "type": "object",
        "properties": {
            "recipients": {"type": "array", "items": {"type": "string"}},
            "body": {"type": "string"},
        },
        "required": ["recipients", "body"],
    },
    "read_file": {
        "type": "object",
        "properties": {"path": {"type": "string"}},
        "required": ["path"],
    },
}

PROGENT = {
    "send_money": [
        [
            1,
            0,
            {
                "recipient": {"type": "string", "enum": ["DE1", "DE2"]},
                "amount": {"type": "number", "maximum": 100},
            },
            0,
        ],
        [2, 1, {}, 1],
    ],
    "send_email": [
        [1, 0, {"recipents": {"type": "array", "items": {"pattern": ".*@example.com"}}}, 0],
        [
            1,
            0,
            {
                "recipients": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[a-z]+@example\\.com$"},
                }
            },
            0,
        ],
    ],
    "read_file": [[1, 0, {"path": "/data/"}, 0], [1, 1, {"path": "/data/secret"}, 0]],
}


def _decide(policy: Policy, tool: str, **args: Any) -> str:
    return policy.decide(tool, args).effect


def test_import_keeps_meaning_and_reports_what_progent_did_differently() -> None:
    report = import_progent(json.dumps(PROGENT), SCHEMAS)
    joined = "\n".join(report.differences)
    assert "'recipents', which the tool does not have" in joined and "rule dropped" in joined
    assert "prefix match" in joined  # "/data/" was a re.match prefix in Progent
    assert "last rule read" in joined  # the forbid's terminate fallback applied to unmatched calls
    policy = Policy.from_text(report.text, SCHEMAS, file="imported.policy")
    assert _decide(policy, "send_money", recipient="DE1", amount=50) == "allow"
    assert _decide(policy, "send_money", recipient="DE1", amount=500) == "stop"
    assert _decide(policy, "send_money", recipient="EVIL", amount=5) == "stop"
    # Progent allowed every mail through the misspelled condition; here only the second rule allows
    assert _decide(policy, "send_email", recipients=["evil@attacker.io"], body="x") == "deny"
    assert _decide(policy, "send_email", recipients=["bob@example.com"], body="x") == "allow"
    # a prefix regex for an allow becomes whole-value (stricter); a forbid keeps the prefix
    assert _decide(policy, "read_file", path="/data/") == "allow"
    assert _decide(policy, "read_file", path="/data/../etc/passwd") == "deny"
    assert _decide(policy, "read_file", path="/data/secret") == "deny"


def test_import_of_generated_list_form_and_optional_arguments() -> None:
    report = import_progent(
        [{"name": "send_money", "args": {"subject": {"minLength": 1}}}], SCHEMAS
    )
    assert any("omits it" in d for d in report.differences)
    policy = Policy.from_text(report.text, SCHEMAS)
    assert _decide(policy, "send_money", recipient="x", amount=1) == "allow"
    assert _decide(policy, "send_money", recipient="x", amount=1, subject="") == "deny"


def test_unsupported_keywords_fail_closed_for_allow_rules() -> None:
    report = import_progent({"read_file": [[1, 0, {"path": {"format": "uri"}}, 0]]}, SCHEMAS)
    assert any("not supported; rule dropped" in d for d in report.differences)
    assert _decide(Policy.from_text(report.text, SCHEMAS), "read_file", path="x") == "deny"


def test_export_round_trips_through_import() -> None:
    text = (
        'allow send_money when recipient in ["DE1"] and amount <= 100\n'
        'deny read_file when path startswith "/secret" fallback stop\n'
        'allow send_email when any(r in recipients: r == "a")\n'
    )
    policy = Policy.from_text(text, SCHEMAS)
    data, notes = export_progent(policy)
    assert data["send_money"] == [
        [1000, 0, {"recipient": {"enum": ["DE1"]}, "amount": {"maximum": 100}}, 0]
    ]
    assert data["read_file"][0][1:] == [1, {"path": {"type": "string", "pattern": "^/secret"}}, 1]
    assert "send_email" not in data and any("not expressible" in n for n in notes)
    back = Policy.from_text(import_progent(data, SCHEMAS).text, SCHEMAS)
    assert _decide(back, "send_money", recipient="DE1", amount=100) == "allow"
    assert _decide(back, "send_money", recipient="DE1", amount=101) == "deny"
