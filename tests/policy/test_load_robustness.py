"""The loader never crashes: any input is a located PolicyError or a loaded policy.

Regressions from a fuzz run of mutated policy files (inputs that escaped as Python exceptions,
errors placed at a placeholder 1:1, valid policies rejected, chains that took seconds), then a
property test that mutates the shipped policies the same way.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentroute.policy import (
    Location,
    Policy,
    PolicyError,
    PolicySyntaxError,
    PolicyValidationError,
)
from agentroute.policy._load import MAX_FILE_BYTES, MAX_FILES, MAX_INCLUDE_DEPTH
from agentroute.policy._parser import MAX_EXPR_DEPTH, MAX_NESTING, MAX_TEXT_CHARS
from agentroute.policy._transform import MAX_SELECTOR_CHARS

POLICIES = Path(__file__).resolve().parents[2] / "policies"
sys.path.insert(0, str(POLICIES.parent / "benchmarks"))
from fuzz_policy import BAD_BYTES, INCLUDES, REGEXES, TOKENS  # noqa: E402

STR_X = {"a.b": {"type": "object", "properties": {"x": {"type": "string"}}}}
INT_X = {"a.b": {"type": "object", "properties": {"x": {"type": "integer"}}}}


def locations(exc: PolicyError) -> list[Location]:
    if isinstance(exc, PolicySyntaxError):
        return [exc.location]
    assert isinstance(exc, PolicyValidationError)
    return [loc for loc, _ in exc.issues]


def error_of(load: Callable[[], object]) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        load()
    return info.value


def located(load: Callable[[], object]) -> tuple[str, int, int, str]:
    """The first location of the error ``load`` raises, and the error text."""
    exc = error_of(load)
    loc = locations(exc)[0]
    return loc.file, loc.line, loc.column, str(exc)


def finishes(fn: Callable[[], Any], timeout: float = 120.0) -> Any:
    """Run ``fn`` in a thread; a generous guard so a hang fails the test instead of the run."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"did not finish within {timeout} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


# --- bytes that are not UTF-8 -----------------------------------------------------------
def test_invalid_utf8_in_a_file_is_located_at_the_byte(tmp_path: Path) -> None:
    f = tmp_path / "bad.policy"
    f.write_bytes(b"allow a.b\n# \xc3\xa9\xc3\xa9 then \xff x\nallow c.d\n")
    file, line, col, text = located(lambda: Policy.from_files([f]))
    assert (file, line, col) == (str(f), 2, 11)
    assert "UTF-8" in text and "0xff" in text


def test_invalid_utf8_in_an_included_file_is_located_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "lib.policy").write_bytes(b"allow a.b\n  \xfe\n")
    main = tmp_path / "main.policy"
    main.write_text('include "lib.policy"\n')
    file, line, col, _ = located(lambda: Policy.from_files([main]))
    assert (file, line, col) == (str(tmp_path / "lib.policy"), 2, 3)


def test_a_truncated_multibyte_character_at_the_end_is_located(tmp_path: Path) -> None:
    f = tmp_path / "cut.policy"
    f.write_bytes(b"allow a.b\nallow c.d # \xe2\x82")
    assert located(lambda: Policy.from_files([f]))[:3] == (str(f), 2, 13)


# --- include paths ----------------------------------------------------------------------
@pytest.mark.parametrize("path", ["a\\u0000b.policy", "", ".", "sub", "x" * 5000])
def test_an_unusable_include_path_is_an_error_at_the_include(tmp_path: Path, path: str) -> None:
    (tmp_path / "sub").mkdir()
    text = f'allow a.b\n  include "{path}"\n'
    file, line, col, text_ = located(
        lambda: Policy.from_text(text, file="m.policy", base_dir=tmp_path)
    )
    assert (file, line, col) == ("m.policy", 2, 3)
    assert "cannot include" in text_


def test_an_include_of_a_fifo_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.policy")
    text = 'include "pipe.policy"'
    loc = finishes(lambda: located(lambda: Policy.from_text(text, base_dir=tmp_path)))
    assert loc[1:3] == (1, 1) and "not a regular file" in loc[3]


def test_a_symlink_loop_include_is_an_error_at_the_include(tmp_path: Path) -> None:
    (tmp_path / "loop.policy").symlink_to(tmp_path / "loop.policy")
    main = tmp_path / "main.policy"
    main.write_text('allow a.b\ninclude "loop.policy"\n')
    assert located(lambda: Policy.from_files([main]))[:3] == (str(main), 2, 1)


def test_include_chains_are_capped_at_the_include_that_goes_too_deep(tmp_path: Path) -> None:
    n = MAX_INCLUDE_DEPTH + 5
    for i in range(n):
        (tmp_path / f"f{i}.policy").write_text(f'# level {i}\ninclude "f{i + 1}.policy"\n')
    (tmp_path / f"f{n}.policy").write_text("allow a.b\n")
    file, line, col, text = located(lambda: Policy.from_files([tmp_path / "f0.policy"]))
    assert (file, line, col) == (str(tmp_path / f"f{MAX_INCLUDE_DEPTH}.policy"), 2, 1)
    assert "deep" in text


def test_exponential_include_fan_out_is_capped(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"d{i}.policy").write_text(
            f'include "d{i + 1}.policy"\ninclude "d{i + 1}.policy"\n'
        )
    (tmp_path / "d30.policy").write_text("allow a.b\n")
    exc = finishes(lambda: error_of(lambda: Policy.from_files([tmp_path / "d0.policy"])))
    assert f"more than {MAX_FILES} files" in str(exc)
    assert all(loc.line >= 1 and loc.column >= 1 for loc in locations(exc))


# --- regular expressions ------------------------------------------------------------------
@pytest.mark.parametrize(
    "pattern",
    [
        "(?a)(?u)",  # ValueError
        "a{4294967296}",  # OverflowError
        "(" * 3000 + ")" * 3000,  # RecursionError (and brackets inside a string)
        "x{2,1}",  # re.error
        "(?L)a",  # re.error about flags
    ],
)
@pytest.mark.parametrize("schemas", [None, STR_X])
def test_a_regex_that_does_not_compile_is_located_at_the_pattern(
    pattern: str, schemas: dict[str, Any] | None
) -> None:
    text = f'allow a.b\nallow a.b when x matches r"{pattern}"'
    file, line, col, msg = located(lambda: Policy.from_text(text, schemas, file="r.policy"))
    assert (file, line, col) == ("r.policy", 2, 26)
    assert "invalid regular expression" in msg


def test_a_bad_regex_constant_is_located_where_it_is_matched() -> None:
    text = 'let r = r"(?a)(?u)"\nallow a.b when x matches $r'
    assert located(lambda: Policy.from_text(text, STR_X))[1:3] == (2, 26)


# --- numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "col"),
    [
        ("allow a.b when x == " + "9" * 5000, 21),
        ("allow a.b when x == -" + "9" * 5000, 21),
        ("allow a.b priority " + "9" * 5000, 20),
        ("allow a.b when x[" + "9" * 5000 + "] == 1", 18),
        ("let n = [1, " + "7" * 5000 + "]", 13),
    ],
)
def test_an_integer_with_too_many_digits_is_located_at_the_number(text: str, col: int) -> None:
    file, line, col_, msg = located(lambda: Policy.from_text("\n" + text, file="n.policy"))
    assert (file, line, col_) == ("n.policy", 2, col)
    assert "digits" in msg


def test_a_long_but_convertible_integer_loads() -> None:
    Policy.from_text("allow a.b when x < " + "9" * 4000 + " priority " + "8" * 4000, INT_X)


# --- nesting -------------------------------------------------------------------------------
def test_brackets_in_comments_strings_and_names_do_not_count_towards_nesting() -> None:
    deep = "(" * (MAX_NESTING * 3)
    Policy.from_text("# :(\n" * (MAX_NESTING + 1) + "allow a.b\n")
    Policy.from_text(f'allow a.b when x == "{deep}" or x == r"{"[" * 200}" or `{deep}` == 1')
    Policy.from_text(f'allow "{deep}.x", a.b # {"{" * 200}\n')


def test_real_brackets_deeper_than_the_limit_are_located_at_the_first_too_deep() -> None:
    ok = "allow a.b when " + "(" * MAX_NESTING + "x" + ")" * MAX_NESTING
    Policy.from_text(ok)
    for open_, close in (("(", ")"), ("[", "]")):
        body = open_ * (MAX_NESTING + 1) + ("x" if open_ == "(" else "") + close * (MAX_NESTING + 1)
        text = "allow a.b\nallow a.b when " + body if open_ == "(" else "\nlet x = " + body
        _, line, col, msg = located(lambda text=text: Policy.from_text(text))
        assert line == 2 and text.splitlines()[1][col - 1] == open_, (line, col)
        assert text.splitlines()[1][: col - 1].count(open_) == MAX_NESTING
        assert "nesting" in msg


def test_a_long_chain_of_not_is_located_where_it_gets_too_deep() -> None:
    text = "allow a.b\n\nallow a.b when " + "not " * 5000 + "x"
    file, line, col, msg = located(lambda: Policy.from_text(text, file="deep.policy"))
    assert (file, line) == ("deep.policy", 3)
    assert text.splitlines()[2][col - 1 :].startswith("not ") and col > 1
    assert "nested too deeply" in msg


def test_the_deepest_accepted_conditions_load_and_decide() -> None:
    """Brackets at their limit, and conditions at theirs, written as a policy would."""
    brackets = "lower(" * (MAX_NESTING - 1) + "s" + ")" * (MAX_NESTING - 1)
    quants = "any(e in l: " * (MAX_NESTING - 1) + "e == 1" + ")" * (MAX_NESTING - 1)
    nots = "not " * (MAX_EXPR_DEPTH - 2) + "x == 1"
    for cond, args in (
        (f'{brackets} == "a"', {"s": "A"}),
        (quants, {"l": [1]}),
        (nots, {"x": 1}),
    ):
        policy = Policy.from_text(f"allow a.b when {cond}")
        assert policy.decide("a.b", args).effect == "allow", cond
    too_deep = "allow a.b when " + "not " * MAX_EXPR_DEPTH + "x == 1"
    assert located(lambda: Policy.from_text(too_deep))[1:3] == (1, 16 + 4 * MAX_EXPR_DEPTH)


# --- long chains ----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [488, 50_000])
@pytest.mark.parametrize("op", ["or", "and"])
def test_flat_chains_of_any_length_load_and_decide(n: int, op: str) -> None:
    text = "allow a.b when " + f" {op} ".join(f"x != {i}" for i in range(n))
    policy = finishes(lambda: Policy.from_text(text, INT_X))
    assert policy.decide("a.b", {"x": n + 1}).effect == "allow"
    assert policy.decide("a.b", {"x": n - 1}).effect == ("allow" if op == "or" else "deny")


def test_a_chain_with_an_error_in_the_middle_is_located_at_the_term() -> None:
    terms = [f"x == {i}" for i in range(20_000)]
    terms[12_345] = 'x == "s"'
    text = "allow a.b when " + "\n or ".join(terms)
    _, line, col, msg = located(lambda: Policy.from_text(text, INT_X))
    assert (line, col) == (12_346, 5)
    assert "compares" in msg


def test_a_selector_longer_than_the_cap_is_located_at_the_selector() -> None:
    """Unclosed ``[`` make glob matching quadratic: 10,000 of them took minutes."""
    Policy.from_text("allow " + "a" * MAX_SELECTOR_CHARS)
    text = 'allow a.b,\n  "' + "[a" * 5000 + '"'
    file, line, col, msg = located(lambda: Policy.from_text(text, {"a.b": {}}, file="s.policy"))
    assert (file, line, col) == ("s.policy", 2, 3)
    assert "selector longer than" in msg


# --- size ----------------------------------------------------------------------------------
def test_text_larger_than_the_cap_is_an_error_at_the_cap() -> None:
    text = "allow a.b\n" + "#" * MAX_TEXT_CHARS
    file, line, col, msg = located(lambda: Policy.from_text(text, file="big.policy"))
    assert (file, line, col) == ("big.policy", 2, MAX_TEXT_CHARS - 10 + 1)
    assert "too large" in msg


def test_a_file_larger_than_the_cap_is_an_error_at_the_cap(tmp_path: Path) -> None:
    f = tmp_path / "big.policy"
    f.write_bytes(b"allow a.b\n" + b"#" * MAX_FILE_BYTES)
    file, line, col, msg = located(lambda: Policy.from_files([f]))
    assert (file, line, col) == (str(f), 2, MAX_FILE_BYTES - 10 + 1)
    assert "too large" in msg


def test_an_unexpected_huge_token_gives_a_short_message() -> None:
    exc = error_of(lambda: Policy.from_text('allow a.b "' + "x" * 100_000 + '"'))
    assert len(str(exc)) < 400


# --- recursion limits -------------------------------------------------------------------------
def test_loading_with_little_stack_left_is_a_located_error_or_a_policy() -> None:
    text = (POLICIES / "mail_payments.policy").read_text()
    deep = "allow a.b when " + "(" * MAX_NESTING + "x" + ")" * MAX_NESTING
    schemas = json.loads((POLICIES / "examples" / "mail_payments.schemas.json").read_text())

    def at_depth(n: int, fn: Callable[[], object]) -> object:
        return at_depth(n - 1, fn) if n > 0 else fn()

    def depth() -> int:
        f, n = sys._getframe(), 0
        while f is not None:
            f, n = f.f_back, n + 1
        return n

    headroom = sys.getrecursionlimit() - depth()
    for spare in (400, 250, 150):
        for source, s in ((text, schemas), (deep, None)):
            try:
                at_depth(headroom - spare, lambda src=source, s=s: Policy.from_text(src, s))
            except PolicyError as exc:
                assert all(loc.line >= 1 and loc.column >= 1 for loc in locations(exc))


# --- property: mutations of the shipped policies -------------------------------------------------
SEEDS: dict[str, bytes] = {
    p.relative_to(POLICIES).as_posix(): p.read_bytes() for p in POLICIES.rglob("*.policy")
}
SCHEMAS: dict[str, dict[str, Any]] = {}
for _p in (POLICIES / "examples").glob("*.schemas.json"):
    SCHEMAS.update(json.loads(_p.read_text()))

# The fuzz campaign's vocabulary (benchmarks/fuzz_policy.py), as tokens to insert, plus the
# shapes of the regressions this file pins (a `then` block, a huge float).
_TOKENS = [
    *TOKENS,
    *(f' r"{regex}" ' for regex in REGEXES),
    *(f' include "{path}" ' for path in INCLUDES),
    " " + "9" * 5000 + " ",
    " -1e999 ",
    " 1e-999 ",
    " then { allow mail.send_email } ",
    " then narrowing { allow x.y } ",
]
_RAW = [*BAD_BYTES, b"\r", b"\r\n"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """One seed policy with a few mutations applied, as bytes."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.integers(0, 8))
        if kind == 0 and data:  # flip bits of one byte
            i = min(at, len(data) - 1)
            data[i] ^= draw(st.integers(1, 255))
        elif kind == 1:
            data[at:at] = draw(st.sampled_from(_TOKENS)).encode("utf-8", "surrogatepass")
        elif kind == 2:
            data[at:at] = draw(st.sampled_from(_RAW))
        elif kind == 3:  # delete a span
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == 4:  # duplicate a span
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif kind == 5:  # brackets, real or not
            ch = draw(st.sampled_from("([{)]}"))
            data[at:at] = (ch * draw(st.integers(1, 3 * MAX_NESTING))).encode()
        elif kind == 6:  # a long flat chain
            op = draw(st.sampled_from([" or ", " and "]))
            n = draw(st.integers(2, 3000))
            data[at:at] = (" when " + op.join(["amount > 1"] * n) + " ").encode()
        elif kind == 7:  # nots
            data[at:at] = (" not" * draw(st.integers(1, 3 * MAX_EXPR_DEPTH)) + " ").encode()
        else:
            data[at:at] = draw(st.binary(max_size=8))
    return name, bytes(data)


def _check_outcome(load: Callable[[], object], texts: dict[str, str]) -> None:
    try:
        load()
    except PolicyError as exc:
        locs = locations(exc)
        assert locs, exc
        for loc in locs:
            assert loc.line >= 1 and loc.column >= 1, (loc, exc)
            lines = texts.get(loc.file)
            if lines is not None:  # the position is inside the file
                rows = lines.split("\n")
                assert loc.line <= len(rows), (loc, exc)
                assert loc.column <= len(rows[loc.line - 1]) + 1, (loc, exc)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("policies")
    shutil.copytree(POLICIES, root, dirs_exist_ok=True)
    yield root


@settings(
    max_examples=400,
    deadline=20_000,  # ms: a generous bound on one load; mutations are a few KB
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutated(), st.booleans(), st.booleans())
def test_mutated_policies_load_or_fail_with_a_location(
    tree: Path, case: tuple[str, bytes], with_schemas: bool, from_text: bool
) -> None:
    name, data = case
    target = tree / name
    schemas = SCHEMAS if with_schemas else None
    try:
        target.write_bytes(data)
        shown = {str(p): p.read_bytes().decode("utf-8", "replace") for p in tree.rglob("*.policy")}
        shown[name] = data.decode("utf-8", "replace")
        if from_text:
            text = data.decode("utf-8", "surrogateescape")
            _check_outcome(
                lambda: Policy.from_text(text, schemas, file=name, base_dir=target.parent), shown
            )
        else:
            _check_outcome(lambda: Policy.from_files([target], schemas), shown)
    finally:
        target.write_bytes(SEEDS[name])


def test_fmt_reports_invalid_utf8_at_its_byte(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from agentroute.policy._cli import make_policy_app

    bad = tmp_path / "bad.policy"
    bad.write_bytes(b"default deny\nallow calc.\xff\n")
    result = CliRunner().invoke(make_policy_app(), ["fmt", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:12: invalid UTF-8" in result.output
