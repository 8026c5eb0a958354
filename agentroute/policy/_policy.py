"""The compiled policy object and its decision procedure.

A :class:`Policy` is a value bound to whoever holds it (a gate for an agent, a session), never a
process global. Deciding a call touches only the rules indexed under that call's exact target.
"""

from __future__ import annotations

import bisect
import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from agentroute.policy._compile import EvalError
from agentroute.policy._compiled import is_glob
from agentroute.policy._load import CompiledRule, DefaultEffect, LoadedPolicy, load_files, load_text
from agentroute.policy._origins import ORIGINS_KEY, REQUEST_KEY
from agentroute.policy._strict import Shape, shape_of

__all__ = ["Decider", "Intersection", "Policy", "Verdict", "intersect", "stricter"]

_SEVERITY = {"allow": 0, "ask": 1, "deny": 2, "stop": 3}


class Verdict:
    """The engine's raw decision (a slotted object: building it costs nanoseconds)."""

    __slots__ = ("effect", "message", "reason", "rule", "rule_id")

    def __init__(
        self,
        effect: str,
        rule_id: str | None,
        reason: str,
        message: str | None,
        rule: CompiledRule | None,
    ) -> None:
        self.effect = effect
        self.rule_id = rule_id
        self.reason = reason
        self.message = message
        self.rule = rule

    def __repr__(self) -> str:
        return f"Verdict({self.effect}, {self.rule_id}, {self.reason!r})"


def stricter(a: Verdict, b: Verdict) -> Verdict:
    """The more restrictive of two verdicts (stop > deny > ask > allow); ties keep ``a``."""
    return b if _SEVERITY[b.effect] > _SEVERITY[a.effect] else a


class _Entry:
    """The rules of one target, in order, plus an optional dispatch on one string argument.

    The dispatch skips rules whose *first* condition is ``arg in [strings]`` / ``arg == "s"``
    and cannot hold for the call's value. Skipping is exact: with ``and`` short-circuiting,
    such a rule would have evaluated to false without touching anything else.
    """

    __slots__ = (
        "by_value",
        "declared",
        "deep",
        "default",
        "dispatch_arg",
        "names",
        "rules",
        "unguarded",
    )

    def __init__(
        self,
        rules: tuple[CompiledRule, ...],
        default: Verdict,
        declared: Shape | None = None,
    ) -> None:
        self.rules = rules
        self.default = default
        self.declared = declared
        self.names = declared.names if declared is not None else None
        """The top-level names (checked inline: the common, flat case costs one set test)."""
        self.deep = declared if declared is not None and declared.fields else None
        """The shape when fields below the top level are checked too."""
        self.dispatch_arg: str | None = None
        self.by_value: dict[str, tuple[CompiledRule, ...]] = {}
        self.unguarded: tuple[CompiledRule, ...] = rules
        counts: dict[str, int] = {}
        for r in rules:
            if r.guard is not None:
                counts[r.guard[0]] = counts.get(r.guard[0], 0) + 1
        if not counts:
            return
        arg, n = max(counts.items(), key=lambda kv: kv[1])
        if n < 4:
            return
        values: set[str] = set()
        for r in rules:
            if r.guard is not None and r.guard[0] == arg:
                values |= r.guard[1]
        if len(values) * len(rules) > 500_000:
            return
        self.dispatch_arg = arg
        self.unguarded = tuple(r for r in rules if r.guard is None or r.guard[0] != arg)
        self.by_value = {
            v: tuple(r for r in rules if r.guard is None or r.guard[0] != arg or v in r.guard[1])
            for v in values
        }

    def candidates(self, args: dict[str, Any]) -> tuple[CompiledRule, ...]:
        arg = self.dispatch_arg
        if arg is None:
            return self.rules
        v = args.get(arg)
        if type(v) is not str:
            return self.rules  # missing or mistyped: evaluate everything (errors fail closed)
        return self.by_value.get(v, self.unguarded)


class SessionRules:
    """Rules installed in one session by updates; merged per target on first use."""

    def __init__(self) -> None:
        self.rules: list[CompiledRule] = []
        self.restrictions: list[CompiledRule] = []
        self.cache: dict[tuple[str | None, str], _Entry] = {}
        self.restriction_cache: dict[str, tuple[CompiledRule, ...]] = {}
        self.installed: set[tuple[str, bool]] = set()
        """Each installed rule's text and whether it narrows: the same update firing again
        installs nothing (a session's rules stay as many as its distinct updates)."""

    def add(self, rule: CompiledRule, *, narrowing: bool) -> None:
        (self.restrictions if narrowing else self.rules).append(rule)
        self.cache.clear()
        self.restriction_cache.clear()


Origins = Mapping[str, Sequence[str]]
"""Each argument's provenance labels (``agentroute.policy._origins``)."""


class Decider(Protocol):
    def decide(
        self,
        key: str,
        args: dict[str, Any],
        agent: str | None = None,
        session: SessionRules | None = None,
        origins: Origins | None = None,
        request: str | None = None,
    ) -> Verdict: ...


def _evaluate(
    rules: Iterable[CompiledRule],
    key: str,
    args: dict[str, Any],
    origins: Origins | None = None,
    request: str | None = None,
) -> Verdict | None:
    env: dict[str, Any] = {} if origins is None else {ORIGINS_KEY: origins}
    if request is not None:
        env[REQUEST_KEY] = request
    rule: CompiledRule
    for rule in rules:
        pred = rule.pred
        if pred is not None:
            try:
                if not pred(args, env):
                    continue
            except EvalError as exc:
                return Verdict(
                    "deny",
                    rule.id,
                    f"evaluation error in rule {rule.id}: {exc}; denied (fail closed)",
                    f"The call to {key} was denied: the policy could not evaluate it ({exc}).",
                    rule,
                )
            except Exception as exc:  # fail closed on anything
                return Verdict(
                    "deny",
                    rule.id,
                    f"internal error in rule {rule.id}: {exc!r}; denied (fail closed)",
                    f"The call to {key} was denied by policy.",
                    rule,
                )
        verdict = rule.verdict
        if verdict is None:
            verdict = rule.verdict = Verdict(
                rule.effect,
                rule.id,
                f"{rule.effect} by {rule.id}: {rule.source}",
                rule.message,
                rule,
            )
        return verdict
    return None


class Policy:
    """A loaded, validated and compiled policy (one or more files and their includes)."""

    def __init__(self, loaded: LoadedPolicy) -> None:
        self._loaded = loaded
        self.rules: list[CompiledRule] = loaded.rules
        self.schemas = loaded.schemas
        self.consts = loaded.consts
        self.files = loaded.files
        self.version = loaded.version
        self._index: dict[tuple[str | None, str], _Entry] = {}
        if loaded.schemas is not None:
            for tool in loaded.schemas:  # pre-expand globs against the known tools
                self._entry(tool, None)

    @classmethod
    def from_text(
        cls,
        text: str,
        schemas: dict[str, dict[str, Any]] | None = None,
        *,
        file: str = "<text>",
        base_dir: str | Path | None = None,
    ) -> Policy:
        return cls(
            load_text(text, schemas, file=file, base_dir=Path(base_dir) if base_dir else None)
        )

    @classmethod
    def from_files(
        cls, paths: Sequence[str | Path], schemas: dict[str, dict[str, Any]] | None = None
    ) -> Policy:
        return cls(load_files(list(paths), schemas))

    @property
    def loaded(self) -> LoadedPolicy:
        return self._loaded

    def _default(self, key: str, agent: str | None) -> Verdict:
        server = key.split(".", 1)[0]
        for scope in (f"server:{server}", f"agent:{agent}" if agent else None, "file"):
            if scope is not None and scope in self._loaded.defaults:
                d: DefaultEffect = self._loaded.defaults[scope]
                where = "the file" if scope == "file" else scope.replace(":", " ")
                return Verdict(
                    d.effect,
                    d.rule_id,
                    f"no rule matched {key}: default {d.effect} of {where} ({d.rule_id})",
                    d.message,
                    None,
                )
        return Verdict(
            "deny",
            None,
            f"no rule matched {key}: implicit default deny",
            f"No policy rule allows {key}.",
            None,
        )

    def _applies(self, rule: CompiledRule, key: str, agent: str | None) -> bool:
        scope = rule.scope
        if scope.startswith("agent:") and scope[6:] != agent:
            return False
        return rule.selects(key)

    def _entry(self, key: str, agent: str | None) -> _Entry:
        k = (agent, key)
        entry = self._index.get(k)
        if entry is None:
            if self.schemas is not None and key not in self.schemas:
                default = Verdict(
                    "deny",
                    None,
                    f"unknown target {key}: not among the tools this policy was loaded against; denied",
                    f"{key} is not a known tool.",
                    None,
                )
                entry = _Entry((), default)
            else:
                rules = sorted(
                    (r for r in self.rules if self._applies(r, key, agent)),
                    key=lambda r: r.sort_key,
                )
                schema = self.schemas.get(key) if self.schemas is not None else None
                entry = _Entry(tuple(rules), self._default(key, agent), shape_of(schema))
            self._index[k] = entry
        return entry

    def never_allows(self, key: str, agent: str | None = None) -> bool:
        """Whether no call to ``key`` can be allowed, whatever its arguments: no allow or ask
        rule is tried before an unconditional deny (or the default denies), and no rule's
        update could install one. What the planner is spared from planning."""
        for rule in self.rules:
            update = rule.ast.update
            if update is not None and any(
                r.effect in ("allow", "ask") and any(_selects(s, key) for s in r.selectors)
                for r in update.rules
            ):
                return False
        entry = self._entry(key, agent)
        for rule in entry.rules:
            if rule.effect in ("allow", "ask"):
                return False
            if rule.pred is None:
                return True
        return entry.default.effect in ("deny", "stop")

    def rules_for(self, key: str, agent: str | None = None) -> tuple[CompiledRule, ...]:
        """The rules a call to ``key`` is checked against, in evaluation order."""
        return self._entry(key, agent).rules

    def decide(
        self,
        key: str,
        args: dict[str, Any],
        agent: str | None = None,
        session: SessionRules | None = None,
        origins: Origins | None = None,
        request: str | None = None,
    ) -> Verdict:
        """The verdict for a call to ``key`` with ``args``; ``origins``: where each argument
        came from, for conditions that ask (``recipient from tool``); ``request``: the user's
        request the call serves (``$request``)."""
        entry = self._entry(key, agent)
        names, deep = entry.names, entry.deep
        if (names is not None and not names.issuperset(args)) or (
            deep is not None and not deep.admits(args)
        ):
            return _undeclared(key, args, entry.declared)
        if session is not None and (session.rules or session.restrictions):
            verdict = self._decide_session(entry, key, args, agent, session, origins, request)
        else:
            verdict = (
                _evaluate(entry.candidates(args), key, args, origins, request) or entry.default
            )
        return verdict

    def _decide_session(
        self,
        entry: _Entry,
        key: str,
        args: dict[str, Any],
        agent: str | None,
        session: SessionRules,
        origins: Origins | None = None,
        request: str | None = None,
    ) -> Verdict:
        merged = session.cache.get((agent, key))
        if merged is None:
            extra = [r for r in session.rules if r.selects(key)]
            rules = list(entry.rules)
            for r in extra:
                bisect.insort(rules, r, key=lambda x: x.sort_key)
            merged = _Entry(tuple(rules), entry.default)
            session.cache[(agent, key)] = merged
        verdict = _evaluate(merged.rules, key, args, origins, request) or merged.default
        restr = session.restriction_cache.get(key)
        if restr is None:
            restr = tuple(
                sorted(
                    (r for r in session.restrictions if r.selects(key)), key=lambda x: x.sort_key
                )
            )
            session.restriction_cache[key] = restr
        if restr:
            hit = _evaluate(restr, key, args, origins, request)
            if hit is not None:
                verdict = stricter(verdict, hit)
        return verdict


def _undeclared(key: str, args: dict[str, Any], shape: Shape | None) -> Verdict:
    """Strict arguments: a name the schema does not declare (``recipeint``, ``to.ccc``) denies
    the call, whatever the rules say: a rule's guard on ``recipient`` would never see it."""
    said = [
        f"{path!r}" + (f" (did you mean {near!r}?)" if near else "")
        for path, near in (shape.undeclared(args) if shape is not None else [])
    ]
    return Verdict(
        "deny",
        None,
        f"{key} does not declare the argument(s) {', '.join(said)}: denied (strict arguments)",
        f"The call to {key} carries arguments its schema does not declare.",
        None,
    )


def _selects(selector: str, key: str) -> bool:
    return selector == key or (is_glob(selector) and fnmatch.fnmatchcase(key, selector))


class Intersection:
    """Several policies that must all allow: the decision is the strictest of theirs."""

    def __init__(self, parts: Sequence[Decider]) -> None:
        if not parts:
            raise ValueError("an intersection needs at least one policy")
        self.parts = tuple(parts)

    def decide(
        self,
        key: str,
        args: dict[str, Any],
        agent: str | None = None,
        session: SessionRules | None = None,
        origins: Origins | None = None,
        request: str | None = None,
    ) -> Verdict:
        verdict = self.parts[0].decide(key, args, agent, session, origins, request)
        for part in self.parts[1:]:
            other = part.decide(key, args, agent, None, origins, request)
            if _SEVERITY[other.effect] > _SEVERITY[verdict.effect]:
                verdict = Verdict(
                    other.effect,
                    other.rule_id,
                    f"narrowed by a per-task policy: {other.reason}",
                    other.message,
                    None,
                )
        return verdict


def intersect(static: Decider, proposed: Decider) -> Intersection:
    """Combine so that ``proposed`` can only remove permissions from ``static``, never add.

    A call is allowed only if both allow it; anything else takes the stricter effect. Updates
    fire only from ``static``'s rules (the proposal's verdicts carry no rule to fire).
    """
    return Intersection([static, proposed])
