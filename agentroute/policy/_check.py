"""Load-time checks of conditions against the tools' JSON schemas.

Everything Progent would silently accept (a condition on an argument the tool does not have,
a comparison of a string argument with a number, a regex on an integer) is an error here,
reported with file:line:col.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agentroute.policy._ast import And, Compare, Expr, Func, Has, Literal, Not, Or, Quant, Ref
from agentroute.policy._errors import Location

__all__ = ["CheckContext", "check_condition", "literal_types", "schema_at"]

Types = frozenset[str] | None  # None: unknown (anything goes at load time; checked at run time)
_NUMERIC = frozenset({"integer", "number"})
_ALL = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})


class _Missing(Exception):
    pass


@dataclass
class CheckContext:
    """What a condition is checked against: one tool's schema, the constants, bound names."""

    tool: str | None
    schema: dict[str, Any] | None
    consts: dict[str, Any]
    call_schema: dict[str, Any] | None = None
    """Schema of the firing call's arguments, for ``$call.x`` inside ``then { }``."""
    in_update: bool = False
    issues: list[tuple[Location, str]] = field(default_factory=list)
    bound: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def error(self, node: Any, message: str) -> None:
        where = f" (tool {self.tool})" if self.tool else ""
        self.issues.append((node.location, message + where))


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 16:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return {}
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        schema = node if isinstance(node, dict) else {}
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _branches(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            out: list[dict[str, Any]] = []
            for b in schema[key]:
                out.extend(_branches(b, root) if isinstance(b, dict) else [])
            return out
    return [schema]


def schema_at(
    schema: dict[str, Any], segments: tuple[str | int, ...], root: dict[str, Any]
) -> dict[str, Any]:
    """The sub-schema at a path; raises ``_Missing`` naming the first unknown segment."""
    current = schema
    for seg in segments:
        found: dict[str, Any] | None = None
        open_ended = False
        for b in _branches(current, root):
            if isinstance(seg, int):
                items = b.get("items")
                if isinstance(items, dict):
                    found = items
                elif b.get("type") == "array" or "items" in b:
                    open_ended = True
            else:
                props = b.get("properties")
                if isinstance(props, dict) and seg in props:
                    found = props[seg] if isinstance(props[seg], dict) else {}
                elif not isinstance(props, dict) and b.get("type") not in (
                    "string",
                    "integer",
                    "number",
                    "boolean",
                    "array",
                    "null",
                ):
                    extra = b.get("additionalProperties")
                    if isinstance(extra, dict):
                        found = extra
                    elif (extra is not False and not b.get("type")) or (
                        extra is not False
                        and b.get("type") == "object"
                        and not isinstance(props, dict)
                    ):
                        open_ended = True
            if found is not None:
                break
        if found is None:
            if open_ended:
                return {}
            raise _Missing(str(seg))
        current = found
    return current


def schema_types(schema: dict[str, Any] | None, root: dict[str, Any]) -> Types:
    if schema is None:
        return None
    out: set[str] = set()
    for b in _branches(schema, root):
        t = b.get("type")
        if isinstance(t, str):
            out.add(t)
        elif isinstance(t, list):
            out.update(x for x in t if isinstance(x, str))
        elif "enum" in b and isinstance(b["enum"], list):
            for v in b["enum"]:
                out.update(literal_types(v))
        elif "const" in b:
            out.update(literal_types(b["const"]))
        else:
            return None
    if "integer" in out:
        out.add("number")
    return frozenset(out) if out else None


def literal_types(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset({"null"})
    if isinstance(value, bool):
        return frozenset({"boolean"})
    if isinstance(value, int):
        return frozenset({"integer", "number"})
    if isinstance(value, float):
        return frozenset({"number"})
    if isinstance(value, str):
        return frozenset({"string"})
    if isinstance(value, list):
        return frozenset({"array"})
    return frozenset({"object"})


def _show(t: Types) -> str:
    return "any" if t is None else "/".join(sorted(t - {"integer"} if "number" in t else t))


class _Typed:
    """An operand's type plus, for arrays, the schema of its elements."""

    def __init__(
        self,
        types: Types,
        items: dict[str, Any] | None = None,
        value: Any = ...,
        has_value: bool = False,
    ) -> None:
        self.types = types
        self.items = items
        self.value = value
        self.has_value = has_value


def _operand(e: Expr, ctx: CheckContext) -> _Typed:
    root = ctx.schema or {}
    if isinstance(e, Literal):
        return _Typed(literal_types(e.value), value=e.value, has_value=True)
    if isinstance(e, Ref):
        if e.const:
            if e.root == "call":
                if not ctx.in_update:
                    ctx.error(e, "$call is only available inside a 'then { }' update")
                    return _Typed(None)
                if ctx.call_schema is None:
                    return _Typed(None)
                try:
                    sub = schema_at(ctx.call_schema, e.segments, ctx.call_schema)
                except _Missing as m:
                    ctx.error(
                        e, f"$call has no argument '{m}' (the firing rule's tool does not take it)"
                    )
                    return _Typed(None)
                return _Typed(schema_types(sub, ctx.call_schema), _items(sub))
            if e.root == "request":
                if e.segments:
                    ctx.error(e, "$request is the request's text; it has no fields or elements")
                    return _Typed(None)
                return _Typed(literal_types(""))
            if e.root not in ctx.consts:
                ctx.error(e, f"unknown constant ${e.root} (define it with 'let {e.root} = ...')")
                return _Typed(None)
            value: Any = ctx.consts[e.root]
            for seg in e.segments:
                try:
                    value = value[seg]
                except (KeyError, IndexError, TypeError):
                    ctx.error(e, f"constant ${e.root} has no element {seg!r}")
                    return _Typed(None)
            return _Typed(literal_types(value), value=value, has_value=True)
        if e.root in ctx.bound:
            base = ctx.bound[e.root]
            if base is None:
                return _Typed(None)
            try:
                sub = schema_at(base, e.segments, root)
            except _Missing as m:
                ctx.error(e, f"'{e.root}' elements have no field '{m}'")
                return _Typed(None)
            return _Typed(schema_types(sub, root), _items(sub))
        if ctx.schema is None:
            return _Typed(None)
        try:
            sub = schema_at(ctx.schema, (e.root, *e.segments), root)
        except _Missing as m:
            props = sorted((ctx.schema.get("properties") or {}).keys())
            what = f"argument '{e.root}'" if str(m) == e.root else f"field '{m}' in '{e.text()}'"
            ctx.error(
                e, f"the tool has no {what}; its arguments are: {', '.join(props) or '(none)'}"
            )
            return _Typed(None)
        return _Typed(schema_types(sub, root), _items(sub))
    if isinstance(e, Func):
        inner = _operand(e.arg, ctx)
        if e.name == "len":
            _need(
                ctx,
                e,
                inner.types,
                frozenset({"string", "array", "object"}),
                "len() takes a string, list or object",
            )
            return _Typed(frozenset({"integer", "number"}))
        _need(ctx, e, inner.types, frozenset({"string"}), f"{e.name}() takes a string")
        if e.name == "urls":
            return _Typed(frozenset({"array"}), {"type": "string"})
        if e.name == "date":
            return _Typed(frozenset({"number"}))
        return _Typed(frozenset({"string"}))
    # a boolean expression used as an operand
    check_condition(e, ctx)
    return _Typed(frozenset({"boolean"}))


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _items(schema: dict[str, Any]) -> dict[str, Any] | None:
    items = schema.get("items") if isinstance(schema, dict) else None
    return items if isinstance(items, dict) else None


def _need(ctx: CheckContext, node: Any, have: Types, want: frozenset[str], message: str) -> bool:
    if have is None or have & want:
        return True
    ctx.error(node, f"{message}, but this is {_show(have)}")
    return False


def _compatible(a: Types, b: Types) -> bool:
    if a is None or b is None or "null" in a or "null" in b:
        return True
    if a & _NUMERIC and b & _NUMERIC:
        return True
    return bool(a & b)


def check_condition(e: Expr, ctx: CheckContext) -> None:
    """Type-check a boolean expression; problems go to ``ctx.issues``."""
    if isinstance(e, (And, Or)):
        for item in e.items:
            check_condition(item, ctx)
    elif isinstance(e, Not):
        check_condition(e.expr, ctx)
    elif isinstance(e, Has):
        if e.ref.const:
            ctx.error(e, "has() takes an argument path or a bound element's field, not a constant")
        else:  # an argument, or a field of an element bound by any()/all(): all(r in to: has(r.cc))
            _operand(e.ref, ctx)
    elif isinstance(e, Quant):
        src = _operand(e.source, ctx)
        _need(ctx, e, src.types, frozenset({"array"}), f"{e.kind}() iterates over a list")
        items: dict[str, Any] | None = src.items
        if src.has_value and isinstance(src.value, list):
            items = None
        ctx.bound[e.var] = items
        try:
            check_condition(e.body, ctx)
        finally:
            ctx.bound.pop(e.var, None)
    elif isinstance(e, Compare):
        _check_compare(e, ctx)
    else:
        t = _operand(e, ctx)
        _need(ctx, e, t.types, frozenset({"boolean"}), "a condition must be true/false")


def _check_lower_case(e: Compare, value: Any, ctx: CheckContext) -> None:
    """``lower(x) == "Bob"`` or ``lower(x) in ["Bob"]`` can never hold for the capitalised
    values: an error at load, not a rule that silently never matches."""
    if e.op not in ("==", "!=", "in", "not in", "startswith", "endswith", "contains"):
        return
    values = value if isinstance(value, list) and e.op in ("in", "not in") else [value]
    upper = [v for v in values if isinstance(v, str) and v != v.lower()]
    if upper:
        shown = ", ".join(repr(v) for v in upper[:3]) + (", ..." if len(upper) > 3 else "")
        ctx.error(
            e.right,
            f"lower(...) is compared with {shown}, which has capitals and can never match: "
            "write it in lower case",
        )


def _check_compare(e: Compare, ctx: CheckContext) -> None:
    if e.op in ("from", "only from"):
        if not isinstance(e.left, Ref) or e.left.const or e.left.root in ctx.bound:
            ctx.error(
                e, "'from' asks where an argument came from: its left side must be an argument"
            )
        else:
            _operand(e.left, ctx)
        return
    left, right = _operand(e.left, ctx), _operand(e.right, ctx)
    op = e.op
    if isinstance(e.left, Func) and e.left.name == "lower" and right.has_value:
        _check_lower_case(e, right.value, ctx)
    if op in ("==", "!="):
        if not _compatible(left.types, right.types):
            ctx.error(e, f"'{op}' compares {_show(left.types)} with {_show(right.types)}")
    elif op in ("<", "<=", ">", ">="):
        ok = (left.types is None or left.types & (_NUMERIC | {"string"})) and (
            right.types is None or right.types & (_NUMERIC | {"string"})
        )
        if not ok or not _compatible(left.types, right.types):
            ctx.error(
                e,
                f"'{op}' needs two numbers or two strings, got {_show(left.types)} and {_show(right.types)}",
            )
    elif op in ("in", "not in"):
        if _need(
            ctx,
            e.right,
            right.types,
            frozenset({"array"}),
            f"the right side of '{op}' must be a list",
        ):
            elem: Types = None
            if right.has_value and isinstance(right.value, list) and right.value:
                elem = frozenset().union(*(literal_types(v) for v in right.value))
            elif right.items is not None:
                elem = schema_types(right.items, ctx.schema or {})
            if not _compatible(left.types, elem):
                ctx.error(e, f"'{op}' looks for a {_show(left.types)} in a list of {_show(elem)}")
    elif op in ("matches", "startswith", "endswith"):
        _need(ctx, e.left, left.types, frozenset({"string"}), f"'{op}' applies to strings")
        _need(
            ctx,
            e.right,
            right.types,
            frozenset({"string"}),
            f"the right side of '{op}' must be a string",
        )
        if op == "matches":
            if not right.has_value:
                ctx.error(
                    e.right, "the pattern of 'matches' must be a string literal or a constant"
                )
            elif isinstance(right.value, str):
                try:
                    re.compile(right.value)
                except Exception as exc:  # re.error, and ValueError, OverflowError,
                    # RecursionError (deep groups), a warning turned error: all mean "unusable"
                    ctx.error(e.right, f"invalid regular expression: {_short(exc)}")
    elif op == "contains" and _need(
        ctx,
        e.left,
        left.types,
        frozenset({"string", "array"}),
        "'contains' applies to a string or a list",
    ):
        if left.types is not None and left.types <= frozenset({"string", "null"}):
            _need(
                ctx, e.right, right.types, frozenset({"string"}), "a string contains only strings"
            )
        elif left.types is not None and left.types & {"array"} and left.items is not None:
            elem = schema_types(left.items, ctx.schema or {})
            if not _compatible(elem, right.types):
                ctx.error(e, f"a list of {_show(elem)} cannot contain a {_show(right.types)}")
