"""urls(), host(), domain() and date() in conditions: a link check and a date window written as
what they mean, failing closed on values they cannot read."""

from __future__ import annotations

from typing import Any

import pytest

from agentroute.policy import Policy, PolicyValidationError, format_policy, parse
from agentroute.policy._values import date_of, domain_of, host_of, urls_in

SCHEMAS: dict[str, dict[str, Any]] = {
    "slack.send": {
        "type": "object",
        "properties": {"to": {"type": "string"}, "body": {"type": "string"}},
    },
    "calendar.create": {
        "type": "object",
        "properties": {"date": {"type": "string"}, "title": {"type": "string"}},
    },
}
POLICY = """
let hosts = ["example.com", "docs.example.com", "www.example.com"]
allow slack.send when domain(to) == "example.com" and all(u in urls(body): host(u) in $hosts)
allow calendar.create when date(date) >= date("2025-01-01") and date(date) < date("2026-01-01")
"""


def decide(key: str, args: dict[str, Any]) -> str:
    return str(Policy.from_text(POLICY, SCHEMAS).decide(key, args).effect)


def test_links_in_a_message_are_checked_by_their_host() -> None:
    ok = {
        "to": "ann@example.com",
        "body": "see https://docs.example.com/a?b=1, and www.example.com.",
    }
    assert decide("slack.send", ok) == "allow"
    sneaky = "read https://docs.example.com@evil.test/login first"  # user-info trick
    assert decide("slack.send", {"to": "ann@example.com", "body": sneaky}) == "deny"
    assert decide("slack.send", {"to": "ann@example.com", "body": "go www.evil.test/x"}) == "deny"
    assert decide("slack.send", {"to": "eve@evil.test", "body": "hi"}) == "deny"
    assert decide("slack.send", {"to": "ann@example.com", "body": "no links at all"}) == "allow"


def test_dates_compare_as_instants_and_unreadable_ones_fail_closed() -> None:
    assert decide("calendar.create", {"date": "2025-05-01", "title": "x"}) == "allow"
    assert decide("calendar.create", {"date": "2025-12-31T23:30:00-02:00", "title": "x"}) == "deny"
    assert decide("calendar.create", {"date": "2024-12-31T23:59:59Z", "title": "x"}) == "deny"
    assert decide("calendar.create", {"date": "next tuesday", "title": "x"}) == "deny"


def test_an_argument_may_still_be_called_date_and_formatting_round_trips() -> None:
    tree = parse(POLICY)
    assert parse(format_policy(tree)) == tree
    assert "date(date) >= date(" in format_policy(tree)


def test_wrong_types_and_arities_are_load_errors() -> None:
    with pytest.raises(PolicyValidationError, match="takes a string"):
        Policy.from_text("allow slack.send when host(len(body)) == 1", SCHEMAS)
    with pytest.raises(Exception, match="takes one argument"):
        Policy.from_text("allow slack.send when host(to, body) == 1", SCHEMAS)
    with pytest.raises(Exception, match="built-in function"):
        Policy.from_text("def host(x) = true\nallow slack.send", SCHEMAS)


def test_the_readers() -> None:
    assert urls_in("a http://x.org/p). b www.y.org!") == ["http://x.org/p", "www.y.org"]
    assert host_of("HTTPS://User@Docs.Example.COM:8443/x") == "docs.example.com"
    assert domain_of("Ann@Example.COM") == "example.com"
    assert date_of("2025-01-01") == date_of("2025-01-01T01:00:00+01:00")
    with pytest.raises(ValueError):
        host_of("http://")
