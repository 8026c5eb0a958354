"""The texts retrieval compares: a target as words, a request without distracting literals.

Kept apart from the index itself because what a target is *found by* (its spoken name, its
description, its examples, its argument names when nothing else describes it) is a choice
measured on its own in benchmarks/bench_tool_retrieval.py, independent of how texts are scored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from agentroute.text import split_joined
from agentroute.types import TargetDescriptor, TargetKind

__all__ = ["capability_texts", "descriptor_texts", "retrieval_text"]

_PATH_TOKEN = re.compile(r"(?<![^\s\"'(\[`])(?:~|\.{1,2})?/?[\w.@+~-]+(?:/[\w.@+~-]*)+")


_UNIT_FRACTION = re.compile(r"[A-Za-zµ°]{1,3}(?:\^?\d)?(?:/[A-Za-zµ°]{1,3}(?:\^?\d)?)+")
"""``km/h``, ``m/s^2``, ``ft/s``: a unit, not a path; shortened it loses what it measures."""


def _last_part(match: re.Match[str]) -> str:
    token = match.group(0)
    if "://" in token or not re.search(r"[A-Za-z]", token) or _UNIT_FRACTION.fullmatch(token):
        return token
    return token.rstrip("/").rsplit("/", 1)[-1] or token


def retrieval_text(text: str) -> str:
    """The request as retrieval sees it: file paths shortened to their last part.

    A long literal (``/tmp/pytest-of-root/.../files``) carries no meaning for choosing a
    tool but drags the similarity of every target down; ``files`` keeps what it names.
    """
    return _PATH_TOKEN.sub(_last_part, text)


def _spoken(name: str) -> str:
    """``github.create_pull_request`` → ``create pull request (github)``; a tool's words
    written together are spelt apart (``vimeo.getrelatedpeople`` → ``get related people
    (vimeo)``, `agentroute.text.split_joined`), the server's name is kept as it is."""
    server, _, tool = name.rpartition(".")
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", tool).replace("_", " ").replace("-", " ")
    words = split_joined(words)
    return f"{words} ({server})" if server else words


def _schema_words(schema: Mapping[str, Any] | None) -> str:
    props = (schema or {}).get("properties") or {}
    parts = []
    for name, prop in props.items():
        desc = str(prop.get("description", "")).split(". ")[0] if isinstance(prop, Mapping) else ""
        parts.append(f"{_spoken(name)} ({desc})" if desc else _spoken(name))
    return ", ".join(parts)


def descriptor_texts(descriptor: TargetDescriptor) -> list[str]:
    """The texts a target is found by: its name and description, then each example alone.

    The argument names and descriptions join the summary only when there is no description:
    as extra text they attracted unrelated requests (on benchmarks/bench_tool_retrieval.py,
    300 tools: recall@1 0.57 → 0.51-0.54, recall@5 0.80 → 0.79).
    """
    summary = f"{_spoken(descriptor.name)}: {descriptor.description}".strip()
    if descriptor.domains:
        summary += f" Domains: {', '.join(descriptor.domains)}."
    if not descriptor.description.strip():
        args = _schema_words(descriptor.input_schema)
        if args:
            summary += f" Arguments: {args}."
    return [summary, *(e for e in descriptor.examples if e.strip()), *capability_texts(descriptor)]


def capability_texts(descriptor: TargetDescriptor) -> list[str]:
    """An expert's description taken apart into what it can do, one text each.

    "Programming specialist: writes code ...; explains error messages ..." as one sentence
    is far from any one request ("Write a Python function that ..." scored 0.26 against it);
    each capability alone ("Programming specialist: explains error messages and stack
    traces", "General-purpose chat assistant: recipes") is near the requests it serves.
    A tool's description is one capability, unless it lists examples under "Examples:" (as
    ``agentroute serve`` describes a served expert, base or whole agent: a served agent by
    the union of its targets); each becomes a text. Knowledge bases keep their texts.
    """
    if descriptor.kind is TargetKind.TOOL:
        return _listed_examples(descriptor.description)
    if descriptor.kind is not TargetKind.EXPERT:
        return []
    head, colon, body = descriptor.description.partition(":")
    if not colon or len(head) > 60:
        head, body = "", descriptor.description
    out: list[str] = []
    for part in re.split(r";|\.\s+|\.$", body):
        bare = re.sub(r"\([^)]*\)", "", part)  # "languages (English, French, ...)" is one
        items = [i.strip() for i in bare.split(",")]
        if len(items) < 4 or len(items[0].split()) < 2:  # a list of things, not of verbs
            items = [part.strip()]
        out += [f"{head.strip()}: {i}" if head else i for i in items if len(i) > 2]
    return out if len(out) > 1 else []


_EXAMPLES = re.compile(r"(?im)^\s*examples?:\s*$")


def _listed_examples(description: str) -> list[str]:
    """The ``- ...`` lines under an ``Examples:`` line of a description."""
    found = _EXAMPLES.search(description)
    if found is None:
        return []
    out = []
    for line in description[found.end() :].splitlines():
        if line.strip().startswith(("- ", "* ")):
            out.append(line.strip()[2:].strip())
        elif line.strip() and out:
            break
    return [e for e in out if e]
