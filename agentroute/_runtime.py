"""A private event loop on a background thread, where every turn and MCP session lives.

MCP sessions are bound to the loop (and task) that opened them, so the sync and async entry
points both hand their work to this one loop: the sessions stay open across turns, and
``Agent.run`` gets the same true parallelism as ``Agent.arun``.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["LoopThread", "release_memory", "skip_final_collection"]

T = TypeVar("T")


def release_memory() -> None:
    """Hand freed heap back to the OS (glibc only; a no-op elsewhere).

    Embedding batches run on several threads, and each thread's malloc arena keeps its peak
    allocation after the arrays are freed: an idle chat would hold ~60 MB it no longer uses.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


_skipping = False
_paused = False


def pause_collection() -> None:
    """Start up without Python's automatic garbage collections.

    Importing the stack and building an agent makes hundreds of thousands of objects that live
    as long as the process (modules, pydantic schemas, the turn graph), and every automatic full
    collection on the way walks all of them again: ~15% of a one-shot run's CPU. The
    collector resumes (``resume_collection``) once the agent has started; a command that
    starts none exits with it paused. Only a process that is ours calls it (the CLI): a program
    that imports agentroute keeps its collector as it set it.
    """
    global _paused
    if not _paused and gc.isenabled():
        _paused = True
        gc.disable()


def resume_collection() -> None:
    """Start-up is over: move what it built out of the collector's reach (``gc.freeze``; it
    lives as long as the process) and collect again, so the collections of a long chat or a
    server walk only what turns allocate. A no-op unless ``pause_collection`` paused it."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def skip_final_collection() -> None:
    """At interpreter exit, leave the heap to the OS instead of collecting it.

    Python's last garbage collections walk every object the stack has made (pydantic models,
    LangChain runnables, chromadb, the turn graph): seconds of CPU after the answer is printed,
    only to free memory the OS is about to reclaim anyway. ``gc.freeze`` as an exit hook moves
    the heap out of the collector's reach; every exit hook still runs. Nothing is lost: what
    holds data is flushed and closed explicitly (``Agent.close``: the case bank's write-behind,
    the thread store), not left to a collector's finaliser. Only a process that is ours calls
    it (the CLI, a served tool): in a program that imports agentroute, the heap is the
    program's, and its objects' finalisers must run as it expects.
    """
    global _skipping
    if not _skipping:
        _skipping = True
        atexit.register(gc.freeze)


class LoopThread:
    SETTLE_S = 10.0
    """How long ``run`` waits for a coroutine it cancelled to finish unwinding (a hang guard)."""

    def __init__(self, name: str = "agentroute-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run on the loop and wait (from any thread but the loop's own).

        If the wait ends first (Ctrl-C in the caller, ``timeout``), the coroutine is cancelled
        and given up to ``SETTLE_S`` to unwind before the exception goes on: an abandoned turn
        must not keep calling tools behind the caller's back, nor still write its thread when
        the next turn starts.
        """
        if self.in_loop():
            coro.close()
            raise RuntimeError("LoopThread.run called from inside its own loop; await instead")
        done = threading.Event()
        tasks: list[asyncio.Task[T]] = []

        def start() -> None:
            task = self.loop.create_task(coro)
            task.add_done_callback(lambda _: done.set())
            tasks.append(task)

        self.loop.call_soon_threadsafe(start)
        try:
            if not done.wait(timeout):
                raise TimeoutError(f"no result within {timeout} s")
        except BaseException:
            # FIFO: ``start`` has run by the time this callback does, so the task exists.
            self.loop.call_soon_threadsafe(lambda: tasks[0].cancel())
            done.wait(self.SETTLE_S)
            raise
        return tasks[0].result()

    async def arun(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await from any event loop, including this one."""
        if self.in_loop():
            return await coro
        return await asyncio.wrap_future(self.submit(coro))

    def in_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()
