"""What conditions read out of a value: the links in a text, a link's host, an address's
domain, a date's instant (``urls(body)``, ``host(url)``, ``domain(to)``, ``date(start)``).

A link check on message bodies was a 450-character lookahead regex, and dates were compared as
ISO strings (``"2024-5-1" > "2024-05-01"``); these read the value as what it is. Each raises
``ValueError`` on a value it cannot read: the condition then fails closed, as any evaluation
error does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

__all__ = ["VALUE_FUNCTIONS", "date_of", "domain_of", "host_of", "urls_in"]

_LINK = re.compile(r"""(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"'`)\]}]+""")
_TRAILING = ".,;:!?"
_SPACE = re.compile(r"\s")


def urls_in(text: str) -> list[str]:
    """Every link in ``text``: ``scheme://…`` and ``www.…``, without trailing punctuation."""
    return [m.group(0).rstrip(_TRAILING) for m in _LINK.finditer(text)]


def host_of(url: str) -> str:
    """A link's host, lower-cased, without user, port or a trailing dot (``www.`` links and
    links without a scheme read as ``http``)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError as exc:  # an invalid IPv6 literal, a bad port
        raise ValueError(f"not a link: {url!r} ({exc})") from None
    if not host:
        raise ValueError(f"not a link: {url!r} (no host)")
    return host.rstrip(".")


def domain_of(value: str) -> str:
    """The domain of an e-mail address (after the last ``@``), else of a link (its host)."""
    text = value.strip()
    if "@" in text and "://" not in text:
        domain = text.rsplit("@", 1)[1].lower().rstrip(".")
        if not domain or _SPACE.search(domain):
            raise ValueError(f"not an address: {value!r}")
        return domain
    return host_of(text)


def date_of(value: str) -> float:
    """An ISO 8601 date or date-time as seconds since the epoch (a date alone is midnight, a
    time without an offset is UTC), so ``date(start) < date("2025-01-01")`` compares instants."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date: {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


VALUE_FUNCTIONS = {"urls": urls_in, "host": host_of, "domain": domain_of, "date": date_of}
"""The functions a condition may call on a string, by name (one argument each)."""
