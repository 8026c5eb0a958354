"""Suite-wide guard: the project carries what it needs and never reads the ``shared`` folder beside the repository (the
team's reading material, present only on development machines). The guard is one audit hook,
installed here for the test process and, through ``PYTHONPATH``, in every Python subprocess a
test starts (examples, the CLI, MCP servers that inherit the environment)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GUARD = Path(__file__).resolve().parent / "_guard"

os.environ["AGENTROUTE_FORBIDDEN_DIR"] = str(SHARED)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(GUARD), os.environ.get("PYTHONPATH", "")) if p
)
_spec = importlib.util.spec_from_file_location("_shared_guard", GUARD / "sitecustomize.py")
assert _spec is not None and _spec.loader is not None
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))  # installs the audit hook
