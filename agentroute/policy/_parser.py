"""Text → syntax tree, with a LALR grammar (lark) and positions on every node.

Any failure to parse, whatever the input, is a :class:`PolicySyntaxError` with a location.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from agentroute.policy._ast import (
    And,
    Compare,
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
from agentroute.policy._errors import Location, PolicySyntaxError

__all__ = ["GRAMMAR", "parse"]

GRAMMAR = r"""
start: _item*
_item: include | let_stmt | default_stmt | rule | scope_block

include: "include" string
let_stmt: "let" NAME "=" literal
default_stmt: "default" effect fallback?
scope_block: "scope" scope_kind SELECTOR "{" (default_stmt | rule)* "}"

rule: effect selector ("," selector)* _clause*
effect: ALLOW | DENY | ASK | STOP
selector: SELECTOR | string
_clause: when | priority | fallback | update
when: "when" expr
priority: "priority" NUMBER
fallback: "fallback" string          -> fb_message
        | "fallback" ASK string?     -> fb_ask
        | "fallback" STOP string?    -> fb_stop
update: "then" NARROWING? "{" rule* "}"

?expr: or_expr
?or_expr: and_expr | or_expr "or" and_expr      -> or_op
?and_expr: not_expr | and_expr "and" not_expr   -> and_op
?not_expr: "not" not_expr                       -> not_op
         | comparison
?comparison: operand
           | operand cmp_op operand             -> cmp
           | operand "in" operand               -> in_op
           | operand "not" "in" operand         -> not_in_op
           | operand str_op operand             -> str_cmp
?operand: literal
        | ref
        | func_name "(" expr ")"                -> func
        | "has" "(" ref ")"                     -> has
        | quant_kind "(" NAME "in" expr ":" expr ")" -> quant
        | "(" expr ")"

ref: (NAME | QNAME | CONST) seg*
?seg: "." (NAME | QNAME)       -> seg_field
    | "[" INT "]"              -> seg_index
    | "[" string "]"           -> seg_key

literal: string | NUMBER -> number | "true" -> true | "false" -> false | "null" -> null
       | "[" [literal ("," literal)* ","?] "]" -> list_lit

string: STRING | RAW_STRING

ALLOW: "allow"
DENY: "deny"
ASK: "ask"
STOP: "stop"
NARROWING: "narrowing"
!scope_kind: "agent" | "server"
!cmp_op: "==" | "!=" | "<=" | ">=" | "<" | ">"
!str_op: "matches" | "startswith" | "endswith" | "contains"
!func_name: "len" | "lower" | "normpath"
!quant_kind: "any" | "all"
NAME: /[A-Za-z_][A-Za-z0-9_]*/
QNAME: /`[^`\n]+`/
CONST: /\$[A-Za-z_][A-Za-z0-9_]*/
SELECTOR.-1: /[A-Za-z0-9_*?][A-Za-z0-9_*?\-.]*/
INT: /\d+/
NUMBER: /-?\d+(\.\d+)?([eE][+-]?\d+)?/
STRING: /"(?:[^"\\\x00-\x1f]|\\(?:["\\\/bfnrt]|u[0-9a-fA-F]{4}))*"/
RAW_STRING.2: /r"[^"\n]*"/
COMMENT: /#[^\n]*/
%import common.WS
%ignore WS
%ignore COMMENT
"""

_MAX_DEPTH = 64


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer="contextual", propagate_positions=True)


def _pos(meta_or_token: Any, file: str) -> dict[str, Any]:
    line = getattr(meta_or_token, "line", None) or 0
    column = getattr(meta_or_token, "column", None) or 0
    return {"file": file, "line": line, "column": column}


class _Build(Transformer[Token, Any]):
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
            raise _Fail("invalid string literal", tok) from exc
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise _Fail("string contains a lone surrogate escape", tok)
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
                raise _Fail("number out of range", tok)
        else:
            value = int(text)
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
        return int(c[0])

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
    def not_op(self, meta: Any, expr: Any) -> Not:
        return Not(expr, **self._p(meta))

    @v_args(meta=True, inline=True)
    def and_op(self, meta: Any, left: Any, right: Any) -> And:
        items = (*left.items, right) if isinstance(left, And) else (left, right)
        return And(items, **self._p(meta))

    @v_args(meta=True, inline=True)
    def or_op(self, meta: Any, left: Any, right: Any) -> Or:
        items = (*left.items, right) if isinstance(left, Or) else (left, right)
        return Or(items, **self._p(meta))

    # --- statements ----------------------------------------------------------------------
    @v_args(inline=True)
    def effect(self, tok: Token) -> Token:
        return tok

    @v_args(inline=True)
    def selector(self, value: Any) -> _Selector:
        return _Selector(str(value))

    @v_args(meta=True, inline=True)
    def when(self, meta: Any, expr: Any) -> tuple[str, Any]:
        return ("when", expr)

    @v_args(meta=True, inline=True)
    def priority(self, meta: Any, tok: Token) -> tuple[str, Any]:
        text = str(tok)
        if not re.fullmatch(r"-?\d+", text):
            raise _Fail("priority must be an integer", tok)
        return ("priority", int(text))

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
                    raise _Fail(f"the '{name}' clause is given twice in one rule", effect_tok)
                clauses[name] = value
        return Rule(str(effect_tok), tuple(selectors), **clauses, **self._p(meta))

    @v_args(meta=True)
    def default_stmt(self, meta: Any, c: list[Any]) -> Default:
        fb = c[1][1] if len(c) > 1 and c[1] is not None else None
        return Default(str(c[0]), fb, **self._p(meta))

    @v_args(meta=True, inline=True)
    def let_stmt(self, meta: Any, name: Token, value: Literal) -> Let:
        return Let(str(name), value.value, **self._p(meta))

    @v_args(meta=True, inline=True)
    def include(self, meta: Any, path: str) -> Include:
        return Include(path, **self._p(meta))

    @v_args(meta=True)
    def scope_block(self, meta: Any, c: list[Any]) -> Scope:
        kind, name = str(c[0]), str(c[1])
        if any(ch in name for ch in "*?"):
            raise _Fail("a scope name cannot contain a glob", c[1])
        return Scope(kind, name, tuple(c[2:]), **self._p(meta))

    @v_args(meta=True)
    def start(self, meta: Any, c: list[Any]) -> PolicyFile:
        return PolicyFile(tuple(c), file=self.file, line=1, column=1)


def _name(tok: Token) -> str:
    text = str(tok)
    return text[1:-1] if tok.type == "QNAME" else text


class _Selector(str):
    """A selector, kept apart from the (name, value) tuples of a rule's clauses."""


class _Fail(Exception):
    def __init__(self, message: str, where: Any) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def _depth_ok(text: str) -> int | None:
    """Offset of the first bracket nested deeper than the limit, else None."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            if depth > _MAX_DEPTH:
                return i
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _describe(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r}"
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of file"
    tok = getattr(exc, "token", None)
    expected = sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or [])
    hint = f"; expected one of: {', '.join(expected[:8])}" if expected else ""
    if tok is not None and getattr(tok, "type", "") == "$END":
        return "unexpected end of file" + hint
    return f"unexpected {str(tok)!r}{hint}"


def parse(text: str, file: str = "<text>") -> PolicyFile:
    """Parse policy text; raise :class:`PolicySyntaxError` (with file:line:col) on any failure."""
    deep = _depth_ok(text)
    if deep is not None:
        line, col = _line_col(text, deep)
        raise PolicySyntaxError(
            f"nesting deeper than {_MAX_DEPTH} levels", Location(file, line, col)
        )
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        line = exc.line if isinstance(exc.line, int) and exc.line > 0 else 0
        col = exc.column if isinstance(exc.column, int) and exc.column > 0 else 0
        tok = getattr(exc, "token", None)
        if line == 0 or isinstance(exc, UnexpectedEOF) or getattr(tok, "type", "") == "$END":
            line, col = _line_col(text, len(text.rstrip()))
        raise PolicySyntaxError(_describe(exc), Location(file, line, col)) from None
    except LarkError as exc:  # pragma: no cover - defensive: any other lark failure
        line, col = _line_col(text, len(text))
        raise PolicySyntaxError(str(exc), Location(file, line, col)) from None
    try:
        result = _Build(file).transform(tree)
    except RecursionError:
        raise PolicySyntaxError("expression nested too deeply", Location(file, 1, 1)) from None
    except LarkError as exc:
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, _Fail):
            where = inner.where
            loc = Location(file, getattr(where, "line", 0) or 0, getattr(where, "column", 0) or 0)
            raise PolicySyntaxError(inner.message, loc) from None
        raise PolicySyntaxError(str(inner), Location(file, 1, 1)) from None
    assert isinstance(result, PolicyFile)
    return result


def _unused(_: Tree[Token]) -> None:  # keep the Tree import meaningful for type checkers
    return None
