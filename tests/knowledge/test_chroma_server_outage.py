"""A Chroma server that is down (issue 15 item 6, issue 18's faults): opening a base on it says
which address failed and what to do; a server lost mid-session fails the step, not the session,
and the same base answers again once the server is back."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, ChromaServer, ChromaServerError, Document
from tests.chroma_server import ChromaProcess, free_port

DOCS = [
    Document(id="quux", title="Quux keys", text="The quux signing keys are rotated every 90 days."),
    Document(id="frob", title="Frobnicator", text="Restart the frobnicator with frobctl go."),
]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ChromaProcess]:
    """A server of this test's own, to stop and start again."""
    server = ChromaProcess(tmp_path / "server").start()
    try:
        yield server
    finally:
        server.stop()


def test_a_server_that_is_not_there_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ChromaServerError) as info:
        ChromaKnowledgeBase("ops", tmp_path, HashingEmbedder(), server=ChromaServer(url=url))
    message = str(info.value)
    assert url in message and "chroma run" in message and "chroma_url" in message
    assert not (tmp_path / "chroma.sqlite3").exists()  # nothing fell back to disk


async def test_a_server_lost_mid_session_fails_the_step_then_serves_again(
    own_server: ChromaProcess, tmp_path: Path
) -> None:
    kb = ChromaKnowledgeBase(
        "ops", tmp_path, HashingEmbedder(), server=ChromaServer(url=own_server.url)
    )
    kb.add(DOCS)
    assert (await kb.invoke("s1", "quux signing keys rotated", None, timeout=30)).ok

    own_server.stop()
    down = await kb.invoke("s2", "quux signing keys rotated", None, timeout=30)
    assert not down.ok
    assert own_server.url in (down.error or "") and "cannot be reached" in (down.error or "")
    health = await kb.health()
    assert not health.ok and own_server.url in health.detail
    with pytest.raises(ChromaServerError, match="cannot be reached"):
        kb.probe("frobnicator restart")

    own_server.start()  # same port, same data
    back = await kb.invoke("s3", "restart the frobnicator", None, timeout=30)
    assert back.ok, back.error
    assert [s.ref for s in back.sources] == ["frob"] and kb.count() == 2


def test_removing_a_base_from_a_server_that_is_down_is_an_error(tmp_path: Path) -> None:
    server = ChromaServer(url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ChromaServerError, match="cannot be reached"):
        ChromaKnowledgeBase.destroy("ops", tmp_path, server)


async def test_a_hung_server_fails_the_call_within_its_timeout(
    own_server: ChromaProcess, tmp_path: Path
) -> None:
    kb = ChromaKnowledgeBase(
        "ops", tmp_path, HashingEmbedder(), server=ChromaServer(url=own_server.url, timeout_s=2)
    )
    kb.add(DOCS)
    assert own_server.process is not None
    pid = own_server.process.pid
    os.kill(pid, signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        hung = await kb.invoke("s1", "quux signing keys rotated", None, timeout=30)
        assert not hung.ok and "no answer within 2 s" in (hung.error or ""), hung.error
        fresh = ChromaServer(url=own_server.url, database="elsewhere", timeout_s=2)
        with pytest.raises(ChromaServerError, match="no answer within 2 s"):
            ChromaKnowledgeBase("other", tmp_path, HashingEmbedder(), server=fresh)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert (await kb.invoke("s2", "quux signing keys rotated", None, timeout=30)).ok
