"""``serve api`` runs several worker processes: each counts into one folder (``prometheus_client``'s
multiprocess mode) and a scrape of any of them sums them all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from agentroute.observability import metrics_text, multiprocess_dir
from agentroute.observability._metrics import MULTIPROC_ENV
from tests.observability.turn_process import write_config

HERE = Path(__file__).resolve().parent


def test_two_processes_counters_sum_in_one_scrape(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(MULTIPROC_ENV, "")  # restored after the test
    folder = multiprocess_dir(tmp_path / "metrics")
    assert os.environ[MULTIPROC_ENV] == str(folder)  # what the workers inherit
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["AGENTROUTE_LOG"] = "error"
    workers = []
    for n in (1, 2):
        home = tmp_path / f"worker{n}"
        home.mkdir()
        command = [
            sys.executable,
            str(HERE / "turn_process.py"),
            str(write_config(home)),
            str(home / "report.json"),
        ]
        workers.append(subprocess.Popen(command, env=env))
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    assert len(list(folder.glob("counter_*.db"))) == 2  # one file per process

    values = {  # read as a worker's /metrics reads them (this process counts nothing itself)
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(metrics_text().decode())
        for s in family.samples
    }
    assert values[("agentroute_turns_total", (("outcome", "ok"),))] == 2
    echo = (("kind", "tool"), ("target", "misbehaving.echo"))
    assert values[("agentroute_routes_total", echo)] == 2
    assert values[("agentroute_turn_latency_seconds_count", ())] == 2


def test_a_given_folder_is_emptied_and_an_operators_folder_kept(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "mine" / "counter_1.db"
    stale.parent.mkdir()
    stale.write_bytes(b"from an earlier run")
    monkeypatch.setenv(MULTIPROC_ENV, "")
    assert multiprocess_dir(stale.parent) == stale.parent and not stale.exists()
    operators = tmp_path / "operators"
    monkeypatch.setenv(MULTIPROC_ENV, str(operators))
    assert multiprocess_dir(tmp_path / "ignored") == operators and operators.is_dir()
    assert not (tmp_path / "ignored").exists()


def test_without_a_folder_a_temporary_one_is_made(monkeypatch) -> None:
    monkeypatch.setenv(MULTIPROC_ENV, "")
    folder = multiprocess_dir()
    assert folder.is_dir() and folder.name.startswith("agentroute-metrics-")
    assert os.environ[MULTIPROC_ENV] == str(folder)
