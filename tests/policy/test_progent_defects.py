"""Probes for the five defects of Progent's shipped engine (policies/README.md, "Semantics
compared with Progent"), each through the real ``PolicyGate`` and two through a real ``Agent``
with real MCP servers:

1. a condition on an argument the call lacks, or misspells, is skipped and the rule matches;
2. patterns match a prefix (``re.match``), not the whole value;
3. a call no rule matches takes the fallback of the last rule read;
4. one policy per process, shared by every agent and session;
5. updates can widen, and apply from rules that did not decide the call.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from agentroute import Agent
from agentroute.mcp import McpServerSpec
from agentroute.policy import Policy, PolicyGate, PolicyValidationError
from agentroute.testing import ScriptedPlanner
from agentroute.types import TargetKind, ToolCall

REPO = Path(__file__).resolve().parents[2]
FS_SERVER = REPO / ".ci/node/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"

MAIL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "to": {
            "type": "object",
            "properties": {"address": {"type": "string"}, "cc": {"type": "string"}},
            "required": ["address"],
        },
        "notes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "link": {"type": "string"}},
            },
        },
        "subject": {"type": "string"},
    },
    "required": ["to"],
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "mail.send": MAIL,
    "fs.read": {"type": "object", "properties": {"path": {"type": "string"}}},
    "bank.pay": {
        "type": "object",
        "properties": {"iban": {"type": "string"}, "amount": {"type": "number"}},
    },
}


def call(target: str, args: dict[str, Any], step: str = "s1") -> ToolCall:
    return ToolCall(step_id=step, target=target, kind=TargetKind.TOOL, args=args)


def gate(text: str) -> PolicyGate:
    return PolicyGate.from_text(text, SCHEMAS, log_decisions=False)


def calc_spec() -> McpServerSpec:
    return McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])


# --- 1. conditions on arguments the call lacks or misspells --------------------------------------
GUARDED = """
allow mail.send when to.address endswith "@ok.org"
    and (not has(to.cc) or to.cc endswith "@ok.org")
    and all(n in notes: not has(n.link) or n.link startswith "https://ok.org/")
    and (not has(subject) or len(subject) < 80)
"""


def test_1_a_condition_on_an_argument_the_tool_lacks_is_a_load_error() -> None:
    with pytest.raises(PolicyValidationError, match="no argument 'subjet'"):
        Policy.from_text('allow mail.send when subjet == "x"', SCHEMAS)
    with pytest.raises(PolicyValidationError, match="'lnk'"):
        Policy.from_text('allow mail.send when all(n in notes: n.lnk == "x")', SCHEMAS)


def test_1_a_missing_argument_in_a_condition_denies_and_does_not_match() -> None:
    g = gate('allow fs.read when path startswith "/srv/"\nallow fs.read when len(path) > 1000')
    d = g.check(call("fs.read", {}), session="t")
    assert d.effect == "deny" and "missing" in d.reason


@pytest.mark.parametrize(
    "args",
    [
        {"to": {"address": "a@ok.org"}, "subjct": "x" * 500},  # top level
        {"to": {"address": "a@ok.org", "CC": "eve@evil.test"}},  # a declared object's field
        {"to": {"address": "a@ok.org"}, "notes": [{"text": "t", "lnk": "https://evil.test/"}]},
    ],
)
def test_1_a_misspelt_argument_at_any_depth_is_denied_naming_it(args: dict[str, Any]) -> None:
    g = gate(GUARDED)
    ok = {"to": {"address": "a@ok.org", "cc": "b@ok.org"}, "notes": [{"text": "t"}]}
    assert g.check(call("mail.send", ok), session="t").effect == "allow"
    d = g.check(call("mail.send", args), session="t")
    assert d.effect == "deny" and "strict arguments" in d.reason
    assert "did you mean" in d.reason


def test_1_a_schema_that_admits_more_names_admits_them() -> None:
    open_schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    loose = {
        "t.x": {
            "type": "object",
            "properties": {"o": {**open_schema, "additionalProperties": True}, "free": {}},
        }
    }
    g = PolicyGate.from_text("allow t.x", loose, log_decisions=False)
    d = g.check(call("t.x", {"o": {"a": "1", "b": 2}, "free": {"any": 1}}), session="t")
    assert d.effect == "allow"


def test_1_through_an_agent_a_misspelt_nested_field_never_reaches_the_real_server(
    tmp_path: Path,
) -> None:
    """The official filesystem server's ``edit_file`` takes ``edits: [{oldText, newText}]``
    and its schema does not forbid more fields: a planned edit that also carries ``newtext``
    (a value the rule's length limit never reads) is denied by name before the server sees
    it, and the replan with declared fields only runs."""
    assert FS_SERVER.is_file(), f"{FS_SERVER} missing: run .ci/install_ecosystem.sh"
    root = tmp_path / "files"
    root.mkdir()
    note = root / "note.txt"
    note.write_text("alpha\n")
    spec = McpServerSpec(name="filesystem", command="node", args=[str(FS_SERVER), str(root)])
    policy = tmp_path / "fs.policy"
    policy.write_text("allow filesystem.edit_file when all(e in edits: len(e.newText) < 20)\n")
    edit = {"oldText": "alpha", "newText": "beta", "newtext": "x" * 500}
    bad = {"path": str(note), "edits": [edit]}
    good = {"path": str(note), "edits": [{"oldText": "alpha", "newText": "beta"}]}
    planner = ScriptedPlanner(
        [("edit note.txt", "filesystem.edit_file", bad)],
        [("edit note.txt", "filesystem.edit_file", good)],
        [],
    )
    with Agent(mcp=[spec], planner=planner, policy=policy) as agent:
        result = agent.run("replace alpha by beta in note.txt")
    first, second = result.steps
    assert first.policy is not None, first
    assert first.policy.effect == "deny"
    assert "'edits[0].newtext' (did you mean 'newText'?)" in first.policy.reason
    assert second.ok and note.read_text() == "beta\n"


# --- 2. whole-value patterns ----------------------------------------------------------------
def test_2_patterns_match_the_whole_value_not_a_prefix() -> None:
    g = gate(
        'allow fs.read when path matches r"/srv/data"\n'
        'allow mail.send when to.address matches r"[a-z]+@example\\.com"'
    )
    assert g.check(call("fs.read", {"path": "/srv/data"}), session="t").effect == "allow"
    for path in ("/srv/data/../../etc/shadow", "/srv/data-evil", "/srv/data\n/etc"):
        assert g.check(call("fs.read", {"path": path}), session="t").effect == "deny", path
    for to in ("eve@example.com.evil.test", "a@example.com\nb@evil.test", "x a@example.com"):
        d = g.check(call("mail.send", {"to": {"address": to}}), session="t")
        assert d.effect == "deny", to


def test_2_paths_are_compared_after_normpath_and_hosts_as_hosts() -> None:
    g = gate(
        'allow fs.read when normpath(path) matches r"/srv/data(/.*)?"\n'
        'allow mail.send when all(n in notes: host(n.link) == "ok.org")'
    )
    assert g.check(call("fs.read", {"path": "/srv/data/a/../b"}), session="t").effect == "allow"
    d = g.check(call("fs.read", {"path": "/srv/data/../../etc/shadow"}), session="t")
    assert d.effect == "deny"
    tricky = {"to": {"address": "a@ok.org"}, "notes": [{"link": "https://ok.org@evil.test/x"}]}
    assert g.check(call("mail.send", tricky), session="t").effect == "deny"


# --- 3. the default, never the last rule's fallback -----------------------------------------
def test_3_an_unmatched_call_gets_the_default_not_the_last_rules_fallback() -> None:
    g = gate(
        'allow bank.pay when amount <= 10\ndeny bank.pay when amount > 1000 fallback ask "ok?"'
    )
    d = g.check(call("bank.pay", {"iban": "X", "amount": 500}), session="t")
    assert d.effect == "deny" and d.rule is None and "default" in d.reason
    stated = gate(
        'default ask fallback "Needs a human."\n'
        'deny bank.pay when amount > 1000 fallback stop "Cap."'
    )
    d = stated.check(call("bank.pay", {"iban": "X", "amount": 500}), session="t")
    assert d.effect == "ask" and d.fallback == "Needs a human."


def test_3_a_scope_default_applies_only_to_its_server() -> None:
    g = gate(
        'scope server bank { default ask\nallow bank.pay when amount <= 10 }\ndeny fs.read when path == "/x" fallback stop'
    )
    assert g.check(call("bank.pay", {"iban": "X", "amount": 50}), session="t").effect == "ask"
    d = g.check(call("fs.read", {"path": "/y"}), session="t")
    assert d.effect == "deny" and d.rule is None


# --- 4. no global policy ----------------------------------------------------------------------
def test_4_policies_and_sessions_are_per_gate_and_per_session() -> None:
    strict, lax = gate("deny bank.pay"), gate("allow bank.pay")
    pay = call("bank.pay", {"iban": "X", "amount": 5})
    assert strict.check(pay, session="t").effect == "deny"
    assert lax.check(pay, session="t").effect == "allow"
    same = gate(
        'allow fs.read when path == "/a" then { allow bank.pay when iban == "A" }\nallow fs.read'
    )
    same.check(call("fs.read", {"path": "/a"}), session="one")
    paid = call("bank.pay", {"iban": "A", "amount": 5})
    assert same.check(paid, session="one").effect == "allow"
    assert same.check(paid, session="two").effect == "deny"  # another session: not installed
    other = gate('allow fs.read when path == "/a" then { allow bank.pay when iban == "A" }')
    assert other.check(paid, session="one").effect == "deny"  # another gate: its own sessions


def test_4_two_agents_in_one_process_keep_their_own_policies(tmp_path: Path) -> None:
    allow, deny = tmp_path / "allow.policy", tmp_path / "deny.policy"
    allow.write_text("allow calc.calculate\n")
    deny.write_text('deny calc.calculate when query contains "*"\nallow calc.calculate\n')
    step = ("17 * 23", "calc.calculate", {"query": "17 * 23"})
    with (
        Agent(mcp=[calc_spec()], planner=ScriptedPlanner([step], [step]), policy=allow) as a,
        Agent(mcp=[calc_spec()], planner=ScriptedPlanner([step], []), policy=deny) as b,
    ):
        first = a.run("what is 17 * 23")
        second = b.run("what is 17 * 23")
        third = a.run("what is 17 * 23")  # after b's deny, a's policy is still its own
    assert first.steps[0].ok and "391" in first.steps[0].result
    denied = second.steps[0]
    assert denied.policy is not None and denied.policy.effect == "deny" and not denied.ok
    assert third.steps[0].ok and "391" in third.steps[0].result


# --- 5. updates never widen by accident --------------------------------------------------------
def test_5_only_the_deciding_rule_installs_its_update() -> None:
    g = gate(
        'deny fs.read when path == "/secret" priority 10\n'
        'allow fs.read then { allow bank.pay when iban == "A" }'
    )
    assert g.check(call("fs.read", {"path": "/secret"}), session="t").effect == "deny"
    pay = call("bank.pay", {"iban": "A", "amount": 1})
    assert g.check(pay, session="t").effect == "deny"  # the shadowed allow installed nothing
    assert g.check(call("fs.read", {"path": "/ok"}), session="t").effect == "allow"
    assert g.check(pay, session="t").effect == "allow"  # now it decided, and installed


def test_5_an_ask_installs_only_on_a_human_yes() -> None:
    g = gate('ask fs.read then { allow bank.pay when iban == "A" }')
    read, pay = call("fs.read", {"path": "/x"}), call("bank.pay", {"iban": "A", "amount": 1})
    assert g.check(read, session="t").effect == "ask"
    g.resolve_ask(read, False, session="t")
    assert g.check(pay, session="t").effect == "deny"
    assert g.check(read, session="t").effect == "ask"
    assert g.resolve_ask(read, True, session="t")
    assert g.check(pay, session="t").effect == "allow"


def test_5_narrowing_updates_never_allow_and_never_lose_to_an_allow() -> None:
    with pytest.raises(PolicyValidationError, match="narrowing"):
        Policy.from_text("allow fs.read then narrowing { allow bank.pay }", SCHEMAS)
    g = gate(
        "allow fs.read then narrowing { deny bank.pay }\n"
        "allow bank.pay priority 1000000"  # whatever its priority
    )
    pay = call("bank.pay", {"iban": "A", "amount": 1})
    assert g.check(pay, session="t").effect == "allow"
    g.check(call("fs.read", {"path": "/x"}), session="t")
    assert g.check(pay, session="t").effect == "deny"


def test_5_a_per_task_policy_only_removes_and_its_denial_installs_nothing() -> None:
    g = gate('allow fs.read then { allow bank.pay when iban == "A" }')
    g.narrow("t", Policy.from_text("allow fs.read, bank.pay, mail.send", SCHEMAS))
    assert g.check(call("mail.send", {"to": {"address": "a@b.c"}}), session="t").effect == "deny"
    g.narrow("u", Policy.from_text("deny fs.read", SCHEMAS))
    assert g.check(call("fs.read", {"path": "/x"}), session="u").effect == "deny"
    pay = call("bank.pay", {"iban": "A", "amount": 1})
    assert g.check(pay, session="u").effect == "deny"  # the narrowed-away allow installed nothing


def test_5_an_update_firing_again_installs_nothing_new() -> None:
    g = gate("allow fs.read then { allow bank.pay when iban == $call.path }")
    first = g.check(call("fs.read", {"path": "A"}), session="t")
    again = g.check(call("fs.read", {"path": "A"}), session="t")
    other = g.check(call("fs.read", {"path": "B"}), session="t")
    assert len(first.updates) == 1 and again.updates == [] and len(other.updates) == 1
    assert len(g.installed("t")) == 2
    assert g.check(call("bank.pay", {"iban": "A", "amount": 1}), session="t").effect == "allow"
    assert g.check(call("bank.pay", {"iban": "C", "amount": 1}), session="t").effect == "deny"
