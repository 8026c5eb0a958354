"""The arguments ``TestPlanner`` sends are valid under the tool's input schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from agentroute.testing._schema_data import value_for

SCHEMAS: list[dict[str, Any]] = [
    {},
    {"type": "object", "properties": {}},
    {"type": "string", "format": "date-time"},
    {"type": "string", "minLength": 5, "maxLength": 8},
    {"type": "integer", "minimum": 3, "maximum": 3},
    {"type": "integer", "exclusiveMinimum": 0},
    {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.5},
    {"type": "number", "maximum": -2.5},
    {"type": ["null", "boolean"]},
    {"type": "array", "items": {"type": "integer"}, "minItems": 2},
    {"type": "array", "maxItems": 0},
    {"const": "fixed"},
    {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 2}]},
    {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "boolean"}}},
        ]
    },
    {
        "type": "object",
        "$defs": {
            "Point": {"type": "object", "required": ["x"], "properties": {"x": {"type": "number"}}}
        },
        "properties": {"at": {"$ref": "#/$defs/Point"}, "note": {"type": "string"}},
        "required": ["at"],
        "additionalProperties": False,
    },
    {  # the shape of an MCP filesystem tool
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "edits": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"oldText": {"type": "string"}, "newText": {"type": "string"}},
                    "required": ["oldText", "newText"],
                },
            },
            "dryRun": {"type": "boolean", "default": False},
        },
        "required": ["path", "edits"],
    },
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(i) for i in range(len(SCHEMAS))])
def test_the_value_is_valid(schema: dict[str, Any]) -> None:
    jsonschema.validate(value_for(schema), schema)


def test_the_value_is_deterministic() -> None:
    assert [value_for(s) for s in SCHEMAS] == [value_for(s) for s in SCHEMAS]


def test_a_remote_ref_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="only local"):
        value_for({"$ref": "https://example.com/schema.json"})
