"""A wrong agentroute.toml says which file, line and field; nothing crashes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentroute import ConfigError, load_config

GOOD = """\
[agent]
name = "helper"
max_rounds = 2

[planner]
kind = "semantic"
threshold = 0.35

[budget]
per_turn_usd = 0.05

[experts.cheap]
model = "ollama:llama3.2"
price_in_per_m = 0.1
price_out_per_m = 0.2
description = "a small local model"

[mcp.time]
command = "python"
args = ["-m", "mcp_server_time"]
env_allow = ["PATH"]

[mcp.remote]
url = "http://127.0.0.1:9000/mcp"
headers = { Authorization = "Bearer x" }

[knowledge.docs]
kind = "chroma"
path = "kb"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agentroute.toml"
    path.write_text(text)
    return path


def test_good_file_loads_with_paths_resolved(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.agent.name == "helper" and config.budget.per_turn_usd == 0.05
    assert config.knowledge["docs"].path == tmp_path / "kb"
    assert config.agent.data_dir == tmp_path / ".agentroute"


@pytest.mark.parametrize(
    ("edit", "line", "field", "message"),
    [
        (
            ("price_in_per_m = 0.1", 'price_in_per_m = "cheap"'),
            14,
            "experts.cheap.price_in_per_m",
            "valid number",
        ),
        (("max_rounds = 2", "max_rounds = 99"), 3, "agent.max_rounds", "less than or equal"),
        (
            ("threshold = 0.35", "treshold = 0.35"),
            7,
            "planner.treshold",
            "unknown setting; did you mean 'threshold'?",
        ),
        (
            ('args = ["-m", "mcp_server_time"]', 'url = "ftp://x"'),
            20,
            "mcp.time.url",
            "must start with http",
        ),
        (
            ('command = "python"', 'commands = "python"'),
            19,
            "mcp.time.commands",
            "unknown setting; did you mean 'command'?",
        ),
        (('kind = "chroma"', 'kind = "faiss"'), 28, "knowledge.docs.kind", "chroma"),
    ],
)
def test_field_errors_are_located(tmp_path: Path, edit, line, field, message) -> None:
    path = write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    assert err.path == str(path)
    assert err.field is not None and err.field.startswith(field)
    assert err.line == line, str(err)
    assert message in str(err)


def test_toml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("[budget]", "[budget"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 9 and "invalid TOML" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_cli_reports_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("max_rounds = 2", 'max_rounds = "two"'))
    proc = subprocess.run(
        [sys.executable, "-m", "agentroute", "run", "hi", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert f"{path}:3 [agent.max_rounds]" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[agnet]\nname = 'x'\n", ":1 [agnet]: unknown table; did you mean 'agent'?"),
        ("[zzz]\na = 1\n", ":1 [zzz]: unknown table; known: agent, planner, budget, experts,"),
        (
            "[knowledge.docs]\ndocuments = ['a.md']\ndescriptin = 'x'\n",
            ":3 [knowledge.docs.descriptin]: unknown setting; did you mean 'description'?",
        ),
        ("[agent]\nqqqq = 1\n", ":2 [agent.qqqq]: unknown setting; known: name, data_dir,"),
    ],
)
def test_cli_names_the_setting_a_misspelt_key_meant(tmp_path: Path, text: str, said: str) -> None:
    """Pydantic's "Extra inputs are not permitted" left the user to guess the spelling."""
    path = write(tmp_path, text)
    proc = subprocess.run(
        [sys.executable, "-m", "agentroute", "targets", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and not proc.stdout
    assert f"error: {path}{said}" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("section", "line", "field"),
    [
        ('[policy]\nfiles = ["ok.policy",\n  "gone.policy"]\n', 2, "policy.files.1"),
        ('[experts.old]\nreplay = "gone.csv"\n', 2, "experts.old.replay"),
    ],
)
def test_a_named_file_the_disk_lacks_is_located(tmp_path: Path, section, line, field) -> None:
    """Later it was a bare FileNotFoundError naming neither the file's line nor the setting."""
    (tmp_path / "ok.policy").write_text("allow calc.calculate\n")
    path = write(tmp_path, section)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert (info.value.line, info.value.field) == (line, field), str(info.value)
    assert f"no such file: {tmp_path / 'gone'}" in str(info.value)
