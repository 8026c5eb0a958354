import sys

import pytest
from pydantic import ValidationError

from agentroute.mcp import DEFAULT_ENV_ALLOW, McpServerSpec
from agentroute.mcp._stdio import build_env
from agentroute.mcp._target import description_examples, query_argument


def test_stdio_spec_defaults():
    spec = McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])
    assert spec.transport == "stdio"
    assert spec.env_allow == list(DEFAULT_ENV_ALLOW)
    assert spec.enabled


def test_http_spec():
    spec = McpServerSpec(
        name="remote", url="http://127.0.0.1:9/mcp", headers={"Authorization": "Bearer x"}
    )
    assert spec.transport == "http"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "calc"}, "exactly one of 'command'"),
        ({"name": "calc", "command": "x", "url": "http://h/mcp"}, "exactly one of 'command'"),
        ({"name": "my.calc", "command": "x"}, "'<server>.<tool>'"),
        ({"name": "calc", "url": "ftp://h"}, "must start with http"),
        ({"name": "calc", "url": "http://h/mcp", "args": ["a"]}, "apply to a server process"),
        ({"name": "calc", "command": "x", "headers": {"a": "b"}}, "apply to a 'url'"),
        ({"name": "calc", "command": "x", "env_allow": ["BAD-NAME"]}, "BAD-NAME"),
        ({"name": "calc", "command": "x", "call_timeout_s": 0}, "call_timeout_s"),
        ({"name": "calc", "command": "x", "comand": "typo"}, "comand"),
    ],
)
def test_spec_errors_say_what_is_wrong(fields, message):
    with pytest.raises(ValidationError) as info:
        McpServerSpec(**fields)
    assert message in str(info.value)


def test_env_is_only_the_allow_list_plus_explicit_values():
    spec = McpServerSpec(name="s", command="x", env_allow=["PATH", "LANG"], env={"MODE": "test"})
    parent = {"PATH": "/bin", "LANG": "C", "OPENAI_API_KEY": "sk-secret", "HOME": "/root"}
    assert build_env(spec, parent) == {"PATH": "/bin", "LANG": "C", "MODE": "test"}


def test_env_skips_exported_shell_functions():
    spec = McpServerSpec(name="s", command="x", env_allow=["PATH"])
    assert build_env(spec, {"PATH": "() { evil; }"}) == {}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"properties": {"query": {"type": "string"}}, "required": ["query"]}, "query"),
        (
            {"properties": {"q": {"type": "string"}, "n": {"type": "integer"}}, "required": ["q"]},
            "q",
        ),
        ({"properties": {"text": {"type": "string"}}}, "text"),
        (
            {
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "required": ["a", "b"],
            },
            None,
        ),
        ({"properties": {"a": {"type": "integer"}}, "required": ["a"]}, None),
        (
            {
                "properties": {"s": {"type": "string"}, "n": {"type": "integer"}},
                "required": ["s", "n"],
            },
            None,
        ),
        (None, None),
    ],
)
def test_query_argument(schema, expected):
    assert query_argument(schema) == expected


def test_description_examples():
    text = "Converts units.\n\nExamples:\n- 5 miles in km\n- 100 F to C\n\nMore text."
    assert description_examples(text) == ["5 miles in km", "100 F to C"]
    assert description_examples("No examples here.") == []
