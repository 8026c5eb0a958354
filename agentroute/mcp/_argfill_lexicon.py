"""The word lists and extractors behind `agentroute.mcp._argfill`.

Each extractor reads one kind of value (time zone, date, clock time, number, path, URL) out of
the text and reports the span it used, so two fields never take the same words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from typing import Any

# ---------------------------------------------------------------------------- the text


class _Text:
    """The query plus the spans already used, so two fields never take the same words."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.used: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.used)

    def take(self, start: int, end: int) -> None:
        self.used.append((start, end))

    def find(self, pattern: re.Pattern[str], group: int = 0) -> Iterator[re.Match[str]]:
        for m in pattern.finditer(self.raw):
            if self.free(m.start(group), m.end(group)):
                yield m


def _words(name: str) -> list[str]:
    """``max_count`` / ``includeImage`` / ``repo-path`` → lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").replace("-", " ")
    return [w.lower() for w in spaced.split() if w]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[_\-/]+", " ", text.lower()).split())


def _types(prop: Mapping[str, Any]) -> set[str]:
    """The JSON types a property accepts, ``null`` aside (handles ``anyOf``/``oneOf``)."""
    found: set[str] = set()
    raw = prop.get("type")
    if isinstance(raw, str):
        found.add(raw)
    elif isinstance(raw, list):
        found.update(t for t in raw if isinstance(t, str))
    for key in ("anyOf", "oneOf"):
        for sub in prop.get(key, []) or []:
            if isinstance(sub, Mapping):
                found |= _types(sub)
    if not found and "enum" in prop:
        found = {type(v).__name__.replace("str", "string") for v in prop["enum"]}
    found.discard("null")
    return found


# ---------------------------------------------------------------------------- patterns

_QUOTED = re.compile(r"\"([^\"]+)\"|'([^']+)'|`([^`]+)`|“([^”]+)”")
_URL = re.compile(r"\bhttps?://[^\s\"'<>`]+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PATH = re.compile(
    r"(?<![\w@:/.])(?:~?/[^\s\"'`,;]*|\.{1,2}/[^\s\"'`,;]*|[\w.-]+(?:/[\w.-]+)+/?"
    r"|[\w-]+(?:\.[\w-]+)*\.[A-Za-z][A-Za-z0-9]{0,5})(?![\w/])"
)
_NUMBER = re.compile(r"(?<![\w/.:-])[-+]?\d+(?:\.\d+)?(?![\w/:]|\.\d)")
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.I)
_ISO_DATETIME = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", re.I
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I
)
_RELATIVE_DAY = re.compile(
    r"\b(today|tonight|tomorrow|yesterday|in (\d+) days?|(\d+) days? ago)\b", re.I
)
_CLOCK = re.compile(
    r"\b(?:([01]?\d|2[0-3]):([0-5]\d)(?:\s*([ap])\.?m\.?)?|(1[0-2]|0?[1-9])\s*([ap])\.?m\.?|(noon|midnight))(?!\w)",
    re.I,
)
_TRUE_WORDS = {"true", "yes", "on", "enable", "enabled", "1"}
_FALSE_WORDS = {"false", "no", "off", "disable", "disabled", "0"}
_NEGATION = re.compile(
    r"\b(?:no|not|without|don'?t|do not|never|exclude|excluding|skip)\s+(?:\w+\s+){0,2}$", re.I
)

_TEXT_NAMES = {
    "query", "q", "text", "message", "msg", "content", "prompt", "input", "question", "search",
    "topic", "body", "term", "keywords", "keyword", "sql", "statement", "expression", "task",
}  # fmt: skip
_PATH_NAMES = {"path", "file", "filename", "filepath", "dir", "directory", "folder", "source",
               "destination", "src", "dst", "dest", "cwd", "root"}  # fmt: skip
_DATE_NAMES = {"date", "day", "timestamp", "since", "until", "start", "end", "from", "to",
               "deadline", "due", "datetime", "when"}  # fmt: skip


# ---------------------------------------------------------------------------- time zones

_TZ_EXTRA = {
    "utc": "UTC", "gmt": "UTC", "zulu": "UTC", "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles", "est": "America/New_York", "edt": "America/New_York",
    "cet": "Europe/Paris", "ist": "Asia/Kolkata", "jst": "Asia/Tokyo",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles", "silicon valley": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles", "washington": "America/New_York",
    "boston": "America/New_York", "miami": "America/New_York", "atlanta": "America/New_York",
    "philadelphia": "America/New_York", "dallas": "America/Chicago", "houston": "America/Chicago",
    "austin": "America/Chicago", "montreal": "America/Toronto", "ottawa": "America/Toronto",
    "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "guangzhou": "Asia/Shanghai",
    "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata", "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo",
    "hanoi": "Asia/Ho_Chi_Minh", "ho chi minh city": "Asia/Ho_Chi_Minh", "saigon": "Asia/Ho_Chi_Minh",
    "abu dhabi": "Asia/Dubai", "tel aviv": "Asia/Jerusalem", "cape town": "Africa/Johannesburg",
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "barcelona": "Europe/Madrid", "milan": "Europe/Rome", "geneva": "Europe/Zurich",
    "edinburgh": "Europe/London", "manchester": "Europe/London", "lyon": "Europe/Paris",
    "st petersburg": "Europe/Moscow", "saint petersburg": "Europe/Moscow", "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo", "wellington": "Pacific/Auckland", "istanbul": "Europe/Istanbul",
    "japan": "Asia/Tokyo", "china": "Asia/Shanghai", "india": "Asia/Kolkata",
    "uk": "Europe/London", "united kingdom": "Europe/London", "england": "Europe/London",
    "britain": "Europe/London", "france": "Europe/Paris", "germany": "Europe/Berlin",
    "spain": "Europe/Madrid", "italy": "Europe/Rome", "netherlands": "Europe/Amsterdam",
    "brazil": "America/Sao_Paulo", "russia": "Europe/Moscow", "australia": "Australia/Sydney",
    "canada": "America/Toronto", "usa": "America/New_York", "united states": "America/New_York",
    "mexico": "America/Mexico_City", "argentina": "America/Argentina/Buenos_Aires",
    "buenos aires": "America/Argentina/Buenos_Aires", "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul", "egypt": "Africa/Cairo", "kenya": "Africa/Nairobi",
    "nigeria": "Africa/Lagos", "south africa": "Africa/Johannesburg", "israel": "Asia/Jerusalem",
    "turkey": "Europe/Istanbul", "uae": "Asia/Dubai", "saudi arabia": "Asia/Riyadh",
    "indonesia": "Asia/Jakarta", "thailand": "Asia/Bangkok", "vietnam": "Asia/Ho_Chi_Minh",
    "philippines": "Asia/Manila", "pakistan": "Asia/Karachi", "bangladesh": "Asia/Dhaka",
    "new zealand": "Pacific/Auckland", "ireland": "Europe/Dublin", "portugal": "Europe/Lisbon",
    "poland": "Europe/Warsaw", "sweden": "Europe/Stockholm", "norway": "Europe/Oslo",
    "denmark": "Europe/Copenhagen", "finland": "Europe/Helsinki", "greece": "Europe/Athens",
    "switzerland": "Europe/Zurich", "austria": "Europe/Vienna", "belgium": "Europe/Brussels",
    "ukraine": "Europe/Kyiv", "kiev": "Europe/Kyiv", "iran": "Asia/Tehran", "chile": "America/Santiago",
    "colombia": "America/Bogota", "peru": "America/Lima", "singapore": "Asia/Singapore",
    "hong kong": "Asia/Hong_Kong", "taiwan": "Asia/Taipei",
}  # fmt: skip
_TZ_SKIP = {"north", "south", "west", "act", "lhi", "nsw", "oral", "wake", "easter", "midway",
            "victoria", "general", "atka", "truk", "samoa", "faroe"}  # fmt: skip
_TZ_REGIONS = {"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _tz_lookup() -> tuple[dict[str, str], re.Pattern[str]]:
    """City and country names → IANA zone: every ``Region/City`` zone plus a table of extras."""
    table: dict[str, str] = {}
    for zone in sorted(_zones()):
        parts = zone.split("/")
        if parts[0] in _TZ_REGIONS and len(parts) >= 2:
            key = parts[-1].replace("_", " ").lower()
            if key not in _TZ_SKIP and len(key) >= 4:
                table.setdefault(key, zone)
    table.update(_TZ_EXTRA)
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return table, re.compile(rf"(?<![\w/])(?:{alternation})(?![\w/])", re.I)


_IANA = re.compile(r"\b(?:[A-Z][A-Za-z_-]+/)+[A-Z][A-Za-z_+-]+\b|\b(?:UTC|Etc/UTC)\b")


def _timezones(text: _Text) -> list[tuple[str, int, int]]:
    """Time zones mentioned, in order: explicit IANA names first, then places."""
    found: list[tuple[str, int, int]] = []
    for m in text.find(_IANA):
        if m.group(0) in _zones():
            found.append((m.group(0), m.start(), m.end()))
    table, pattern = _tz_lookup()
    for m in text.find(pattern):
        if all(m.end() <= s or m.start() >= e for _, s, e in found):
            found.append((table[m.group(0).lower()], m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def _default_from_description(desc: str) -> str | None:
    """``Use 'Etc/UTC' as local timezone if no timezone provided`` → ``Etc/UTC``."""
    m = re.search(r"\buse\s+'([^']+)'\s+(?:as|if|when)\b", desc, re.I)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------- dates, times


def _clock(m: re.Match[str]) -> str:
    if m.group(6):
        return "12:00" if m.group(6).lower() == "noon" else "00:00"
    if m.group(1) is not None:
        hour, minute, half = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        hour, minute, half = int(m.group(4)), 0, m.group(5)
    if half:
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


def _dates(text: _Text, today: dt.date) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for m in text.find(_ISO_DATETIME):
        found.append((m.group(0).replace(" ", "T"), m.start(), m.end()))
    for m in text.find(_RELATIVE_DAY):
        word = m.group(1).lower()
        if m.group(2):
            day = today + dt.timedelta(days=int(m.group(2)))
        elif m.group(3):
            day = today - dt.timedelta(days=int(m.group(3)))
        else:
            offset = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
            day = today + dt.timedelta(days=offset)
        found.append((day.isoformat(), m.start(), m.end()))
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for m in text.find(pattern):
            try:
                year = int(m.group(3)) if m.group(3) else today.year
                day = dt.date(year, _MONTHS[m.group(month_group).lower()], int(m.group(day_group)))
            except ValueError:
                continue
            if all(m.end() <= s or m.start() >= e for _, s, e in found):
                found.append((day.isoformat(), m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


# ---------------------------------------------------------------------------- numbers


def _numbers(text: _Text) -> list[tuple[float, int, int]]:
    """Numbers in digits; spelled-out ones ("five") only when the text has no digits, since
    beside digits they mostly count things ("add the two numbers 19 and 23")."""
    found = [(float(m.group(0)), m.start(), m.end()) for m in text.find(_NUMBER)]
    if not found:
        found = [
            (float(_WORD_NUMBERS[m.group(1).lower()]), m.start(), m.end())
            for m in text.find(_WORD_NUMBER)
        ]
    return sorted(found, key=lambda f: f[1])


def _as_number(value: float, types: set[str]) -> int | float | None:
    if "integer" in types and "number" not in types:
        return int(value) if value.is_integer() else None
    return int(value) if value.is_integer() else value


def _hinted_number(
    text: _Text, name: str, desc: str, numbers: list[tuple[float, int, int]]
) -> tuple[float, int, int] | None:
    """A number next to a word of the field's name, or placed as its description says.

    ``context_lines`` takes "3 context lines"; ``head`` ("returns only the first N lines")
    takes "the first 5 lines".
    """
    words = [w for w in _words(name) if len(w) > 1] or _words(name)
    cues = [re.compile(rf"\b{re.escape(w)}s?\b[\s:=]*(?:\w+\s+)?$", re.I) for w in words]
    after = [re.compile(rf"^\s*(?:\w+\s+)?{re.escape(w)}s?\b", re.I) for w in words]
    shape = re.search(r"(\w+)\s+N\s+(\w+)", desc)
    for value, start, end in numbers:
        before_text, after_text = text.raw[max(0, start - 30) : start], text.raw[end : end + 30]
        if any(c.search(before_text) for c in cues) or any(a.search(after_text) for a in after):
            return value, start, end
        if (
            shape
            and re.search(rf"\b{shape.group(1)}\s*$", before_text, re.I)
            and re.match(rf"\s*{shape.group(2)}", after_text, re.I)
        ):
            return value, start, end
    return None


# ---------------------------------------------------------------------------- paths, places


def _paths(text: _Text) -> list[tuple[str, int, int]]:
    """File paths: quoted ones with a slash or an extension, then bare path-like tokens."""
    found: list[tuple[str, int, int]] = []
    for m in text.find(_QUOTED):
        value = next(g for g in m.groups() if g is not None)
        if "/" in value or re.fullmatch(r".+\.[A-Za-z][A-Za-z0-9]{0,5}", value):
            found.append((value, m.start(), m.end()))
    for m in text.find(_PATH):
        token = m.group(0).rstrip(".,;:!?)]}")
        if len(token) < 2 or _URL.match(token) or not any(c.isalpha() or c == "/" for c in token):
            continue
        if "/" not in token and len(token) < 4:  # "e.g" is not a file
            continue
        if all(m.end() <= s or m.start() >= e for _, s, e in found):
            found.append((token, m.start(), m.start() + len(token)))
    return sorted(found, key=lambda f: f[1])


_PLACE_AFTER = re.compile(r"\b(?:in|for|at|of|near)\s+((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+){0,2})")


def _places(text: _Text) -> list[tuple[str, int, int]]:
    """Cities and countries as written: known places first, else a capitalised name after "in"."""
    _, pattern = _tz_lookup()
    found = [(m.group(0), m.start(), m.end()) for m in text.find(pattern)]
    if not found:
        found = [(m.group(1), m.start(1), m.end(1)) for m in text.find(_PLACE_AFTER, 1)]
    return found
