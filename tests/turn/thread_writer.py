"""One OS process writing turns to a thread store (``tests/turn/test_thread_stores.py`` runs
two at once): ``python thread_writer.py STORE WRITER TURNS``. Waits for ``STORE``'s go file
(``GO`` in the environment) so both start together, then prints each acknowledged turn."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from agentroute import Agent
from agentroute.testing import FunctionTarget, OneStepPlanner


def main(store: str, writer: str, turns: int) -> None:
    echo = FunctionTarget("echo", lambda q, _: f"echo {q}")
    with Agent(targets=[echo], planner=OneStepPlanner("echo"), threads=store) as agent:
        go = Path(os.environ["GO"])
        while not go.exists():  # both writers start their turns together
            time.sleep(0.01)
        for i in range(turns):
            thread = f"{writer}-{i % 3}"  # a few threads each, turns interleaved
            result = agent.run(f"{writer} turn {i}", thread=thread)
            assert f"echo {writer} turn {i}" in result.answer, result.answer
            print(f"{thread} {writer} turn {i}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
