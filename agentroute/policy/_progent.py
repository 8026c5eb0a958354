"""Interoperability with Progent's JSON policies (import into the DSL, export back).

Progent's form: ``{tool: [[priority, effect, {arg: restriction}, fallback(, update)], ...]}`` with
lower priority numbers first, effect 0 = allow / 1 = forbid, fallback 0 = message / 1 = stop /
2 = ask, and a restriction either a JSON Schema or a regex string (``re.match``: prefix match).
Importing reports every place where Progent's semantics would have decided differently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from agentroute.policy._ast import (
    And,
    Compare,
    Default,
    Expr,
    Fallback,
    Func,
    Has,
    Literal,
    Not,
    Or,
    PolicyFile,
    Quant,
    Ref,
    Rule,
    Update,
)
from agentroute.policy._fmt import format_policy

__all__ = ["ImportReport", "export_progent", "import_progent"]


@dataclass
class ImportReport:
    """The imported policy text and what Progent would have done differently."""

    text: str
    differences: list[str] = field(default_factory=list)


class _Unsupported(Exception):
    pass


def _as_rules(entries: Any) -> list[tuple[int, int, dict[str, Any], int, Any]]:
    out = []
    for e in entries:
        if isinstance(e, dict):
            out.append(
                (
                    int(e.get("priority", 1)),
                    int(e.get("effect", 0)),
                    e.get("conditions") or e.get("args") or {},
                    int(e.get("fallback", 0)),
                    e.get("update"),
                )
            )
        else:
            seq = list(e)
            out.append(
                (
                    int(seq[0]),
                    int(seq[1]),
                    seq[2] or {},
                    int(seq[3]) if len(seq) > 3 else 0,
                    seq[4] if len(seq) > 4 else None,
                )
            )
    return out


def _schema_cond(
    ref: Ref, schema: dict[str, Any], forbid: bool, notes: list[str], where: str
) -> list[Expr]:
    conds: list[Expr] = []
    for key, value in schema.items():
        if key in ("type", "description", "title", "default", "$schema", "examples"):
            continue
        if key == "enum":
            conds.append(Compare("in", ref, Literal(list(value))))
        elif key == "const":
            conds.append(Compare("==", ref, Literal(value)))
        elif key == "pattern":
            if forbid:
                conds.append(Compare("matches", ref, Literal(f"(?s:.*(?:{value}).*)")))
            else:
                conds.append(Compare("matches", ref, Literal(str(value))))
                notes.append(
                    f"{where}: JSON Schema 'pattern' {value!r} matches anywhere in the value (search); imported as a whole-value match (stricter)"
                )
        elif key in ("minLength", "maxLength", "minItems", "maxItems"):
            conds.append(
                Compare(
                    ">=" if key.startswith("min") else "<=", Func("len", ref), Literal(int(value))
                )
            )
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            op = {
                "minimum": ">=",
                "maximum": "<=",
                "exclusiveMinimum": ">",
                "exclusiveMaximum": "<",
            }[key]
            conds.append(Compare(op, ref, Literal(value)))
        elif key == "items" and isinstance(value, dict):
            var = "item"
            inner = _schema_cond(Ref(var, False), value, forbid, notes, where)
            if inner:
                conds.append(Quant("any" if forbid else "all", var, ref, _and(inner)))
        elif key in ("anyOf", "oneOf") and isinstance(value, list):
            alts = [
                _and(_schema_cond(ref, v, forbid, notes, where) or [Literal(True)]) for v in value
            ]
            conds.append(Or(tuple(alts)) if len(alts) > 1 else alts[0])
        elif key == "not" and isinstance(value, dict):
            conds.append(
                Not(_and(_schema_cond(ref, value, not forbid, notes, where) or [Literal(True)]))
            )
        else:
            raise _Unsupported(f"JSON Schema keyword '{key}'")
    return conds


def _and(items: list[Expr]) -> Expr:
    return items[0] if len(items) == 1 else And(tuple(items))


def _convert(
    tool: str,
    entry: tuple[int, int, dict[str, Any], int, Any],
    schemas: dict[str, dict[str, Any]] | None,
    notes: list[str],
    server: str | None,
) -> Rule | None:
    priority, effect, conditions, fallback, update = entry
    forbid = effect == 1
    name = f"{server}.{tool}" if server else tool
    where = f"{name} (priority {priority}, {'forbid' if forbid else 'allow'})"
    schema = (schemas or {}).get(name)
    props = (schema or {}).get("properties") or {}
    required = set((schema or {}).get("required") or [])
    parts: list[Expr] = []
    for arg, restriction in (conditions or {}).items():
        if schema is not None and arg not in props:
            if forbid:
                notes.append(
                    f"{where}: condition on '{arg}', which the tool does not have; Progent skipped it, so the rule always fired; imported without that condition (same effect)"
                )
                continue
            notes.append(
                f"{where}: condition on '{arg}', which the tool does not have; Progent skipped it and allowed every call; rule dropped (fail closed)"
            )
            return None
        ref = Ref(arg, False)
        try:
            if isinstance(restriction, str):
                if forbid:
                    conds: list[Expr] = [
                        Compare("matches", ref, Literal(f"(?s:(?:{restriction}).*)"))
                    ]
                else:
                    conds = [Compare("matches", ref, Literal(restriction))]
                    notes.append(
                        f"{where}: regex {restriction!r} on '{arg}' was a prefix match (re.match) in Progent; imported as a whole-value match (stricter)"
                    )
            elif isinstance(restriction, dict):
                conds = _schema_cond(ref, restriction, forbid, notes, where)
            else:
                raise _Unsupported(f"restriction of type {type(restriction).__name__}")
        except _Unsupported as exc:
            if forbid:
                notes.append(
                    f"{where}: {exc} on '{arg}' not supported; the condition is dropped, so this forbid covers more calls (stricter)"
                )
                continue
            notes.append(f"{where}: {exc} on '{arg}' not supported; rule dropped (fail closed)")
            return None
        if not conds:
            continue
        cond = _and(conds)
        if arg not in required:
            notes.append(
                f"{where}: Progent skips the condition on '{arg}' when the call omits it; imported with has({arg}) to keep that"
            )
            cond = Or((Not(Has(ref)), cond)) if not forbid else And((Has(ref), cond))
        parts.append(cond)
    effect_name = "deny" if forbid else "allow"
    fb = None
    if forbid:
        fb = {0: None, 1: Fallback("stop"), 2: Fallback("ask")}.get(fallback)
    upd = None
    if update:
        inner_rules: list[Rule] = []
        for t, entries in update.items() if isinstance(update, dict) else []:
            for e in _as_rules(entries):
                r = _convert(t, e, schemas, notes, server)
                if r is not None:
                    inner_rules.append(r)
        upd = Update(False, tuple(inner_rules))
    return Rule(effect_name, (name,), _and(parts) if parts else None, -priority, fb, upd)


def import_progent(
    data: str | dict[str, Any] | list[Any],
    schemas: dict[str, dict[str, Any]] | None = None,
    *,
    server: str | None = None,
) -> ImportReport:
    """Convert a Progent policy to DSL text, listing where the semantics differ."""
    raw = json.loads(data) if isinstance(data, str) else data
    notes: list[str] = []
    if isinstance(raw, list):  # generated form: [{"name": tool, "args": restrictions}]
        raw = {e["name"]: [[100, 0, e.get("args") or {}, 0]] for e in raw}
    rules: list[Rule] = []
    for tool, entries in raw.items():
        converted = _as_rules(entries)
        if converted:
            last = sorted(converted, key=lambda x: (x[0], -x[1]))[-1]
            if last[3] in (1, 2):
                notes.append(
                    f"{tool}: a call matching none of its rules took the fallback of the last rule read in Progent ({'stop' if last[3] == 1 else 'ask'}); here it gets the default (deny)"
                )
        for entry in converted:
            rule = _convert(tool, entry, schemas, notes, server)
            if rule is not None:
                rules.append(rule)
        name = f"{server}.{tool}" if server else tool
        if schemas is not None and name not in schemas:
            notes.append(
                f"{name}: unknown tool; Progent would have kept the rules silently; here loading fails"
            )
    tree = PolicyFile((Default("deny"), *rules))
    return ImportReport(format_policy(tree), notes)


def _schema_of(e: Expr) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(e, Compare):
        return None
    left, right = e.left, e.right
    if (
        isinstance(left, Func)
        and left.name == "len"
        and isinstance(left.arg, Ref)
        and not left.arg.segments
        and not left.arg.const
        and isinstance(right, Literal)
    ):
        key = {"<=": "maxLength", ">=": "minLength"}.get(e.op)
        return (left.arg.root, {key: right.value}) if key else None
    if not (
        isinstance(left, Ref)
        and not left.const
        and not left.segments
        and isinstance(right, Literal)
    ):
        return None
    arg, v = left.root, right.value
    if e.op == "==":
        return arg, {"const": v}
    if e.op == "in" and isinstance(v, list):
        return arg, {"enum": v}
    if e.op == "matches":
        return arg, {"type": "string", "pattern": f"^(?:{v})$"}
    if e.op == "startswith":
        return arg, {"type": "string", "pattern": "^" + re.escape(v)}
    if e.op == "endswith":
        return arg, {"type": "string", "pattern": re.escape(v) + "$"}
    if e.op in ("<", "<=", ">", ">="):
        return arg, {
            {"<": "exclusiveMaximum", "<=": "maximum", ">": "exclusiveMinimum", ">=": "minimum"}[
                e.op
            ]: v
        }
    return None


def export_progent(policy: Any) -> tuple[dict[str, list[list[Any]]], list[str]]:
    """Export a :class:`Policy` to Progent's JSON form; returns (policy, what could not be exported)."""
    out: dict[str, list[list[Any]]] = {}
    notes: list[str] = []
    for rule in policy.rules:
        tools = rule.tools or tuple(s for s in rule.selectors if not any(c in s for c in "*?["))
        if not tools:
            notes.append(
                f"{rule.id}: glob selector with no known tools to expand it against; not exported"
            )
            continue
        conditions: dict[str, Any] = {}
        when = rule.ast.when
        items = () if when is None else (when.items if isinstance(when, And) else (when,))
        ok = True
        for item in items:
            got = _schema_of(item)
            if got is None:
                ok = False
                break
            arg, sch = got
            conditions.setdefault(arg, {}).update(sch)
        if not ok:
            notes.append(
                f"{rule.id}: condition not expressible as per-argument JSON Schema; not exported"
            )
            continue
        if rule.ast.update is not None:
            notes.append(f"{rule.id}: its 'then' update is not exported")
        effect = 0 if rule.effect == "allow" else 1
        fallback = {"stop": 1, "ask": 2}.get(rule.effect, 0)
        for t in tools:
            out.setdefault(t, []).append([1000 - rule.priority, effect, conditions, fallback])
    return out, notes
