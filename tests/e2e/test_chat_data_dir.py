"""``agentroute chat`` keeps its log beside the agent's data: the configured data directory,
not a ``.agentroute`` made in whatever folder the chat was started from."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Chat


def test_the_chat_log_goes_to_the_configured_data_dir(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text('[agent]\ndata_dir = "state"\n')
    sub = tmp_path / "work"
    sub.mkdir()
    chat = Chat(sub)
    chat.read_until("agentroute chat")
    chat.send("What is 6 * 7?")
    assert "42" in chat.read_until(", turn ", timeout=120)
    assert "resume with" in chat.close()
    assert (tmp_path / "state" / "chat.log").is_file()
    assert not (sub / ".agentroute").exists()
