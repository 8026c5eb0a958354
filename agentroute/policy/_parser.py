"""Text → syntax tree, with a LALR grammar (lark) and positions on every node.

The grammar and the entry point live here; turning lark's tree into our nodes is ``_transform``.

Any failure to parse, whatever the input, is a :class:`PolicySyntaxError` with a location. The
limits below keep every later stage (checks, compilation, formatting, evaluation: all recursive
over the tree) far from Python's recursion limit, and parsing time bounded; each is reported at
the position where the input crosses it.
"""

from __future__ import annotations

import difflib
import threading
from functools import lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    VisitError,
)
from lark.lexer import PatternStr

from agentroute.policy._ast import (
    Def,
    PolicyFile,
    Rule,
    Scope,
    _Node,
    children,
)
from agentroute.policy._errors import Location, PolicySyntaxError
from agentroute.policy._transform import AstBuilder, BuildFailure

__all__ = ["GRAMMAR", "MAX_EXPR_DEPTH", "MAX_NESTING", "MAX_TEXT_CHARS", "parse"]

MAX_TEXT_CHARS = 1 << 20
"""Longest policy text parsed (1 Mi characters): ~10,000 rules; it bounds the time of a load."""
MAX_NESTING = 64
"""Deepest nesting of real brackets ``( [ {`` (those in strings and comments do not count)."""
MAX_EXPR_DEPTH = 100
"""Deepest condition (nested ``not``/comparisons/functions/``any``...; a flat ``and``/``or``
chain of any length is one level). Loading needs ~3 stack frames per level, deciding ~2: this
keeps both a few hundred frames deep, well inside Python's default limit of 1,000."""

GRAMMAR = r"""
start: _item*
_item: include | let_stmt | def_stmt | default_stmt | rule | scope_block

include: "include" string
let_stmt: "let" NAME "=" let_part ("+" let_part)*
let_part: literal | CONST
def_stmt: "def" NAME "(" [NAME ("," NAME)*] ")" "=" expr
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
?or_expr: and_expr
        | and_expr ("or" and_expr)+             -> or_op
?and_expr: not_expr
         | not_expr ("and" not_expr)+           -> and_op
?not_expr: "not" not_expr                       -> not_op
         | comparison
?comparison: operand
           | operand cmp_op operand             -> cmp
           | operand "in" operand               -> in_op
           | operand "not" "in" operand         -> not_in_op
           | operand str_op operand             -> str_cmp
           | operand "from" (NAME | string)    -> from_op
           | operand "only" "from" (NAME | string) -> only_from_op
?operand: literal
        | ref
        | func_name "(" expr ")"                -> func
        | "has" "(" ref ")"                     -> has
        | quant_kind "(" NAME "in" expr ":" expr ")" -> quant
        | NAME "(" [expr ("," expr)*] ")"        -> call
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

_SHOWN = 40  # characters of an unexpected token quoted in a message


class _Nesting(threading.local):
    """Bracket depth of the parse running on this thread (the lark parser is shared)."""

    depth = 0


_nesting = _Nesting()


class _TooDeep(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__(token)
        self.token = token


def _open(tok: Token) -> Token:
    """Lexer callback on real bracket tokens: strings and comments never reach it."""
    _nesting.depth += 1
    if _nesting.depth > MAX_NESTING:
        raise _TooDeep(tok)
    return tok


def _close(tok: Token) -> Token:
    _nesting.depth = max(0, _nesting.depth - 1)
    return tok


@lru_cache(maxsize=1)
def _parser() -> Lark:
    callbacks = {name: _open for name in ("LPAR", "LSQB", "LBRACE")}
    callbacks |= {name: _close for name in ("RPAR", "RSQB", "RBRACE")}
    return Lark(
        GRAMMAR,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        lexer_callbacks=callbacks,
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "...")


def _describe(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r}"
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of file"
    tok = getattr(exc, "token", None)
    names = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or []
    expected = sorted({_spelled(n) for n in names}, key=lambda w: (not w[:1].isalpha(), w))
    hint = f"; expected one of: {', '.join(expected)}" if expected else ""
    if tok is not None and getattr(tok, "type", "") == "$END":
        return "unexpected end of file" + hint
    words = [w for w in expected if w.isalpha()]
    near = difflib.get_close_matches(str(tok).lower(), words, n=1, cutoff=0.75)
    if near:  # a misspelt keyword: 'matchs', 'alow', 'priorty'
        return f"unexpected {_shown(str(tok))}; did you mean {near[0]!r}?"
    return f"unexpected {_shown(str(tok))}{hint}"


def _spelled(terminal: str) -> str:
    """A grammar terminal as a policy writes it: ``matches``, ``)``, not ``MATCHES``, ``RPAR``."""
    if terminal == "$END":
        return "end of file"
    try:
        pattern = _parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    return str(pattern.value) if isinstance(pattern, PatternStr) else terminal.lower()


def _where(file: str, obj: object) -> Location:
    """The position of a lark token or tree node (``meta``), at least 1:1."""
    meta = getattr(obj, "meta", obj)
    line = getattr(meta, "line", None)
    col = getattr(meta, "column", None)
    if not isinstance(line, int) or line < 1:
        return Location(file, 1, 1)
    return Location(file, line, col if isinstance(col, int) and col >= 1 else 1)


def _too_deep(tree: PolicyFile) -> _Node | None:
    """The first condition node nested deeper than ``MAX_EXPR_DEPTH`` (without recursing)."""
    stack: list[tuple[object, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Rule | Scope | PolicyFile | Def):
            depth = 0  # a condition's depth counts from its rule (or predicate)
        elif depth > MAX_EXPR_DEPTH and isinstance(node, _Node):
            return node
        stack.extend((c, depth + 1) for c in reversed(children(node)) if c is not None)
    return None


def parse(text: str, file: str = "<text>") -> PolicyFile:
    """Parse policy text; raise :class:`PolicySyntaxError` (with file:line:col) on any failure."""
    if len(text) > MAX_TEXT_CHARS:
        line, col = _line_col(text, MAX_TEXT_CHARS)
        raise PolicySyntaxError(
            f"policy too large: more than {MAX_TEXT_CHARS:,} characters", Location(file, line, col)
        )
    _nesting.depth = 0
    try:
        tree = _parser().parse(text)
    except _TooDeep as exc:
        raise PolicySyntaxError(
            f"nesting deeper than {MAX_NESTING} levels of brackets", _where(file, exc.token)
        ) from None
    except UnexpectedInput as exc:
        line = exc.line if isinstance(exc.line, int) and exc.line > 0 else 0
        col = exc.column if isinstance(exc.column, int) and exc.column > 0 else 0
        tok = getattr(exc, "token", None)
        if line == 0 or isinstance(exc, UnexpectedEOF) or getattr(tok, "type", "") == "$END":
            line, col = _line_col(text, len(text.rstrip()))
        raise PolicySyntaxError(_describe(exc), Location(file, line, max(col, 1))) from None
    except RecursionError:  # only when the caller left (almost) no stack: lark is iterative
        raise PolicySyntaxError(
            "out of stack while parsing (the caller is nested too deeply)", Location(file, 1, 1)
        ) from None
    except LarkError as exc:  # pragma: no cover - defensive: any other lark failure
        line, col = _line_col(text, len(text))
        raise PolicySyntaxError(str(exc), Location(file, line, col)) from None
    finally:
        _nesting.depth = 0
    try:
        result = AstBuilder(file).transform(tree)
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, BuildFailure):
            raise PolicySyntaxError(inner.message, _where(file, inner.where)) from None
        raise PolicySyntaxError(f"cannot read this: {inner!r}", _where(file, exc.obj)) from None
    except RecursionError:  # pragma: no cover - the transformer is iterative
        raise PolicySyntaxError(
            "out of stack while parsing (the caller is nested too deeply)", Location(file, 1, 1)
        ) from None
    assert isinstance(result, PolicyFile)
    deep = _too_deep(result)
    if deep is not None:
        raise PolicySyntaxError(
            f"condition nested too deeply (more than {MAX_EXPR_DEPTH} levels)", deep.location
        )
    return result


def _unused(_: Tree[Token]) -> None:  # keep the Tree import meaningful for type checkers
    return None
