"""``agentroute serve api`` end to end: OpenAI's client against a real server process, the real
turn graph, a real MCP tool server subprocess (calc) and the in-process units server, threads in
the data directory's SQLite."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from .conftest import TOKEN, TOKEN_ENV, ApiProcess, project


def client(server: ApiProcess, key: str = TOKEN, **kwargs: Any) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url, api_key=key, max_retries=0, timeout=120, **kwargs)


def meta(response: Any) -> dict[str, Any]:
    extra = response.model_extra or {}
    assert "agentroute" in extra, extra
    return dict(extra["agentroute"])


def ask(server: ApiProcess, messages: list[dict[str, str]], **kwargs: Any) -> Any:
    return client(server).chat.completions.create(model="helper", messages=messages, **kwargs)  # type: ignore[arg-type]


def history(server: ApiProcess, thread: str) -> dict[str, Any]:
    reply = httpx.get(
        f"{server.url}/agentroute/threads/{thread}",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def test_the_agent_is_the_model(server: ApiProcess) -> None:
    models = client(server).models.list()
    assert [m.id for m in models.data] == ["helper"]
    assert models.data[0].owned_by == "agentroute"


def test_a_completion_carries_routes_policy_and_cost(server: ApiProcess) -> None:
    response = ask(server, [{"role": "user", "content": "What is 17 * 23?"}])
    assert response.object == "chat.completion"
    assert response.id.startswith("chatcmpl-")
    choice = response.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert "391" in (choice.message.content or "")
    said = meta(response)
    assert said["how"] == "new" and said["thread"].startswith("chat-")
    [step] = said["steps"]
    assert step["target"] == "calc.calculate" and step["ok"]
    assert step["route"]["target"] == "calc.calculate" and step["route"]["reason"]
    assert step["policy"]["effect"] == "allow"
    assert said["cost_usd"] == 0.0 and said["pending_approval"] is None


def test_streaming_sends_openai_chunks_then_done(server: ApiProcess) -> None:
    stream = ask(server, [{"role": "user", "content": "What is 12 + 30?"}], stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "42" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    events = [(c.model_extra or {}).get("agentroute", {}).get("event") for c in chunks]
    assert "route" in events and "policy" in events and "call" in events  # shown as they happen
    assert meta(chunks[-1])["steps"][0]["target"] == "calc.calculate"
    assert len({c.id for c in chunks}) == 1

    raw = httpx.post(  # the wire itself: data lines of JSON, a blank line each, then [DONE]
        f"{server.url}/chat/completions",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={
            "model": "helper",
            "stream": True,
            "messages": [{"role": "user", "content": "What is 2 + 2?"}],
        },
        timeout=120,
    )
    assert raw.headers["content-type"].startswith("text/event-stream")
    frames = [f for f in raw.text.split("\n\n") if f]
    assert frames[-1] == "data: [DONE]"
    for frame in frames[:-1]:
        assert frame.startswith("data: ")
        assert json.loads(frame[6:])["object"] == "chat.completion.chunk"


def test_a_resent_history_continues_the_same_thread(server: ApiProcess) -> None:
    first = [{"role": "user", "content": "What is 17 * 23?"}]
    one = ask(server, first)
    thread = meta(one)["thread"]
    so_far = [*first, {"role": "assistant", "content": one.choices[0].message.content or ""}]
    two = ask(server, [*so_far, {"role": "user", "content": "divide that by 4"}])
    assert meta(two)["thread"] == thread and meta(two)["how"] == "new"
    assert "97.75" in (two.choices[0].message.content or "")  # read against the thread's last turn
    kept = history(server, thread)["history"]
    assert [h["request"] for h in kept][-2:] == ["What is 17 * 23?", "divide that by 4"]

    again = ask(server, [*so_far, {"role": "user", "content": "divide that by 4"}])  # a retry
    assert meta(again)["how"] == "replayed" and meta(again)["turn"] == meta(two)["turn"]
    assert len(history(server, thread)["history"]) == len(kept)  # not run twice


def test_an_explicit_thread_takes_only_the_new_message(server: ApiProcess) -> None:
    chat = client(server, default_headers={"X-Agentroute-Thread": "ops-42"})
    one = chat.chat.completions.create(
        model="helper", messages=[{"role": "user", "content": "What is 6 * 7?"}]
    )
    two = chat.chat.completions.create(
        model="helper", messages=[{"role": "user", "content": "multiply that by 2"}]
    )
    assert meta(one)["thread"] == meta(two)["thread"] == "ops-42"
    assert "84" in (two.choices[0].message.content or "")
    by_metadata = client(server).chat.completions.create(
        model="helper",
        messages=[{"role": "user", "content": "What is 1 + 1?"}],
        metadata={"thread_id": "ops-42"},
    )
    assert meta(by_metadata)["thread"] == "ops-42"
    assert len(history(server, "ops-42")["history"]) == 3


def test_a_wrong_or_missing_token_is_401_in_openais_shape(server: ApiProcess) -> None:
    with pytest.raises(openai.AuthenticationError) as wrong:
        client(server, key="not-the-token").models.list()
    assert wrong.value.status_code == 401
    assert wrong.value.code == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        client(server, key="nope").chat.completions.create(
            model="helper", messages=[{"role": "user", "content": "What is 1 + 1?"}]
        )
    bare = httpx.post(f"{server.url}/chat/completions", json={}, timeout=30)
    assert bare.status_code == 401
    assert bare.json()["error"]["code"] == "invalid_api_key"


def test_malformed_requests_are_clear_400s(server: ApiProcess) -> None:
    with pytest.raises(openai.BadRequestError) as missing:
        client(server).chat.completions.create(model="helper", messages=[])
    assert "messages" in str(missing.value)
    with pytest.raises(openai.BadRequestError) as role:
        client(server).chat.completions.create(
            model="helper",
            messages=[{"role": "wizard", "content": "hi"}],  # type: ignore[list-item,misc]
        )
    assert "messages.0.role" in str(role.value)
    with pytest.raises(openai.BadRequestError) as last:
        client(server).chat.completions.create(
            model="helper",
            messages=[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
        )
    assert "last message must be the user's" in str(last.value)
    with pytest.raises(openai.NotFoundError) as model:
        client(server).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert model.value.code == "model_not_found" and "helper" in str(model.value)
    garbled = httpx.post(
        f"{server.url}/chat/completions",
        headers={"Authorization": f"Bearer {TOKEN}"},
        content=b"{not json",
        timeout=30,
    )
    assert garbled.status_code == 400
    error = garbled.json()["error"]
    assert "not JSON" in error["message"] and error["type"] == "invalid_request_error"


def test_a_policy_ask_waits_for_the_clients_yes(server: ApiProcess) -> None:
    question = [{"role": "user", "content": "How many kilometres are 5 miles?"}]
    asked = ask(server, question)
    said = meta(asked)
    text = asked.choices[0].message.content or ""
    assert text.startswith("Approval needed: units.convert")
    assert said["pending_approval"]["target"] == "units.convert"
    assert said["pending_approval"]["rule"].endswith("ask.policy:3")
    thread = said["thread"]
    assert history(server, thread)["pending_approval"] is True

    so_far = [*question, {"role": "assistant", "content": text}]
    approved = ask(server, [*so_far, {"role": "user", "content": "yes"}])
    assert meta(approved)["how"] == "approved" and meta(approved)["thread"] == thread
    assert "8.04672" in (approved.choices[0].message.content or "")
    assert meta(approved)["steps"][0]["policy"]["effect"] == "allow"
    kept = history(server, thread)
    assert kept["pending_approval"] is False
    assert [h["request"] for h in kept["history"]] == ["How many kilometres are 5 miles?"]

    after = [*so_far, {"role": "user", "content": "yes"}]  # the conversation goes on after it
    after.append({"role": "assistant", "content": approved.choices[0].message.content or ""})
    more = ask(server, [*after, {"role": "user", "content": "What is 3 * 3?"}])
    assert meta(more)["thread"] == thread and "9" in (more.choices[0].message.content or "")


def test_an_approval_can_be_refused_through_its_endpoint(server: ApiProcess) -> None:
    chat = client(server, default_headers={"X-Agentroute-Thread": "refusal-1"})
    asked = chat.chat.completions.create(
        model="helper", messages=[{"role": "user", "content": "Convert 10 kg to lb"}]
    )
    assert meta(asked)["pending_approval"] is not None
    refused = httpx.post(
        f"{server.url}/agentroute/threads/refusal-1/approval",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"approve": False},
        timeout=120,
    )
    assert refused.status_code == 200, refused.text
    body = refused.json()
    assert body["agentroute"]["how"] == "refused"
    assert body["agentroute"]["steps"][0]["policy"]["effect"] == "deny"
    assert "human refused" in body["agentroute"]["steps"][0]["policy"]["reason"]
    again = httpx.post(
        f"{server.url}/agentroute/threads/refusal-1/approval",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"approve": True},
        timeout=60,
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "no_pending_approval"


def test_two_workers_serve_one_thread(tmp_path: Path) -> None:
    """Turn 1 on one worker; that worker stopped (SIGSTOP), so turn 2 can only be served by
    the other, which continues the thread from the shared store."""
    served = ApiProcess(project(tmp_path), "--workers", "2", "--token-env", TOKEN_ENV)
    try:
        served.wait_ready()
        first = [{"role": "user", "content": "What is 17 * 23?"}]
        one = ask(served, first)
        worker = meta(one)["worker"]
        os.kill(worker, signal.SIGSTOP)
        try:
            so_far = [
                *first,
                {"role": "assistant", "content": one.choices[0].message.content or ""},
            ]
            two = ask(served, [*so_far, {"role": "user", "content": "divide that by 4"}])
        finally:
            os.kill(worker, signal.SIGCONT)
        assert meta(two)["worker"] != worker
        assert meta(two)["thread"] == meta(one)["thread"]
        assert "97.75" in (two.choices[0].message.content or "")
        # /metrics sums the workers' counters (each served one turn), behind the same token
        metrics = f"{served.url.removesuffix('/v1')}/metrics"
        assert httpx.get(metrics, timeout=30).status_code == 401
        scraped = httpx.get(metrics, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        assert scraped.status_code == 200, scraped.text
        turns = [
            line
            for line in scraped.text.splitlines()
            if line.startswith("agentroute_turns_total{") and 'outcome="ok"' in line
        ]
        assert turns and float(turns[0].split()[-1]) == 2.0, scraped.text
    finally:
        served.stop()


def test_without_a_token_it_binds_to_loopback_only(tmp_path: Path) -> None:
    import subprocess
    import sys

    said = subprocess.run(
        [sys.executable, "-m", "agentroute", "serve", "api", "--host", "0.0.0.0"],
        cwd=project(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert said.returncode == 2
    assert "without --token-env" in said.stderr and "loopback only" in said.stderr
    unset = subprocess.run(
        [sys.executable, "-m", "agentroute", "serve", "api", "--token-env", "NO_SUCH_VARIABLE_42"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "NO_SUCH_VARIABLE_42"},
    )
    assert unset.returncode == 2 and "NO_SUCH_VARIABLE_42" in unset.stderr


def test_conversations_that_began_alike_go_their_own_ways(server: ApiProcess) -> None:
    first = [{"role": "user", "content": "What is 5 * 5?"}]
    a1 = ask(server, first)
    b1 = ask(server, first)  # another user, the same first question: the same answer
    assert meta(b1)["how"] == "replayed" and meta(b1)["thread"] == meta(a1)["thread"]
    so_far = [*first, {"role": "assistant", "content": a1.choices[0].message.content or ""}]
    a2 = ask(server, [*so_far, {"role": "user", "content": "multiply that by 2"}])
    b2 = ask(server, [*so_far, {"role": "user", "content": "divide that by 5"}])
    assert meta(a2)["thread"] == meta(a1)["thread"]
    assert meta(b2)["thread"] != meta(a1)["thread"]  # forked ...
    assert meta(b2)["forked_from"] == meta(a1)["thread"]  # ... from where they were the same
    assert "50" in (a2.choices[0].message.content or "")
    assert "25 / 5 = 5" in (b2.choices[0].message.content or "")  # the context came along
    b_so_far = [*so_far, {"role": "user", "content": "divide that by 5"}]
    b_so_far.append({"role": "assistant", "content": b2.choices[0].message.content or ""})
    b3 = ask(server, [*b_so_far, {"role": "user", "content": "What is 2 + 2?"}])
    assert meta(b3)["thread"] == meta(b2)["thread"]  # the fork is B's thread from now on
    assert [h["request"] for h in history(server, meta(a1)["thread"])["history"]] == [
        "What is 5 * 5?",
        "multiply that by 2",
    ]
    assert [h["request"] for h in history(server, meta(b2)["thread"])["history"]] == [
        "What is 5 * 5?",
        "divide that by 5",
        "What is 2 + 2?",
    ]


def test_data_dir_is_where_the_served_agent_keeps_its_threads(tmp_path: Path) -> None:
    """``serve api --data-dir`` wins over the file's data directory, as in every command."""
    served = ApiProcess(project(tmp_path), "--token-env", TOKEN_ENV, "--data-dir", "state")
    try:
        served.wait_ready()
        ask(served, [{"role": "user", "content": "What is 17 * 23?"}])
    finally:
        served.stop()
    assert (tmp_path / "state" / "threads.sqlite").exists()
    assert not (tmp_path / ".agentroute" / "threads.sqlite").exists()
