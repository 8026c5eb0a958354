"""Group commit: callers arriving while a write is in flight go out together in the next one,
and each returns only once its own item is written."""

from __future__ import annotations

import threading
import time

import pytest

from agentroute.memory._group_commit import GroupCommit

WAIT_S = 30.0
"""A bound on waiting for the threads (not a measurement)."""


def test_callers_queued_behind_a_write_share_the_next_one() -> None:
    batches: list[list[int]] = []
    release = threading.Event()
    first_in = threading.Event()

    def write(items: list[int]) -> None:
        if not batches:
            first_in.set()
            assert release.wait(WAIT_S)
        batches.append(items)

    commits: GroupCommit[int] = GroupCommit(write)
    returned: list[int] = []
    first = threading.Thread(target=lambda: (commits.submit(0), returned.append(0)))
    first.start()
    assert first_in.wait(WAIT_S)
    others = [
        threading.Thread(target=lambda i=i: (commits.submit(i), returned.append(i)))  # type: ignore[misc]
        for i in range(1, 6)
    ]
    for t in others:
        t.start()
    deadline = time.monotonic() + WAIT_S
    while len(commits._queue) < 5:  # all five queued behind the blocked write
        assert first.is_alive() and time.monotonic() < deadline
        time.sleep(0.01)
    assert returned == []  # nobody returns before its item is written
    release.set()
    for t in [first, *others]:
        t.join(WAIT_S)
    assert batches[0] == [0]
    assert sorted(batches[1]) == [1, 2, 3, 4, 5] and len(batches) == 2
    assert sorted(returned) == [0, 1, 2, 3, 4, 5]
    assert commits.batches == 2


def test_a_failed_write_fails_every_caller_in_it() -> None:
    def write(items: list[int]) -> None:
        raise OSError("server gone")

    commits: GroupCommit[int] = GroupCommit(write)
    with pytest.raises(OSError, match="server gone"):
        commits.submit(1)
    assert commits.batches == 0
