"""One test per semantic rule (and per defect of the reference implementation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agentroute.policy import Policy, PolicyGate, PolicyValidationError, intersect
from agentroute.protocols import Gate
from agentroute.types import TargetKind, ToolCall

FS_SCHEMAS: dict[str, dict[str, Any]] = {
    "fs.read_file": {
        "type": "object",
        "properties": {"path": {"type": "string"}, "head": {"type": "number"}},
        "required": ["path"],
    },
    "fs.write_file": {
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
    "fs.list_allowed_directories": {"type": "object", "properties": {}},
    "mail.send": {
        "type": "object",
        "properties": {
            "to": {"type": "array", "items": {"type": "string"}},
            "cc": {"type": "array", "items": {"type": "string"}},
            "body": {"type": "string"},
            "meta": {"type": "object", "properties": {"urgent": {"type": "boolean"}}},
        },
        "required": ["to", "body"],
    },
    "bank.pay": {
        "type": "object",
        "properties": {"iban": {"type": "string"}, "amount": {"type": "number"}},
        "required": ["iban", "amount"],
    },
}


def tool_call(target: str, step: str = "s1", **args: Any) -> ToolCall:
    return ToolCall(step_id=step, target=target, kind=TargetKind.TOOL, args=args)


def gate(text: str, schemas: dict[str, Any] | None = FS_SCHEMAS, **kw: Any) -> PolicyGate:
    return PolicyGate.from_text(text, schemas, file="p.policy", **kw)


def effect(g: PolicyGate, target: str, session: str = "s", **args: Any) -> str:
    return g.check(tool_call(target, **args), session=session).effect


def test_gate_satisfies_the_graph_protocol() -> None:
    assert isinstance(gate("allow fs.read_file"), Gate)


# --- default deny, fail closed ---------------------------------------------------------
def test_default_is_deny_where_a_policy_applies() -> None:
    g = gate('allow fs.read_file when path startswith "/data/"')
    d = g.check(tool_call("fs.read_file", path="/etc/passwd"), session="s")
    assert d.effect == "deny" and d.rule is None and "implicit default deny" in d.reason
    assert d.fallback  # the planner always gets a message on a deny
    assert effect(g, "fs.write_file", path="/data/x", content="") == "deny"


def test_unknown_target_at_run_time_is_denied_even_with_default_allow() -> None:
    g = gate("default allow")
    assert effect(g, "fs.read_file", path="/x") == "allow"
    assert effect(g, "evil.exfiltrate", data="x") == "deny"


@pytest.mark.parametrize(
    ("args", "why"),
    [({"path": 7}, "startswith"), ({}, "missing"), ({"path": None}, "startswith")],
)
def test_evaluation_error_fails_closed(args: dict[str, Any], why: str) -> None:
    g = gate('default allow\nallow fs.read_file when path startswith "/data/"')
    d = g.check(tool_call("fs.read_file", **args), session="s")
    assert d.effect == "deny" and d.rule == "p.policy:2"
    assert why in d.reason and "fail closed" in d.reason


def test_evaluation_error_in_a_deny_rule_does_not_fall_through_to_an_allow() -> None:
    g = gate("deny bank.pay when amount > 100 priority 5\nallow bank.pay")
    assert effect(g, "bank.pay", iban="X", amount=5) == "allow"
    assert effect(g, "bank.pay", iban="X", amount="500") == "deny"  # a string amount
    assert effect(g, "bank.pay", iban="X", amount=True) == "deny"  # booleans are not numbers


def test_check_never_raises_even_on_garbage() -> None:
    g = gate("allow fs.read_file")
    bad = ToolCall.model_construct(step_id="s", target=None, kind=TargetKind.TOOL, args=None)  # type: ignore[arg-type]
    assert g.check(bad, session="s").effect == "deny"


# --- load-time errors against the schemas ----------------------------------------------
@pytest.mark.parametrize(
    ("text", "col", "message"),
    [
        ('allow fs.read_file when pth == "x"', 25, "no argument 'pth'"),
        ("allow mail.send when meta.urgnt == true", 22, "no field 'urgnt'"),
        ("allow fs.read_file when path > 3", 25, "needs two numbers or two strings"),
        ('allow bank.pay when amount == "10"', 21, "compares number with string"),
        ('allow bank.pay when amount matches "1.*"', 21, "'matches' applies to strings"),
        (
            'allow mail.send when body in ["a", 1] and to in ["x"]',
            43,
            "looks for a array in a list of string",
        ),
        ("allow fs.nope", 1, "unknown tool 'fs.nope'"),
        ('allow fs.* when path == "x"', 17, "(tool fs.list_allowed_directories)"),
        ("allow fs.read_file when path in $nope", 33, "unknown constant $nope"),
        ('allow fs.read_file when path matches "("', 38, "invalid regular expression"),
        ("allow fs.read_file when path == $call.path", 33, "only available inside"),
        ('allow fs.read_file fallback "x"', 20, "allow rule cannot have a fallback"),
        ("allow fs.read_file then narrowing { allow fs.write_file }", 37, "may only install deny"),
        ("scope server fs { allow mail.send }", 19, "must start with 'fs.'"),
        ('allow fs.read_file when any(x in path: x == "a")', 25, "iterates over a list"),
        ("allow fs.read_file when head", 25, "must be true/false"),
    ],
)
def test_load_time_errors_name_file_line_col(text: str, col: int, message: str) -> None:
    with pytest.raises(PolicyValidationError) as info:
        Policy.from_text("\n" + text, FS_SCHEMAS, file="p.policy")
    rendered = str(info.value)
    assert message in rendered, rendered
    assert any(loc.line == 2 and loc.column == col for loc, _ in info.value.issues), rendered
    assert rendered.startswith("p.policy:2:")


def test_every_error_is_reported_not_only_the_first() -> None:
    with pytest.raises(PolicyValidationError) as info:
        Policy.from_text(
            'allow fs.read_file when pth == "x"\nallow fs.nope\nlet a = 1\nlet a = 2',
            FS_SCHEMAS,
            file="p.policy",
        )
    assert [loc.line for loc, _ in info.value.issues] == [1, 2, 4]


# --- regexes are whole-value ----------------------------------------------------------
def test_regex_matches_the_whole_value() -> None:
    g = gate('allow bank.pay when iban matches "DE[0-9]+"')
    assert effect(g, "bank.pay", iban="DE123", amount=1) == "allow"
    assert effect(g, "bank.pay", iban="DE123EVIL", amount=1) == "deny"  # re.match would allow
    assert effect(g, "bank.pay", iban="XXDE123", amount=1) == "deny"
    g2 = gate('allow mail.send when all(r in to: r matches r".*@example\\.com")')
    assert effect(g2, "mail.send", to=["a@example.com"], body="") == "allow"
    assert effect(g2, "mail.send", to=["a@example.com.evil.io"], body="") == "deny"


# --- ordering -------------------------------------------------------------------------
def test_higher_priority_first() -> None:
    g = gate('deny fs.read_file when path startswith "/data/secret"\nallow fs.read_file priority 1')
    assert effect(g, "fs.read_file", path="/data/secret/x") == "allow"
    g = gate(
        'deny fs.read_file when path startswith "/data/secret" priority 2\nallow fs.read_file priority 1'
    )
    assert effect(g, "fs.read_file", path="/data/secret/x") == "deny"


def test_deny_before_allow_at_equal_priority_whatever_the_order_or_specificity() -> None:
    for text in ("allow fs.read_file\ndeny fs.*", "deny fs.*\nallow fs.read_file"):
        g = gate(text, None)
        d = g.check(tool_call("fs.read_file", path="/x"), session="s")
        assert d.effect == "deny", text
    g = gate("allow bank.pay\nask bank.pay", None)
    assert effect(g, "bank.pay", iban="x", amount=1) == "ask"


def test_specificity_orders_rules_of_the_same_priority_and_effect() -> None:
    g = gate('deny fs.* fallback "generic"\ndeny fs.read_file fallback "specific"', None)
    d = g.check(tool_call("fs.read_file", path="/x"), session="s")
    assert d.rule == "p.policy:2" and d.fallback == "specific"


def test_unmatched_call_gets_the_scope_default_not_the_last_rules_fallback() -> None:
    g = gate(
        'scope server bank {\n default deny fallback "bank default"\n'
        ' deny bank.pay when amount > 100 fallback stop "last rule read"\n}'
    )
    d = g.check(tool_call("bank.pay", iban="x", amount=5), session="s")
    assert (d.effect, d.fallback, d.rule) == ("deny", "bank default", "p.policy:2")


# --- scopes ---------------------------------------------------------------------------
SCOPED = """
default deny fallback "file default"
allow fs.read_file
scope server mail { default ask }
scope agent writer { allow fs.write_file }
scope agent reader { deny fs.read_file when path startswith "/private" priority 9 }
"""


def test_scopes_bind_rules_and_defaults() -> None:
    writer, reader, anon = (gate(SCOPED, agent=a) for a in ("writer", "reader", None))
    assert effect(writer, "fs.write_file", path="/x", content="") == "allow"
    assert effect(reader, "fs.write_file", path="/x", content="") == "deny"
    assert effect(anon, "fs.write_file", path="/x", content="") == "deny"
    assert effect(reader, "fs.read_file", path="/private/a") == "deny"
    assert effect(writer, "fs.read_file", path="/private/a") == "allow"
    assert (
        effect(anon, "mail.send", to=["a"], body="") == "ask"
    )  # server default beats file default
    assert (
        anon.check(tool_call("bank.pay", iban="x", amount=1), session="s").fallback
        == "file default"
    )


def test_policies_are_objects_not_a_process_global() -> None:
    a = gate("allow fs.read_file")
    b = gate("deny fs.read_file")
    assert effect(a, "fs.read_file", path="/x") == "allow"
    assert effect(b, "fs.read_file", path="/x") == "deny"
    assert effect(a, "fs.read_file", path="/x") == "allow"


def test_experts_and_knowledge_bases_are_addressable() -> None:
    g = gate("allow expert.gpt4 when len(query) < 20\nallow kb.*", None)
    short = ToolCall(step_id="1", target="gpt4", kind=TargetKind.EXPERT, query="hi")
    long = ToolCall(step_id="1", target="gpt4", kind=TargetKind.EXPERT, query="x" * 50)
    kb = ToolCall(step_id="1", target="facts", kind=TargetKind.KNOWLEDGE, query="q")
    assert [g.check(c, session="s").effect for c in (short, long, kb)] == ["allow", "deny", "allow"]


# --- dynamic updates ------------------------------------------------------------------
UPDATES = """
allow bank.pay when amount <= 10 then { allow bank.pay when iban == $call.iban and amount <= 500 priority 5 }
deny bank.pay when amount > 1000 priority 9 then { allow fs.write_file }
allow fs.read_file when path startswith "/inbox" then narrowing { deny bank.pay when amount > 20 priority -5 }
ask mail.send then { allow mail.send when to == $call.to priority 1 }
"""


def test_updates_install_from_the_rule_that_fired_with_call_values() -> None:
    g = gate(UPDATES)
    assert effect(g, "bank.pay", iban="DE1", amount=400) == "deny"
    d = g.check(tool_call("bank.pay", iban="DE1", amount=5), session="s")
    assert d.effect == "allow" and len(d.updates) == 1 and '"DE1"' in d.updates[0]
    assert "installed by p.policy:2" in d.updates[0]
    assert effect(g, "bank.pay", iban="DE1", amount=400) == "allow"
    assert effect(g, "bank.pay", iban="DE2", amount=400) == "deny"
    assert effect(g, "bank.pay", session="other", iban="DE1", amount=400) == "deny"  # per session


def test_a_rule_that_does_not_decide_installs_nothing() -> None:
    g = gate(UPDATES)
    # amount 5000: the deny at priority 9 decides; the allow-with-update never fires
    d = g.check(tool_call("bank.pay", iban="DE1", amount=5000), session="s")
    assert d.effect == "deny" and len(d.updates) == 1 and "fs.write_file" in d.updates[0]
    assert g.installed("s") == d.updates
    assert effect(g, "bank.pay", iban="DE1", amount=400) == "deny"


def test_narrowing_updates_only_remove_permissions() -> None:
    g = gate(UPDATES)
    assert effect(g, "bank.pay", iban="DE1", amount=5) == "allow"  # installs the DE1 allow
    assert effect(g, "bank.pay", iban="DE1", amount=400) == "allow"
    d = g.check(tool_call("fs.read_file", path="/inbox/1"), session="s")
    assert d.effect == "allow" and d.updates
    # priority -5 is lower than the installed allow, yet the narrowing rule still wins
    assert effect(g, "bank.pay", iban="DE1", amount=400) == "deny"
    assert effect(g, "bank.pay", iban="DE1", amount=15) == "allow"


def test_ask_installs_updates_only_after_approval() -> None:
    g = gate(UPDATES)
    call = tool_call("mail.send", to=["a@x"], body="hi")
    d = g.check(call, session="s")
    assert d.effect == "ask" and d.updates == []
    assert g.resolve_ask(call, False, session="s") == []
    assert effect(g, "mail.send", to=["a@x"], body="again") == "ask"
    g.check(call, session="s")
    installed = g.resolve_ask(call, True, session="s")
    assert installed and effect(g, "mail.send", to=["a@x"], body="again") == "allow"
    assert effect(g, "mail.send", to=["b@x"], body="again") == "ask"


def test_end_session_forgets_its_updates() -> None:
    g = gate(UPDATES)
    g.check(tool_call("bank.pay", iban="DE1", amount=5), session="s")
    g.end_session("s")
    assert effect(g, "bank.pay", iban="DE1", amount=400) == "deny"


# --- constants and includes -----------------------------------------------------------
def test_includes_constants_and_cycles(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "rules.policy").write_text("allow fs.read_file when path in $allowed\n")
    (tmp_path / "main.policy").write_text(
        'let allowed = ["/a", "/b"]\ninclude "lib/rules.policy"\n'
    )
    g = PolicyGate.from_files([tmp_path / "main.policy"], FS_SCHEMAS)
    d = g.check(tool_call("fs.read_file", path="/a"), session="s")
    assert d.effect == "allow" and d.rule is not None and d.rule.endswith("lib/rules.policy:1")
    assert effect(g, "fs.read_file", path="/c") == "deny"
    (tmp_path / "lib" / "rules.policy").write_text('include "../main.policy"\n')
    with pytest.raises(PolicyValidationError, match="include cycle"):
        Policy.from_files([tmp_path / "main.policy"], FS_SCHEMAS)
    (tmp_path / "x.policy").write_text('include "missing.policy"\n')
    with pytest.raises(PolicyValidationError, match=r"x.policy:1:1: cannot include"):
        Policy.from_files([tmp_path / "x.policy"], FS_SCHEMAS)


# --- operators ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cond", "args", "expected"),
    [
        ("len(to) == 2", {"to": ["a", "b"]}, True),
        ('"a" in to', {"to": ["a"]}, True),
        ('body not in ["x", "y"]', {"body": "z"}, True),
        ('to contains "a"', {"to": ["b"]}, False),
        ('body contains "pw"', {"body": "my pw"}, True),
        ('body endswith "!"', {"body": "hi!"}, True),
        ('lower(body) == "hi"', {"body": "HI"}, True),
        ('any(r in to: r startswith "x")', {"to": ["a", "xy"]}, True),
        ('all(r in to: r startswith "x")', {"to": []}, True),
        ("not has(cc) or len(cc) == 0", {"cc": []}, True),
        ("has(cc)", {"cc": None}, False),
        ("meta.urgent", {"meta": {"urgent": True}}, True),
        ('to[1] == "b"', {"to": ["a", "b"]}, True),
        ('to[5] == "b"', {"to": ["a"]}, None),
        ('normpath(body) == "/etc"', {"body": "/data/../etc/"}, True),
        ("body == null", {"body": None}, True),
    ],
)
def test_operators(cond: str, args: dict[str, Any], expected: bool | None) -> None:
    g = gate(f"allow mail.send when {cond}")
    args = {"to": ["z"], "body": "", **args}
    d = g.check(tool_call("mail.send", **args), session="s")
    if expected is None:
        assert d.effect == "deny" and "evaluation error" in d.reason
    else:
        assert (d.effect == "allow") is expected, d.reason


# --- per-task intersection ------------------------------------------------------------
def test_intersection_can_only_remove_permissions() -> None:
    static = Policy.from_text('allow fs.read_file when path startswith "/data/"', FS_SCHEMAS)
    proposed = Policy.from_text(
        "allow fs.read_file\nallow fs.write_file\ndefault allow", FS_SCHEMAS
    )
    both = intersect(static, proposed)
    assert both.decide("fs.read_file", {"path": "/data/x"}).effect == "allow"
    assert both.decide("fs.read_file", {"path": "/etc"}).effect == "deny"
    assert both.decide("fs.write_file", {"path": "/data/x", "content": ""}).effect == "deny"
    narrow = Policy.from_text('allow fs.read_file when path == "/data/a"', FS_SCHEMAS)
    g = PolicyGate(static)
    g.narrow("s", narrow)
    assert effect(g, "fs.read_file", path="/data/a") == "allow"
    d = g.check(tool_call("fs.read_file", path="/data/b"), session="s")
    assert d.effect == "deny" and "per-task" in d.reason
    assert effect(g, "fs.read_file", session="t", path="/data/b") == "allow"


def test_dispatch_on_a_string_argument_keeps_first_match_and_fail_closed() -> None:
    rules = [f'allow bank.pay when iban in ["A{i}", "B{i}"] and amount <= {i}' for i in range(8)]
    rules.insert(3, "deny bank.pay when amount > 5 priority 1")
    rules.append('ask bank.pay when iban == "A1"')
    g = gate("\n".join(rules))
    entry = g.policy._entry("bank.pay", None)
    assert entry.dispatch_arg == "iban"
    assert effect(g, "bank.pay", iban="A2", amount=1) == "allow"
    assert effect(g, "bank.pay", iban="B2", amount=3) == "deny"
    assert effect(g, "bank.pay", iban="A1", amount=1) == "ask"  # ask before allow at priority 0
    assert effect(g, "bank.pay", iban="A7", amount=6) == "deny"
    assert effect(g, "bank.pay", iban="ZZ", amount=1) == "deny"
    assert (
        effect(g, "bank.pay", iban=7, amount=1) == "deny"
    )  # mistyped: full evaluation, fails closed
    d = g.check(tool_call("bank.pay", iban="A1", amount="1"), session="s")
    assert d.effect == "deny" and "evaluation error" in d.reason
