"""Named predicates, constants built from constants, has() on bound elements and the
lower-case check: what lets one policy say "trusted" once instead of eight times."""

from __future__ import annotations

from typing import Any

import pytest

from agentroute.policy import Policy, PolicyValidationError, format_policy, parse

SCHEMAS: dict[str, dict[str, Any]] = {
    "mail.send": {
        "type": "object",
        "properties": {
            "to": {"type": "string"},
            "cc": {"type": "array", "items": {"type": "string"}},
            "people": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"addr": {"type": "string"}, "note": {"type": "string"}},
                },
            },
        },
    }
}
POLICY = """
let staff = ["ann@corp.org", "bo@corp.org"]
let partners = ["li@partner.org"]
let trusted_people = $staff + $partners
def trusted(p) = lower(p) in $trusted_people or p endswith "@corp.org"
def trusted_person(x) = trusted(x.addr)
allow mail.send when trusted(to) and all(c in cc: trusted(c)) and all(x in people: trusted_person(x))
"""


def decide(args: dict[str, Any], text: str = POLICY) -> str:
    args = {"to": "ann@corp.org", "cc": [], "people": [], **args}
    return str(Policy.from_text(text, SCHEMAS).decide("mail.send", args).effect)


def test_a_predicate_decides_as_its_written_out_condition_would() -> None:
    assert decide({"to": "LI@partner.org"}) == "allow"  # joined constant, lower-cased
    assert decide({"to": "new@corp.org", "cc": ["bo@corp.org"]}) == "allow"
    assert decide({"to": "eve@evil.test"}) == "deny"
    assert decide({"cc": ["ann@corp.org", "eve@evil.test"]}) == "deny"
    assert decide({"people": [{"addr": "li@partner.org"}]}) == "allow"
    assert decide({"people": [{"addr": "eve@evil.test"}]}) == "deny"


def test_formatting_keeps_predicates_and_joined_constants() -> None:
    tree = parse(POLICY)
    text = format_policy(tree)
    assert "def trusted(p) = " in text and "let trusted_people = $staff + $partners" in text
    assert parse(text) == tree


def test_a_body_never_captures_the_callers_bound_name() -> None:
    text = (
        "def in_cc(p) = any(x in cc: x == p)\n"
        "allow mail.send when all(x in people: in_cc(x.addr))\n"
    )
    # without renaming, the body's x would shadow the caller's: x == x.addr, an error → deny
    assert decide({"cc": ["a@b"], "people": [{"addr": "a@b"}]}, text) == "allow"
    assert decide({"cc": ["a@b"], "people": [{"addr": "c@d"}]}, text) == "deny"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("def t(p) = t(p)\nallow mail.send when t(to)\n", ":1:", "predicate cycle: t -> t"),
        ('def t(p) = p == "a"\nallow mail.send when t(to, to)\n', ":2:", "takes 1 argument"),
        ("allow mail.send when nope(to)\n", ":1:", "unknown predicate 'nope'"),
        (
            'def t(p) = p.addr == "a"\nallow mail.send when t(lower(to))\n',
            ":1:",
            "not an argument path",
        ),
        ('let b = $later + ["a"]\nlet later = ["b"]\nallow mail.send\n', ":1:", "not defined"),
        ('let a = ["x"]\nlet b = $a + "y"\nallow mail.send\n', ":2:", "joins lists or strings"),
        ('def t(p) = p == "a"\ndef t(q) = q == "b"\nallow mail.send\n', ":2:", "already"),
        ('def t(p) = p == "a"\nallow mail.send when t(nosuch)\n', ":2:", "no argument 'nosuch'"),
        (
            'let people = ["Ann@corp.org"]\nallow mail.send when lower(to) in $people\n',
            ":2:",
            "has capitals and can never match",
        ),
    ],
)
def test_mistakes_are_located_load_errors(text: str, where: str, message: str) -> None:
    with pytest.raises(PolicyValidationError) as err:
        Policy.from_text(text, SCHEMAS, file="p.policy")
    shown = str(err.value)
    assert f"p.policy{where}" in shown and message in shown, shown


def test_has_reads_a_field_of_a_bound_element() -> None:
    text = 'allow mail.send when all(x in people: not has(x.note) or x.note == "ok")\n'
    assert decide({"people": [{"addr": "a"}, {"addr": "b", "note": "ok"}]}, text) == "allow"
    assert decide({"people": [{"addr": "b", "note": "no"}]}, text) == "deny"


def test_a_predicate_that_doubles_at_every_level_is_refused_not_expanded_forever() -> None:
    defs = "".join(f"def p{i}(v) = p{i + 1}(v) and p{i + 1}(v)\n" for i in range(30))
    text = defs + 'def p30(v) = v == "a"\nallow mail.send when p0(to)\n'
    with pytest.raises(PolicyValidationError, match="expands to more than"):
        Policy.from_text(text, SCHEMAS)
