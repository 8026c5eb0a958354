"""The simplest value a JSON schema accepts: arguments a test planner can send to any tool."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["value_for"]

_FORMATS = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "00:00:00Z",
    "email": "a@example.com",
    "uri": "https://example.com",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def value_for(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """A deterministic value valid under ``schema`` (``pattern``, ``multipleOf`` and
    ``uniqueItems`` aside).

    An object gets its required properties only: what a tool must accept without its defaults.
    """
    root = schema if root is None else root
    if "$ref" in schema:
        return value_for(_resolve(schema["$ref"], root), root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("examples"):
        return schema["examples"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return value_for(options[0], root)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = value_for(part, root)
            if not isinstance(value, dict):
                return value
            merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    return _BY_TYPE[kind](schema, root)


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs can be followed, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return dict(node)


def _object(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    return {name: value_for(properties.get(name, {}), root) for name in schema.get("required", [])}


def _array(schema: dict[str, Any], root: dict[str, Any]) -> list[Any]:
    items = schema.get("items", {})
    count = max(schema.get("minItems", 0), 1)  # one item shows the shape; minItems may want more
    if "maxItems" in schema:
        count = min(count, schema["maxItems"])
    return [value_for(items, root) for _ in range(count)] if isinstance(items, dict) else []


def _string(schema: dict[str, Any], root: dict[str, Any]) -> str:
    text = _FORMATS.get(schema.get("format", ""), "a")
    text = text.ljust(schema.get("minLength", 0), "a")
    return text[: schema["maxLength"]] if "maxLength" in schema else text


def _number(schema: dict[str, Any], root: dict[str, Any]) -> float | int:
    """0 when the bounds allow it, else the first candidate near a bound that they do."""
    bounds = {key: _bound(schema, key) for key in _BOUNDS}
    given = [v for v in bounds.values() if v is not None]
    candidates = [0.0, *given, *(v + 1 for v in given), *(v - 1 for v in given)]
    if len(given) > 1:
        candidates.append((min(given) + max(given)) / 2)
    if schema.get("type") == "integer":
        whole = [math.ceil(c) for c in candidates] + [math.floor(c) for c in candidates]
        return next((c for c in whole if _fits(c, bounds)), 0)
    return next((c for c in candidates if _fits(c, bounds)), 0.0)


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _bound(schema: dict[str, Any], key: str) -> float | None:
    value = schema.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # absent, or draft 4's boolean exclusive flags
    return float(value)


def _fits(value: float, bounds: dict[str, float | None]) -> bool:
    low, high = bounds["minimum"], bounds["maximum"]
    above, below = bounds["exclusiveMinimum"], bounds["exclusiveMaximum"]
    return (
        (low is None or value >= low)
        and (high is None or value <= high)
        and (above is None or value > above)
        and (below is None or value < below)
    )


_BY_TYPE = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": lambda schema, root: False,
    "null": lambda schema, root: None,
}
