"""Processes opening one new embedded Chroma store at once (two chats started together in a
new data directory): chromadb's first opening creates the store's tables, and two processes
running that creation at once stopped one with 'table collections already exists'. The race
is narrow, so several rounds of four processes are opened together."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

ROUNDS = 4
PROCESSES = 4


def _open(path: str) -> str:
    try:
        from agentroute._chroma_client import chroma_client

        chroma_client(Path(path)).get_or_create_collection("cases")
    except Exception as exc:  # what the process met, to be shown by the assertion
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_processes_opening_one_new_store_at_once_all_open_it(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, as two chats
    with context.Pool(PROCESSES) as pool:
        for round_ in range(ROUNDS):
            store = tmp_path / f"store-{round_}"
            results = pool.map(_open, [str(store)] * PROCESSES)
            assert results == ["ok"] * PROCESSES, results
