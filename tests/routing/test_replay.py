from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

from langchain_core.messages import HumanMessage
from typer.testing import CliRunner

from agentroute.cli._route import route_app
from agentroute.models import ReplayChatModel

MODEL = "gpt-4-1106-preview"


def _mbpp() -> Path:
    env = os.environ.get("AGENTROUTE_ROUTERBENCH")
    base = (
        Path(env)
        if env
        else Path(__file__).resolve().parents[2] / "data" / "routerbench"
    )
    return base / "mbpp_train.csv"


def _first_row() -> dict[str, str]:
    csv.field_size_limit(sys.maxsize)
    with _mbpp().open(newline="") as fh:
        return next(csv.DictReader(fh))


def test_replay_returns_recorded_response_and_cost() -> None:
    row = _first_row()
    model = ReplayChatModel.from_csv(_mbpp(), model=MODEL)
    reply = model.invoke([HumanMessage(content=row["prompt"])])
    assert reply.response_metadata["replay_match"] == "exact"
    assert reply.response_metadata["cost_usd"] == float(row[f"{MODEL}|total_cost"])
    assert reply.response_metadata["replay_quality"] == float(row[MODEL])
    recorded = row[f"{MODEL}|model_response"]
    assert str(reply.content)[:40] in recorded.replace("\\n", "\n")
    # the stored prompt is a list repr; the plain text matches too
    plain = row["prompt"][2:-2]
    assert model.invoke(plain).response_metadata["replay_match"] == "exact"


def test_replay_unknown_prompt_answers_nearest_with_marker() -> None:
    row = _first_row()
    model = ReplayChatModel.from_csv(_mbpp(), model=MODEL)
    reply = model.invoke(row["prompt"][2:-2] + " Please be brief.")
    assert reply.response_metadata["replay_match"] == "nearest"
    assert str(reply.content).startswith("[replay: nearest recorded prompt")
    assert reply.response_metadata["replay_prompt"] == row["prompt"][:200]


def test_replay_unknown_model_is_a_clear_error() -> None:
    import pytest

    with pytest.raises(ValueError, match="not-a-model"):
        ReplayChatModel.from_csv(_mbpp(), model="not-a-model")


def test_cli_explain_lists_candidates_with_reason(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(
        route_app,
        [
            "explain",
            "Write a python function to reverse a string.",
            "-o",
            str(_mbpp()),
            "--hashing",
            "--per-turn-usd",
            "0.001",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "chosen:" in result.output and "reason:" in result.output
    assert MODEL in result.output  # listed among the candidates
    assert result.output.count("\n") >= 14
    nothing = CliRunner().invoke(
        route_app,
        ["explain", "x", "-o", str(_mbpp()), "--hashing", "--per-turn-usd", "0", "--json"],
    )
    assert nothing.exit_code == 0
    assert '"target": null' in nothing.output and "budget" in nothing.output


def test_cli_explain_routes_among_the_configured_experts(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(tmp_path))
    cheap = "mistralai/mistral-7b-chat"
    (tmp_path / "agentroute.toml").write_text(
        f'[agent]\ndata_dir = "{tmp_path / "data"}"\n\n'
        f'[experts.big]\nreplay = "{_mbpp()}"\nreplay_model = "{MODEL}"\nprice_in_per_m = 10\n\n'
        f'[experts.small]\nreplay = "{_mbpp()}"\nreplay_model = "{cheap}"\nprice_in_per_m = 0.1\n'
    )
    result = CliRunner().invoke(
        route_app,
        [
            "explain",
            "Write a python function to reverse a string.",
            "-c",
            str(tmp_path / "agentroute.toml"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("candidate"))
    rows = [line.split()[0].lstrip("*") for line in lines[header + 1 :] if line.strip()]
    assert sorted(rows) == ["big", "small"], result.output
    assert MODEL not in result.output  # the outcome files' models are not the candidates
