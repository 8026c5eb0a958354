"""Puts this folder on sys.path so tests can import ``openai_stub`` (importlib import mode)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
