"""``agentroute policy lint``: rules that can never decide, rules written twice, and equal
priorities whose outcome only the tie rule settles.

A loaded policy is valid; this finds what is valid but almost surely not meant. Each target's
rules are walked in evaluation order (``Policy.rules_for``): after a rule without a condition,
nothing is tried for that target. A rule never tried for any target it selects is unreachable.
Two rules of different effects at the same implicit priority, whose conditions can hold at
once, are decided by "restrictive first": a policy author who left priorities out may not
know, and six benign calls of a real replay turned into asks that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agentroute.policy._compiled import CompiledRule, is_glob
from agentroute.policy._fmt import format_expr
from agentroute.policy._policy import Policy

__all__ = ["Finding", "lint_policy"]

FindingKind = Literal["unreachable", "duplicate", "tie"]


@dataclass(frozen=True)
class Finding:
    """One thing a policy author should look at, at the rule it concerns."""

    rule: str
    """``file:line`` of the rule."""
    kind: FindingKind
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.kind}: {self.message}"


def lint_policy(policy: Policy, agent: str | None = None) -> list[Finding]:
    """Every finding, in file order, for the gate of ``agent`` (scoped rules included)."""
    keys = _keys(policy)
    tried: dict[str, set[str]] = {}
    blocked: dict[str, dict[str, str]] = {}
    ties: dict[tuple[str, str], str] = {}
    for key in keys:
        first_unconditional: CompiledRule | None = None
        previous: list[CompiledRule] = []
        for rule in policy.rules_for(key, agent):
            if first_unconditional is not None:
                blocked.setdefault(rule.id, {})[key] = first_unconditional.id
                continue
            tried.setdefault(rule.id, set()).add(key)
            for earlier in previous:
                if _tie(earlier, rule):
                    ties.setdefault((earlier.id, rule.id), key)
            previous.append(rule)
            if rule.pred is None:
                first_unconditional = rule
    findings: list[Finding] = []
    by_id = {r.id: r for r in policy.rules}
    for rule_id, where in blocked.items():
        if rule_id in tried:
            continue  # decides for some target it selects: an exception carved out, as meant
        blockers = sorted(set(where.values()))
        findings.append(
            Finding(
                rule_id,
                "unreachable",
                f"never tried: {', '.join(blockers)} decide(s) every call first "
                f"({', '.join(sorted(where)[:3])}{', ...' if len(where) > 3 else ''})",
            )
        )
    seen: dict[tuple[object, ...], str] = {}
    for rule in policy.rules:
        when = format_expr(rule.ast.when) if rule.ast.when is not None else ""
        shape = (rule.effect, frozenset(rule.selectors), when, rule.priority, rule.scope)
        if shape in seen:
            findings.append(Finding(rule.id, "duplicate", f"the same rule as {seen[shape]}"))
        else:
            seen[shape] = rule.id
    for (first, second), key in ties.items():
        a, b = by_id[first], by_id[second]
        findings.append(
            Finding(
                second,
                "tie",
                f"for {key}, '{a.effect}' at {first} is tried before this '{b.effect}' only because "
                f"both are at priority {a.priority} (restrictive first); when both conditions "
                "hold, the first decides: give them priorities to say which",
            )
        )
    return sorted(findings, key=lambda f: _order(f.rule))


def _keys(policy: Policy) -> list[str]:
    """The targets to walk: the schemas' tools, else every exact name a rule selects (a glob
    alone stands for itself)."""
    if policy.schemas is not None:
        return sorted(policy.schemas)
    names = {s for r in policy.rules for s in r.selectors}
    return sorted(s for s in names if not is_glob(s)) or sorted(names)


def _tie(a: CompiledRule, b: CompiledRule) -> bool:
    """``a`` before ``b`` only by effect at an implicit equal priority, and both can hold."""
    if a.effect == b.effect or a.priority != b.priority:
        return False
    if a.ast.priority is not None or b.ast.priority is not None:
        return False  # the author wrote the priorities: the order is theirs
    if a.guard is not None and b.guard is not None and a.guard[0] == b.guard[0]:
        return bool(a.guard[1] & b.guard[1])  # disjoint values of one argument: never both
    return True


def _order(rule_id: str) -> tuple[str, int]:
    file, _, line = rule_id.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)
