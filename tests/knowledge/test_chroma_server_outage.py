"""A Chroma server that is down (issue 15 item 6, issue 18's faults): opening a base on it says
which address failed and what to do; a server lost mid-session fails the step, not the session,
and the same base answers again once the server is back."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

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


class _Guarded(BaseHTTPRequestHandler):
    """A loopback stand-in for a Chroma server behind token auth: its heartbeat answers, every
    other request is refused as Chroma refuses it; the Authorization headers are kept."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Guarded.seen.append(self.headers.get("Authorization", ""))
        if self.path == "/api/v2/heartbeat":
            self._answer(200, {"nanosecond heartbeat": 1})
        else:
            self._answer(401, {"error": "AuthorizationError", "message": "Unauthorized"})

    def _answer(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def guarded_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Guarded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_refused_token_is_named_not_a_traceback(
    guarded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTROUTE_TEST_CHROMA_TOKEN", "wrong-token")
    server = ChromaServer(url=guarded_url, token_env="AGENTROUTE_TEST_CHROMA_TOKEN")
    with pytest.raises(ChromaServerError) as info:
        ChromaKnowledgeBase("ops", tmp_path, HashingEmbedder(), server=server)
    message = str(info.value)
    assert guarded_url in message and "refused the request (401)" in message
    assert "AGENTROUTE_TEST_CHROMA_TOKEN" in message and "wrong-token" not in message
    assert _Guarded.seen and set(_Guarded.seen) == {"Bearer wrong-token"}
