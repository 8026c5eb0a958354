"""Text → syntax tree, with a LALR grammar (lark) and positions on every node.

The grammar and the entry point live here; turning lark's tree into our nodes is ``_transform``.

Any failure to parse, whatever the input, is a :class:`PolicySyntaxError` with a location.
"""

from __future__ import annotations

from functools import lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from agentroute.policy._ast import PolicyFile
from agentroute.policy._errors import Location, PolicySyntaxError
from agentroute.policy._transform import AstBuilder, BuildFailure

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
        result = AstBuilder(file).transform(tree)
    except RecursionError:
        raise PolicySyntaxError("expression nested too deeply", Location(file, 1, 1)) from None
    except LarkError as exc:
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, BuildFailure):
            where = inner.where
            loc = Location(file, getattr(where, "line", 0) or 0, getattr(where, "column", 0) or 0)
            raise PolicySyntaxError(inner.message, loc) from None
        raise PolicySyntaxError(str(inner), Location(file, 1, 1)) from None
    assert isinstance(result, PolicyFile)
    return result


def _unused(_: Tree[Token]) -> None:  # keep the Tree import meaningful for type checkers
    return None
