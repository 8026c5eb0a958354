"""Conditions → Python closures, compiled once at load time.

A compiled predicate takes ``(args, env)`` (``env`` holds names bound by ``any``/``all``) and
returns a bool or raises :class:`EvalError`; the engine turns that into a deny (fail closed).
Comparisons are type-strict: ``"5" == 5`` is an error, not ``False``; booleans are not numbers.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import Any

from agentroute.policy._ast import And, Compare, Expr, Func, Has, Literal, Not, Or, Quant, Ref
from agentroute.policy._origins import (
    DYNAMIC_CONSTANTS,
    ORIGINS_KEY,
    REQUEST_KEY,
    origin_matches,
)
from agentroute.policy._values import VALUE_FUNCTIONS

__all__ = ["EvalError", "Getter", "Predicate", "compile_condition"]

Getter = Callable[[dict[str, Any], dict[str, Any]], Any]
Predicate = Callable[[dict[str, Any], dict[str, Any]], bool]


class EvalError(Exception):
    """A condition could not be evaluated (missing argument, wrong type, ...)."""


def _tname(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _same_kind(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    if _is_num(a):
        return _is_num(b)
    return type(a) is type(b) or (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)))


def _eq(a: Any, b: Any) -> bool:
    if not _same_kind(a, b):
        raise EvalError(f"cannot compare {_tname(a)} {a!r} with {_tname(b)} {b!r}")
    return bool(a == b)


def _ordered(a: Any, b: Any) -> None:
    if not ((_is_num(a) and _is_num(b)) or (isinstance(a, str) and isinstance(b, str))):
        raise EvalError(f"cannot order {_tname(a)} {a!r} against {_tname(b)} {b!r}")


def _normpath(path: str) -> str:
    """Lexically resolve ``.``/``..``/``//`` (posix), keeping a trailing slash off."""
    if not path:
        return path
    return posixpath.normpath(path)


def _getter(ref: Ref, bound: frozenset[str], consts: dict[str, Any]) -> Getter:
    segs = ref.segments
    name = ref.root
    if ref.const and name == "request":

        def request(a: dict[str, Any], e: dict[str, Any]) -> Any:
            try:
                return e[REQUEST_KEY]
            except KeyError:
                raise EvalError("the user's request is not known (a call outside a turn)") from None

        return request
    if ref.const:
        value: Any = consts[name]
        for seg in segs:
            value = value[seg]
        return lambda a, e: value
    text = ref.text()
    if name in bound:

        def base(a: dict[str, Any], e: dict[str, Any]) -> Any:
            return e[name]

    else:

        def base(a: dict[str, Any], e: dict[str, Any]) -> Any:
            try:
                return a[name]
            except KeyError:
                raise EvalError(f"argument '{name}' is missing from the call") from None

    if not segs:
        return base

    def walk(a: dict[str, Any], e: dict[str, Any]) -> Any:
        v = base(a, e)
        for seg in segs:
            if isinstance(seg, int):
                if not isinstance(v, list) or seg >= len(v):
                    raise EvalError(f"'{text}': no element [{seg}]")
                v = v[seg]
            else:
                if not isinstance(v, dict) or seg not in v:
                    raise EvalError(f"'{text}': no field '{seg}'")
                v = v[seg]
        return v

    return walk


def _value(e: Expr, bound: frozenset[str], consts: dict[str, Any]) -> Getter:
    if isinstance(e, Literal):
        v = e.value
        return lambda a, env: v
    if isinstance(e, Ref):
        return _getter(e, bound, consts)
    if isinstance(e, Func):
        inner = _value(e.arg, bound, consts)
        if e.name == "len":

            def length(a: dict[str, Any], env: dict[str, Any]) -> Any:
                v = inner(a, env)
                if not isinstance(v, (str, list, dict)):
                    raise EvalError(f"len() of a {_tname(v)}")
                return len(v)

            return length

        fn: Callable[[str], Any] = (
            str.lower
            if e.name == "lower"
            else _normpath
            if e.name == "normpath"
            else VALUE_FUNCTIONS[e.name]
        )
        name = e.name

        def strfunc(a: dict[str, Any], env: dict[str, Any]) -> Any:
            v = inner(a, env)
            if not isinstance(v, str):
                raise EvalError(f"{name}() of a {_tname(v)}")
            try:
                return fn(v)
            except ValueError as exc:  # a link or date it cannot read: fail closed
                raise EvalError(f"{name}(): {exc}") from None

        return strfunc
    pred = _pred(e, bound, consts)
    return pred


def _membership(
    right: Expr, bound: frozenset[str], consts: dict[str, Any]
) -> Callable[[Any, dict[str, Any], dict[str, Any]], bool]:
    static: Any = None
    if isinstance(right, Literal):
        static = right.value
    elif isinstance(right, Ref) and right.const:
        static = _getter(right, bound, consts)({}, {})
    if isinstance(static, list) and static and all(isinstance(x, str) for x in static):
        strings = frozenset(static)

        def in_strings(v: Any, a: dict[str, Any], env: dict[str, Any]) -> bool:
            if not isinstance(v, str):
                raise EvalError(f"'in' looks for a {_tname(v)} in a list of strings")
            return v in strings

        return in_strings
    get = _value(right, bound, consts)

    def in_list(v: Any, a: dict[str, Any], env: dict[str, Any]) -> bool:
        seq = get(a, env)
        if not isinstance(seq, list):
            raise EvalError(f"'in' needs a list on the right, got a {_tname(seq)}")
        return any(_same_kind(v, x) and v == x for x in seq)

    return in_list


def _fast_compare(e: Compare, bound: frozenset[str], consts: dict[str, Any]) -> Predicate | None:
    """One closure for the common shape ``arg OP literal`` (no nested getter calls)."""
    left, right = e.left, e.right
    if not (
        isinstance(left, Ref) and not left.const and not left.segments and left.root not in bound
    ):
        return None
    if isinstance(right, Literal):
        lit: Any = right.value
    elif isinstance(right, Ref) and right.const and right.root not in DYNAMIC_CONSTANTS:
        lit = _getter(right, bound, consts)({}, {})
    else:
        return None
    name, op = left.root, e.op

    def arg(a: dict[str, Any]) -> Any:
        try:
            return a[name]
        except KeyError:
            raise EvalError(f"argument '{name}' is missing from the call") from None

    if (
        op in ("in", "not in")
        and isinstance(lit, list)
        and lit
        and all(isinstance(x, str) for x in lit)
    ):
        strings, negate = frozenset(lit), op == "not in"

        def in_set(a: dict[str, Any], env: dict[str, Any]) -> bool:
            v = a[name] if name in a else arg(a)
            if type(v) is not str:
                raise EvalError(f"'in' looks for a {_tname(v)} in a list of strings")
            return (v in strings) is not negate

        return in_set
    if isinstance(lit, str) and op in ("startswith", "endswith", "matches"):
        test: Callable[[str], Any]
        if op == "matches":
            test = re.compile(lit).fullmatch
        else:
            test = (
                (lambda v: v.startswith(lit)) if op == "startswith" else (lambda v: v.endswith(lit))
            )

        def str_test(a: dict[str, Any], env: dict[str, Any]) -> bool:
            v = a[name] if name in a else arg(a)
            if type(v) is not str:
                raise EvalError(f"'{op}' on a {_tname(v)}")
            return bool(test(v))

        return str_test
    if _is_num(lit) and op in ("<", "<=", ">", ">="):
        import operator

        fn = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[op]

        def num_test(a: dict[str, Any], env: dict[str, Any]) -> bool:
            v = a[name] if name in a else arg(a)
            if not _is_num(v):
                raise EvalError(f"cannot order {_tname(v)} {v!r} against number {lit!r}")
            return bool(fn(v, lit))

        return num_test
    return None


def _from(e: Compare) -> Predicate:
    """``arg from origin``: over the labels the call carries (``ORIGINS_KEY`` in the env); a
    call without any is an evaluation error, so a provenance rule fails closed."""
    assert isinstance(e.left, Ref) and isinstance(e.right, Literal)
    root, want, text, only = e.left.root, str(e.right.value), e.left.text(), e.op == "only from"

    def came_from(a: dict[str, Any], env: dict[str, Any]) -> bool:
        origins = env.get(ORIGINS_KEY)
        if origins is None:
            raise EvalError(f"the call carries no provenance, so '{text} {e.op} {want}' is unknown")
        labels = origins.get(root, ())
        if only:  # every label of that origin (and at least one)
            return bool(labels) and all(origin_matches((label,), want) for label in labels)
        return origin_matches(labels, want)

    return came_from


def _compare(e: Compare, bound: frozenset[str], consts: dict[str, Any]) -> Predicate:
    if e.op in ("from", "only from"):
        return _from(e)
    fast = _fast_compare(e, bound, consts)
    if fast is not None:
        return fast
    left = _value(e.left, bound, consts)
    op = e.op
    if op in ("in", "not in"):
        member = _membership(e.right, bound, consts)
        if op == "in":
            return lambda a, env: member(left(a, env), a, env)
        return lambda a, env: not member(left(a, env), a, env)
    right = _value(e.right, bound, consts)
    if op == "==":
        return lambda a, env: _eq(left(a, env), right(a, env))
    if op == "!=":
        return lambda a, env: not _eq(left(a, env), right(a, env))
    if op in ("<", "<=", ">", ">="):
        import operator

        fn = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[op]

        def order(a: dict[str, Any], env: dict[str, Any]) -> bool:
            x, y = left(a, env), right(a, env)
            _ordered(x, y)
            return bool(fn(x, y))

        return order
    if op == "matches":
        pattern = re.compile(right({}, {}))
        full = pattern.fullmatch

        def matches(a: dict[str, Any], env: dict[str, Any]) -> bool:
            v = left(a, env)
            if not isinstance(v, str):
                raise EvalError(f"'matches' on a {_tname(v)}")
            return full(v) is not None

        return matches
    if op in ("startswith", "endswith"):
        method = str.startswith if op == "startswith" else str.endswith

        def affix(a: dict[str, Any], env: dict[str, Any]) -> bool:
            v, w = left(a, env), right(a, env)
            if not isinstance(v, str) or not isinstance(w, str):
                raise EvalError(f"'{op}' on {_tname(v)} and {_tname(w)}")
            return method(v, w)

        return affix
    if op == "contains":

        def contains(a: dict[str, Any], env: dict[str, Any]) -> bool:
            v, w = left(a, env), right(a, env)
            if isinstance(v, str):
                if not isinstance(w, str):
                    raise EvalError(f"a string cannot contain a {_tname(w)}")
                return w in v
            if isinstance(v, list):
                return any(_same_kind(x, w) and x == w for x in v)
            raise EvalError(f"'contains' on a {_tname(v)}")

        return contains
    raise EvalError(f"unknown operator {op}")  # pragma: no cover - the grammar admits no other


def _truth(get: Getter, what: str) -> Predicate:
    def truth(a: dict[str, Any], env: dict[str, Any]) -> bool:
        v = get(a, env)
        if not isinstance(v, bool):
            raise EvalError(f"{what} is a {_tname(v)}, not true/false")
        return v

    return truth


def _pred(e: Expr, bound: frozenset[str], consts: dict[str, Any]) -> Predicate:
    if isinstance(e, Compare):
        return _compare(e, bound, consts)
    if isinstance(e, And):
        parts = tuple(_pred(i, bound, consts) for i in e.items)
        if len(parts) == 2:
            p, q = parts
            return lambda a, env: p(a, env) and q(a, env)
        return lambda a, env: all(p(a, env) for p in parts)
    if isinstance(e, Or):
        parts = tuple(_pred(i, bound, consts) for i in e.items)
        if len(parts) == 2:
            p, q = parts
            return lambda a, env: p(a, env) or q(a, env)
        return lambda a, env: any(p(a, env) for p in parts)
    if isinstance(e, Not):
        inner = _pred(e.expr, bound, consts)
        return lambda a, env: not inner(a, env)
    if isinstance(e, Has):
        ref = e.ref
        get = _getter(ref, bound, consts)

        def has(a: dict[str, Any], env: dict[str, Any]) -> bool:
            try:
                return get(a, env) is not None
            except EvalError:
                return False

        return has
    if isinstance(e, Quant):
        source = _value(e.source, bound, consts)
        body = _pred(e.body, bound | {e.var}, consts)
        var, kind = e.var, e.kind

        def quant(a: dict[str, Any], env: dict[str, Any]) -> bool:
            seq = source(a, env)
            if not isinstance(seq, list):
                raise EvalError(f"{kind}() over a {_tname(seq)}, not a list")
            inner = dict(env)
            for item in seq:
                inner[var] = item
                hit = body(a, inner)
                if kind == "any" and hit:
                    return True
                if kind == "all" and not hit:
                    return False
            return kind == "all"

        return quant
    if isinstance(e, Literal):
        v = e.value
        if not isinstance(v, bool):
            raise EvalError(f"a condition must be true/false, not {v!r}")
        return lambda a, env: v
    return _truth(_value(e, bound, consts), f"'{e.text()}'" if isinstance(e, Ref) else "the value")


def compile_condition(e: Expr, consts: dict[str, Any]) -> Predicate:
    """Compile a (checked) condition. ``consts`` must hold every ``$name`` it uses."""
    return _pred(e, frozenset(), consts)
