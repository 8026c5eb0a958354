"""Syntax tree → canonical policy text (``agentroute policy fmt``).

The output re-parses to an equal tree: ``parse(fmt(p)) == p``. Comments are not kept.
"""

from __future__ import annotations

import json
import re
from typing import Any

from agentroute.policy._ast import (
    And,
    Call,
    Compare,
    Def,
    Default,
    Expr,
    Fallback,
    Func,
    Has,
    Include,
    Let,
    Literal,
    Not,
    Or,
    PolicyFile,
    Quant,
    Ref,
    Rule,
    Scope,
)
from agentroute.policy._origins import ORIGIN_KINDS

__all__ = ["format_expr", "format_policy", "format_rule"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SELECTOR = re.compile(r"[A-Za-z0-9_*?][A-Za-z0-9_*?\-.]*")
_EXPR_KEYWORDS = frozenset(
    [
        "in",
        "not",
        "and",
        "or",
        "true",
        "false",
        "null",
        "has",
        "len",
        "lower",
        "normpath",
        "any",
        "all",
        "matches",
        "startswith",
        "endswith",
        "contains",
        "def",
        "from",
        "only",
    ]
)


def _string(value: str) -> str:
    if "\\" in value and '"' not in value and not re.search(r"[\x00-\x1f\ud800-\udfff]", value):
        return f'r"{value}"'
    return json.dumps(value, ensure_ascii=False)


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    raise TypeError(f"cannot format literal {value!r}")


def _name(name: str) -> str:
    if _IDENT.fullmatch(name) and name not in _EXPR_KEYWORDS:
        return name
    return f"`{name}`"


def _ref(ref: Ref) -> str:
    out = f"${ref.root}" if ref.const else _name(ref.root)
    for seg in ref.segments:
        out += f"[{seg}]" if isinstance(seg, int) else f".{_name(seg)}"
    return out


_LEVEL = {Or: 0, And: 1, Not: 2, Compare: 3}


def _level(e: Expr) -> int:
    return _LEVEL.get(type(e), 4)


def _wrap(e: Expr, min_level: int) -> str:
    text = format_expr(e)
    return f"({text})" if _level(e) < min_level else text


def format_expr(e: Expr) -> str:
    """One expression, parenthesised only where precedence needs it."""
    if isinstance(e, Literal):
        return _literal(e.value)
    if isinstance(e, Ref):
        return _ref(e)
    if isinstance(e, Func):
        return f"{e.name}({format_expr(e.arg)})"
    if isinstance(e, Has):
        return f"has({_ref(e.ref)})"
    if isinstance(e, Quant):
        return f"{e.kind}({_name(e.var)} in {format_expr(e.source)}: {format_expr(e.body)})"
    if isinstance(e, Call):
        return f"{e.name}({', '.join(format_expr(a) for a in e.args)})"
    if isinstance(e, Compare):
        right = e.right.value if isinstance(e.right, Literal) else None
        if e.op in ("from", "only from") and right in ORIGIN_KINDS:
            return f"{_wrap(e.left, 4)} {e.op} {right}"
        return f"{_wrap(e.left, 4)} {e.op} {_wrap(e.right, 4)}"
    if isinstance(e, Not):
        return f"not {_wrap(e.expr, 2)}"
    if isinstance(e, And):
        return " and ".join(_wrap(i, 2) for i in e.items)
    if isinstance(e, Or):
        # an Or nested directly in an Or must keep its parentheses to keep the tree shape
        return " or ".join(
            _wrap(i, 1) if not isinstance(i, Or) else f"({format_expr(i)})" for i in e.items
        )
    raise TypeError(f"cannot format {e!r}")


def _fallback(fb: Fallback) -> str:
    if fb.kind == "message":
        return f"fallback {_string(fb.message or '')}"
    tail = f" {_string(fb.message)}" if fb.message is not None else ""
    return f"fallback {fb.kind}{tail}"


def _selector(sel: str) -> str:
    return sel if _SELECTOR.fullmatch(sel) else _string(sel)


def format_rule(rule: Rule, indent: str = "") -> str:
    """One rule; clauses on their own indented lines when there are several."""
    head = f"{indent}{rule.effect} {', '.join(_selector(s) for s in rule.selectors)}"
    clauses: list[str] = []
    if rule.when is not None:
        when = format_expr(rule.when)
        if isinstance(rule.when, And):
            # keep And flat: parenthesise nested Ands so the tree shape survives
            when = " and ".join(
                f"({format_expr(i)})" if isinstance(i, And) else _wrap(i, 2)
                for i in rule.when.items
            )
        clauses.append(f"when {when}")
    if rule.priority is not None:
        clauses.append(f"priority {rule.priority}")
    if rule.fallback is not None:
        clauses.append(_fallback(rule.fallback))
    if rule.update is not None:
        inner = "\n".join(format_rule(r, indent + "    ") for r in rule.update.rules)
        kw = "then narrowing {" if rule.update.narrowing else "then {"
        clauses.append(f"{kw}\n{inner}\n{indent}  }}" if inner else f"{kw} }}")
    if not clauses:
        return head
    return head + "".join(f"\n{indent}  {c}" for c in clauses)


def _default(d: Default, indent: str) -> str:
    return f"{indent}default {d.effect}" + (f" {_fallback(d.fallback)}" if d.fallback else "")


def format_policy(policy: PolicyFile) -> str:
    """Canonical text of a whole file (includes are kept as includes, not inlined)."""
    blocks: list[str] = []
    for item in policy.items:
        if isinstance(item, Include):
            blocks.append(f"include {_string(item.path)}")
        elif isinstance(item, Let):
            parts = (_ref(p) if isinstance(p, Ref) else _literal(p.value) for p in item.parts)
            blocks.append(f"let {item.name} = {' + '.join(parts)}")
        elif isinstance(item, Def):
            blocks.append(f"def {item.name}({', '.join(item.params)}) = {format_expr(item.body)}")
        elif isinstance(item, Default):
            blocks.append(_default(item, ""))
        elif isinstance(item, Rule):
            blocks.append(format_rule(item))
        elif isinstance(item, Scope):
            inner = [
                _default(i, "    ") if isinstance(i, Default) else format_rule(i, "    ")
                for i in item.items
            ]
            body = "\n".join(inner)
            blocks.append(
                f"scope {item.kind} {item.name} {{\n{body}\n}}"
                if inner
                else f"scope {item.kind} {item.name} {{\n}}"
            )
    return "\n\n".join(blocks) + "\n" if blocks else ""
