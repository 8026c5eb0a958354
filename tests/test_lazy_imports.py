"""``import agentroute`` pays for nothing it does not use (issue 14): the heavy stack is imported
when a name that needs it is first used, and every public name still resolves."""

from __future__ import annotations

import json
import subprocess
import sys

import agentroute

HEAVY = [
    "langchain_core.language_models.chat_models",
    "chromadb",
    "onnxruntime",
    "onnx",
    "langgraph",
    "mcp",
    "psycopg",
]


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_package_loads_none_of_the_stack() -> None:
    loaded = _loaded_after("import agentroute")
    assert [m for m in HEAVY if m in loaded] == []


def test_a_name_loads_its_stack_when_first_used() -> None:
    loaded = _loaded_after("import agentroute\nagentroute.Agent")
    assert "langgraph" in loaded  # the turn graph comes with the agent
    assert "langchain_core.language_models.chat_models" not in loaded  # no chat model given


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in agentroute.__all__:
        assert getattr(agentroute, name) is not None, name
    assert set(agentroute.__all__) <= set(dir(agentroute))


def test_subpackages_resolve_their_names() -> None:
    import agentroute.embeddings
    import agentroute.knowledge
    import agentroute.mcp
    import agentroute.memory
    import agentroute.planning
    import agentroute.policy
    import agentroute.routing
    import agentroute.text

    for package in (
        agentroute.embeddings,
        agentroute.knowledge,
        agentroute.mcp,
        agentroute.memory,
        agentroute.planning,
        agentroute.policy,
        agentroute.routing,
        agentroute.text,
    ):
        for name in package.__all__:
            assert getattr(package, name) is not None, f"{package.__name__}.{name}"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        agentroute.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("agentroute.NoSuchName resolved")
