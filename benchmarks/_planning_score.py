"""Scoring one planned request against its gold plan (no agent: the test runs it alone).

A predicted plan is a list of steps ``{"target", "query", "args", "depends_on"}`` (depends_on
as indices into the list). A gold plan is a list of ``{"targets", "keys", "depends_on"}``:
any of ``targets`` is right, every key must appear (case-insensitive) in the step's query or
arguments, ``depends_on`` indexes the gold steps. Steps are paired by the best one-to-one
assignment (order does not matter: independent parts may be planned in any order).
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

WRITE_TOOLS = frozenset(
    {
        "filesystem.write_file",
        "filesystem.edit_file",
        "filesystem.create_directory",
        "filesystem.move_file",
        "git.git_commit",
        "git.git_add",
        "git.git_reset",
        "git.git_create_branch",
        "git.git_checkout",
        "everything.toggle-simulated-logging",
        "everything.toggle-subscriber-updates",
    }
)
"""Tools that change something: planned for a request that only reads, they are a failure."""

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def normalise(text: str) -> str:
    """Lower case, thousands separators dropped ("299,792,458" == "299792458")."""
    return _THOUSANDS.sub("", text.lower())


def step_text(step: dict[str, Any]) -> str:
    args = step.get("args") or {}
    return normalise(f"{step.get('query', '')} {json.dumps(args, ensure_ascii=False)}")


def keys_present(step: dict[str, Any], keys: list[str]) -> bool:
    text = step_text(step)
    return all(normalise(k) in text for k in keys)


def answer_right(answer: str, keys: list[str]) -> bool:
    text = normalise(answer)
    return all(normalise(k) in text for k in keys)


def _assignments(n_gold: int, n_pred: int) -> Any:
    """Every one-to-one pairing of gold steps with predicted ones (None: unpaired)."""
    slots = list(range(n_pred)) + [None] * max(0, n_gold - n_pred)
    seen = set()
    for perm in itertools.permutations(slots, n_gold):
        if perm not in seen:
            seen.add(perm)
            yield perm


def score_plan(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Whole plan right (same number of steps, each gold step paired with a step to one of its
    targets, the dependencies the same under that pairing), the share of gold steps whose
    target is right, whether every step's key values are present, dependencies right."""
    if not gold:
        return {"plan_ok": not pred, "target_hits": 0, "steps": 0, "keys_ok": True,
                "deps_ok": not pred}  # fmt: skip
    best: tuple[int, int, int] = (-1, -1, -1)
    best_result: dict[str, Any] = {}
    if len(gold) > 7 or len(pred) > 7:  # too many to try every pairing: in order
        assignments: Any = [tuple(i if i < len(pred) else None for i in range(len(gold)))]
    else:
        assignments = _assignments(len(gold), len(pred))
    for perm in assignments:
        hits = [
            p is not None and pred[p]["target"] in g["targets"]
            for g, p in zip(gold, perm, strict=True)
        ]
        keys = [
            p is not None and keys_present(pred[p], g["keys"])
            for g, p in zip(gold, perm, strict=True)
        ]
        deps = [
            p is not None
            and {perm[d] for d in g["depends_on"]} == set(pred[p].get("depends_on", []))
            for g, p in zip(gold, perm, strict=True)
        ]
        rank = (sum(hits), sum(deps), sum(keys))
        if rank > best:
            best = rank
            best_result = {
                "plan_ok": len(pred) == len(gold) and all(hits) and all(deps),
                "target_hits": sum(hits),
                "steps": len(gold),
                "keys_ok": all(keys),
                "deps_ok": len(pred) == len(gold) and all(deps),
            }
    return best_result


def score_request(
    record: dict[str, Any], pred: list[dict[str, Any]], answer: str
) -> dict[str, Any]:
    """Every measure of one request: the plan's, the answer's, declining, write tools."""
    gold = record["steps"]
    out = score_plan(pred, gold)
    # a closing remark ("ok thanks": no gold steps, nothing to decline) planned with no step
    # is not a decline
    declined = not pred and bool(gold or record.get("decline"))
    gold_writes = any(set(g["targets"]) & WRITE_TOOLS for g in gold)
    out.update(
        decline=bool(record.get("decline")),
        declined=declined,
        answer_ok=(declined if record.get("decline") else answer_right(answer, record["answer"])),
        write_for_read=not record.get("decline")
        and not gold_writes
        and any(p["target"] in WRITE_TOOLS for p in pred),
        has_reference=any(g["depends_on"] for g in gold),
    )
    return out
