"""The graph's gate: a policy bound to an agent, with per-session state (updates, narrowing)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentroute._log import get_logger
from agentroute.policy._compile import EvalError
from agentroute.policy._errors import PolicyError, PolicyValidationError
from agentroute.policy._fmt import format_rule
from agentroute.policy._load import CheckContext, CompiledRule, compile_rule, substitute_call
from agentroute.policy._policy import (
    Decider,
    Intersection,
    Origins,
    Policy,
    SessionRules,
    Verdict,
)
from agentroute.types import PolicyDecision, TargetKind, ToolCall

__all__ = ["PolicyGate", "call_key"]

_log = get_logger(__name__)


_FIELDS_SET = frozenset(PolicyDecision.model_fields)


def _fast_decision(**fields: Any) -> PolicyDecision:
    """A PolicyDecision without validation or ``model_construct``'s bookkeeping (~4x cheaper).

    The values come from the engine, already of the right types; ``_decision`` falls back to
    ``model_construct`` if this pydantic's internals differ.
    """
    d = object.__new__(PolicyDecision)
    object.__setattr__(d, "__dict__", fields)
    object.__setattr__(d, "__pydantic_fields_set__", set(_FIELDS_SET))
    object.__setattr__(d, "__pydantic_extra__", None)
    object.__setattr__(d, "__pydantic_private__", None)
    return d


def _probe() -> bool:
    sample: dict[str, Any] = {
        "step_id": "1",
        "target": "t",
        "effect": "deny",
        "rule": "f:1",
        "reason": "r",
        "fallback": "m",
        "updates": [],
        "policy_version": "sha256:0",
    }
    try:
        fast = _fast_decision(**sample)
        return fast.model_dump() == PolicyDecision.model_construct(
            **sample
        ).model_dump() and fast == PolicyDecision(**sample)
    except Exception:
        return False


_decision = _fast_decision if _probe() else PolicyDecision.model_construct


def call_key(call: ToolCall) -> tuple[str, dict[str, Any]]:
    """The name selectors address and the arguments conditions see.

    MCP tools: ``server.tool`` and their arguments. Experts: ``expert.<name>`` and knowledge
    bases: ``kb.<name>``, whose arguments are ``{"query": ..., **args}``.
    """
    if call.kind == TargetKind.TOOL:
        return call.target, call.args
    prefix = "expert." if call.kind == TargetKind.EXPERT else "kb."
    key = call.target if call.target.startswith(prefix) else prefix + call.target
    args = {"query": call.query, **call.args}
    return key, args


class PolicyGate:
    """Decides every call before dispatch (implements ``agentroute.protocols.Gate``).

    Never raises from :meth:`check`: any internal error is a deny with the reason.
    """

    def __init__(
        self, policy: Policy, *, agent: str | None = None, log_decisions: bool = True
    ) -> None:
        self.policy = policy
        self.agent = agent
        self.log_decisions = log_decisions
        self._sessions: dict[str, SessionRules] = {}
        self._narrowed: dict[str, Decider] = {}
        self._pending: dict[tuple[str, str, str], tuple[CompiledRule, dict[str, Any]]] = {}
        self._installed: dict[str, list[str]] = {}

    @classmethod
    def from_files(
        cls,
        paths: Sequence[str | Path],
        schemas: dict[str, dict[str, Any]] | None = None,
        *,
        agent: str | None = None,
        log_decisions: bool = True,
    ) -> PolicyGate:
        return cls(Policy.from_files(paths, schemas), agent=agent, log_decisions=log_decisions)

    @classmethod
    def from_text(
        cls,
        text: str,
        schemas: dict[str, dict[str, Any]] | None = None,
        *,
        agent: str | None = None,
        file: str = "<text>",
        base_dir: str | Path | None = None,
        log_decisions: bool = True,
    ) -> PolicyGate:
        return cls(
            Policy.from_text(text, schemas, file=file, base_dir=base_dir),
            agent=agent,
            log_decisions=log_decisions,
        )

    # --- deciding ----------------------------------------------------------------------
    def decide(
        self,
        key: str,
        args: dict[str, Any],
        *,
        session: str,
        origins: Origins | None = None,
        request: str | None = None,
    ) -> Verdict:
        """The raw verdict for ``key(args)`` in ``session`` (no updates installed)."""
        st = self._sessions.get(session)
        narrowed = self._narrowed.get(session)
        if narrowed is not None:
            return Intersection([_Bound(self.policy, st), narrowed]).decide(
                key, args, self.agent, st, origins, request
            )
        return self.policy.decide(key, args, self.agent, st, origins, request)

    def describe(self) -> str:
        """What chat says of this gate: the policy's files and version."""
        files = ", ".join(self.policy.files) or "inline text"
        return f"policy {files} ({self.policy.version})"

    def never_allows(self, target: str, kind: TargetKind) -> bool:
        """Whether this policy denies every call to ``target``, whatever its arguments: the
        planner is not shown it (``agentroute.turn``), so it is never planned."""
        key, _ = call_key(ToolCall(step_id="-", target=target, kind=kind))
        try:
            return self.policy.never_allows(key, self.agent)
        except Exception:  # an odd policy: let the gate decide each call, as always
            return False

    def check(self, call: ToolCall, *, session: str) -> PolicyDecision:
        try:
            key, args = call_key(call)
            verdict = self.decide(
                key, args, session=session, origins=call.origins, request=call.request
            )
            updates: list[str] = []
            rule = verdict.rule
            if (
                rule is not None
                and rule.ast.update is not None
                and verdict.effect == rule.effect
                and not verdict.reason.startswith(("evaluation error", "internal error"))
            ):
                if verdict.effect == "ask":
                    self._pending[(session, call.step_id, call.target)] = (rule, args)
                else:
                    updates = self._install(session, rule, args)
        except Exception as exc:  # fail closed, whatever happened
            _log.warning("policy.error", target=call.target, error=repr(exc))
            return _decision(
                step_id=call.step_id,
                target=call.target,
                effect="deny",
                rule=None,
                reason=f"policy error, denied (fail closed): {exc}",
                fallback=f"The call to {call.target} was denied by policy.",
                updates=[],
                policy_version=self.policy.version,
            )
        fallback = None
        if verdict.effect != "allow":
            fallback = (
                verdict.message
                or f"The policy does not allow this call to {key} ({verdict.rule_id or 'default'})."
            )
        if self.log_decisions:
            _log.debug(
                "policy.decision",
                session=session,
                target=key,
                effect=verdict.effect,
                rule=verdict.rule_id,
                reason=verdict.reason,
                updates=updates,
            )
        return _decision(
            step_id=call.step_id,
            target=call.target,
            effect=verdict.effect,  # type: ignore[arg-type]  # one of the four effects
            rule=verdict.rule_id,
            reason=verdict.reason,
            fallback=fallback,
            updates=updates,
            policy_version=self.policy.version,
        )

    def resolve_ask(self, call: ToolCall, approved: bool, *, session: str) -> list[str]:
        """Report a human's answer to an ``ask``; an approval installs the rule's updates."""
        pending = self._pending.pop((session, call.step_id, call.target), None)
        if pending is None or not approved:
            return []
        rule, args = pending
        return self._install(session, rule, args)

    # --- sessions ----------------------------------------------------------------------
    def _install(self, session: str, rule: CompiledRule, args: dict[str, Any]) -> list[str]:
        update = rule.ast.update
        assert update is not None
        st = self._sessions.setdefault(session, SessionRules())
        loaded = self.policy.loaded
        installed: list[str] = []
        compiled: list[tuple[str, CompiledRule]] = []
        for i, inner in enumerate(update.rules):
            concrete = substitute_call(inner, args)
            if update.narrowing and concrete.effect == "allow":  # checked at load; verified again
                raise EvalError(f"narrowing update {inner.rule_id} would allow")
            text = format_rule(concrete).replace(chr(10), " ")
            if (text, update.narrowing) in st.installed:
                continue  # already in force in this session: installing it again adds nothing
            ctx_issues: list[Any] = []
            if loaded.schemas is not None and concrete.when is not None:
                from agentroute.policy._check import check_condition

                for tool in _tools(concrete, loaded.schemas):
                    ctx = CheckContext(tool, loaded.schemas[tool], loaded.consts)
                    check_condition(concrete.when, ctx)
                    ctx_issues.extend(ctx.issues)
            if ctx_issues:
                raise PolicyValidationError(ctx_issues)
            c = compile_rule(
                concrete,
                f"session:{session}",
                1_000_000 + len(st.rules) + len(st.restrictions) + i,
                loaded.consts,
            )
            c.id = f"{inner.rule_id} (installed by {rule.id})"
            compiled.append((text, c))
            installed.append(f"{c.id}: {text}")
        for text, c in compiled:
            st.add(c, narrowing=update.narrowing)
            st.installed.add((text, update.narrowing))
        if installed:
            self._installed.setdefault(session, []).extend(installed)
            _log.info("policy.updates", session=session, fired=rule.id, installed=installed)
        return installed

    def narrow(self, session: str, proposed: Decider) -> None:
        """Intersect ``session``'s policy with ``proposed`` (e.g. a per-task LLM policy).

        It can only remove permissions; narrowing twice intersects again.
        """
        current = self._narrowed.get(session)
        self._narrowed[session] = proposed if current is None else Intersection([current, proposed])

    def installed(self, session: str) -> list[str]:
        """Rules installed in ``session`` so far (for the trace and ``explain``)."""
        return list(self._installed.get(session, []))

    def end_session(self, session: str) -> None:
        for store in (self._sessions, self._narrowed, self._installed):
            store.pop(session, None)  # type: ignore[attr-defined]
        self._pending = {k: v for k, v in self._pending.items() if k[0] != session}


class _Bound:
    """A policy with its session rules fixed, so it can sit in an Intersection."""

    def __init__(self, policy: Policy, session: SessionRules | None) -> None:
        self.policy = policy
        self.session = session

    def decide(
        self,
        key: str,
        args: dict[str, Any],
        agent: str | None = None,
        session: SessionRules | None = None,
        origins: Origins | None = None,
        request: str | None = None,
    ) -> Verdict:
        return self.policy.decide(key, args, agent, self.session, origins, request)


def _tools(rule: Any, schemas: dict[str, dict[str, Any]]) -> list[str]:
    import fnmatch

    return [t for t in schemas if any(t == s or fnmatch.fnmatchcase(t, s) for s in rule.selectors)]


_ = PolicyError
