"""Strict arguments: a call carrying a name its target's schema does not declare is denied
before any rule is tried, at the top level and inside declared objects and list elements.

A rule's guard on an optional field (``not has(to.cc) or to.cc endswith "@x.org"``) never
sees a misspelt one (``to.ccc``): Progent's first defect, which strictness closes at every
depth the schema describes. An object schema that says ``"additionalProperties": true`` (or
gives a schema for them), or declares no ``properties``, admits any names below it.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

__all__ = ["Shape", "shape_of"]

_MAX_DEPTH = 32
"""Deeper schemas (or ``$ref`` cycles written out) are checked down to here."""


class Shape:
    """The names an object may carry, and the shapes of its fields that are objects or lists
    of objects themselves."""

    __slots__ = ("fields", "items", "names")

    def __init__(
        self,
        names: frozenset[str] | None,
        fields: dict[str, Shape],
        items: Shape | None = None,
    ) -> None:
        self.names = names
        """Declared names; ``None``: any (or this shape is a list's)."""
        self.fields = fields
        """Declared fields whose values have a shape of their own."""
        self.items = items
        """For a list: its elements' shape."""

    def undeclared(self, value: Any, path: str = "") -> list[tuple[str, str | None]]:
        """Each undeclared name in ``value`` as (its path, the nearest declared name)."""
        if self.items is not None:
            if not isinstance(value, list):
                return []
            out = []
            for i, element in enumerate(value):
                out += self.items.undeclared(element, f"{path}[{i}]")
            return out
        if not isinstance(value, dict):
            return []
        names = self.names
        out = []
        if names is not None and not names.issuperset(value):
            folded = {n.casefold(): n for n in sorted(names)}
            for name in sorted(set(value) - names):
                near = get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
                hint = folded[near[0]] if near else None
                out.append((f"{path}.{name}" if path else name, hint))
        for name, shape in self.fields.items():
            if name in value:
                out += shape.undeclared(value[name], f"{path}.{name}" if path else name)
        return out

    def admits(self, args: dict[str, Any]) -> bool:
        """Whether every name in ``args`` is declared (the cheap common case first)."""
        if self.names is not None and not self.names.issuperset(args):
            return False
        return not self.fields or not self.undeclared(args)


def shape_of(schema: Any, depth: int = 0) -> Shape | None:
    """The strict shape of a JSON schema, or ``None`` when it constrains no names at any
    depth (no schema, additional properties admitted and no field with a shape)."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    if schema.get("type") == "array" or "items" in schema:
        items = shape_of(schema.get("items"), depth + 1)
        return None if items is None else Shape(None, {}, items)
    props = schema.get("properties")
    if not isinstance(props, dict):
        return None
    strict = schema.get("additionalProperties", False) is False
    fields = {}
    for name, sub in props.items():
        shape = shape_of(sub, depth + 1)
        if shape is not None:
            fields[name] = shape
    if not strict and not fields:
        return None
    return Shape(frozenset(props) if strict else None, fields)
