"""One OS process writing turns to a thread store (``tests/turn/test_thread_stores.py`` runs
several at once): ``python thread_writer.py STORE WRITER TURNS``. Says ``ready`` once imported,
then waits for the go file (``GO`` in the environment) so that all open the store and write
their turns together, and prints each acknowledged turn."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from agentroute import Agent
from agentroute.testing import FunctionTarget, OneStepPlanner


def main(store: str, writer: str, turns: int) -> None:
    echo = FunctionTarget("echo", lambda q, _: f"echo {q}")
    print("ready", flush=True)
    go = Path(os.environ["GO"])
    while not go.exists():
        time.sleep(0.005)
    with Agent(targets=[echo], planner=OneStepPlanner("echo"), threads=store) as agent:
        for i in range(turns):
            thread = f"{writer}-{i % 3}"  # a few threads each, turns interleaved
            result = agent.run(f"{writer} turn {i}", thread=thread)
            assert f"echo {writer} turn {i}" in result.answer, result.answer
            print(f"{thread} {writer} turn {i}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
