"""Named predicates (``def trusted(p) = ...``) expanded into the conditions that call them.

A predicate is a macro over the syntax tree: ``trusted(recipient)`` becomes the predicate's
body with ``p`` replaced by ``recipient`` before anything is checked or compiled, so the
schema checks, the compiler and the decision path see ordinary conditions (and deciding costs
what the written-out condition would). A parameter with a field (``p.address``) needs an
argument path; names bound by ``any``/``all`` inside a body are renamed when an argument
uses the same name, so a body never captures its caller's names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from agentroute.policy._ast import (
    And,
    Call,
    Compare,
    Def,
    Expr,
    Func,
    Has,
    Not,
    Or,
    Quant,
    Ref,
    Rule,
    children,
)
from agentroute.policy._errors import Location
from agentroute.policy._parser import MAX_EXPR_DEPTH

__all__ = ["MAX_EXPANDED_NODES", "PredicateError", "expand_rule"]

MAX_EXPANDED_NODES = 20_000
"""Largest condition a rule may expand to: predicates calling predicates twice each grow
exponentially, and a load must stay bounded."""
MAX_CALL_DEPTH = 32
"""Deepest chain of predicates calling predicates (a longer one is almost surely a cycle the
name check did not see through, and would exhaust the stack)."""


class PredicateError(Exception):
    """A call that cannot be expanded, located at the call (or the parameter's use)."""

    def __init__(self, where: Location, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def expand_rule(rule: Rule, defs: Mapping[str, Def]) -> Rule:
    """``rule`` with every predicate call in its condition (and its update's rules) expanded."""
    if not defs and not _has_call(rule):
        return rule
    when = _Expander(defs).expand(rule.when, ()) if rule.when is not None else None
    if when is not None and _depth(when) > MAX_EXPR_DEPTH:
        raise PredicateError(
            rule.location,
            f"with its predicates expanded, the condition is nested more than "
            f"{MAX_EXPR_DEPTH} deep",
        )
    update = rule.update
    if update is not None:
        update = replace(update, rules=tuple(expand_rule(r, defs) for r in update.rules))
    return replace(rule, when=when, update=update)


def _has_call(rule: Rule) -> bool:
    stack: list[object] = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            return True
        stack.extend(c for c in children(node) if c is not None)
    return False


class _Expander:
    def __init__(self, defs: Mapping[str, Def]) -> None:
        self.defs = defs
        self.nodes = 0

    def expand(self, e: Expr, chain: tuple[str, ...]) -> Expr:
        self.nodes += 1
        if self.nodes > MAX_EXPANDED_NODES:
            raise PredicateError(
                e.location, f"the condition expands to more than {MAX_EXPANDED_NODES:,} nodes"
            )
        if isinstance(e, Call):
            return self._call(e, chain)
        if isinstance(e, And | Or):
            return replace(e, items=tuple(self.expand(i, chain) for i in e.items))
        if isinstance(e, Not):
            return replace(e, expr=self.expand(e.expr, chain))
        if isinstance(e, Compare):
            return replace(e, left=self.expand(e.left, chain), right=self.expand(e.right, chain))
        if isinstance(e, Func):
            return replace(e, arg=self.expand(e.arg, chain))
        if isinstance(e, Quant):
            return replace(e, source=self.expand(e.source, chain), body=self.expand(e.body, chain))
        return e

    def _call(self, call: Call, chain: tuple[str, ...]) -> Expr:
        d = self.defs.get(call.name)
        if d is None:
            known = ", ".join(sorted(self.defs)) or "none is defined"
            raise PredicateError(
                call.location, f"unknown predicate '{call.name}' (defined: {known})"
            )
        if call.name in chain:
            cycle = " -> ".join((*chain, call.name))
            raise PredicateError(call.location, f"predicate cycle: {cycle}")
        if len(chain) >= MAX_CALL_DEPTH:
            raise PredicateError(
                call.location, f"predicates call each other more than {MAX_CALL_DEPTH} deep"
            )
        if len(call.args) != len(d.params):
            raise PredicateError(
                call.location,
                f"predicate '{d.name}' takes {len(d.params)} argument(s) "
                f"({', '.join(d.params) or 'none'}), given {len(call.args)}",
            )
        args = {p: self.expand(a, chain) for p, a in zip(d.params, call.args, strict=True)}
        return self.expand(_substitute(d.body, args, d.name), (*chain, call.name))


def _substitute(e: Expr, args: Mapping[str, Expr], name: str) -> Expr:
    """``e`` (a predicate's body) with its parameters replaced by the call's arguments."""
    if not args:
        return e
    if isinstance(e, Ref):
        if e.const or e.root not in args:
            return e
        return _extend(args[e.root], e, name)
    if isinstance(e, Has):
        if e.ref.const or e.ref.root not in args:
            return e
        arg = _extend(args[e.ref.root], e.ref, name)
        if not isinstance(arg, Ref):
            raise PredicateError(
                e.location,
                f"has({e.ref.root}) in predicate '{name}' needs an argument path, "
                "but the call passes an expression",
            )
        return replace(e, ref=arg)
    if isinstance(e, And | Or):
        return replace(e, items=tuple(_substitute(i, args, name) for i in e.items))
    if isinstance(e, Not):
        return replace(e, expr=_substitute(e.expr, args, name))
    if isinstance(e, Compare):
        return replace(
            e, left=_substitute(e.left, args, name), right=_substitute(e.right, args, name)
        )
    if isinstance(e, Func):
        return replace(e, arg=_substitute(e.arg, args, name))
    if isinstance(e, Call):
        return replace(e, args=tuple(_substitute(a, args, name) for a in e.args))
    if isinstance(e, Quant):
        source = _substitute(e.source, args, name)
        inner = {k: v for k, v in args.items() if k != e.var}  # the body's own name shadows
        var, body = e.var, e.body
        used = set().union(*(_roots(v) for v in inner.values())) if inner else set()
        if var in used:  # an argument names it: rename the body's, never capture the caller's
            fresh = var
            while fresh in used or fresh in args:
                fresh += "_"
            body = _substitute(
                body, {var: Ref(fresh, False, (), file=e.file, line=e.line, column=e.column)}, name
            )
            var = fresh
        return replace(e, var=var, source=source, body=_substitute(body, inner, name))
    return e


def _extend(arg: Expr, use: Ref, name: str) -> Expr:
    """The argument at a parameter's use: ``p.address`` on ``to`` is ``to.address``."""
    if not use.segments:
        return arg
    if isinstance(arg, Ref):
        return replace(arg, segments=(*arg.segments, *use.segments))
    raise PredicateError(
        use.location,
        f"'{use.text()}' in predicate '{name}' takes a field of its parameter, "
        "but the call passes an expression, not an argument path",
    )


def _depth(e: Expr) -> int:
    """How deep a condition nests (a flat ``and``/``or`` chain is one level), without recursing."""
    deepest = 0
    stack: list[tuple[object, int]] = [(e, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(c, depth + 1) for c in children(node) if c is not None]
    return deepest


def _roots(e: Expr) -> set[str]:
    """Names an expression reads (arguments and bound names; constants excluded)."""
    out: set[str] = set()
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref) and not node.const:
            out.add(node.root)
        elif isinstance(node, Has) and not node.ref.const:
            out.add(node.ref.root)
        stack.extend(c for c in children(node) if c is not None)
    return out
