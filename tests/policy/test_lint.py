"""``policy lint``: what is valid but almost surely not meant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from agentroute.cli import app
from agentroute.policy import Policy
from agentroute.policy._lint import lint_policy

SCHEMAS: dict[str, dict[str, Any]] = {
    "fs.read": {"type": "object", "properties": {"path": {"type": "string"}}},
    "fs.write": {"type": "object", "properties": {"path": {"type": "string"}}},
    "fs.delete": {"type": "object", "properties": {"path": {"type": "string"}}},
}


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.kind) for f in lint_policy(Policy.from_text(text, SCHEMAS, file="p"))]


def test_a_rule_after_an_unconditional_one_is_unreachable() -> None:
    text = 'deny fs.write\nallow fs.write when path startswith "/tmp/"\n'
    assert kinds(text) == [("p:2", "unreachable")]


def test_an_exception_carved_out_of_a_glob_is_not_reported() -> None:
    text = "deny fs.delete\nallow fs.*\n"  # the allow still decides fs.read and fs.write
    assert kinds(text) == []


def test_a_rule_written_twice_is_a_duplicate() -> None:
    text = 'allow fs.read when path startswith "/a"\nallow fs.read when path startswith "/a"\n'
    assert ("p:2", "duplicate") in kinds(text)


def test_an_implicit_tie_between_overlapping_rules_is_reported_and_priorities_silence_it() -> None:
    tie = 'allow fs.write when path startswith "/tmp/"\nask fs.write when path endswith ".sh"\n'
    assert kinds(tie) == [("p:1", "tie")]  # ask is tried first only by the tie rule
    explicit = (
        'allow fs.write when path startswith "/tmp/" priority 5\n'
        'ask fs.write when path endswith ".sh"\n'
    )
    assert kinds(explicit) == []


def test_rules_on_disjoint_values_of_one_argument_never_tie() -> None:
    text = 'allow fs.read when path in ["/a", "/b"]\ndeny fs.read when path == "/c"\n'
    assert kinds(text) == []


def test_the_command_prints_findings_and_exits_1(tmp_path: Path) -> None:
    schemas = tmp_path / "s.json"
    schemas.write_text(
        '{"fs.write": {"type": "object", "properties": {"path": {"type": "string"}}}}'
    )
    bad = tmp_path / "bad.policy"
    bad.write_text('deny fs.write\nallow fs.write when path startswith "/tmp/"\n')
    result = CliRunner().invoke(app, ["policy", "lint", str(bad), "--schemas", str(schemas)])
    assert result.exit_code == 1
    assert f"{bad}:2: unreachable: never tried: {bad}:1" in result.output
    good = tmp_path / "good.policy"
    good.write_text('allow fs.write when path startswith "/tmp/"\n')
    result = CliRunner().invoke(app, ["policy", "lint", str(good), "--schemas", str(schemas)])
    assert result.exit_code == 0 and "nothing to report" in result.output
