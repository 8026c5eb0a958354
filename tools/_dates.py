"""Days between two dates, or from today until one: what "how many days until Christmas" and
"days from 10 Jan 2025 to 3 Feb 2025" ask the calculator.

Arithmetic on bare numbers ("how many days from 3 to 17") is no date and stays with the
expression reader; a span is read only when both ends are dates (a month named, an ISO date,
a named day such as Christmas, or "today"). A date without a year is the next one from today
when it ends a span from today, else the year the other end gives (or this year).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from agentroute_tools._alternation import alternation

__all__ = ["DateSpan", "date_span"]

_DATA = json.loads(resources.files("agentroute_tools").joinpath("dates.json").read_text("utf-8"))
_MONTHS: dict[str, int] = _DATA["months"]
_NAMED: dict[str, tuple[int, int]] = {k: (v[0], v[1]) for k, v in _DATA["named_days"].items()}


_MONTH = rf"(?:{alternation(list(_MONTHS))})\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|2\d\d\d)"
_DATE = (
    rf"(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"  # 1 March 2026, 1st of march
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"  # March 1, 2026
    rf"|{_YEAR}-\d\d?-\d\d?"  # 2026-03-01
    rf"|(?:{alternation(list(_NAMED))})(?:\s+{_YEAR})?"  # Christmas (2026)
    r"|today|now|tomorrow|yesterday)"
)
_ASK = (
    r"^(?:(?:please|pls|hey|ok|so|quick(?:ly)?|can\s+(?:you|u)|could\s+you|tell\s+me|"
    r"what(?:'s|s|\s+is)|how\s+many|the\s+number\s+of|number\s+of|count(?:\s+the)?|"
    r"calculate|work\s+out)\s+)*"
)
_SPAN = re.compile(
    rf"{_ASK}days?\s+(?:are\s+(?:there\s+|left\s+)?|is\s+it\s+|left\s+|remain(?:ing)?\s+|"
    rf"have\s+passed\s+|passed\s+|to\s+go\s+|until\s+it'?s\s+)?"
    rf"(?:(?:between|from)\s+(?P<a>{_DATE})\s+(?:and|to|until|till|til)\s+(?P<b>{_DATE})"
    rf"|(?:until|till|til|to|before|since)\s+(?P<c>{_DATE}))"
    r"(?:\s+(?:from\s+)?(?:today|now))?\s*[?.!]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateSpan:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def text(self) -> str:
        n = abs(self.days)
        first, last = sorted((self.start, self.end))
        return f"{n} day{'s' if n != 1 else ''} (from {_said(first)} to {_said(last)})"


def _said(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _read(text: str, today: date, year: int | None, ahead: bool) -> date | None:
    """One end of a span as a date; ``year`` when the text gives none; ``ahead``: the next
    such day from today (a span until Christmas)."""
    t = re.sub(r"\s+", " ", text.lower().strip()).removeprefix("the ")
    if t in ("today", "now"):
        return today
    if t in ("tomorrow", "yesterday"):
        return today + timedelta(days=1 if t == "tomorrow" else -1)
    iso = re.fullmatch(r"(\d{4})-(\d\d?)-(\d\d?)", t)
    if iso:
        return _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    said_year = re.search(rf"\b({_YEAR})$", t)
    if said_year:
        t = t[: said_year.start()].rstrip(" ,")
    named = _NAMED.get(t)
    if named is not None:
        month, day = named
    else:
        m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?", t) or re.fullmatch(
            r"([a-z]+)\.?\s+(\d+)(?:st|nd|rd|th)?", t
        )
        if m is None:
            return None
        a, b = m.group(1), m.group(2)
        day_s, month_s = (a, b) if a.isdigit() else (b, a)
        if month_s not in _MONTHS:
            return None
        month, day = _MONTHS[month_s], int(day_s)
    if said_year:
        return _valid(int(said_year.group(1)), month, day)
    found = _valid(year or today.year, month, day)
    if found is not None and ahead and year is None and found < today:
        found = _valid(today.year + 1, month, day)
    return found


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_span(text: str, today: date | None = None) -> DateSpan | None:
    """The days a question counts between two dates or until (since) one, or None when it
    asks no such thing."""
    m = _SPAN.match(text.strip())
    if m is None:
        return None
    today = today or date.today()
    if m.group("c") is not None:
        since = re.search(r"\bsince\s", m.group(0), re.IGNORECASE) is not None
        end = _read(m.group("c"), today, None, ahead=not since)
        if end is None:
            return None
        if since and end > today:
            end = _valid(end.year - 1, end.month, end.day) or end
        return DateSpan(today, end)
    years = [re.search(rf"\b({_YEAR})\b", m.group(k)) for k in ("a", "b")]
    year = next((int(y.group(1)) for y in reversed(years) if y), None)
    start = _read(m.group("a"), today, year, ahead=False)
    end = _read(m.group("b"), today, year, ahead=m.group("a").lower() in ("today", "now"))
    if start is None or end is None:
        return None
    return DateSpan(start, end)
