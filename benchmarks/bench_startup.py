"""Start-up benchmark: what a command costs as a whole process, against importing its stack.

    python benchmarks/bench_startup.py                       # this checkout; writes results/startup.json
    python benchmarks/bench_startup.py --tree ../main --tree .   # two checkouts, paired per round

The floor is ``python -c "import langgraph.graph, mcp.client.session, onnxruntime, tokenizers"``:
what any agent on this stack pays before it does anything. Each row is a whole process (or, for
``chat`` and ``serve kb``, a process until it is ready), measured ``--rounds`` times, the rows
and the trees interleaved (A B A B ...) so load on the machine falls on all of them alike; the
table shows medians of wall time, CPU (user + sys of the process and the children it reaped,
from ``os.wait4``) and peak RSS (the largest single process), and the ratio to the floor's
median (the floor's runs pooled over the trees: it is one command). Rows:

* ``import``: ``python -c "import agentroute"``;
* ``run warm``: ``agentroute run "What is 17 * 23, and how many kilometres are 5 miles?"`` in a
  directory that already ran it once (threads, memory, knowledge and vector caches on disk);
* ``run first``: the same in an empty directory (the user-level embedder cache stays as it is);
* ``policy check``: ``agentroute policy check policies/mail_payments.policy --schemas ...``;
* ``chat prompt``: ``agentroute chat`` on a pseudo-terminal until its prompt ``you>`` is drawn;
  ``chat answer``: the question typed at once, until its answer is out (the agent starts behind
  the prompt, so this is start-up plus one turn);
* ``serve kb``: ``agentroute serve kb facts`` (a warm directory) until it answers MCP
  ``initialize`` over stdio.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "startup.json"
QUESTION = "What is 17 * 23, and how many kilometres are 5 miles?"
FLOOR = "import langgraph.graph, mcp.client.session, onnxruntime, tokenizers"
POLICY = REPO / "policies" / "mail_payments.policy"
SCHEMAS = REPO / "policies" / "examples" / "mail_payments.schemas.json"
TIMEOUT_S = 300.0

Sample = dict[str, float]


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "AGENTROUTE_LOG": "error", "COLUMNS": "200"}


def _finish(proc: subprocess.Popen[bytes], started: float, ready: float | None) -> Sample:
    """Reap ``proc`` with its resource usage (its reaped children included)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    end = time.perf_counter()
    if proc.returncode not in (0, -15):
        raise RuntimeError(f"{proc.args!r} exited {proc.returncode}")
    return {
        "wall_s": (ready if ready is not None else end) - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def _whole(args: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return _finish(proc, started, None)


def _read_until(fd: int, needles: list[bytes], deadline: float) -> tuple[bytes, float]:
    """Bytes from ``fd`` until one of ``needles`` appears; with the moment it appeared."""
    seen = b""
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if any(n in seen for n in needles):
            return seen, time.perf_counter()
    raise RuntimeError(f"none of {needles!r} appeared; got {seen[-2000:]!r}")


def _chat(tree: Path, cwd: Path) -> tuple[Sample, Sample]:
    """``agentroute chat`` on a pty: time to the prompt, then to the first answer."""
    main, child = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentroute", "chat"],
        cwd=cwd,
        env={**_env(tree), "TERM": "xterm"},
        stdin=child,
        stdout=child,
        stderr=child,
        start_new_session=True,
    )
    os.close(child)
    deadline = started + TIMEOUT_S
    try:
        _, prompt_at = _read_until(main, [b"you>"], deadline)
        os.write(main, QUESTION.encode() + b"\r")
        _, answer_at = _read_until(main, [b", turn "], deadline)
        os.write(main, b"/quit\r")
        try:
            while os.read(main, 65536):
                pass
        except OSError:
            pass
        sample = _finish(proc, started, answer_at)
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.wait()
        os.close(main)
    return {"wall_s": prompt_at - started}, sample


def _serve_kb(tree: Path, cwd: Path) -> Sample:
    """``agentroute serve kb facts`` until it answers MCP ``initialize`` on stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentroute", "serve", "kb", "facts"],
        cwd=cwd,
        env=_env(tree),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "bench_startup", "version": "1"},
        },
    }
    proc.stdin.write(json.dumps(request).encode() + b"\n")
    proc.stdin.flush()
    out, ready = _read_until(proc.stdout.fileno(), [b'"id":1', b'"id": 1'], started + TIMEOUT_S)
    proc.stdin.close()
    if b'"result"' not in out:
        proc.kill()
        raise RuntimeError(f"serve kb did not initialize: {out!r}")
    return _finish(proc, started, ready)


def _cases(tree: Path, work: Path) -> dict[str, Callable[[], dict[str, Sample]]]:
    env = _env(tree)
    py = sys.executable
    warm = work / "warm"
    warm.mkdir(parents=True, exist_ok=True)
    run = [py, "-m", "agentroute", "run", QUESTION]
    policy = [py, "-m", "agentroute", "policy", "check", str(POLICY), "--schemas", str(SCHEMAS)]
    firsts = iter(range(1_000_000))

    def first() -> dict[str, Sample]:
        fresh = work / f"first-{next(firsts)}"
        fresh.mkdir()
        return {"run first": _whole(run, fresh, env)}

    def chat() -> dict[str, Sample]:
        prompt, answer = _chat(tree, warm)
        return {"chat prompt": prompt, "chat answer": answer}

    return {
        "floor": lambda: {"floor": _whole([py, "-c", FLOOR], work, env)},
        "import": lambda: {"import": _whole([py, "-c", "import agentroute"], work, env)},
        "run warm": lambda: {"run warm": _whole(run, warm, env)},
        "run first": first,
        "policy check": lambda: {"policy check": _whole(policy, work, env)},
        "chat": chat,
        "serve kb": lambda: {"serve kb": _serve_kb(tree, warm)},
    }


def _median(samples: list[Sample], key: str) -> float | None:
    values = [s[key] for s in samples if key in s]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--tree",
        type=Path,
        action="append",
        help="a checkout whose agentroute to measure (PYTHONPATH); repeat to compare, paired",
    )
    parser.add_argument("--only", nargs="*", help="just these rows (floor is always measured)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    trees = [t.resolve() for t in args.tree or [REPO]]
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count()}, "trees": {}}
    with tempfile.TemporaryDirectory(prefix="bench_startup-") as tmp:
        cases = {t: _cases(t, Path(tmp) / f"tree{i}") for i, t in enumerate(trees)}
        for tree in trees:  # the unmeasured warm-up: a warm directory, caches filled
            cases[tree]["run warm"]()
            cases[tree]["serve kb"]()
        names = [n for n in cases[trees[0]] if n == "floor" or not args.only or n in args.only]
        samples: dict[Path, dict[str, list[Sample]]] = {t: {} for t in trees}
        for r in range(args.rounds):
            for name in names:
                for tree in trees:
                    for row, sample in cases[tree][name]().items():
                        samples[tree].setdefault(row, []).append(sample)
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    floors = [s for t in trees for s in samples[t]["floor"]]  # one command: pooled over trees
    floor_wall = _median(floors, "wall_s") or 1.0
    floor_cpu = _median(floors, "cpu_s") or 1.0
    results["floor"] = {"wall_s": floor_wall, "cpu_s": floor_cpu, "runs": len(floors)}
    for tree in trees:
        rows = samples[tree]
        table = {}
        print(f"\n{tree}  (medians of {args.rounds} paired runs)")
        print(f"{'':14} {'wall s':>8} {'x floor':>8} {'cpu s':>8} {'x floor':>8} {'peak MB':>8}")
        for row, got in rows.items():
            wall, cpu, rss = (_median(got, k) for k in ("wall_s", "cpu_s", "rss_mb"))
            assert wall is not None
            table[row] = {
                "wall_s": wall,
                "wall_x_floor": wall / floor_wall,
                "cpu_s": cpu,
                "cpu_x_floor": None if cpu is None else cpu / floor_cpu,
                "peak_rss_mb": rss,
                "runs": len(got),
            }
            cpu_text = "-" if cpu is None else f"{cpu:.2f}"
            cpu_x = "-" if cpu is None else f"{cpu / floor_cpu:.2f}"
            rss_text = "-" if rss is None else f"{rss:.0f}"
            print(
                f"{row:14} {wall:8.2f} {wall / floor_wall:8.2f} {cpu_text:>8} {cpu_x:>8} "
                f"{rss_text:>8}"
            )
        results["trees"][str(tree)] = table
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
