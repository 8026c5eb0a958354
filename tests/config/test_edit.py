"""``agentroute kb add``/``rm`` edit agentroute.toml: comments kept, paths relative to the
file, the result loads, a broken file is reported and left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute.config import ConfigError, load_config
from agentroute.config._edit import add_knowledge, remove_knowledge


def test_add_then_remove_keeps_the_rest(tmp_path: Path) -> None:
    config = tmp_path / "agentroute.toml"
    config.write_text('# mine\n[agent]\nname = "a"  # short\n')
    (tmp_path / "docs").mkdir()
    add_knowledge(config, "docs", [str(tmp_path / "docs"), "/elsewhere/*.md"], "Our docs.")
    loaded = load_config(config)
    assert loaded.knowledge["docs"].documents == [tmp_path / "docs", Path("/elsewhere/*.md")]
    assert 'documents = ["docs", "/elsewhere/*.md"]' in config.read_text()
    with pytest.raises(ConfigError, match="already configured"):
        add_knowledge(config, "docs", ["docs"])
    remove_knowledge(config, "docs")
    assert config.read_text().startswith('# mine\n[agent]\nname = "a"  # short\n')
    assert load_config(config).knowledge == {}
    with pytest.raises(ConfigError, match="no knowledge base 'docs'"):
        remove_knowledge(config, "docs")


def test_a_new_file_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths on the command line are the shell's: relative to the working directory."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "agentroute.toml"
    add_knowledge(config, "notes", ["notes.md"])
    assert load_config(config).knowledge["notes"].documents == [tmp_path / "notes.md"]


def test_a_broken_file_is_reported_not_edited(tmp_path: Path) -> None:
    config = tmp_path / "agentroute.toml"
    config.write_text("[agent]\nnmae = 'typo'\n")
    with pytest.raises(ConfigError, match="nmae"):
        add_knowledge(config, "notes", ["notes.md"])
    assert config.read_text() == "[agent]\nnmae = 'typo'\n"


def test_knowledge_knobs_are_validated(tmp_path: Path) -> None:
    """chunk_chars, top_k, min_similarity and where are settings of a base, checked where
    they are written."""
    config = tmp_path / "agentroute.toml"
    config.write_text(
        "[knowledge.docs]\ndocuments = ['d']\nchunk_chars = 900\ntop_k = 5\n"
        "min_similarity = 0.4\nwhere = { section = 'admin' }\n"
    )
    kb = load_config(config).knowledge["docs"]
    assert (kb.chunk_chars, kb.top_k, kb.min_similarity, kb.where) == (
        900,
        5,
        0.4,
        {"section": "admin"},
    )
    config.write_text("[knowledge.docs]\ndocuments = ['d']\nchunk_chars = 10\n")
    with pytest.raises(ConfigError, match=r"agentroute.toml:3 \[knowledge.docs.chunk_chars\]"):
        load_config(config)
