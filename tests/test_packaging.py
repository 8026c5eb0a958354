"""pyproject lists packages explicitly (tools/ ships as agentroute_tools): the list must be whole."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "agentroute").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    found.add("agentroute_tools")
    assert found == listed
