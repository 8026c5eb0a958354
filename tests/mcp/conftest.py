"""Puts this folder on sys.path so tests can import ``mcp_support`` (importlib import mode)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mcp_support import http_server

__all__ = ["http_server"]
