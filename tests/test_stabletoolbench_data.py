"""The external tool-retrieval set travels with its licence, its origin and its fixed split."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "data" / "stabletoolbench"


def test_licence_and_origin() -> None:
    assert "Apache License" in (FOLDER / "LICENSE").read_text()
    readme = (FOLDER / "README.md").read_text()
    assert "THUNLP-MT/StableToolBench" in readme and "Origin" in readme
    assert "aa4ed9f4737ad98bd706663f01d63623c3427812" in readme
    assert (REPO / "scripts" / "sample_stabletoolbench.py").is_file()


def test_tools_requests_gold_and_split() -> None:
    tools = [json.loads(line) for line in (FOLDER / "tools.jsonl").read_text().splitlines()]
    keys = {(t["provider"], t["api"]) for t in tools}
    assert len(keys) == len(tools) >= 2400
    requests = [json.loads(line) for line in (FOLDER / "requests.jsonl").read_text().splitlines()]
    assert len(requests) >= 600
    assert len({r["id"] for r in requests}) == len(requests)
    for r in requests:
        assert r["gold"] and all(tuple(g) in keys for g in r["gold"])
        even = hashlib.sha256(r["id"].encode()).digest()[0] % 2 == 0
        assert r["split"] == ("train" if even else "test")
    train = sum(r["split"] == "train" for r in requests)
    assert 0.4 < train / len(requests) < 0.6
