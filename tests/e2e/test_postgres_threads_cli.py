"""``agentroute chat`` with its threads on a real Postgres server that goes away mid-session:
the turn it catches fails with the server named, the chat goes on, and once the server is back
the next turn is answered and the thread holds every acknowledged turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres_server import PostgresProcess, database_for_test

from .conftest import Chat


def test_chat_survives_its_thread_store_going_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = PostgresProcess().start()
    chat = None
    try:
        monkeypatch.setenv("AGENTROUTE_THREADS_URL", database_for_test(pg.url))
        (tmp_path / "agentroute.toml").write_text(
            '[persistence]\nthreads = "postgres"\npostgres_url_env = "AGENTROUTE_THREADS_URL"\n'
            "postgres_timeout_s = 2\n"
        )
        chat = Chat(tmp_path, "--thread", "t-pg")
        chat.read_until("agentroute chat")
        chat.send("What is 6 * 7?")
        assert "42" in chat.read_until(", turn ")
        pg.stop()
        chat.send("What is 2 * 3?")
        failed = chat.read_until("that turn failed")
        assert "PostgresError" in failed and f"127.0.0.1:{pg.port}/" in failed
        assert "postgres_url_env = AGENTROUTE_THREADS_URL" in failed
        chat.send("/history")
        assert f"127.0.0.1:{pg.port}/" in chat.read_until("that failed")
        pg.start()
        chat.send("What is 5 * 5?")
        assert "25" in chat.read_until(", turn ")
        chat.send("/history")
        shown = chat.read_until("What is 5 * 5?")
        assert "What is 6 * 7?" in shown and "What is 2 * 3?" not in shown
        assert "resume with: agentroute chat --thread t-pg" in chat.close()
        chat = None
    finally:
        if chat is not None:
            chat.kill()
        pg.close()
