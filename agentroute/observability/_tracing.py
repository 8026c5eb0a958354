"""OpenTelemetry spans for a turn, its nodes and its calls.

The library speaks only ``opentelemetry-api``: with no provider configured its tracer is the
API's no-op one (a span costs a context switch, no allocation of a record, nothing exported).
An operator turns export on with ``[observability] otlp_endpoint`` or the standard
``OTEL_EXPORTER_OTLP_ENDPOINT``; only then are the SDK and the OTLP exporter imported. A host
program that set its own global provider gets agentroute's spans in it, untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode, Tracer, TracerProvider

from agentroute._log import get_logger

__all__ = [
    "TRACER_NAME",
    "configure_tracing",
    "otlp_endpoint_from_env",
    "span",
    "tracer",
    "use_tracer_provider",
]

log = get_logger(__name__)

TRACER_NAME = "agentroute"

_provider: TracerProvider | None = None
"""A provider given with ``use_tracer_provider`` (tests, embedding programs); else the global."""
_tracer: Tracer | None = None
_configured: str | None = None
"""The endpoint ``configure_tracing`` exports to in this process (it configures once)."""


def use_tracer_provider(provider: TracerProvider | None) -> None:
    """Send agentroute's spans to ``provider`` instead of the global one (``None``: back to it).
    For a test's in-memory exporter, or a program keeping agentroute's spans apart."""
    global _provider, _tracer
    _provider, _tracer = provider, None


def tracer() -> Tracer:
    """agentroute's tracer: the API's proxy (no-op until a global provider is set) or the
    provider given to ``use_tracer_provider``."""
    global _tracer
    if _tracer is None:
        provider = _provider if _provider is not None else trace.get_tracer_provider()
        _tracer = provider.get_tracer(TRACER_NAME)
    return _tracer


_ERRORS_NOT_FAILURES = ("GraphInterrupt", "GraphBubbleUp", "ParentCommand")
"""LangGraph's control flow raised through a node (an approval pending): not a failure."""


@contextmanager
def span(name: str, attributes: dict[str, Any] | None = None) -> Iterator[Span]:
    """A span made current for the block; an exception marks it failed (``error.type``), a
    LangGraph interrupt marks it ``agentroute.interrupted`` and is no error. With no provider
    anywhere, the API's non-recording span, without making it current (nothing would read it:
    about half the no-op tracer's CPU: benchmarks/bench_tracing.py)."""
    if _provider is None and isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        yield trace.INVALID_SPAN
        return
    with tracer().start_as_current_span(
        name, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as current:
        try:
            yield current
        except BaseException as exc:
            if type(exc).__name__ in _ERRORS_NOT_FAILURES:
                current.set_attribute("agentroute.interrupted", True)
            elif current.is_recording():
                current.record_exception(exc)
                current.set_attribute("error.type", type(exc).__qualname__)
                current.set_status(Status(StatusCode.ERROR, str(exc)[:200]))
            raise


def otlp_endpoint_from_env() -> tuple[str, str] | None:
    """The standard variables' endpoint for traces and the variable that gave it
    (``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, else ``OTEL_EXPORTER_OTLP_ENDPOINT``); ``None``
    when unset or ``OTEL_SDK_DISABLED=true``."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    for name in ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        value = os.environ.get(name, "").strip()
        if value:
            return value, name
    return None


def configure_tracing(endpoint: str | None = None, *, service_name: str = "agentroute") -> bool:
    """Export spans over OTLP/gRPC to ``endpoint`` (else the standard environment variables),
    through a batching SDK provider made global. Returns whether spans are exported.

    Nothing is created, imported or sent when no endpoint is given or set: telemetry leaves
    the machine only where an operator said so. A global provider the program already set is
    kept (agentroute's spans go there). Headers, such as a collector's token, come from the
    standard ``OTEL_EXPORTER_OTLP_HEADERS``, never from a file. Once per process."""
    global _configured
    source = "otlp_endpoint"
    if not endpoint:
        found = otlp_endpoint_from_env()
        if found is None:
            return False
        endpoint, source = found
    if _configured is not None:
        if endpoint != _configured:
            log.warning("tracing.already_configured", endpoint=_configured, ignored=endpoint)
        return True
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"{source} = {endpoint!r}: expected http://host:port or https://...")
    current = trace.get_tracer_provider()
    if not isinstance(current, trace.ProxyTracerProvider):
        log.info("tracing.provider_kept", provider=type(current).__name__)
        return True
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = SdkTracerProvider(resource=Resource.create({"service.name": name}))
    exporter = OTLPSpanExporter(endpoint=endpoint, insecure=endpoint.startswith("http://"))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _configured = endpoint
    log.info("tracing.configured", endpoint=endpoint, service=name)
    return True
