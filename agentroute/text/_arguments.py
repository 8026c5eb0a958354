"""Fill a tool's arguments from plain text, without an LLM.

The embedded default has no language model, yet it must call real third-party tools whose
schemas are simple: one string, an enum, a few numbers, a date, a time zone, a path. This
module reads those values out of the user's text with rules and no guessing beyond them: a
required field it cannot find raises `ArgumentFillError`, so the turn can say what is missing
instead of calling a tool with made-up arguments. `validate_arguments` checks any arguments
(from here or from an LLM) against the schema before dispatch.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from agentroute._log import get_logger
from agentroute.text._fields import (
    FILL_ORDER,
    clean_token,
    enum_options,
    field_kind,
    read_boolean,
    read_enum,
    read_explicit,
    read_identifier,
    read_quoted,
)
from agentroute.text._files import find_folder, find_glob
from agentroute.text._lexicon import (
    ENUM_FALLBACKS,
    REPOSITORY_FIELD_WORDS,
    TIME_OFFSET_WORDS,
    TRUE_WORDS,
)
from agentroute.text._revisions import CURRENT, find_revision, written_revision
from agentroute.text._values import (
    CLOCK,
    EMAIL,
    URL,
    Text,
    as_number,
    clock_time,
    default_from_description,
    find_dates,
    find_numbers,
    find_paths,
    find_places,
    find_timezones,
    hinted_number,
    json_types,
    name_words,
)

if TYPE_CHECKING:
    import jsonschema

__all__ = ["ArgumentFillError", "fill_arguments", "validate_arguments"]

log = get_logger(__name__)


class ArgumentFillError(ValueError):
    """A required argument could not be read from the text."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"argument {field!r}: {reason}")
        self.field = field
        self.reason = reason


def fill_arguments(
    query: str,
    schema: Mapping[str, Any],
    *,
    tool: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Read the arguments of a tool with input ``schema`` out of ``query``.

    ``tool`` (the tool's name) lets a leading "echo ..." be dropped from a free-text value;
    ``today`` anchors "today"/"tomorrow" (tests pass a fixed day). Optional fields the text
    does not mention are left out, so the server's defaults apply.

    Raises `ArgumentFillError` for a required field the text does not give.
    """
    props: Mapping[str, Mapping[str, Any]] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    day = today or dt.date.today()
    text, found = Text(query), {}
    kinds = {name: field_kind(name, prop) for name, prop in props.items()}
    order = sorted(props, key=lambda n: (FILL_ORDER.index(kinds[n].removeprefix("array:")) if
                   kinds[n].removeprefix("array:") in FILL_ORDER else len(FILL_ORDER), n not in required))  # fmt: skip

    for name in order:  # values written out as ``name: value`` win over everything inferred
        raw = read_explicit(text, name)
        if raw is not None:
            found[name] = _coerce(raw, props[name], kinds[name])

    _fill_timezones(text, props, kinds, required, found)
    numbers_pending: list[str] = []
    for name in order:
        if name in found or kinds[name] == "timezone":
            continue
        if kinds[name] == "number":
            numbers_pending.append(name)
            continue
        value = _extract(text, name, props[name], kinds[name], day, tool=tool, schema=props,
                         required=name in required)  # fmt: skip
        if value is not None:
            found[name] = value
    _fill_numbers(text, numbers_pending, props, required, found)

    for name in props:
        if name in found or name not in required:
            continue
        if kinds[name] == "boolean":
            found[name] = bool(props[name].get("default", False))
        elif "default" in props[name] and props[name]["default"] is not None:
            if kinds[name] == "path" and "file" in name_words(tool or ""):
                # a server's root folder is no file to read or write ("read it" names none)
                raise ArgumentFillError(name, "no file named in the text")
            found[name] = props[name]["default"]
        elif kinds[name] == "enum" and (fallback := _enum_fallback(props[name])) is not None:
            found[name] = fallback
        elif kinds[name] == "revision":
            found[name] = CURRENT  # "show the commit": the one checked out
        else:
            raise ArgumentFillError(name, f"no {kinds[name]} value found in the text")
    args = {name: found[name] for name in props if name in found}
    return _drop_invalid(args, schema, required)


def _extract(
    text: Text,
    name: str,
    prop: Mapping[str, Any],
    kind: str,
    day: dt.date,
    *,
    tool: str | None,
    schema: Mapping[str, Any],
    required: bool = True,
) -> Any:
    if kind.startswith("array:"):
        inner = kind.removeprefix("array:")
        items = prop.get("items") if isinstance(prop.get("items"), Mapping) else {}
        if inner == "path":
            paths = find_paths(text)
            for _, start, end in paths:
                text.take(start, end)
            return [p for p, _, _ in paths] or None
        if inner == "enum":
            option = read_enum(text, enum_options(items or {}) or [])
            return None if option is None else [option]
        return None
    if kind in {"url", "email"}:
        for m in text.find(URL if kind == "url" else EMAIL):
            text.take(m.start(), m.end())
            return clean_token(m.group(0))
        return None
    if kind == "path":
        served = _served_root(name, prop)
        for value, start, end in find_paths(text):
            if served and not value.startswith(("/", "~")):
                continue  # "the changes to app.py": a file in the repository, not another one
            text.take(start, end)
            return _under_root(value, prop)
        if served:
            return None
        folder = find_folder(text)
        if folder is not None:
            text.take(folder[1], folder[2])
            return _under_root(folder[0], prop)
        return None
    if kind == "glob":
        glob = find_glob(text)
        if glob is not None:
            text.take(glob[1], glob[2])
            return glob[0]
        return read_identifier(text, name) or read_quoted(text)
    if kind == "revision":
        return find_revision(text) or read_quoted(text)
    if kind in {"date", "datetime", "time"}:
        return _when(text, kind, day)
    if kind == "place":
        for value, start, end in find_places(text):
            text.take(start, end)
            return value
        return read_quoted(text)
    if kind == "enum":
        return read_enum(text, enum_options(prop) or [])
    if kind == "boolean":
        return read_boolean(text, name)
    if kind == "identifier":  # an optional name is never the whole request ("contains")
        found = read_identifier(text, name) or read_quoted(text)
        if found is None and required:  # "diff of HEAD~2": the ref, not "of HEAD~2"
            found = written_revision(text)
        return found or (_whole(text, schema, name, tool) if required else None)
    if kind == "text":
        return read_quoted(text) or _whole(text, schema, name, tool)
    return None


def _enum_fallback(prop: Mapping[str, Any]) -> Any | None:
    """The option a required enum takes when the text names none: the broadest one the
    schema offers ("all", else "local", ...), so "branches?" lists branches."""
    options = enum_options(prop) or []
    spoken = {str(o).lower(): o for o in options}
    return next((spoken[w] for w in ENUM_FALLBACKS if w in spoken), None)


def _served_root(name: str, prop: Mapping[str, Any]) -> bool:
    """A field naming the repository (or workspace) a server was started on, with that one as
    its default ("repo_path" of a git server run with ``--repository``): a relative path in
    the text is something inside it, never the field's value."""
    default = prop.get("default")
    return (
        isinstance(default, str)
        and default.startswith("/")
        and bool(set(name_words(name)) & REPOSITORY_FIELD_WORDS)
    )


def _under_root(value: str, prop: Mapping[str, Any]) -> str:
    """A relative path under the server-level default root, when there is one (a file server
    started on one directory): "docs" is that directory's ``docs``."""
    root = prop.get("default")
    if not isinstance(root, str) or not root.startswith("/") or value.startswith(("/", "~")):
        return value
    relative = value.removeprefix("./")
    return root.rstrip("/") + ("/" + relative if relative not in ("", ".") else "")


def _whole(text: Text, props: Mapping[str, Any], name: str, tool: str | None) -> str | None:
    """The whole query, for the one free-text field of a schema (minus a leading tool verb)."""
    strings = [n for n, p in props.items() if field_kind(n, p) in {"text", "identifier"}]
    texts = [n for n in strings if field_kind(n, props[n]) == "text"]
    if name not in (texts[:1] or strings[:1] if len(strings) == 1 or texts else []):
        return None
    value = _before_taken_tail(text).strip()
    if tool:
        verbs = "|".join(re.escape(w) for w in name_words(tool) if len(w) > 2)
        if verbs:
            value = re.sub(rf"^(?:please\s+)?(?:{verbs})\w*\b[\s:,]*(?:-\s+)?(?:back\s+)?", "", value,
                           flags=re.I) or value  # fmt: skip
    return value


_TAIL_LINK = re.compile(r"\s+(?:into|to|in|as|under|at)\s*$", re.I)


def _before_taken_tail(text: Text) -> str:
    """The query without a last span another field took and the word linking it ("write
    hello into /tmp/a.txt": the content is "write hello", not "... into /tmp/a.txt")."""
    raw = text.raw
    end = len(raw.rstrip(" ?.!"))
    for start, stop in text.used:
        link = _TAIL_LINK.search(raw[:start]) if stop >= end and start > 0 else None
        if link is not None and raw[: link.start()].strip():
            return raw[: link.start()]
    return raw


OFFSET_CLOCK = "12:00"
"""The time of day converted when a clause asks only how far apart two zones' clocks are."""


def _asks_offset(raw: str) -> bool:
    """Whether the text asks how far apart clocks are ("hours ahead", "time difference")."""
    return any(w in TIME_OFFSET_WORDS for w in re.findall(r"[a-z]+", raw.lower()))


def _when(text: Text, kind: str, day: dt.date) -> str | None:
    dates = [] if kind == "time" else find_dates(text, day)
    clock = None if kind == "date" else next(text.find(CLOCK), None)
    if clock is not None:
        text.take(clock.start(), clock.end())
    if kind == "time":
        if clock is None and _asks_offset(text.raw):
            return OFFSET_CLOCK  # "how many hours ahead is Tokyo": the day's difference
        return clock_time(clock) if clock else None
    if not dates:
        return (
            None if clock is None or kind == "date" else f"{day.isoformat()}T{clock_time(clock)}:00"
        )
    value, start, end = dates[0]
    text.take(start, end)
    if kind == "datetime" and "T" not in value:
        value += f"T{clock_time(clock) if clock else '00:00'}:00"
    return value


def _fill_timezones(
    text: Text,
    props: Mapping[str, Mapping[str, Any]],
    kinds: Mapping[str, str],
    required: set[str],
    found: dict[str, Any],
) -> None:
    """Source/target zones by the words around them ("from X", "to Y"), else by position.

    With a clock time in the text and no such words, the zone nearest the time is the source:
    "what time is it in Tokyo when it's 5 pm in New York" converts from New York.
    """
    fields = [n for n in props if kinds[n] == "timezone" and n not in found]
    if not fields:
        return
    zones = find_timezones(text)
    for _, start, end in zones:
        text.take(start, end)
    role = {n: "target" if set(name_words(n)) & {"target", "to", "destination"} else "source"
            for n in fields}  # fmt: skip
    roles: list[str | None] = []
    for _, start, _end in zones:
        before = text.raw[max(0, start - 12) : start].lower()
        roles.append("target" if re.search(r"\b(?:to|into|target)\s+$", before) else
                     "source" if re.search(r"\b(?:from|source)\s+$", before) else None)  # fmt: skip
    clock = next(CLOCK.finditer(text.raw), None)
    if len(fields) > 1 and clock and None in roles and "source" not in roles:
        nearest = min(range(len(zones)), key=lambda i: abs(zones[i][1] - clock.start()))
        if roles[nearest] is None:
            roles[nearest] = "source"
    pool = list(range(len(zones)))
    for name in fields:
        pick = next((i for i in pool if roles[i] == role[name]), None)
        if pick is None and len(fields) > 1:
            pick = next((i for i in pool if roles[i] is None), None)
        elif pick is None:
            pick = pool[0] if pool else None
        if pick is not None:
            pool.remove(pick)
            found[name] = zones[pick][0]
        elif name in required:
            default = default_from_description(str(props[name].get("description", "")))
            if default is None:
                raise ArgumentFillError(name, "no time zone, city or country found in the text")
            found[name] = default


def _fill_numbers(
    text: Text,
    fields: list[str],
    props: Mapping[str, Mapping[str, Any]],
    required: set[str],
    found: dict[str, Any],
) -> None:
    """Numbers named in the text first ("3 context lines"), then required ones by position."""
    for name in fields:
        hit = hinted_number(text, name, str(props[name].get("description", "")), find_numbers(text))
        value = None if hit is None else as_number(hit[0], json_types(props[name]))
        if hit is not None and value is not None:
            text.take(hit[1], hit[2])
            found[name] = value
    pending = [n for n in fields if n not in found]
    for name in [n for n in pending if n in required]:
        for number, start, end in find_numbers(text):
            value = as_number(number, json_types(props[name]))
            if value is not None:
                text.take(start, end)
                found[name] = value
                break
    optional = [n for n in pending if n not in found]
    left = find_numbers(text)
    if len(optional) == 1 and len(left) == 1 and not any(n in required for n in pending):
        value = as_number(left[0][0], json_types(props[optional[0]]))
        if value is not None:
            found[optional[0]] = value


def _coerce(raw: str, prop: Mapping[str, Any], kind: str) -> Any:
    types = json_types(prop)
    if kind == "boolean":
        return raw.lower() in TRUE_WORDS
    if kind == "number" or (kind == "enum" and types <= {"number", "integer"}):
        try:
            number = as_number(float(raw), types)
        except ValueError:
            return raw
        return raw if number is None else number
    if kind.startswith("array:"):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _drop_invalid(
    args: dict[str, Any], schema: Mapping[str, Any], required: set[str]
) -> dict[str, Any]:
    """Fail closed on a filled value the schema rejects; quietly drop an optional one."""
    for problem in _errors(args, schema):
        field = problem.path[0] if problem.path else None
        if isinstance(field, str) and field in args and field not in required:
            log.debug("argfill.drop_optional", field=field, reason=problem.message)
            args.pop(field)
            return _drop_invalid(args, schema, required)
        raise ArgumentFillError(
            str(field or "<root>"), f"filled value is invalid: {problem.message}"
        )
    return args


# ---------------------------------------------------------------------------- validation


def _errors(args: Mapping[str, Any], schema: Mapping[str, Any]) -> list[jsonschema.ValidationError]:
    import jsonschema  # imported on first use: not every turn fills or checks arguments

    cls = jsonschema.validators.validator_for(schema)
    return sorted(cls(schema).iter_errors(args), key=lambda e: list(map(str, e.path)))


def validate_arguments(args: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Problems with ``args`` against a tool's input schema, one readable line each.

    An empty list means the call may be dispatched. A broken schema is reported too (fail
    closed), never silently accepted.
    """
    import jsonschema

    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        return [f"<schema>: the tool's input schema is invalid: {exc.message}"]
    problems = []
    for error in _errors(args, schema):
        where = "/".join(map(str, error.path)) or "<arguments>"
        problems.append(f"{where}: {error.message}")
    if problems:
        log.debug("argfill.invalid", problems=problems, args=json.dumps(args, default=str)[:200])
    return problems
