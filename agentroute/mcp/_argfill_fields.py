"""Per-field rules of `agentroute.mcp._argfill`: what kind of value a field takes, and how
one field's value is read from the text (written out, quoted, after a cue word, an enum
option, a flag)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from agentroute.mcp._argfill_lexicon import (
    _DATE_NAMES,
    _FALSE_WORDS,
    _NEGATION,
    _PATH_NAMES,
    _QUOTED,
    _TEXT_NAMES,
    _TRUE_WORDS,
    _Text,
    _types,
    _words,
)

# Fields are filled kind by kind in this order: the most recognisable values first, so that
# a time zone is not read as a relative path and a date's digits are not read as numbers.
_ORDER = ["url", "email", "timezone", "path", "datetime", "date", "time", "place", "enum",
          "number", "boolean", "identifier", "text"]  # fmt: skip
_SYNONYMS = {"revision": ["commit", "rev", "sha"], "target": ["against", "versus", "vs"],
             "ref": ["commit", "branch", "tag"], "sha": ["commit"], "channel": ["channel"],
             "owner": ["owner", "user", "org"], "repo": ["repo", "repository"]}  # fmt: skip
_NOT_VALUES = {"the", "a", "an", "to", "in", "from", "for", "with", "and", "of", "on", "at", "is"}
_TRAILING = ".,;:!?)]}"
_FLAG_VERBS = {
    "include",
    "use",
    "enable",
    "show",
    "is",
    "has",
    "with",
    "get",
    "allow",
    "should",
    "do",
}


def _options(prop: Mapping[str, Any]) -> list[Any] | None:
    """Allowed values: the schema's ``enum``, or quoted choices its description lists."""
    if "enum" in prop:
        return list(prop["enum"])
    desc = str(prop.get("description", ""))
    quoted = re.findall(r"'([^']+)'", desc)
    if len(quoted) >= 2 and "e.g" not in desc.lower() and "example" not in desc.lower():
        return quoted
    return None


def _kind(name: str, prop: Mapping[str, Any]) -> str:
    types, words = _types(prop), set(_words(name))
    desc, fmt = str(prop.get("description", "")).lower(), prop.get("format")
    if types == {"boolean"}:
        return "boolean"
    if types and types <= {"number", "integer"}:
        return "enum" if "enum" in prop else "number"
    if "array" in types:
        items = prop.get("items") if isinstance(prop.get("items"), Mapping) else {}
        return "array:" + _kind(name.removesuffix("s"), items or {"type": "string"})
    if "object" in types:
        return "object"
    if "enum" in prop:
        return "enum"
    if fmt in {"uri", "url"} or words & {"url", "uri", "link", "href", "endpoint"}:
        return "url"
    if fmt == "email" or words & {"email", "mail"}:
        return "email"
    if words & {"timezone", "tz"} or {"time", "zone"} <= words or "iana timezone" in desc:
        return "timezone"
    if fmt in {"date-time", "date", "time"}:
        return {"date-time": "datetime"}.get(fmt, fmt)
    if words & _PATH_NAMES or re.search(r"\b(?:file|directory|folder) ?path\b", desc):
        return "path"
    if words == {"time"} or "hh:mm" in desc:
        return "time"
    if words & _DATE_NAMES or re.search(r"\b(?:date|timestamp|iso 8601)\b", desc):
        return "date"
    if words & {"city", "location", "place", "country", "town", "region"}:
        return "place"
    if _options(prop):
        return "enum"
    return "text" if words & _TEXT_NAMES else "identifier"


# ---------------------------------------------------------------------------- one field


def _clean(token: str) -> str:
    return token.rstrip(_TRAILING) if len(token) > 1 else token


def _explicit(text: _Text, name: str) -> str | None:
    """``name: value`` / ``name=value`` / ``name "value"`` written out in the text."""
    spoken = r"[\s_-]*".join(re.escape(w) for w in _words(name))
    sep = r"\s*[:=]\s*" if len(name) <= 2 else r"(?:\s*[:=]\s*|\s+(?=[\"'`]))"
    pattern = re.compile(rf"(?<![\w-])(?:{re.escape(name)}|{spoken}){sep}"
                         rf"(?:\"([^\"]*)\"|'([^']*)'|`([^`]*)`|([^\s,;]+))", re.I)  # fmt: skip
    for m in text.find(pattern):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        text.take(m.start(), m.end())
        return m.group(group) if group < 4 else _clean(m.group(4))
    return None


def _quoted(text: _Text) -> str | None:
    for m in text.find(_QUOTED):
        text.take(m.start(), m.end())
        return next(g for g in m.groups() if g is not None)
    return None


def _identifier(text: _Text, name: str) -> str | None:
    """The token after a word of the field's name: ``branch called feature-x`` → feature-x."""
    words = [w for w in _words(name) if w not in {"name", "id"}] or _words(name)
    cues = sorted({c for w in words for c in [w, *_SYNONYMS.get(w, [])]}, key=len, reverse=True)
    value = r"(?:\"([^\"]+)\"|'([^']+)'|`([^`]+)`|([\w./~^:@#+-]+))"
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, cues))})s?\b\s*"
                         rf"(?:(?:named|called|is|=|:)\s*)?{value}", re.I)  # fmt: skip
    for m in pattern.finditer(text.raw):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        token = m.group(group) if group < 4 else _clean(m.group(4))
        if token.lower() in _NOT_VALUES or not text.free(m.start(group), m.end(group)):
            continue
        text.take(m.start(group), m.end(group))
        return token
    return None


def _enum(text: _Text, options: list[Any]) -> Any | None:
    """The option the text names (case, spacing, ``_``/``-`` and a plural ``s`` ignored)."""
    best: tuple[int, Any, int] | None = None
    for option in options:
        words = re.split(r"[\s_\-/]+", str(option).strip())
        spoken = r"[\s_\-/]*".join(re.escape(w) for w in words if w)
        for m in text.find(re.compile(rf"(?<![\w-]){spoken}(?:e?s)?(?![\w-])", re.I)):
            if best is None or m.start() < best[0]:
                best = (m.start(), option, m.end())
            break
    if best is None:
        return None
    text.take(best[0], best[2])
    return best[1]


def _boolean(text: _Text, name: str) -> bool | None:
    words = _words(name)
    spoken = r"[\s_-]*".join(re.escape(w) for w in words)
    nouns = [re.escape(w) for w in words if w not in _FLAG_VERBS and len(w) > 2]
    alternation = "|".join([spoken, *nouns])
    for m in text.find(re.compile(rf"(?<![\w-])(?:{alternation})s?(?![\w-])", re.I)):
        after = re.match(r"\s*[:=]?\s*(\w+)", text.raw[m.end() :])
        text.take(m.start(), m.end())
        if after and after.group(1).lower() in _TRUE_WORDS | _FALSE_WORDS:
            return after.group(1).lower() in _TRUE_WORDS
        return not _NEGATION.search(text.raw[: m.start()])
    return None
