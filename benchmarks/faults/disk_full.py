"""Fault: the data directory's disk fills up while an agent writes cases (issue 18).

    python benchmarks/faults/disk_full.py           # prints a table (needs root: it mounts)
    python benchmarks/faults/disk_full.py --quick

The bank lives on a small tmpfs mounted for the run (a real file system that really fills:
``ENOSPC`` from ``write``/``fsync``, for the journal, chromadb's SQLite file and the saved index
alike), all but 3 MB of it taken by a filler file. A writer puts cases (batches applied to
chromadb on the same disk as it goes) until the disk is full and a few more after; then the
filler is removed, as an operator would free space, the store is closed and opened again, and
every acknowledged case is looked for. Counted: writes acknowledged (``put`` returned), writes
that failed loudly (an ``OSError`` naming the full disk reached the caller), acknowledged cases
missing after the reopen (lost), and whether the reopened store writes and recalls (recovered).
Without root (no mount) the scenario reports that it could not run, with the reason.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DIM = 384
ROOM_MB = 3
"""What the filler leaves the bank before the disk is full (freeing the filler gives the rest)."""


def _case(i: int) -> Any:
    from agentroute.memory import Case, CaseOutcome, Judge, Provenance
    from agentroute.types import Plan, Step

    text = f"forecast {i} for station {i * 7919 % 10007} in zone {i * 104729 % 9973}"
    return Case(
        id=f"c{i}",
        namespace="ns",
        task=text,
        plan=Plan(steps=[Step(id="s1", query=text, target="weather.forecast")]),
        outcome=CaseOutcome(success=True, reward=1.0, judged_by=Judge.HEURISTIC),
        provenance=Provenance(session="fault"),
    )


def scenario(mount: Path, size_mb: int, extra: int) -> dict[str, Any]:
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import ChromaCaseStore

    emb = HashingEmbedder(dim=DIM)
    filler = mount / "filler"
    with filler.open("wb") as f:
        f.write(b"\0" * ((size_mb - ROOM_MB) << 20))
    bank = mount / "memory"
    acked: list[str] = []
    loud = 0
    first_error = ""
    store = ChromaCaseStore(bank, emb, flush_every=64, flush_interval_s=0.5)
    i = 0
    full_at = None
    while full_at is None or i < full_at + extra:
        c = _case(i)
        try:
            store.put(c, emb.embed([c.task])[0])
            acked.append(c.id)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            loud += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
            full_at = i if full_at is None else full_at
        i += 1
        if i > 200_000:
            break
    filler.unlink()  # the operator frees space
    close_error = ""
    try:
        store.close()
    except Exception as exc:  # loud: the batch stays journaled for the next process
        close_error = f"close: {type(exc).__name__}: {exc}"
    (mount / "acked.txt").write_text("\n".join(acked))
    child = subprocess.run(  # the next process, as after a restart
        [sys.executable, __file__, "--reopen", str(bank)],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH")},
    )
    got = json.loads(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 else {}
    if not got:
        close_error += f"; reopen failed: {child.stderr.strip().splitlines()[-1:]}"
    lost = got.get("lost", acked)
    count = got.get("count", 0)
    return {
        "scenario": f"data directory's disk full ({size_mb} MB tmpfs)",
        "acknowledged": len(acked),
        "failed_loudly": loud,
        "lost": len(lost),
        "recovered": bool(got.get("recovered")) and count == len(acked) + 1,
        "detail": (
            f"disk full at write {full_at}, {extra} more tried; first error: {first_error}"
            + (f"; {close_error}" if close_error else "")
            + f"; chromadb holds {count} after reopening"
        ),
    }


def run(quick: bool = False) -> list[dict[str, Any]]:
    size_mb = 48 if quick else 96
    with tempfile.TemporaryDirectory(prefix="fault-disk-") as tmp:
        mount = Path(tmp) / "disk"
        mount.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            return [
                {
                    "scenario": "data directory's disk full",
                    "acknowledged": 0,
                    "failed_loudly": 0,
                    "lost": 0,
                    "recovered": False,
                    "detail": f"not run: mounting a tmpfs failed ({done.stderr.strip()}); run as root",
                }
            ]
        try:
            return [scenario(mount, size_mb, extra=5 if quick else 20)]
        finally:
            with contextlib.suppress(OSError):
                subprocess.run(["umount", "--lazy", str(mount)], check=False, capture_output=True)


def table(rows: list[dict[str, Any]]) -> None:
    print(f"{'scenario':<40} {'acked':>6} {'loud':>5} {'lost':>5} {'recovered':>9}  detail")
    for r in rows:
        print(
            f"{r['scenario']:<40} {r['acknowledged']:>6} {r['failed_loudly']:>5} "
            f"{r['lost']:>5} {r['recovered']!s:>9}  {r['detail']}"
        )


def reopen(bank: Path) -> dict[str, Any]:
    """Open the bank in a fresh process: which acknowledged cases are missing, whether a write
    and a recall work, and how many cases chromadb holds after a flush."""
    from agentroute.embeddings import HashingEmbedder
    from agentroute.memory import ChromaCaseStore

    emb = HashingEmbedder(dim=DIM)
    acked = (bank.parent / "acked.txt").read_text().split()
    with ChromaCaseStore(bank, emb) as store:
        lost = [cid for cid in acked if store.get(cid, namespace="ns") is None]
        again = _case(10**7)
        store.put(again, emb.embed([again.task])[0])
        [(hit, _)] = store.search(emb.embed([again.task])[0], namespace="ns", n=1)
        count = store.count(namespace="ns")
    return {"lost": lost, "recovered": hit.id == again.id, "count": count}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reopen", type=Path, help=argparse.SUPPRESS)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = ap.parse_args()
    if args.reopen:
        print(json.dumps(reopen(args.reopen)))
    else:
        table(run(quick=args.quick))
