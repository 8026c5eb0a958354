"""Fuzz campaign: mutate the shipped policies and check the loader never crashes.

Every mutation must end in a ``PolicyError`` whose every location is a real file:line:col
inside the text, or in a loaded policy; anything else (another exception type, a location
outside the file) is counted as an escape and printed. Mutations: byte flips, DSL tokens,
brackets (real, in comments, in strings), quotes, bad regexes, huge numbers, NULs, invalid
UTF-8, long ``and``/``or``/``not`` chains, odd include paths, splices between seeds.

Run: ``python benchmarks/fuzz_policy.py [--cases 3000] [--seed 0]`` (exit 1 on any escape).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from agentroute.policy import Policy, PolicyError, PolicySyntaxError, PolicyValidationError, parse

POLICIES = Path(__file__).resolve().parents[1] / "policies"

TOKENS = [
    *"(){}[],.:$`#\"'\\=!<>*?-\n\t ",
    *(
        f" {w} "
        for w in [
            "allow",
            "deny",
            "ask",
            "stop",
            "when",
            "priority",
            "fallback",
            "then",
            "narrowing",
        ]
    ),
    *(
        f" {w} "
        for w in ["scope", "server", "agent", "let", "include", "default", "true", "false", "null"]
    ),
    *(
        f" {w} "
        for w in ["and", "or", "not", "in", "matches", "startswith", "endswith", "contains"]
    ),
    *(f" {w}(" for w in ["len", "lower", "normpath", "has", "any", "all"]),
    ' "s" ',
    ' r"x" ',
    " $call.amount ",
    " $root ",
    " $trusted ",
    " amount ",
    " to[0] ",
    ' meta["k"] ',
    " `in` ",
    ' allow "[a[a*?" ',
    ' allow "' + "[a" * 5000 + '" ',
    ' "\\ud800" ',
    ' "\\u0000" ',
    '"unterminated',
    "\x00",
    "\ufeff",
    "\u2028",
    "\r",
]
REGEXES = [
    "(?a)(?u)",
    "a{4294967296}",
    "a{2,1}",
    "(?L)a",
    "[[a]",
    "(?P<n>a)(?P<n>b)",
    "\\N{nope}",
    "(" * 3000 + ")" * 3000,
    "(?:" * 500 + "a" + ")" * 500,
    "x" * 20000,
    "(a*)*b",
]
INCLUDES = [
    "a\\u0000b",
    "",
    ".",
    "..",
    "lib",
    "/dev/zero",
    "/dev/null",
    "missing.policy",
    "filesystem.policy",
    "lib/filesystem-rules.policy",
    "lib/../lib/filesystem-rules.policy",
    "x" * 5000,
    "\\u00e9.policy",
]
BAD_BYTES = [b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00"]


def seeds() -> dict[str, bytes]:
    """The shipped policies, plus every code block of the reference that parses on its own."""
    out = {p.relative_to(POLICIES).as_posix(): p.read_bytes() for p in POLICIES.rglob("*.policy")}
    readme = (POLICIES / "README.md").read_text(encoding="utf-8")
    for i, block in enumerate(re.findall(r"```\n(.*?)```", readme, re.S)):
        try:
            parse(block)
        except PolicyError:
            continue
        out[f"readme-{i}.policy"] = block.encode()
    return out


def mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 5, 8])):
        at = rng.randint(0, len(b))
        if rng.random() < 0.7:  # mostly between tokens, so more mutants get past the parser
            gaps = [i for i in range(max(0, at - 40), min(len(b), at + 40)) if b[i] in b" \n"]
            at = rng.choice(gaps) if gaps else at
        kind = rng.randrange(15)
        if kind == 0 and b:
            b[min(at, len(b) - 1)] ^= rng.randint(1, 255)
        elif kind == 1:
            b[at:at] = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
        elif kind == 2:
            b[at:at] = rng.choice(BAD_BYTES)
        elif kind == 3:
            del b[at : at + rng.randint(1, 60)]
        elif kind == 4:
            b[at:at] = b[at : at + rng.randint(1, 300)]
        elif kind == 5:  # real brackets
            b[at:at] = (rng.choice("([{)]}") * rng.randint(1, 200)).encode()
        elif kind == 6:  # brackets that are not real
            text = rng.choice("([{)]}:") * rng.randint(1, 300)
            b[at:at] = rng.choice(
                [f"\n# {text}\n", f' "{text}" ', f' r"{text}" ', f" `{text}` "]
            ).encode()
        elif kind == 7:  # a long flat chain, sometimes very long
            n = (
                rng.choice([2, 10, 500, 3000, 20000, 60000])
                if rng.random() < 0.05
                else rng.randint(2, 600)
            )
            op = rng.choice([" or ", " and "])
            term = rng.choice(["amount > 1", "x == 1", "has(cc)", "not y", "(a or b)"])
            b[at:at] = (" when " + op.join([term] * n) + " ").encode()
        elif kind == 8:
            b[at:at] = (" not" * rng.choice([1, 50, 99, 100, 101, 500, 5000]) + " ").encode()
        elif kind == 9:
            digits = rng.choice([10, 300, 4300, 4301, 5000, 20000])
            b[at:at] = (
                " "
                + rng.choice(["", "-"])
                + "9" * digits
                + rng.choice(["", ".5", "e5", "e999"])
                + " "
            ).encode()
        elif kind == 10:
            b[at:at] = f' matches r"{rng.choice(REGEXES)}" '.encode()
        elif kind == 11:
            b[at:at] = f'\ninclude "{rng.choice(INCLUDES)}"\n'.encode()
        elif kind == 12:  # splice from another seed
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            b[at:at] = other[start : start + rng.randint(1, 400)]
        elif kind == 13:
            b[at:at] = rng.choice([b'"', b"'", b"`", b'r"', b"\\", b'\\"'])
        else:
            b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b)


def bad_locations(exc: PolicyError, texts: dict[str, str]) -> list[str]:
    locs = [exc.location] if isinstance(exc, PolicySyntaxError) else []
    if isinstance(exc, PolicyValidationError):
        locs = [loc for loc, _ in exc.issues]
    if not locs:
        return ["no location"]
    bad = []
    for loc in locs:
        rows = texts[loc.file].split("\n") if loc.file in texts else None
        if loc.line < 1 or loc.column < 1:
            bad.append(f"{loc}: not a position")
        elif rows is not None and (
            loc.line > len(rows) or loc.column > len(rows[loc.line - 1]) + 1
        ):
            bad.append(f"{loc}: outside the file")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pool = seeds()
    names = sorted(pool)
    schemas: dict[str, Any] = {}
    for p in (POLICIES / "examples").glob("*.schemas.json"):
        schemas.update(json.loads(p.read_text()))
    outcomes: Counter[str] = Counter()
    times: list[float] = []
    escapes: list[str] = []
    slowest = (0.0, "")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(POLICIES, root, dirs_exist_ok=True)
        for name in names:
            (root / name).write_bytes(pool[name])
        for case in range(args.cases):
            name = rng.choice(names)
            data = mutate(rng, pool[name], list(pool.values()))
            target = root / name
            target.write_bytes(data)
            use_schemas = schemas if rng.random() < 0.5 else None
            from_text = rng.random() < 0.3
            texts = {
                str(p): p.read_bytes().decode("utf-8", "replace") for p in root.rglob("*.policy")
            }
            text = data.decode("utf-8", "surrogateescape")
            texts[name] = text
            started = time.perf_counter()
            try:
                if from_text:
                    Policy.from_text(text, use_schemas, file=name, base_dir=target.parent)
                else:
                    Policy.from_files([target], use_schemas)
                outcomes["loaded"] += 1
            except PolicyError as exc:
                outcomes[type(exc).__name__] += 1
                bad = bad_locations(exc, texts)
                if bad:
                    escapes.append(f"case {case} ({name}): {bad[:3]} {str(exc)[:200]!r}")
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                outcomes["ESCAPE " + type(exc).__name__] += 1
                tb = traceback.format_exception(exc)[-3:]
                escapes.append(
                    f"case {case} ({name}): {type(exc).__name__}: {exc!s:.200} {''.join(tb)}"
                )
            finally:
                elapsed = time.perf_counter() - started
                times.append(elapsed)
                if elapsed > slowest[0]:
                    slowest = (elapsed, f"case {case} ({name}, {len(data):,} bytes)")
                target.write_bytes(pool[name])
    print(f"{args.cases} mutations of {len(names)} seed policies (seed {args.seed})")
    for key, n in sorted(outcomes.items()):
        print(f"  {key:<24} {n}")
    print(f"  escapes                  {len(escapes)}")
    print(
        f"time per load: median {statistics.median(times) * 1000:.1f} ms, "
        f"max {slowest[0]:.2f} s ({slowest[1]})"
    )
    for line in escapes[:20]:
        print("ESCAPE", line)
    return 1 if escapes else 0


if __name__ == "__main__":
    sys.exit(main())
