"""Values read out of a text: time zones, dates, clock times, numbers, paths, URLs, places.

Each extractor reads one kind of value (time zone, date, clock time, number, path, URL) out of
the text and reports the span it used, so two fields never take the same words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from agentroute.text._lexicon import (
    MONTHS,
    NUMBER_SCALES,
    NUMBER_TENS,
    NUMBER_WORDS,
    TIME_ZONE_PLACES,
    TIME_ZONE_REGIONS,
    TIME_ZONE_SKIP,
)

__all__ = [
    "CLOCK",
    "EMAIL",
    "NEGATION",
    "QUOTED",
    "URL",
    "Text",
    "as_number",
    "clock_time",
    "default_from_description",
    "digits_for_words",
    "find_dates",
    "find_numbers",
    "find_paths",
    "find_places",
    "find_timezones",
    "hinted_number",
    "json_types",
    "name_words",
    "time_zone_places",
]

# ---------------------------------------------------------------------------- the text


class Text:
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


def name_words(name: str) -> list[str]:
    """``max_count`` / ``includeImage`` / ``repo-path`` → lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").replace("-", " ")
    return [w.lower() for w in spaced.split() if w]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[_\-/]+", " ", text.lower()).split())


def json_types(prop: Mapping[str, Any]) -> set[str]:
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
                found |= json_types(sub)
    if not found and "enum" in prop:
        found = {type(v).__name__.replace("str", "string") for v in prop["enum"]}
    found.discard("null")
    return found


# ---------------------------------------------------------------------------- patterns

QUOTED = re.compile(r"\"([^\"]+)\"|(?<!\w)'((?:[^']|(?<=\w)'(?=\w))+)'(?!\w)|`([^`]+)`|“([^”]+)”")
URL = re.compile(r"\bhttps?://[^\s\"'<>`]+")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PATH = re.compile(
    r"(?<![\w@:/.])(?:~?/[^\s\"'`,;]*|\.{1,2}/[^\s\"'`,;]*|[\w.-]+(?:/[\w.-]+)+/?"
    r"|[\w-]+(?:\.[\w-]+)*\.[A-Za-z][A-Za-z0-9]{0,5})(?![\w/])"
)
_NUMBER = re.compile(r"(?<![\w/.:-])[-+]?\d+(?:\.\d+)?(?![\w/:]|\.\d)")
_NUMBER_WORD = "|".join(
    sorted([*NUMBER_WORDS, *NUMBER_TENS, *NUMBER_SCALES], key=len, reverse=True)
)
_WORD_NUMBER = re.compile(rf"\b(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*\b", re.I)
_SCALE_AND = re.compile(rf"^(?:.*\s)?(?:{'|'.join(NUMBER_SCALES)})\s+and\s+$", re.I)


_SCALED_AND = "|".join(rf"(?<={w})\s+and\s+" for w in NUMBER_SCALES)
_SPOKEN_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|{_SCALED_AND})(?:{_NUMBER_WORD}))*\b", re.I
)


def digits_for_words(text: str) -> str:
    """``text`` with numbers said in words as digits ("two thousand minus three hundred and
    fifty" → "2000 minus 350"; "twenty and thirty" stays two numbers; "one" alone stays, it
    is as often a pronoun): an operation reads the same however its numbers are written."""
    text = _NUMERAL_SCALE.sub(_scaled, text)  # "2 thousand" is 2000, not "2 1000"
    return _SPOKEN_RUN.sub(
        lambda m: m.group(0) if m.group(0).lower() == "one" else _spoken_numbers(m.group(0)), text
    )


def _spoken_numbers(run: str) -> str:
    """A run of number words as digits; "and" between two numbers of the same scale parts
    them ("three hundred and two hundred" is 300 and 200, "three hundred and two" is 302)."""
    pieces = re.split(r"(\s+and\s+)", run, flags=re.IGNORECASE)
    groups = [pieces[0]]
    joins: list[str] = []
    for join, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if _top_scale(groups[-1]) == _top_scale(piece) >= 100:
            groups.append(piece)
            joins.append(join)
        else:
            groups[-1] += join + piece
    out = str(_spoken(groups[0]))
    for join, group in zip(joins, groups[1:], strict=True):
        out += join + str(_spoken(group))
    return out


def _top_scale(run: str) -> int:
    """The largest scale word said in a run of number words (1 for none)."""
    return max((NUMBER_SCALES[w] for w in run.lower().split() if w in NUMBER_SCALES), default=1)


_NUMERAL_SCALE = re.compile(
    rf"(?<![\w.])(\d+(?:\.\d+)?)\s+({'|'.join(NUMBER_SCALES)})\b", re.IGNORECASE
)
"""A numeral with a scale word after it ("2 thousand", "1.5 million")."""


def _scaled(m: re.Match[str]) -> str:
    """The numeral times its scale, exactly ("2.01 thousand" is 2010, not 2009.999…)."""
    value = Fraction(m.group(1)) * NUMBER_SCALES[m.group(2).lower()]
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def _spoken(run: str) -> int:
    """``forty-two`` → 42, ``two hundred and five`` → 205."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", run.lower()):
        if word == "and":
            continue
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word in NUMBER_TENS:
            current += NUMBER_TENS[word]
        elif word in NUMBER_SCALES:
            scale = NUMBER_SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total, current = total + max(current, 1) * scale, 0
    return total + current


_ISO_DATETIME = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b")
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", re.I
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I
)
_RELATIVE_DAY = re.compile(
    r"\b(today|tonight|tomorrow|yesterday|in (\d+) days?|(\d+) days? ago)\b", re.I
)
CLOCK = re.compile(
    r"\b(?:([01]?\d|2[0-3]):([0-5]\d)(?:\s*([ap])\.?m\.?)?|(1[0-2]|0?[1-9])\s*([ap])\.?m\.?|(noon|midnight))(?!\w)",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:no|not|without|don'?t|do not|never|exclude|excluding|skip)\s+(?:\w+\s+){0,2}$", re.I
)

# ---------------------------------------------------------------------------- time zones


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _tz_lookup() -> tuple[dict[str, str], re.Pattern[str]]:
    """City and country names → IANA zone: every ``Region/City`` zone plus a table of extras."""
    table: dict[str, str] = {}
    for zone in sorted(_zones()):
        parts = zone.split("/")
        if parts[0] in TIME_ZONE_REGIONS and len(parts) >= 2:
            key = parts[-1].replace("_", " ").lower()
            if key not in TIME_ZONE_SKIP and len(key) >= 4:
                table.setdefault(key, zone)
    table.update(TIME_ZONE_PLACES)
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return table, re.compile(rf"(?<![\w/])(?:{alternation})(?![\w/])", re.I)


def time_zone_places() -> list[str]:
    """Every place name a time zone is read from ("new york", "tokyo", "utc"): the
    vocabulary a misspelt place is read against."""
    return sorted(_tz_lookup()[0])


_IANA = re.compile(r"\b(?:[A-Z][A-Za-z_-]+/)+[A-Z][A-Za-z_+-]+\b|\b(?:UTC|Etc/UTC)\b")


def find_timezones(text: Text) -> list[tuple[str, int, int]]:
    """Time zones mentioned, in order: explicit IANA names first, then places."""
    found: list[tuple[str, int, int]] = []
    for m in text.find(_IANA):
        if m.group(0) in _zones():
            found.append((m.group(0), m.start(), m.end()))
    table, pattern = _tz_lookup()
    folded = _unaccented(text.raw)  # "São Paulo", "Zürich": the zones spell them plain
    for m in pattern.finditer(folded):
        if text.free(m.start(), m.end()) and all(
            m.end() <= s or m.start() >= e for _, s, e in found
        ):
            found.append((table[m.group(0).lower()], m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def _unaccented(raw: str) -> str:
    """``raw`` with each accented letter as its base letter, one for one (spans stay)."""
    return "".join(unicodedata.normalize("NFKD", c)[0] if ord(c) > 127 else c for c in raw)


def default_from_description(desc: str) -> str | None:
    """``Use 'Etc/UTC' as local timezone if no timezone provided`` → ``Etc/UTC``."""
    m = re.search(r"\buse\s+'([^']+)'\s+(?:as|if|when)\b", desc, re.I)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------- dates, times


def clock_time(m: re.Match[str]) -> str:
    if m.group(6):
        return "12:00" if m.group(6).lower() == "noon" else "00:00"
    if m.group(1) is not None:
        hour, minute, half = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        hour, minute, half = int(m.group(4)), 0, m.group(5)
    if half:
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


def find_dates(text: Text, today: dt.date) -> list[tuple[str, int, int]]:
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
                day = dt.date(year, MONTHS[m.group(month_group).lower()], int(m.group(day_group)))
            except ValueError:
                continue
            if all(m.end() <= s or m.start() >= e for _, s, e in found):
                found.append((day.isoformat(), m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


# ---------------------------------------------------------------------------- numbers


def find_numbers(text: Text) -> list[tuple[float, int, int]]:
    """Numbers in digits; spelled-out ones ("five") only when the text has no digits, since
    beside digits they mostly count things ("add the two numbers 19 and 23")."""
    found = [(float(m.group(0)), m.start(), m.end()) for m in text.find(_NUMBER)]
    if not found:
        runs: list[tuple[int, int]] = []
        for m in text.find(_WORD_NUMBER):  # "two hundred and five" is one number
            if runs and _SCALE_AND.match(text.raw[runs[-1][0] : m.start()]):
                runs[-1] = (runs[-1][0], m.end())
            else:
                runs.append((m.start(), m.end()))
        found = [(float(_spoken(text.raw[a:b])), a, b) for a, b in runs]
    return sorted(found, key=lambda f: f[1])


def as_number(value: float, types: set[str]) -> int | float | None:
    if "integer" in types and "number" not in types:
        return int(value) if value.is_integer() else None
    return int(value) if value.is_integer() else value


def hinted_number(
    text: Text, name: str, desc: str, numbers: list[tuple[float, int, int]]
) -> tuple[float, int, int] | None:
    """A number next to a word of the field's name, or placed as its description says.

    ``context_lines`` takes "3 context lines"; ``head`` ("returns only the first N lines")
    takes "the first 5 lines".
    """
    words = [w for w in name_words(name) if len(w) > 1] or name_words(name)
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


def find_paths(text: Text) -> list[tuple[str, int, int]]:
    """File paths: quoted ones with a slash or an extension, then bare path-like tokens."""
    found: list[tuple[str, int, int]] = []
    for m in text.find(QUOTED):
        value = next(g for g in m.groups() if g is not None)
        if "/" in value or re.fullmatch(r".+\.[A-Za-z][A-Za-z0-9]{0,5}", value):
            found.append((value, m.start(), m.end()))
    for m in text.find(_PATH):
        token = m.group(0).rstrip(".,;:!?)]}")
        if len(token) < 2 or URL.match(token):
            continue
        if not any(c.isalpha() for c in token) and not token.startswith(("/", "~", ".")):
            continue  # "3/8", "1/2", "12/25": a fraction or a date, not a file
        if "/" not in token and len(token) < 4:  # "e.g" is not a file
            continue
        if all(m.end() <= s or m.start() >= e for _, s, e in found):
            found.append((token, m.start(), m.start() + len(token)))
    return sorted(found, key=lambda f: f[1])


_PLACE_AFTER = re.compile(r"\b(?:in|for|at|of|near)\s+((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+){0,2})")


def find_places(text: Text) -> list[tuple[str, int, int]]:
    """Cities and countries as written: known places first, else a capitalised name after "in"."""
    _, pattern = _tz_lookup()
    found = [(m.group(0), m.start(), m.end()) for m in text.find(pattern)]
    if not found:
        found = [(m.group(1), m.start(1), m.end(1)) for m in text.find(_PLACE_AFTER, 1)]
    return found
