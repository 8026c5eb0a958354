"""The ground floor: the records every part of a turn shares, what the router knows about a
target, and the ``{{s1}}`` reference syntax.

Each decision the router makes is one of these explainable records; the chat UI, the JSON
output, the trace and the logs all show the same objects. Every room may import this module;
it imports none of them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "REFERENCE",
    "Alternative",
    "AnswerCheck",
    "Health",
    "MemoryHit",
    "Observation",
    "Plan",
    "PlanningContext",
    "PolicyDecision",
    "PriorStep",
    "PriorTurn",
    "Probe",
    "RouteDecision",
    "Source",
    "Step",
    "TargetDescriptor",
    "TargetKind",
    "ToolCall",
    "TraceEvent",
    "references",
    "replace_references",
]


class TargetKind(StrEnum):
    """The three kinds of target a step can be sent to."""

    EXPERT = "expert"
    TOOL = "tool"
    KNOWLEDGE = "knowledge"


class _Record(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid")


class Source(_Record):
    """Where a piece of an answer came from (provenance)."""

    kind: TargetKind
    name: str
    """Target name: ``server.tool``, an expert's name or a knowledge base's name."""
    ref: str | None = None
    """A finer pointer: a document id, a graph node, a model id."""
    excerpt: str | None = None


class Step(_Record):
    """One node of a plan's DAG.

    ``query`` (or an explicit argument's text) may reference an earlier step's result as
    ``{{s1}}``; such a step depends on ``s1`` whether or not ``depends_on`` names it.
    """

    id: str
    query: str
    target: str | None = None
    """The planner's choice; ``None`` lets the route node choose."""
    args: dict[str, Any] | None = None
    """Explicit tool arguments; ``None`` lets the target derive them from ``query``."""
    depends_on: list[str] = Field(default_factory=list)

    @property
    def inputs(self) -> set[str]:
        """The steps this one waits for: named in ``depends_on``, or referenced as ``{{sN}}``
        in its query or in the text of an explicit argument."""
        found = set(self.depends_on) | set(references(self.query))
        for value in (self.args or {}).values():
            if isinstance(value, str):
                found.update(references(value))
        return found


class Plan(_Record):
    steps: list[Step]
    reasoning: str = ""
    planner: str = ""
    """Which planner produced it (``semantic``, ``llm``, ``memory:<case id>``, ...)."""
    unmatched: list[str] = Field(default_factory=list)
    """Clauses for which no suitable target exists: an explicit outcome, never a guess."""
    routes: dict[str, RouteDecision] = Field(default_factory=dict)
    """The planner's own routing per step id (score, alternatives, why), when it has one."""
    writes: dict[str, str] = Field(default_factory=dict)
    """Steps whose target may change the world: step id → ``target (write|destructive)``.
    Filled by the turn for every planner; shown in the trace and by chat."""
    followup: str = ""
    """How the request was read as a follow-up of the thread's previous turn (the rewritten
    clauses, and how), when it was; shown in the trace and by chat."""
    reply: str = ""
    """The answer of a turn that needs no target ("ok thanks" after an answer): said as is."""
    notices: list[str] = Field(default_factory=list)
    """What the answer tells the user about how the request was read (a part asked many
    times answered once, parts past the planner's limit left out)."""


class Alternative(_Record):
    target: str
    score: float
    predicted_quality: float | None = None
    predicted_cost: float | None = None


class RouteDecision(_Record):
    step_id: str
    target: str | None
    """``None`` means no target fits (with ``reason`` saying why)."""
    kind: TargetKind | None = None
    score: float = 0.0
    predicted_quality: float | None = None
    predicted_cost: float | None = None
    alternatives: list[Alternative] = Field(default_factory=list)
    reason: str = ""
    fallback: bool = False
    """The route is a fallback, not a fit: the general-purpose expert took a part no
    specialist fits, or a replan gave a failed part to the next-best target. An answer by a
    fallback is no evidence the route is right, so memory does not learn it as one."""


PolicyEffect = Literal["allow", "deny", "ask", "stop"]


class PolicyDecision(_Record):
    step_id: str
    target: str
    effect: PolicyEffect
    rule: str | None = None
    """The rule that decided, as ``file:line`` (``None`` for a default or no policy)."""
    reason: str = ""
    fallback: str | None = None
    """What the planner sees on a deny, so it can route elsewhere."""
    updates: list[str] = Field(default_factory=list)
    """Rules installed for the rest of the session by this decision."""
    policy_version: str | None = None
    """The content hash of the policy that decided (``Policy.version``); ``None`` when no
    policy file did."""


class ToolCall(_Record):
    """A call as the gate sees it: fully resolved target and arguments."""

    step_id: str
    target: str
    """``server.tool`` for MCP tools; the target name otherwise."""
    kind: TargetKind
    args: dict[str, Any] = Field(default_factory=dict)
    query: str = ""
    origins: dict[str, list[str]] | None = None
    """Where each argument's value came from (``user``, ``tool:<target>``, ``expert:<name>``,
    ``knowledge:<name>``, ``memory``, ``default``, ``planner``), for policies that ask
    (``recipient from tool``); ``None`` when unknown, and such a condition then denies."""
    request: str | None = None
    """The user's request of the turn this call serves, for policies that read it
    (``$request``); ``None`` outside a turn, and such a condition then denies."""


class Observation(_Record):
    step_id: str
    target: str
    kind: TargetKind
    query: str
    ok: bool
    result: str = ""
    error: str | None = None
    sources: list[Source] = Field(default_factory=list)
    cost_usd: float = 0.0
    latency_s: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    data: Any = None
    """Structured payload (e.g. a tool's structured content) kept beside the text."""
    unavailable: bool = False
    """The target could not be reached (its server down, restarting or hung, or the
    connection lost under the call): the failure says nothing about whether the route fits,
    so the part is not re-routed to a target that may not do it, and the turn is not
    remembered as a case."""


class MemoryHit(_Record):
    case_id: str
    similarity: float
    utility: float
    task: str = ""
    success: bool | None = None
    reason: str = ""
    targets: list[str] = Field(default_factory=list)
    """The targets the case's verdict speaks about (`Case.judged_targets`): a prior for which
    targets fit a similar request."""
    same_ask: bool = False
    """Whether the case asked what the request asks, but for its values (its task aligns word
    by word with the request, no word its plan used changed): only such a case's targets are a
    prior, a merely similar one ("what changed in the last commit" for "show me the last
    commit") would steer the request to the other request's tool."""


Plan.model_rebuild()


class TraceEvent(_Record):
    node: str
    kind: str
    t: float = Field(default_factory=time.perf_counter)
    duration_s: float | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class AnswerCheck(_Record):
    """Who wrote the final answer, and why an LLM's polished text was or was not used.

    An LLM rewriting the findings can drop or contradict them; its text is kept only when it
    still carries every finding and every failure, so the reader can see which one they got.
    """

    by: Literal["composed", "llm"]
    """``llm``: the polished text is the answer; ``composed``: the deterministic one is."""
    reason: str = ""
    problems: list[str] = Field(default_factory=list)
    """What the polished text got wrong (a finding dropped, a failure hidden, a new number)."""


REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")
"""A step's query names an earlier step's result as ``{{s1}}`` (spaces inside allowed)."""


def references(text: str) -> list[str]:
    """Step ids referenced as ``{{s1}}`` in ``text``, in order."""
    return REFERENCE.findall(text)


def replace_references(text: str, value: Callable[[str], str | None]) -> str:
    """``text`` with each ``{{id}}`` replaced by ``value(id)``; kept as written where that is
    ``None`` (an unknown or failed step stays visible as a reference)."""

    def sub(match: re.Match[str]) -> str:
        new = value(match.group(1))
        return match.group(0) if new is None else new

    return REFERENCE.sub(sub, text)


class TargetDescriptor(BaseModel):
    """What the router knows about a target before calling it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: TargetKind
    description: str = ""
    domains: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    """Example sub-queries this target answers well (used by the semantic planner)."""
    price_in_per_m: float = 0.0
    """Dollars per one million input tokens."""
    price_out_per_m: float = 0.0
    latency_s: float = 0.0
    """Typical latency of one call."""
    input_schema: dict[str, Any] | None = None
    """JSON schema of the arguments (MCP tools), checked by policies and argument filling."""
    server: str | None = None
    """For MCP tools: the server's name."""
    effect: Literal["read", "write", "destructive"] | None = None
    """What calling the target may do to the world: ``read`` changes nothing, ``write``
    changes something, ``destructive`` may lose data. For MCP tools from the server's
    annotations (``readOnlyHint``, ``destructiveHint``), else read from the tool's name and
    description; ``None`` when neither says. Experts and knowledge bases read. A clause that
    does not ask to change anything is never planned to a writing target."""
    role: Literal["general", "specialist"] | None = None
    """For experts: ``general`` serves every clause no specialist does (the catch-all),
    ``specialist`` never; ``None`` lets the planner read it from the name, domains and
    description ("general-purpose")."""

    @model_validator(mode="after")
    def _non_tools_read(self) -> Self:
        if self.effect is None and self.kind is not TargetKind.TOOL:
            self.effect = "read"
        return self

    @property
    def writes(self) -> bool:
        """Whether calling the target may change the world (``write`` or ``destructive``)."""
        return self.effect in ("write", "destructive")


class Health(BaseModel):
    ok: bool
    detail: str = ""
    checked: bool = True
    """``False``: nothing was asked (an expert is not called just to see; a probe costs a
    call), so ``ok`` only means "not known to be down"; ``targets`` shows "not checked"."""


class PriorStep(_Record):
    """One step of a thread's previous turn, as a follow-up needs it: what was asked of
    which target, and what came back."""

    query: str
    target: str
    kind: TargetKind
    ok: bool
    result: str = ""
    """The step's result text (cut to a few thousand characters): data, never instructions."""


class PriorTurn(_Record):
    """The previous turn of a chat thread: a follow-up ("and in London?", "divide that by 4",
    "make it shorter") is read against it."""

    request: str
    steps: list[PriorStep] = Field(default_factory=list)
    answer: str = ""


class Probe(BaseModel):
    """What a knowledge base would answer, found without answering: its best passage's
    similarity, and whether that passage answers (close enough, and about what the query
    names). The planner routes by it (``Probing``)."""

    target: str
    answers: bool
    similarity: float = 0.0
    passage: str = ""
    reason: str = ""
    missing: list[str] = Field(default_factory=list)
    """Names the query carries that no close passage mentions: the base holds another
    entity's passage, not an answer."""


class PlanningContext(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    request: str
    targets: list[TargetDescriptor]
    round: int = 1
    memory_notes: str = ""
    """Past cases rendered as quoted data (never instructions)."""
    previous: list[Observation] = Field(default_factory=list)
    """Observations of earlier rounds of this turn (what worked, what failed or was denied)."""
    history: list[tuple[str, str]] = Field(default_factory=list)
    """Earlier (request, answer) pairs of this chat thread."""
    last_turn: PriorTurn | None = None
    """The thread's previous turn (its steps, targets and results), for follow-ups."""
    earlier_turns: list[PriorTurn] = Field(default_factory=list)
    """The turns before that one, oldest first: a follow-up may come back to one of them."""
    next_step_number: int = 1
    prior: dict[str, float] = Field(default_factory=dict)
    """Per target, a bonus (or malus) from past cases recalled for this request."""
