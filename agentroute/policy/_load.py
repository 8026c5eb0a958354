"""Files → one validated, compiled :class:`Policy` (includes, constants, scopes, checks)."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from agentroute.policy._ast import (
    And,
    Compare,
    Default,
    Include,
    Let,
    Literal,
    PolicyFile,
    Ref,
    Rule,
    Scope,
    Update,
)
from agentroute.policy._check import CheckContext, check_condition
from agentroute.policy._compile import compile_condition
from agentroute.policy._errors import Location, PolicyValidationError
from agentroute.policy._fmt import format_expr
from agentroute.policy._parser import parse

__all__ = [
    "CheckContext",
    "CompiledRule",
    "LoadedPolicy",
    "compile_rule",
    "load_files",
    "load_text",
    "substitute_call",
]


def _is_glob(selector: str) -> bool:
    return any(c in selector for c in "*?[")


EFFECT_RANK = {"stop": 0, "deny": 1, "ask": 2, "allow": 3}


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
        return any(
            s == key or (_is_glob(s) and fnmatch.fnmatchcase(key, s)) for s in self.selectors
        )


@dataclass
class DefaultEffect:
    effect: str
    message: str | None
    rule_id: str | None
    scope: str


@dataclass
class LoadedPolicy:
    rules: list[CompiledRule]
    defaults: dict[str, DefaultEffect]
    consts: dict[str, Any]
    schemas: dict[str, dict[str, Any]] | None
    files: list[str] = field(default_factory=list)


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


class _Loader:
    def __init__(self, schemas: dict[str, dict[str, Any]] | None) -> None:
        self.schemas = schemas
        self.issues: list[tuple[Location, str]] = []
        self.consts: dict[str, Any] = {}
        self.const_at: dict[str, Location] = {}
        self.defaults: dict[str, tuple[Default, str]] = {}
        self.rules: list[tuple[Rule, str]] = []
        self.files: list[str] = []
        self._stack: list[str] = []

    def add_file(self, tree: PolicyFile, path: Path | None) -> None:
        for item in tree.items:
            if isinstance(item, Include):
                self._include(item, path)
            elif isinstance(item, Let):
                if item.name in self.consts:
                    self.issues.append(
                        (
                            item.location,
                            f"constant '{item.name}' already defined at {self.const_at[item.name]}",
                        )
                    )
                self.consts[item.name] = item.value
                self.const_at[item.name] = item.location
            elif isinstance(item, Default):
                self._default(item, "file")
            elif isinstance(item, Rule):
                self.rules.append((item, "file"))
            elif isinstance(item, Scope):
                scope = f"{item.kind}:{item.name}"
                for inner in item.items:
                    if isinstance(inner, Default):
                        self._default(inner, scope)
                    else:
                        if item.kind == "server":
                            for sel in inner.selectors:
                                if not sel.startswith(item.name + "."):
                                    self.issues.append(
                                        (
                                            inner.location,
                                            f"rule selects '{sel}' inside 'scope server {item.name}': selectors there must start with '{item.name}.'",
                                        )
                                    )
                        self.rules.append((inner, scope))

    def _default(self, d: Default, scope: str) -> None:
        if scope in self.defaults:
            self.issues.append(
                (
                    d.location,
                    f"a default for {scope} is already set at {self.defaults[scope][0].location}",
                )
            )
        if d.effect == "allow" and d.fallback is not None:
            self.issues.append((d.location, "'default allow' cannot have a fallback"))
        self.defaults[scope] = (d, scope)

    def _include(self, inc: Include, path: Path | None) -> None:
        base = path.parent if path is not None else Path.cwd()
        shown = Path(os.path.normpath(base / inc.path))
        target = shown.resolve()
        if str(target) in self._stack:
            self.issues.append((inc.location, f"include cycle: {inc.path}"))
            return
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.issues.append((inc.location, f"cannot include {inc.path}: {exc}"))
            return
        self._stack.append(str(target))
        try:
            self.add_file(parse(text, str(shown)), shown)
        finally:
            self._stack.pop()
        self.files.append(str(shown))

    # --- validation --------------------------------------------------------------------
    def tools_for(self, rule: Rule) -> tuple[str, ...]:
        if self.schemas is None:
            return ()
        found: list[str] = []
        for sel in rule.selectors:
            if not _is_glob(sel):
                hits = [sel] if sel in self.schemas else []
            else:
                hits = [t for t in self.schemas if fnmatch.fnmatchcase(t, sel)]
            if not hits:
                self.issues.append(
                    (
                        rule.location,
                        f"unknown tool '{sel}': no tool of the configuration matches it",
                    )
                )
            found.extend(h for h in hits if h not in found)
        return tuple(found)

    def check_rule(
        self, rule: Rule, *, update_of: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        tools = self.tools_for(rule)
        if rule.effect == "allow" and rule.fallback is not None:
            self.issues.append(
                (rule.fallback.location, "an allow rule cannot have a fallback (nothing is denied)")
            )
        if rule.fallback is not None and rule.fallback.kind == "ask" and rule.effect != "deny":
            self.issues.append(
                (rule.fallback.location, "'fallback ask' only applies to a deny rule")
            )
        if (
            rule.fallback is not None
            and rule.fallback.kind == "stop"
            and rule.effect not in ("deny", "stop")
        ):
            self.issues.append(
                (rule.fallback.location, "'fallback stop' only applies to a deny rule")
            )
        call_schema = None
        if update_of is not None and self.schemas is not None and update_of:
            call_schema = self.schemas.get(update_of[0])
        if rule.when is not None:
            targets: list[tuple[str | None, dict[str, Any] | None]] = (
                [(t, self.schemas.get(t) or {}) for t in tools]
                if self.schemas is not None and tools
                else [(None, None)]
            )
            for tool, schema in targets:
                ctx = CheckContext(
                    tool,
                    schema,
                    self.consts,
                    call_schema=call_schema,
                    in_update=update_of is not None,
                )
                check_condition(rule.when, ctx)
                self.issues.extend(ctx.issues)
        if rule.update is not None:
            self.check_update(rule.update, tools)
        return tools

    def check_update(self, update: Update, firing_tools: tuple[str, ...]) -> None:
        for inner in update.rules:
            if inner.update is not None:
                self.issues.append(
                    (
                        inner.location,
                        "an installed rule cannot itself install rules (no nested 'then')",
                    )
                )
            if update.narrowing and inner.effect == "allow":
                self.issues.append(
                    (
                        inner.location,
                        "'then narrowing' may only install deny/ask/stop rules: an allow rule would add permissions",
                    )
                )
            self.check_rule(replace(inner, update=None), update_of=firing_tools or ())


def _dedupe(issues: list[tuple[Location, str]]) -> list[tuple[Location, str]]:
    seen: set[tuple[Location, str]] = set()
    out = []
    for i in issues:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


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
    elif isinstance(right, Ref) and right.const and right.root != "call" and not right.segments:
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


def _finish(loader: _Loader) -> LoadedPolicy:
    try:
        return _finish_checked(loader)
    except RecursionError:
        where = Location(loader.files[0] if loader.files else "<text>", 1, 1)
        raise PolicyValidationError([(where, "a condition is nested too deeply")]) from None


def _finish_checked(loader: _Loader) -> LoadedPolicy:
    checked: list[tuple[Rule, str, tuple[str, ...]]] = []
    for rule, scope in loader.rules:
        checked.append((rule, scope, loader.check_rule(rule)))
    issues = _dedupe(loader.issues)
    if issues:
        raise PolicyValidationError(issues)
    compiled = [compile_rule(r, s, i, loader.consts, t) for i, (r, s, t) in enumerate(checked)]
    defaults = {
        scope: DefaultEffect(
            effect=(
                "ask"
                if d.fallback and d.fallback.kind == "ask" and d.effect == "deny"
                else "stop"
                if d.fallback and d.fallback.kind == "stop" and d.effect == "deny"
                else d.effect
            ),
            message=d.fallback.message if d.fallback else None,
            rule_id=f"{d.file}:{d.line}",
            scope=scope,
        )
        for scope, (d, _) in loader.defaults.items()
    }
    return LoadedPolicy(compiled, defaults, loader.consts, loader.schemas, loader.files)


def load_text(
    text: str,
    schemas: dict[str, dict[str, Any]] | None = None,
    *,
    file: str = "<text>",
    base_dir: Path | None = None,
) -> LoadedPolicy:
    loader = _Loader(schemas)
    tree = parse(text, file)
    anchor = (
        (base_dir / "_") if base_dir is not None else (Path(file) if file != "<text>" else None)
    )
    loader.add_file(tree, anchor)
    loader.files.insert(0, file)
    return _finish(loader)


def load_files(
    paths: list[str | Path], schemas: dict[str, dict[str, Any]] | None = None
) -> LoadedPolicy:
    loader = _Loader(schemas)
    for p in paths:
        path = Path(p)
        text = path.read_text(encoding="utf-8")
        loader._stack.append(str(path.resolve()))
        loader.add_file(parse(text, str(p)), path)
        loader._stack.pop()
        loader.files.append(str(p))
    return _finish(loader)


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
