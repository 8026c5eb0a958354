"""Where spans go: nowhere unless configured (no SDK, no exporter, no connection), and to a real
OTLP/gRPC collector when ``[observability] otlp_endpoint`` or ``OTEL_EXPORTER_OTLP_ENDPOINT``
names one. Each turn runs in a process of its own (a tracer provider is set once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import grpc
import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

from agentroute.config import ConfigError, load_config
from agentroute.observability import configure_tracing
from tests.observability.turn_process import write_config

HERE = Path(__file__).resolve().parent


class Collector(trace_service_pb2_grpc.TraceServiceServicer):
    """An OTLP/gRPC trace receiver on loopback, keeping what it is sent."""

    def __init__(self) -> None:
        self.requests: list[trace_service_pb2.ExportTraceServiceRequest] = []
        self.lock = threading.Lock()

    def Export(self, request, context):  # the generated service names it so
        with self.lock:
            self.requests.append(request)
        return trace_service_pb2.ExportTraceServiceResponse()

    def spans(self) -> list[tuple[str, str, dict[str, object]]]:
        """(service name, span name, attributes) of every span received."""
        found = []
        for request in self.requests:
            for resource_spans in request.resource_spans:
                service = next(
                    a.value.string_value
                    for a in resource_spans.resource.attributes
                    if a.key == "service.name"
                )
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        attributes = {a.key: _value(a.value) for a in span.attributes}
                        found.append((service, span.name, attributes))
        return found


def _value(value) -> object:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


@pytest.fixture
def collector() -> Iterator[tuple[Collector, int]]:
    receiver = Collector()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(receiver, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield receiver, port
    finally:
        server.stop(grace=None)


def _turn(tmp_path: Path, config: Path, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, str(HERE / "turn_process.py"), str(config), str(report)],
        env={**clean, **env, "AGENTROUTE_LOG": "error"},
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text())


def test_nothing_configured_creates_no_exporter_and_connects_nowhere(tmp_path: Path) -> None:
    report = _turn(tmp_path, write_config(tmp_path))
    assert report["connected"] == []  # Python's sockets (gRPC's own are in C: hence the rest)
    assert report["provider"] == "ProxyTracerProvider"  # the API's no-op tracer
    # (langsmith, under langgraph, imports the SDK's modules itself; no exporter is made)
    assert not [m for m in report["otel_modules"] if m.startswith("opentelemetry.exporter")]
    assert report["prometheus_client"] is False  # counting is off: not even imported


def test_a_malformed_variable_is_named(monkeypatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    with pytest.raises(ValueError, match="OTEL_EXPORTER_OTLP_ENDPOINT = 'collector:4317'"):
        configure_tracing()


def test_sdk_disabled_turns_the_variable_off(monkeypatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert configure_tracing() is False


def test_a_configured_endpoint_receives_the_turns_spans(tmp_path: Path, collector) -> None:
    receiver, port = collector
    section = f'[observability]\notlp_endpoint = "http://127.0.0.1:{port}"\nservice_name = "ops"'
    report = _turn(tmp_path, write_config(tmp_path, section))
    assert report["provider"] == "TracerProvider"
    spans = receiver.spans()  # the batch is flushed when the process exits
    names = {name for _, name, _ in spans}
    assert {"agentroute.turn", "agentroute.gate", "agentroute.call misbehaving.echo"} <= names
    assert {service for service, _, _ in spans} == {"ops"}
    call = next(a for _, name, a in spans if name == "agentroute.call misbehaving.echo")
    assert call["agentroute.ok"] is True and call["agentroute.target.kind"] == "tool"


def test_the_standard_variable_configures_export_too(tmp_path: Path, collector) -> None:
    receiver, port = collector
    endpoint = f"http://127.0.0.1:{port}"
    _turn(tmp_path, write_config(tmp_path), OTEL_EXPORTER_OTLP_ENDPOINT=endpoint)
    assert "agentroute.turn" in {name for _, name, _ in receiver.spans()}


def test_an_endpoint_without_a_scheme_is_refused_at_load(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[observability]\notlp_endpoint = "collector:4317"')
    with pytest.raises(ConfigError, match=r"otlp_endpoint.*http://"):
        load_config(config)
