"""Checks on write: what puts a new case in quarantine instead of the active bank.

A case is data the planner will later read and possibly replay. AgentPoison showed that a few
poisoned cases with a trigger phrase hijack most triggered queries; these checks keep such
cases out of recall: text that addresses the model with instructions, plans that call targets
the task never needed, and floods of near-identical cases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from agentroute.memory._case import Case, CaseStep
from agentroute.text import STOP_WORDS
from agentroute.types import REFERENCE

__all__ = [
    "answered_a_clause",
    "content_words",
    "find_instructions",
    "foreign_addresses",
    "unrelated_targets",
]

_INSTRUCTION_PATTERNS = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules?|prompts?|polic(?:y|ies)|guidelines?|guardrails?)\b",
        r"\b(new|updated|real|hidden|secret)\s+(instructions?|system\s+prompt|orders)\b",
        r"\bsystem\s*prompt\b",
        r"\byou\s+(?:are|must|should|will)\s+now\b",
        r"\bfrom\s+now\s+on\b",
        r"\b(?:always|instead)\s+(?:use|call|route|send|invoke|forward)\b",
        r"\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention|reveal|show)\b",
        r"^\s*(?:system|assistant|planner|developer)\s*:",
        r"<\|?\s*(?:im_start|im_end|system|endoftext)\s*\|?>",
        r"\[\s*/?\s*(?:INST|SYS)\s*\]",
        r"\b(?:exfiltrat\w*|api[\s_-]?keys?|passwords?|credentials?|secret\s+keys?|tokens?)\b.{0,60}\b(?:send|post|upload|forward|email|leak)\w*\b",
        r"\b(?:send|post|upload|forward|email|leak)\w*\b.{0,60}\b(?:api[\s_-]?keys?|passwords?|credentials?|secret\s+keys?)\b",
        r"\b(?:note|message)\s+to\s+(?:the\s+)?(?:ai|assistant|model|agent|planner)\b",
    )
]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=256)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words minus stop words, a plural ``s`` stripped (``reports`` ~ ``report``).

    Cached: the checks ask it of a case's task once per step, and a pasted request of 500
    parts made that 500 passes over a 10 KB text per recalled case (minutes of recall)."""
    return frozenset(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in _WORD.findall(text.lower())
        if w not in STOP_WORDS
    )


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def find_instructions(case: Case) -> str | None:
    """The first field whose text reads like instructions to the model, as ``field: snippet``."""
    fields: list[tuple[str, str]] = [("task", case.task), ("answer", case.answer)]
    fields.append(("plan.reasoning", case.plan.reasoning))
    for step in case.plan.steps:
        fields.append((f"plan.{step.id}.query", step.query))
        fields.extend((f"plan.{step.id}.args", s) for s in _strings(step.args or {}))
    fields.extend((f"results.{r.step_id}", r.summary) for r in case.results)
    fields.extend((f"routes.{r.step_id}.reason", r.reason) for r in case.routes)
    for name, text in fields:
        for pat in _INSTRUCTION_PATTERNS:
            m = pat.search(text)
            if m:
                return f"{name}: {m.group(0)[:80]!r}"
    return None


def unrelated_targets(
    case: Case,
    descriptions: Mapping[str, str] | None,
    similarity: Callable[[str, str], float] | None = None,
    min_similarity: float = 0.2,
    catch_all: Collection[str] = (),
) -> list[str]:
    """Targets the plan calls that the task never needed.

    ``catch_all``: the experts this turn routed to as the catch-all (no specialist fitted);
    such a step is needed by its part whatever its words, answered or failed.

    A target is unrelated when it is unknown (``descriptions`` given and it is not in them), or
    when neither the task nor the step's query relates to the target's name and description
    (a shared content word, or embedding similarity at least ``min_similarity``) — and a step
    query only vouches for its target when it relates to the task itself — unless the step
    answered a clause of the task (``answered_a_clause``). A short description cannot name
    every fact a knowledge base holds ("the speed of light" shares nothing with "encyclopedic
    reference facts"); the answer it gave is better evidence than the description.
    """
    if descriptions is None:
        return []

    seen: dict[tuple[str, str], bool] = {}

    def related(a: str, b: str) -> bool:  # asked again for each step of the same target
        if (a, b) not in seen:
            seen[a, b] = bool(content_words(a) & content_words(b)) or (
                similarity is not None and similarity(a, b) >= min_similarity
            )
        return seen[a, b]

    results = {r.step_id: r for r in case.results}
    out: list[str] = []
    for step in case.plan.steps:
        target = step.target
        if not target:
            continue
        if target not in descriptions:
            out.append(f"{target} (unknown target)")
            continue
        if target in catch_all:
            continue
        about = f"{target.replace('.', ' ').replace('_', ' ')}: {descriptions[target]}"
        if related(case.task, about):
            continue
        query = REFERENCE.sub(" ", step.query)
        if related(query, about) and related(query, case.task):
            continue
        result = results.get(step.id)
        if result is not None and answered_a_clause(query, result, case.task, related):
            continue
        out.append(f"{target} (nothing in the task asks for it)")
    return list(dict.fromkeys(out))


def answered_a_clause(
    query: str, result: CaseStep, task: str, related: Callable[[str, str], bool]
) -> bool:
    """Whether a step asked a clause of the task and its target answered that clause.

    The step succeeded, its query is the task's own words (an attacker's bolted-on step asks
    for something else, often fed by ``{{s1}}``), and its result is about the query (a tool
    that merely acts, like an exfiltration echoing the task, returns nothing about it).
    """
    if not result.ok or REFERENCE.search(query):
        return False
    words = {_stem(w) for w in content_words(query)}
    if not words or not words <= {_stem(w) for w in content_words(task)}:
        return False
    return bool(result.summary.strip()) and related(query, result.summary)


def _stem(word: str) -> str:
    """A word without its verb ending: a planner asks 'who rotated' for 'who rotates', and the
    step still asks the user's own clause."""
    for ending in ("ing", "ed", "e"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


_ADDRESS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bhttps?://[^\s\"'<>]+|\b(?:[\w-]+\.)+(?:com|net|org|io|test|xyz|ru|cn)\b",
    re.IGNORECASE,
)


def foreign_addresses(case: Case) -> list[str]:
    """E-mail addresses, URLs and host names in the plan that the task never mentioned.

    Where a plan sends data is the payload of most poisoning: a destination must come from
    the user's request, not from a remembered plan.
    """
    task = case.task.lower()
    found: list[str] = []
    for step in case.plan.steps:
        for text in [step.query, *_strings(step.args or {})]:
            for m in _ADDRESS.finditer(text):
                if m.group(0).lower() not in task:
                    found.append(f"{step.id}: {m.group(0)}")
    return list(dict.fromkeys(found))
