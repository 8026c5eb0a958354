"""Prometheus counters for operators: turns and their latency, routes, policy decisions, cost
and errors, read by a scrape of ``/metrics`` (nothing is pushed anywhere).

Counting is off until a process asks for it (``enable_metrics``, which ``metrics_app`` and
``metrics_route`` call) or ``PROMETHEUS_MULTIPROC_DIR`` is set; until then ``prometheus_client``
is not even imported, so a one-shot ``agentroute run`` pays nothing. Several worker processes
(``serve api`` under uvicorn) count into one folder, ``prometheus_client``'s multiprocess
mode: ``multiprocess_dir`` makes it before the workers start, and a scrape of any worker sums
them all.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CONTENT_TYPE",
    "MULTIPROC_ENV",
    "Metrics",
    "enable_metrics",
    "metrics",
    "metrics_enabled",
    "metrics_text",
    "multiprocess_dir",
]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The text exposition format's media type (``prometheus_client.CONTENT_TYPE_LATEST``)."""

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
"""Seconds: a tool-only turn takes milliseconds, an LLM's turn seconds to a minute."""


@dataclass(frozen=True)
class Metrics:
    """The process's instruments (``prometheus_client`` objects); ``registry`` exposes them
    when one process counts alone."""

    registry: Any
    turns: Any
    turn_latency: Any
    routes: Any
    policy_decisions: Any
    cost_usd: Any
    tokens: Any
    errors: Any


_enabled = False
_metrics: Metrics | None = None


def metrics_enabled() -> bool:
    return _enabled or bool(os.environ.get(MULTIPROC_ENV))


def enable_metrics(on: bool = True) -> Metrics:
    """Count from now on in this process (``on=False``: stop, unless multiprocess mode is set);
    the instruments (made once)."""
    global _enabled
    _enabled = on
    return metrics()


def metrics() -> Metrics:
    """The instruments, made on first use (in multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR``
    is set at that moment)."""
    global _metrics
    if _metrics is None:
        _metrics = _build()
    return _metrics


def _build() -> Metrics:
    from prometheus_client import CollectorRegistry, Counter, Histogram, values

    multiprocess = bool(os.environ.get(MULTIPROC_ENV))
    if multiprocess and values.ValueClass.__name__ != "MmapedValue":
        # prometheus_client chose its value class when first imported; choose again now
        values.ValueClass = values.get_value_class()
    registry = CollectorRegistry(auto_describe=True)
    target = ["kind", "target"]
    return Metrics(
        registry=registry,
        turns=Counter(
            "agentroute_turns",
            "Turns by outcome: ok, failed (a step failed or a part had no target), "
            "pending (waiting for a human's approval), error (the turn raised).",
            ["outcome"],
            registry=registry,
        ),
        turn_latency=Histogram(
            "agentroute_turn_latency_seconds",
            "A turn's wall-clock time, request to answer.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        routes=Counter(
            "agentroute_routes",
            "Steps routed to a target, by its kind (expert, tool, knowledge) and name.",
            target,
            registry=registry,
        ),
        policy_decisions=Counter(
            "agentroute_policy_decisions",
            "The policy's decisions on calls, by effect and the rule that decided "
            "(file:line, or 'default').",
            ["effect", "rule"],
            registry=registry,
        ),
        cost_usd=Counter(
            "agentroute_cost_usd",
            "Dollars spent on calls, by target kind and name.",
            target,
            registry=registry,
        ),
        tokens=Counter(
            "agentroute_tokens",
            "Model tokens by target kind, name and direction (in, out).",
            [*target, "direction"],
            registry=registry,
        ),
        errors=Counter(
            "agentroute_errors",
            "Failed steps and turns by kind: timeout, target (the call failed), arguments, "
            "no_route, blocked (an input failed), turn (the turn raised).",
            ["kind", "target"],
            registry=registry,
        ),
    )


def metrics_text() -> bytes:
    """The text exposition (``CONTENT_TYPE``): every process's counts summed in multiprocess
    mode, else this process's."""
    from prometheus_client import CollectorRegistry, generate_latest

    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=folder)
        return bytes(generate_latest(registry))
    return bytes(generate_latest(metrics().registry))


def multiprocess_dir(path: str | Path | None = None) -> Path:
    """Set up multiprocess counting before worker processes start; returns the folder.

    ``PROMETHEUS_MULTIPROC_DIR`` set by the operator is kept as it is (and made if missing).
    Else ``path``, or a new temporary folder removed when this process exits, is emptied of
    an earlier run's files and set for this process and the workers it starts. A temporary
    folder is the default because counters start at zero with each server, as Prometheus
    expects, and two servers sharing a data directory must not sum into each other."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    if path is None:
        folder = Path(tempfile.mkdtemp(prefix="agentroute-metrics-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    else:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder
