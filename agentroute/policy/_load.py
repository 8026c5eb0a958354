"""Files → one validated, compiled :class:`Policy` (includes, constants, scopes, checks).

The compiled records themselves (and compiling one rule) live in ``_compiled``; this module
resolves includes and ``let`` constants, collects scoped rules and defaults, and validates
everything against the tools' schemas before compiling.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from agentroute.policy._ast import (
    Default,
    Include,
    Let,
    PolicyFile,
    Rule,
    Scope,
    Update,
)
from agentroute.policy._check import CheckContext, check_condition
from agentroute.policy._compiled import (
    CompiledRule,
    DefaultEffect,
    LoadedPolicy,
    compile_rule,
    is_glob,
    substitute_call,
)
from agentroute.policy._errors import Location, PolicyValidationError
from agentroute.policy._parser import parse

__all__ = [
    "CheckContext",
    "CompiledRule",
    "DefaultEffect",
    "LoadedPolicy",
    "compile_rule",
    "load_files",
    "load_text",
    "substitute_call",
]


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
            if not is_glob(sel):
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
