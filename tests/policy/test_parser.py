"""Parsing, syntax errors with locations, fuzzing and fmt round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentroute.policy import PolicyError, PolicySyntaxError, format_policy, parse
from agentroute.policy._ast import And, Compare, Func, Has, Literal, Not, Or, Quant, Ref, Rule

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def test_parses_every_construct() -> None:
    tree = parse(
        """
        let trusted = ["a@x.com", "b@x.com",]
        default deny fallback "no"
        allow fs.read_*, "odd name.tool" when not (path contains "..") and len(path) < 10
        deny fs.write_file when path matches r".*/\\..*" priority -3 fallback stop "dot"
        scope server mail { default ask
          allow mail.send when all(r in to: lower(r) in $trusted) and meta.urgent == true
             and to[0] != "x" and meta["urgent"] and `in` == 1
             then narrowing { deny mail.send when to[0] != $call.to[0] } }
        """,
        "t.policy",
    )
    assert len(tree.items) == 5
    rule = tree.items[2]
    assert isinstance(rule, Rule) and rule.selectors == ("fs.read_*", "odd name.tool")
    assert (rule.line, rule.file) == (4, "t.policy")


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("allow", 1, 6),
        ("allow fs.x when", 1, 16),
        ("allow fs.x\nwhen path ==", 2, 13),
        ("allow fs.x when path = 1", 1, 22),
        ("let x = [1, 2", 1, 14),
        ("allow fs.x when path matches 'single'", 1, 30),
        ("scope server a* { }", 1, 14),
        ("allow fs.x when a == 1 when b == 2", 1, 1),
        ("allow fs.x priority 1.5", 1, 21),
    ],
)
def test_syntax_errors_carry_a_location(text: str, line: int, col: int) -> None:
    with pytest.raises(PolicySyntaxError) as info:
        parse(text, "bad.policy")
    assert (info.value.location.file, info.value.location.line) == ("bad.policy", line)
    assert info.value.location.column == col
    assert str(info.value).startswith(f"bad.policy:{line}:")


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(PolicySyntaxError, match="nesting"):
        parse("allow a.b when " + "(" * 5000 + "x" + ")" * 5000)
    with pytest.raises(PolicySyntaxError, match="nested too deeply"):
        parse("allow a.b when " + "not " * 5000 + "x")


_CHARS = "allowdenyaskstopwhenpriorityfallbackthenscopeletincludedefault .,:;(){}[]\"'$`#\n\t=!<>*?-r\\01234567890_x"
_WORDS = [
    "allow ",
    "deny ",
    " when ",
    " and ",
    " or ",
    " not ",
    " in ",
    " matches ",
    "len(",
    "any(",
    "$x",
]
_WORDS += ['"s"', "fs.read", "{", "}", "then {", "scope server a {", "let x = ", "\udcff", "é"]
_ALPHABET = st.sampled_from([*_CHARS, *_WORDS])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=200))
def test_random_text_never_crashes_the_parser(text: str) -> None:
    try:
        parse(text, "fuzz.policy")
    except PolicySyntaxError as exc:
        assert exc.location.file == "fuzz.policy"
        assert exc.location.line >= 1 and exc.location.column >= 0
    except PolicyError as exc:  # pragma: no cover - any other class would be a bug
        pytest.fail(f"unexpected {type(exc).__name__}: {exc}")


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_random_text_never_crashes_the_loader(text: str) -> None:
    from agentroute.policy import Policy, PolicyValidationError

    try:
        Policy.from_text("allow fs.read_file when " + text, None, file="fuzz.policy")
    except PolicySyntaxError as exc:
        assert exc.location.line >= 1
    except PolicyValidationError as exc:
        assert exc.issues and all(
            loc.file == "fuzz.policy" and loc.line >= 1 for loc, _ in exc.issues
        )


# --- fmt round-trip --------------------------------------------------------------------
_names = st.sampled_from(["path", "to", "amount", "in", "x-y", "items", "priority"])
_lits = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
_literal = st.one_of(_lits, st.lists(_lits, max_size=3)).map(Literal)
_segments = st.lists(st.one_of(_names, st.integers(0, 5)), max_size=2).map(tuple)
_ref = st.one_of(
    st.builds(Ref, _names, st.just(False), _segments),
    st.builds(Ref, st.sampled_from(["trusted", "call"]), st.just(True), _segments),
)
_operand = st.one_of(
    _literal, _ref, st.builds(Func, st.sampled_from(["len", "lower", "normpath"]), _ref)
)
_ops = st.sampled_from(
    [
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "not in",
        "matches",
        "startswith",
        "endswith",
        "contains",
    ]
)
_atom = st.one_of(
    st.builds(Compare, _ops, _operand, _operand), st.builds(Has, _ref.filter(lambda r: not r.const))
)
_expr = st.recursive(
    _atom,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
        st.builds(Quant, st.sampled_from(["any", "all"]), st.sampled_from(["e", "r"]), _ref, inner),
    ),
    max_leaves=8,
)
_rule = st.builds(
    Rule,
    st.sampled_from(["allow", "deny", "ask", "stop"]),
    st.lists(
        st.sampled_from(["fs.read_file", "fs.*", "a-b.c?", "odd name.x"]), min_size=1, max_size=2
    ).map(tuple),
    st.none() | _expr,
    st.none() | st.integers(-100, 100),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_rule, min_size=1, max_size=4))
def test_fmt_round_trips(rules: list[Rule]) -> None:
    from agentroute.policy._ast import PolicyFile

    first = parse(format_policy(PolicyFile(tuple(rules))))
    text = format_policy(first)
    assert parse(text) == first
    assert format_policy(parse(text)) == text


@pytest.mark.parametrize(
    "name", ["filesystem.policy", "lib/filesystem-rules.policy", "mail_payments.policy"]
)
def test_fmt_round_trips_the_examples(name: str) -> None:
    tree = parse((POLICIES / name).read_text(), name)
    assert parse(format_policy(tree)) == tree
