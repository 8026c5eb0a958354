"""Every command's help reads as prose: its summary one line of text (no line break kept from
a docstring's wrapping), no reStructuredText markup, and every argument and option explained
where a newcomer would otherwise guess (``--json``, ``--config``, a served NAME)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from agentroute.cli import app


def _commands() -> Iterator[tuple[str, Any]]:
    """Every command and group, loaded as running it would (typer vendors its own click)."""
    stack: list[tuple[str, Any]] = [("agentroute", typer.main.get_command(app))]
    while stack:
        name, cmd = stack.pop()
        yield name, cmd
        if hasattr(cmd, "list_commands"):
            ctx = typer.Context(cmd)
            stack += [(f"{name} {n}", cmd.get_command(ctx, n)) for n in cmd.list_commands(ctx)]


def test_summaries_are_one_line_without_markup() -> None:
    assert sum(1 for _ in _commands()) > 30  # every group was walked
    bad = []
    for name, cmd in _commands():
        summary = (cmd.help or "").strip().split("\n\n")[0]  # what a group's listing shows
        if "\n" in summary or "``" in (cmd.help or "") or not summary:
            bad.append((name, summary))
    assert bad == []


def test_json_config_and_served_names_are_explained() -> None:
    unexplained = [
        (name, p.name)
        for name, cmd in _commands()
        for p in cmd.params
        if p.name in {"as_json", "config", "name"} and not getattr(p, "help", None)
    ]
    assert unexplained == []


def test_version_is_printed() -> None:
    """``agentroute --version``, which a newcomer tries first, says the installed version."""
    from importlib.metadata import version

    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"agentroute {version('agentroute')}\n"


def test_every_argument_and_option_says_what_it_is() -> None:
    """``memory search TEXT``, ``memory export FILE``, ``policy test FILE CASES`` ... were
    listed bare: a newcomer had to guess what to give."""
    bare = [
        (name, p.name) for name, cmd in _commands() for p in cmd.params if not getattr(p, "help", "")
    ]
    assert bare == []


def test_a_setting_named_in_a_help_text_is_shown() -> None:
    """The help is rich markup: '[memory] enabled' was shown as ' enabled', the table eaten."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "200"}
    out = subprocess.run(
        [sys.executable, "-m", "agentroute", "serve", "api", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0 and "(default: as [memory] enabled says)" in out.stdout, out.stdout
