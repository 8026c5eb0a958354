"""What kinds of value a request carries, and what kinds a target's arguments take.

A request naming ``config.yaml`` is about a file whatever its verb says; a tool with a ``path``
argument can take it, one without cannot. Retrieval uses this twice: the request is embedded
with the value's kind spelled out (``file config.yaml``: MiniLM otherwise reads ``.yaml`` as
Kubernetes), and targets with an argument of a kind the request carries get a small bonus.
The file, URL, e-mail, host, time-zone and date detectors are the argument filler's
(`agentroute.text._values`), so what retrieval sees as a file is what the filler would
pass as one. The others are the shapes the most used MCP servers' values take: a chat channel
(``#general``), a tracker key (``PROJ-123``), an SQL statement, an environment variable; and a
few abbreviations (PR, MR, db, VM, to-do) are spelled out, as MiniLM reads them poorly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from agentroute.text._fields import field_kind
from agentroute.text._lexicon import (
    ABBREVIATIONS,
    NOT_ISSUE_KEYS,
    SPOKEN_KINDS,
    TOP_LEVEL_DOMAINS,
)
from agentroute.text._values import (
    CLOCK,
    EMAIL,
    URL,
    Text,
    find_dates,
    find_paths,
    find_timezones,
)

__all__ = ["argument_kinds", "typed_request", "value_kinds"]

_QUOTED_NUMBERS = re.compile(
    r"\"(?=[^\"]*\d)(?=[^\"]*\s)[^\"]*\"|“(?=[^”]*\d)(?=[^”]*\s)[^”]*”"
    r"|(?<!\w)'(?=[^']*\d)(?=[^']*\s)[^']*'(?!\w)"
)
"""A quoted phrase (it has a space: not a quoted path) with a number in it."""
_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_HOST_WORDS = {"host", "hostname", "domain", "ip"}
_DAY = dt.date(2000, 1, 1)  # dates are only detected here, never resolved

# Value shapes of the most used MCP servers (chat, issue trackers, databases, shells).
_CHANNEL = re.compile(r"(?<![\w&#/])#[A-Za-z][\w.-]*")
_ISSUE_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-\d+\b")
_SQL = re.compile(r"(?:^|(?<=[\"'`]))\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH)\b")
_ENV_VAR = re.compile(
    r"(?<![\w$])\$?(?:PATH|HOME|USER|SHELL|LANG|PWD|TERM|TMPDIR|EDITOR|HOSTNAME"
    r"|[A-Z][A-Z0-9]*_[A-Z0-9_]+)\b"
)
_CAPITALS = re.compile(r"\b(?:PRs?|MRs?|VMs?)\b")
_WORDS = re.compile(r"\b(?:db|k8s|repos?|to-dos?|todos?)\b", re.IGNORECASE)
_KINDS = frozenset(
    {"path", "url", "host", "email", "timezone", "date", "clock", "channel", "issue", "sql"}
)
"""The kinds both requests and arguments are read for (an environment variable's argument is
just a ``name``: only the request says it)."""


def _spans(text: str) -> list[tuple[int, int, str]]:
    """Values in ``text`` as ``(start, end, kind)``, not overlapping, in order."""
    spans: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in spans)

    for pattern, kind in ((URL, "url"), (EMAIL, "email")):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                spans.append((m.start(), m.end(), kind))
    for value, start, end in find_paths(Text(text)):
        if not free(start, end):
            continue
        last = value.rstrip("/").rsplit("/", 1)[-1]
        suffix = last.rsplit(".", 1)[-1].lower() if "." in last else ""
        if _IP.fullmatch(value) or ("/" not in value and suffix in TOP_LEVEL_DOMAINS):
            kind = "host"
        else:
            kind = "path" if suffix else "dir"
        spans.append((start, end, kind))
    for m in _IP.finditer(text):
        if free(m.start(), m.end()):
            spans.append((m.start(), m.end(), "host"))
    for pattern, kind in ((_CHANNEL, "channel"), (_SQL, "sql"), (_ENV_VAR, "env")):
        for m in pattern.finditer(text):
            if m.group(0).strip() and free(m.start(), m.end()):
                spans.append((m.end() - len(m.group(0).lstrip()), m.end(), kind))
    for m in _ISSUE_KEY.finditer(text):
        if m.group(1) not in NOT_ISSUE_KEYS and free(m.start(), m.end()):
            spans.append((m.start(), m.end(), "issue"))
    return sorted(spans)


def typed_request(text: str) -> str:
    """``show config.yaml`` → ``show file config.yaml``: each value's kind spelled out, and
    abbreviations in full (``show PR 58`` → ``show pull request 58``). A quotation with
    numbers in it is data, not arithmetic: ``echo '1, 2 and 3'`` is read as ``echo text``."""
    text = _QUOTED_NUMBERS.sub("text", text)
    out, at = [], 0

    def words(part: str) -> str:
        part = _CAPITALS.sub(lambda m: ABBREVIATIONS[m.group(0)], part)
        return _WORDS.sub(lambda m: ABBREVIATIONS[m.group(0).lower()], part)

    for start, end, kind in _spans(text):
        before = words(text[at:start])
        out.append(before)
        spoken = SPOKEN_KINDS[kind]
        said = before.rstrip().lower().endswith(spoken.lower()) and before[-1:].isspace()
        out.append(text[start:end] if said else f"{spoken} {text[start:end]}")
        at = end
    out.append(words(text[at:]))
    return "".join(out)


@lru_cache(maxsize=1024)
def value_kinds(text: str) -> frozenset[str]:
    """The kinds of value ``text`` carries: ``path``, ``url``, ``host``, ``email``,
    ``timezone``, ``date``, ``clock``, ``channel``, ``issue``, ``sql``, ``env``."""
    kinds = {"path" if kind == "dir" else kind for _, _, kind in _spans(text)}
    if find_timezones(Text(text)):
        kinds.add("timezone")
    if find_dates(Text(text), _DAY):
        kinds.add("date")
    if CLOCK.search(text):  # "9 am", "14:30": a time of day, for a tool that takes one
        kinds.add("clock")
    return frozenset(kinds)


def argument_kinds(schema: Mapping[str, Any] | None) -> frozenset[str]:
    """The kinds of value a tool's arguments take, in `value_kinds`' terms (as the argument
    filler reads them from the names, descriptions and formats)."""
    props = (schema or {}).get("properties") or {}
    kinds: set[str] = set()
    for name, prop in props.items():
        if not isinstance(prop, Mapping):
            continue
        kind = field_kind(str(name), prop).removeprefix("array:")
        kinds.add(kind)
        if kind == "url":
            kinds.add("host")  # a URL argument takes a bare host too
        elif kind == "place":
            kinds.add("timezone")  # city names are detected as time zones
        elif kind in {"datetime", "time"}:
            kinds.update({"date", "clock"})
        words = set(re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", str(name).lower()))
        if words & _HOST_WORDS:
            kinds.update({"host", "url"})
        if "channel" in words:
            kinds.add("channel")
        if {"issue", "key"} <= words or "ticket" in words:
            kinds.add("issue")
        if "sql" in words:
            kinds.add("sql")
    return frozenset(kinds & _KINDS)
