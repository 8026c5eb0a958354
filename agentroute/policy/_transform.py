"""Lark parse tree → the policy syntax tree (``_ast`` dataclasses), positions on every node.

Why apart from ``_parser``: the grammar and the parse entry point (error locations, nesting
limit) are one concern; how each grammar rule becomes a node, and the checks only possible on
the tree (string escapes, number range, duplicate clauses), are another.

The builder is non-recursive and ``and``/``or`` chains arrive flat, so neither the depth nor the
length of a condition can exhaust the stack here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lark import Token, Transformer_NonRecursive, v_args

from agentroute.policy._ast import (
    And,
    Call,
    Compare,
    Def,
    Default,
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
    Update,
)
from agentroute.policy._origins import ORIGIN_KINDS
from agentroute.policy._values import VALUE_FUNCTIONS

__all__ = ["MAX_SELECTOR_CHARS", "AstBuilder", "BuildFailure"]

MAX_SELECTOR_CHARS = 256
"""Longest rule selector: twice the longest tool name MCP recommends, and short enough that
matching a glob (whose translation to a regex can be quadratic) stays cheap."""


def _pos(meta_or_token: Any, file: str) -> dict[str, Any]:
    line = getattr(meta_or_token, "line", None) or 0
    column = getattr(meta_or_token, "column", None) or 0
    return {"file": file, "line": line, "column": column}


class AstBuilder(Transformer_NonRecursive[Token, Any]):
    """Lark tree → our dataclasses (positions from lark's meta)."""

    def __init__(self, file: str) -> None:
        super().__init__(visit_tokens=False)
        self.file = file

    def _p(self, m: Any) -> dict[str, Any]:
        return _pos(m, self.file)

    @v_args(inline=True)
    def scope_kind(self, tok: Token) -> Token:
        return tok

    cmp_op = str_op = func_name = quant_kind = scope_kind

    # --- literals -------------------------------------------------------------------------
    @v_args(inline=True)
    def string(self, tok: Token) -> str:
        text = str(tok)
        if text.startswith("r"):
            return text[2:-1]
        try:
            value = json.loads(text)
        except ValueError as exc:  # pragma: no cover - the regex only admits JSON strings
            raise BuildFailure("invalid string literal", tok) from exc
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise BuildFailure("string contains a lone surrogate escape", tok)
        return str(value)

    @v_args(meta=True)
    def literal(self, meta: Any, children: list[Any]) -> Literal:
        return Literal(children[0], **self._p(meta))

    @v_args(meta=True, inline=True)
    def number(self, meta: Any, tok: Token) -> Literal:
        text = str(tok)
        if "." in text or "e" in text or "E" in text:
            value: Any = float(text)
            if value != value or value in (float("inf"), float("-inf")):
                raise BuildFailure("number out of range", tok)
        else:
            value = _int(tok)
        return Literal(value, **self._p(meta))

    @v_args(meta=True)
    def true(self, meta: Any, _: list[Any]) -> Literal:
        return Literal(True, **self._p(meta))

    @v_args(meta=True)
    def false(self, meta: Any, _: list[Any]) -> Literal:
        return Literal(False, **self._p(meta))

    @v_args(meta=True)
    def null(self, meta: Any, _: list[Any]) -> Literal:
        return Literal(None, **self._p(meta))

    @v_args(meta=True)
    def list_lit(self, meta: Any, children: list[Any]) -> Literal:
        return Literal([c.value for c in children if c is not None], **self._p(meta))

    # --- references and expressions ------------------------------------------------------
    def seg_field(self, c: list[Any]) -> str:
        return _name(c[0])

    def seg_index(self, c: list[Any]) -> int:
        return _int(c[0])

    def seg_key(self, c: list[Any]) -> str:
        return str(c[0])

    @v_args(meta=True)
    def ref(self, meta: Any, c: list[Any]) -> Ref:
        root = _name(c[0])
        const = c[0].type == "CONST"
        return Ref(root[1:] if const else root, const, tuple(c[1:]), **self._p(meta))

    @v_args(meta=True, inline=True)
    def func(self, meta: Any, name: Token, arg: Any) -> Func:
        return Func(str(name), arg, **self._p(meta))

    @v_args(meta=True, inline=True)
    def has(self, meta: Any, ref: Ref) -> Has:
        return Has(ref, **self._p(meta))

    @v_args(meta=True, inline=True)
    def quant(self, meta: Any, kind: Token, var: Token, source: Any, body: Any) -> Quant:
        return Quant(str(kind), str(var), source, body, **self._p(meta))

    @v_args(meta=True, inline=True)
    def cmp(self, meta: Any, left: Any, op: Token, right: Any) -> Compare:
        return Compare(str(op), left, right, **self._p(meta))

    @v_args(meta=True, inline=True)
    def str_cmp(self, meta: Any, left: Any, op: Token, right: Any) -> Compare:
        return Compare(str(op), left, right, **self._p(meta))

    @v_args(meta=True, inline=True)
    def in_op(self, meta: Any, left: Any, right: Any) -> Compare:
        return Compare("in", left, right, **self._p(meta))

    @v_args(meta=True, inline=True)
    def not_in_op(self, meta: Any, left: Any, right: Any) -> Compare:
        return Compare("not in", left, right, **self._p(meta))

    @v_args(meta=True, inline=True)
    def from_op(self, meta: Any, left: Any, origin: Any) -> Compare:
        return self._origin(meta, left, origin, "from")

    @v_args(meta=True, inline=True)
    def only_from_op(self, meta: Any, left: Any, origin: Any) -> Compare:
        return self._origin(meta, left, origin, "only from")

    def _origin(self, meta: Any, left: Any, origin: Any, op: str) -> Compare:
        if isinstance(origin, Token) and str(origin) not in ORIGIN_KINDS:
            kinds = ", ".join(ORIGIN_KINDS)
            raise BuildFailure(
                f"unknown origin '{origin}': one of {kinds}, or a quoted target pattern", origin
            )
        return Compare(op, left, Literal(str(origin), **self._p(meta)), **self._p(meta))

    @v_args(meta=True, inline=True)
    def not_op(self, meta: Any, expr: Any) -> Not:
        return Not(expr, **self._p(meta))

    # A chain arrives flat (``a or b or c``: one node, three children). A parenthesised chain
    # in first place joins it, as the left-recursive grammar this replaced did: same trees.
    @v_args(meta=True)
    def and_op(self, meta: Any, c: list[Any]) -> And:
        head = c[0].items if isinstance(c[0], And) else (c[0],)
        return And((*head, *c[1:]), **self._p(meta))

    @v_args(meta=True)
    def or_op(self, meta: Any, c: list[Any]) -> Or:
        head = c[0].items if isinstance(c[0], Or) else (c[0],)
        return Or((*head, *c[1:]), **self._p(meta))

    # --- statements ----------------------------------------------------------------------
    @v_args(inline=True)
    def effect(self, tok: Token) -> Token:
        return tok

    @v_args(meta=True, inline=True)
    def selector(self, meta: Any, value: Any) -> _Selector:
        if len(value) > MAX_SELECTOR_CHARS:  # fnmatch is quadratic in unclosed '['
            raise BuildFailure(f"selector longer than {MAX_SELECTOR_CHARS} characters", meta)
        return _Selector(str(value))

    @v_args(meta=True, inline=True)
    def when(self, meta: Any, expr: Any) -> tuple[str, Any]:
        return ("when", expr)

    @v_args(meta=True, inline=True)
    def priority(self, meta: Any, tok: Token) -> tuple[str, Any]:
        text = str(tok)
        if not re.fullmatch(r"-?\d+", text):
            raise BuildFailure("priority must be an integer", tok)
        return ("priority", _int(tok))

    @v_args(meta=True)
    def fb_message(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("fallback", Fallback("message", c[0], **self._p(meta)))

    @v_args(meta=True)
    def fb_ask(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("fallback", Fallback("ask", c[1] if len(c) > 1 else None, **self._p(meta)))

    @v_args(meta=True)
    def fb_stop(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return ("fallback", Fallback("stop", c[1] if len(c) > 1 else None, **self._p(meta)))

    @v_args(meta=True)
    def update(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        narrowing = bool(c) and isinstance(c[0], Token) and c[0].type == "NARROWING"
        rules = tuple(r for r in c if isinstance(r, Rule))
        return ("update", Update(narrowing, rules, **self._p(meta)))

    @v_args(meta=True)
    def rule(self, meta: Any, c: list[Any]) -> Rule:
        effect_tok: Token = c[0]
        selectors: list[str] = []
        clauses: dict[str, Any] = {}
        for item in c[1:]:
            if isinstance(item, _Selector):
                selectors.append(str(item))
            else:
                name, value = item
                if name in clauses:
                    raise BuildFailure(
                        f"the '{name}' clause is given twice in one rule", effect_tok
                    )
                clauses[name] = value
        return Rule(str(effect_tok), tuple(selectors), **clauses, **self._p(meta))

    @v_args(meta=True)
    def default_stmt(self, meta: Any, c: list[Any]) -> Default:
        fb = c[1][1] if len(c) > 1 and c[1] is not None else None
        return Default(str(c[0]), fb, **self._p(meta))

    @v_args(meta=True, inline=True)
    def let_part(self, meta: Any, part: Any) -> Literal | Ref:
        if isinstance(part, Token):  # $other: a constant defined before
            return Ref(str(part)[1:], True, (), **self._p(meta))
        return part  # type: ignore[no-any-return]

    @v_args(meta=True)
    def let_stmt(self, meta: Any, c: list[Any]) -> Let:
        return Let(str(c[0]), tuple(c[1:]), **self._p(meta))

    @v_args(meta=True)
    def def_stmt(self, meta: Any, c: list[Any]) -> Def:
        name, *params, body = c
        if str(name) in VALUE_FUNCTIONS:
            raise BuildFailure(
                f"'{name}' is a built-in function: name the predicate otherwise", name
            )
        names = tuple(str(p) for p in params if p is not None)
        if len(set(names)) != len(names):
            raise BuildFailure(f"predicate '{name}' names a parameter twice", name)
        return Def(str(name), names, body, **self._p(meta))

    @v_args(meta=True)
    def call(self, meta: Any, c: list[Any]) -> Call | Func:
        name, args = str(c[0]), tuple(a for a in c[1:] if a is not None)
        if name in VALUE_FUNCTIONS:  # not keywords: an argument may still be called `date`
            if len(args) != 1:
                raise BuildFailure(f"{name}() takes one argument, given {len(args)}", c[0])
            return Func(name, args[0], **self._p(meta))
        return Call(name, args, **self._p(meta))

    @v_args(meta=True, inline=True)
    def include(self, meta: Any, path: str) -> Include:
        return Include(path, **self._p(meta))

    @v_args(meta=True)
    def scope_block(self, meta: Any, c: list[Any]) -> Scope:
        kind, name = str(c[0]), str(c[1])
        if any(ch in name for ch in "*?"):
            raise BuildFailure("a scope name cannot contain a glob", c[1])
        return Scope(kind, name, tuple(c[2:]), **self._p(meta))

    @v_args(meta=True)
    def start(self, meta: Any, c: list[Any]) -> PolicyFile:
        return PolicyFile(tuple(c), file=self.file, line=1, column=1)


def _int(tok: Token) -> int:
    """``int(tok)``, located: Python refuses to convert more than ~4,300 digits."""
    try:
        return int(str(tok))
    except ValueError:
        digits = sum(ch.isdigit() for ch in str(tok))
        raise BuildFailure(f"integer with too many digits ({digits:,})", tok) from None


def _name(tok: Token) -> str:
    text = str(tok)
    return text[1:-1] if tok.type == "QNAME" else text


class _Selector(str):
    """A selector, kept apart from the (name, value) tuples of a rule's clauses."""


class BuildFailure(Exception):
    """A problem found while building the tree; ``parse`` turns it into a located syntax error."""

    def __init__(self, message: str, where: Any) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
