"""Per-field rules of argument filling: what kind of value a field takes, and how
one field's value is read from the text (written out, quoted, after a cue word, an enum
option, a flag)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from agentroute.text._lexicon import (
    DATE_FIELD_NAMES,
    FALSE_WORDS,
    FIELD_SYNONYMS,
    FLAG_VERBS,
    GLOB_FIELD_NAMES,
    PATH_FIELD_NAMES,
    REVISION_FIELD_NAMES,
    STOP_WORDS,
    TEXT_FIELD_NAMES,
    TRUE_WORDS,
)
from agentroute.text._values import NEGATION, QUOTED, Text, json_types, name_words

__all__ = [
    "FILL_ORDER",
    "clean_token",
    "enum_options",
    "field_kind",
    "read_boolean",
    "read_enum",
    "read_explicit",
    "read_identifier",
    "read_quoted",
]

# Fields are filled kind by kind in this order: the most recognisable values first, so that
# a time zone is not read as a relative path and a date's digits are not read as numbers.
FILL_ORDER = ["url", "email", "glob", "timezone", "path", "datetime", "date", "time", "place",
              "revision", "enum", "number", "boolean", "identifier", "text"]  # fmt: skip
_TRAILING = ".,;:!?)]}"


def enum_options(prop: Mapping[str, Any]) -> list[Any] | None:
    """Allowed values: the schema's ``enum``, or quoted choices its description lists."""
    if "enum" in prop:
        return list(prop["enum"])
    desc = str(prop.get("description", ""))
    quoted = re.findall(r"'([^']+)'", desc)
    if len(quoted) >= 2 and "e.g" not in desc.lower() and "example" not in desc.lower():
        return quoted
    return None


def field_kind(name: str, prop: Mapping[str, Any]) -> str:
    types, words = json_types(prop), set(name_words(name))
    desc, fmt = str(prop.get("description", "")).lower(), prop.get("format")
    if types == {"boolean"}:
        return "boolean"
    if types and types <= {"number", "integer"}:
        return "enum" if "enum" in prop else "number"
    if "array" in types:
        items = prop.get("items") if isinstance(prop.get("items"), Mapping) else {}
        return "array:" + field_kind(name.removesuffix("s"), items or {"type": "string"})
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
    if words & GLOB_FIELD_NAMES or "glob" in desc:
        return "glob"
    if words & REVISION_FIELD_NAMES and types <= {"string"}:
        return "revision"
    if words & PATH_FIELD_NAMES or re.search(r"\b(?:file|directory|folder) ?path\b", desc):
        return "path"
    if words == {"time"} or "hh:mm" in desc:
        return "time"
    if "timestamp" in words:  # a point in time: git reads a bare day as that day at this hour
        return "datetime"
    if words & DATE_FIELD_NAMES or re.search(r"\b(?:date|timestamp|iso 8601)\b", desc):
        return "date"
    if words & {"city", "location", "place", "country", "town", "region"}:
        return "place"
    if enum_options(prop):
        return "enum"
    return "text" if words & TEXT_FIELD_NAMES else "identifier"


# ---------------------------------------------------------------------------- one field


def clean_token(token: str) -> str:
    return token.rstrip(_TRAILING) if len(token) > 1 else token


def read_explicit(text: Text, name: str) -> str | None:
    """``name: value`` / ``name=value`` / ``name "value"`` written out in the text."""
    spoken = r"[\s_-]*".join(re.escape(w) for w in name_words(name))
    sep = r"\s*[:=]\s*" if len(name) <= 2 else r"(?:\s*[:=]\s*|\s+(?=[\"'`]))"
    pattern = re.compile(rf"(?<![\w-])(?:{re.escape(name)}|{spoken}){sep}"
                         rf"(?:\"([^\"]*)\"|'([^']*)'|`([^`]*)`|([^\s,;]+))", re.I)  # fmt: skip
    for m in text.find(pattern):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        text.take(m.start(), m.end())
        return m.group(group) if group < 4 else clean_token(m.group(4))
    return None


def read_quoted(text: Text) -> str | None:
    for m in text.find(QUOTED):
        text.take(m.start(), m.end())
        return next(g for g in m.groups() if g is not None)
    return None


def read_identifier(text: Text, name: str) -> str | None:
    """The token after a word of the field's name: ``branch called feature-x`` → feature-x,
    ``titled groceries`` → groceries (the name made a participle: ``title`` → ``titled``)."""
    words = [w for w in name_words(name) if w not in {"name", "id"}] or name_words(name)
    cues = sorted(
        {c for w in words for c in [w, *FIELD_SYNONYMS.get(w, [])]}, key=len, reverse=True
    )
    value = r"(?:\"([^\"]+)\"|'([^']+)'|`([^`]+)`|([\w./~^:@#+-]+))"
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, cues))})(?:s|e?d)?\b\s*"
                         rf"(?:(?:named|called|is|=|:)\s*)?{value}", re.I)  # fmt: skip
    for m in pattern.finditer(text.raw):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        token = m.group(group) if group < 4 else clean_token(m.group(4))
        if token.lower() in STOP_WORDS or not text.free(m.start(group), m.end(group)):
            continue
        text.take(m.start(group), m.end(group))
        return token
    return None


def read_enum(text: Text, options: list[Any]) -> Any | None:
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


def read_boolean(text: Text, name: str) -> bool | None:
    words = name_words(name)
    spoken = r"[\s_-]*".join(re.escape(w) for w in words)
    nouns = [re.escape(w) for w in words if w not in FLAG_VERBS and len(w) > 2]
    alternation = "|".join([spoken, *nouns])
    for m in text.find(re.compile(rf"(?<![\w-])(?:{alternation})s?(?![\w-])", re.I)):
        after = re.match(r"\s*[:=]?\s*(\w+)", text.raw[m.end() :])
        text.take(m.start(), m.end())
        if after and after.group(1).lower() in TRUE_WORDS | FALSE_WORDS:
            return after.group(1).lower() in TRUE_WORDS
        return not NEGATION.search(text.raw[: m.start()])
    return None
