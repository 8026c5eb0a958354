"""The compiled form of a policy: rule records in evaluation order, built from checked rules.

Why apart from loading: the gate uses these records at call time (ordering, glob selection,
instantiating ``then`` rules for the firing call) and never needs the file-loading machinery.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from typing import Any

from agentroute.policy._ast import And, Compare, Literal, Ref, Rule
from agentroute.policy._compile import compile_condition
from agentroute.policy._fmt import format_expr
from agentroute.policy._origins import DYNAMIC_CONSTANTS

__all__ = [
    "EFFECT_RANK",
    "CompiledRule",
    "DefaultEffect",
    "LoadedPolicy",
    "compile_rule",
    "is_glob",
    "substitute_call",
]


def is_glob(selector: str) -> bool:
    """Whether a rule selector is a glob pattern rather than one exact tool name."""
    return any(c in selector for c in "*?[")


EFFECT_RANK = {"stop": 0, "deny": 1, "ask": 2, "allow": 3}
"""At equal priority the stricter effect is evaluated first."""


@dataclass
class CompiledRule:
    """A rule ready to evaluate: its predicate is a closure, its order key precomputed."""

    id: str
    effect: str
    """The effect when it decides: allow / deny / ask / stop (fallback ask/stop folded in)."""
    priority: int
    selectors: tuple[str, ...]
    pred: Any
    message: str | None
    scope: str
    order: int
    source: str
    ast: Rule
    tools: tuple[str, ...] = ()
    sort_key: tuple[int, int, int, int] = (0, 0, 0, 0)
    verdict: Any = None
    """The (immutable) verdict this rule gives when it decides, built on first use."""
    guard: tuple[str, frozenset[str]] | None = None
    """``(arg, values)`` when the condition starts with ``arg in [strings]`` / ``arg == "s"``."""

    def selects(self, key: str) -> bool:
        return any(s == key or (is_glob(s) and fnmatch.fnmatchcase(key, s)) for s in self.selectors)


@dataclass
class DefaultEffect:
    """The effect of a ``default`` statement for one scope (fallback ask/stop folded in)."""

    effect: str
    message: str | None
    rule_id: str | None
    scope: str


@dataclass
class LoadedPolicy:
    """Everything a loaded policy evaluates with: compiled rules, defaults, constants."""

    rules: list[CompiledRule]
    defaults: dict[str, DefaultEffect]
    consts: dict[str, Any]
    schemas: dict[str, dict[str, Any]] | None
    files: list[str] = field(default_factory=list)
    version: str = ""
    """A content hash of every text the load parsed (files and includes, in order): which
    policy decided, stamped on every decision."""


def _specificity(selectors: tuple[str, ...]) -> int:
    best = 0
    for s in selectors:
        if not any(c in s for c in "*?["):
            best = max(best, 10_000)
        else:
            best = max(best, sum(1 for c in s if c not in "*?[]"))
    return best


def _final_effect(rule: Rule) -> str:
    if (
        rule.effect == "deny"
        and rule.fallback is not None
        and rule.fallback.kind in ("ask", "stop")
    ):
        return rule.fallback.kind
    return rule.effect


def _source(rule: Rule) -> str:
    text = f"{rule.effect} {', '.join(rule.selectors)}"
    if rule.when is not None:
        text += f" when {format_expr(rule.when)}"
    return text if len(text) <= 160 else text[:157] + "..."


def _guard(rule: Rule, consts: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    when = rule.when
    first = when.items[0] if isinstance(when, And) else when
    if not isinstance(first, Compare) or first.op not in ("in", "=="):
        return None
    left, right = first.left, first.right
    if not (isinstance(left, Ref) and not left.const and not left.segments):
        return None
    if isinstance(right, Literal):
        value: Any = right.value
    elif (
        isinstance(right, Ref)
        and right.const
        and right.root not in DYNAMIC_CONSTANTS
        and not right.segments
    ):
        value = consts.get(right.root)
    else:
        return None
    if first.op == "==" and isinstance(value, str):
        return (left.root, frozenset([value]))
    if (
        first.op == "in"
        and isinstance(value, list)
        and value
        and all(isinstance(v, str) for v in value)
    ):
        return (left.root, frozenset(value))
    return None


def compile_rule(
    rule: Rule, scope: str, order: int, consts: dict[str, Any], tools: tuple[str, ...] = ()
) -> CompiledRule:
    """Compile one checked rule; ``order`` is its position among all rules of the policy."""
    effect = _final_effect(rule)
    priority = rule.priority or 0
    spec = _specificity(rule.selectors)
    return CompiledRule(
        id=rule.rule_id,
        effect=effect,
        priority=priority,
        selectors=rule.selectors,
        pred=compile_condition(rule.when, consts) if rule.when is not None else None,
        message=rule.fallback.message if rule.fallback is not None else None,
        scope=scope,
        order=order,
        source=_source(rule),
        ast=rule,
        tools=tools,
        sort_key=(-priority, EFFECT_RANK[effect], -spec, order),
        guard=_guard(rule, consts),
    )


def substitute_call(rule: Rule, args: dict[str, Any]) -> Rule:
    """A copy of an update rule with every ``$call.x`` replaced by the firing call's value."""
    from agentroute.policy._compile import EvalError

    def sub(node: Any) -> Any:
        if isinstance(node, Ref) and node.const and node.root == "call":
            value: Any = args
            for seg in node.segments:
                try:
                    value = value[seg]
                except (KeyError, IndexError, TypeError):
                    raise EvalError(f"the firing call has no '{node.text()}'") from None
            return Literal(value, file=node.file, line=node.line, column=node.column)
        if hasattr(node, "__dataclass_fields__"):
            changes = {}
            for name in node.__dataclass_fields__:
                if name in ("file", "line", "column"):
                    continue
                v = getattr(node, name)
                if isinstance(v, tuple):
                    changes[name] = tuple(sub(x) for x in v)
                elif hasattr(v, "__dataclass_fields__"):
                    changes[name] = sub(v)
            return replace(node, **changes) if changes else node
        return node

    result = sub(rule)
    assert isinstance(result, Rule)
    return result
