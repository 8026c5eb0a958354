"""The ``policy`` sub-app, run through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from agentroute.policy._cli import make_policy_app, parse_call, policy_app

ROOT = Path(__file__).resolve().parents[2] / "policies"
MAIL = ROOT / "mail_payments.policy"
MAIL_SCHEMAS = ROOT / "examples" / "mail_payments.schemas.json"
runner = CliRunner()


def test_parse_call() -> None:
    assert parse_call('fs.read {"path": "/x"}') == ("fs.read", {"path": "/x"})
    assert parse_call("fs.list") == ("fs.list", {})


def test_check_ok_and_errors_with_locations(tmp_path: Path) -> None:
    ok = runner.invoke(policy_app, ["check", str(MAIL), "--schemas", str(MAIL_SCHEMAS)])
    assert ok.exit_code == 0 and "ok:" in ok.output
    bad = tmp_path / "bad.policy"
    bad.write_text('allow bank.send_money when recipent == "x"\n')
    res = runner.invoke(policy_app, ["check", str(bad), "--schemas", str(MAIL_SCHEMAS)])
    assert res.exit_code == 1 and f"{bad}:1:28: the tool has no argument 'recipent'" in res.output
    bad.write_text("allow bank.send_money when\n")
    res = runner.invoke(policy_app, ["check", str(bad)])
    assert res.exit_code == 1 and f"{bad}:1:" in res.output


def test_check_uses_live_schemas_from_the_callback(tmp_path: Path) -> None:
    app = make_policy_app(
        lambda config: {"live.tool": {"type": "object", "properties": {"q": {"type": "string"}}}}
    )
    f = tmp_path / "p.policy"
    f.write_text("allow live.tool when q == 1\n")
    res = runner.invoke(app, ["check", str(f)])
    assert res.exit_code == 1 and "compares string with number" in res.output


def test_explain_names_the_deciding_rule() -> None:
    call = 'bank.send_money {"recipient": "X", "amount": 20000, "subject": "s", "date": "d"}'
    res = runner.invoke(
        policy_app, ["explain", str(MAIL), "--schemas", str(MAIL_SCHEMAS), "--call", call]
    )
    assert res.exit_code == 0, res.output
    assert (
        "STOP" in res.output
        and "mail_payments.policy:32" in res.output
        and "hard cap" in res.output
    )


def test_test_command_passes_the_example_cases_and_fails_on_mismatch(tmp_path: Path) -> None:
    cases = ROOT / "examples" / "mail_payments.cases.jsonl"
    res = runner.invoke(policy_app, ["test", str(MAIL), str(cases), "--schemas", str(MAIL_SCHEMAS)])
    assert res.exit_code == 0, res.output
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(
        json.dumps({"call": "mail.delete_email", "args": {"email_id": "1"}, "expect": "allow"})
        + "\n"
    )
    res = runner.invoke(policy_app, ["test", str(MAIL), str(wrong), "--schemas", str(MAIL_SCHEMAS)])
    assert res.exit_code == 1 and "MISMATCH" in res.output


def test_fmt_rewrites_and_check_reports(tmp_path: Path) -> None:
    f = tmp_path / "p.policy"
    f.write_text("allow   a.b   when x==1   priority 2\n")
    assert runner.invoke(policy_app, ["fmt", "--check", str(f)]).exit_code == 1
    assert runner.invoke(policy_app, ["fmt", str(f)]).exit_code == 0
    assert f.read_text() == "allow a.b\n  when x == 1\n  priority 2\n"
    assert runner.invoke(policy_app, ["fmt", "--check", str(f)]).exit_code == 0


def test_progent_import_and_export_commands(tmp_path: Path) -> None:
    src = tmp_path / "p.json"
    src.write_text(json.dumps({"get_balance": [[1, 0, {}, 0]]}))
    res = runner.invoke(policy_app, ["import-progent", str(src), "--server", "bank"])
    assert res.exit_code == 0 and "allow bank.get_balance" in res.output
    pol = tmp_path / "p.policy"
    pol.write_text("allow bank.get_balance\n")
    res = runner.invoke(policy_app, ["export-progent", str(pol)])
    assert res.exit_code == 0 and '"bank.get_balance"' in res.output
