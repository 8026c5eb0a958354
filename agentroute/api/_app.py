"""The OpenAI-compatible HTTP app (Starlette): ``POST /v1/chat/completions`` (plain or a
server-sent event stream), ``GET /v1/models`` (the agent as the one model), and two routes of
our own: a thread's history and the answer to a pending approval.

One agent per worker process, started by the app's lifespan; the threads live in the
configured thread store, so any worker continues any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from agentroute._agent import Agent
from agentroute._log import get_logger
from agentroute.api._conversation import Conversations, Outcome
from agentroute.api._errors import ApiError, error_body
from agentroute.api._messages import Conversation, parse_request
from agentroute.api._responses import answer_text, chunk, completion, metadata, progress, sse
from agentroute.api._settings import ApiSettings
from agentroute.observability import enable_metrics, metrics_text
from agentroute.observability._metrics import CONTENT_TYPE
from agentroute.turn._locks import ThreadBusyError, ThreadLocks
from agentroute.turn._sqlite_threads import SqliteThreads

__all__ = ["THREAD_HEADER", "app_from_environment", "create_app"]

log = get_logger(__name__)

THREAD_HEADER = "X-Agentroute-Thread"
KEEPALIVE_S = 15.0
"""A streaming client hears at least this often (an SSE comment) while a turn runs."""


def load_agent(settings: ApiSettings) -> tuple[Agent, Path]:
    """The configured agent (or the embedded default) and its data directory."""
    from agentroute.config import Config, find_config, load_config

    path = settings.config_path() or find_config()
    config = load_config(path) if path is not None else Config()
    if settings.data_dir is not None:  # --data-dir wins over the file's, as in every command
        config.agent.data_dir = Path(settings.data_dir)
    elif path is None:
        config.agent.data_dir = Path(".agentroute")
    overrides: dict[str, Any] = {} if settings.memory else {"memory": None}
    from agentroute.build import parts_from_config

    return Agent._from_parts(parts_from_config(config, **overrides)), Path(config.agent.data_dir)


class _Api:
    def __init__(self, settings: ApiSettings, agent: Agent | None = None) -> None:
        self.settings = settings
        self.token = settings.token()
        self.agent = agent
        self.conversations: Conversations | None = None
        self.started = int(time.time())
        self.tasks: set[asyncio.Task[Any]] = set()

    # -- lifecycle ----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        locks = ThreadLocks(Path(self.settings.data_dir or ".agentroute") / "api" / "locks")
        async with locks.hold("<start-up>", timeout_s=600):  # one worker starts at a time
            if self.agent is None:  # (the first creates the data directory's bases: alone)
                self.agent, data_dir = load_agent(self.settings)
                locks = ThreadLocks(data_dir / "api" / "locks")
            await self.agent.astart()
            await _relax_sqlite_sync(self.agent)
        self.conversations = Conversations(self.agent, locks, self.settings.thread_wait_s)
        log.info("api.started", agent=self.agent.name, workers=self.settings.workers)
        try:
            yield
        finally:
            if self.tasks:  # turns whose clients left: let them reach their checkpoint
                await asyncio.wait(self.tasks, timeout=30)
            await self.agent.aclose()

    # -- checks -------------------------------------------------------------------------

    def authorize(self, request: Request) -> None:
        if self.token is None:
            return
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip(), self.token):
            raise ApiError(
                401,
                "missing or incorrect bearer token (Authorization: Bearer <token>)",
                code="invalid_api_key",
            )

    @property
    def name(self) -> str:
        assert self.agent is not None
        return self.agent.name

    def check_model(self, model: str) -> None:
        if model != self.name:
            raise ApiError(
                404,
                f"model {model!r} does not exist; this server serves {self.name!r} (GET /v1/models)",
                code="model_not_found",
                param="model",
            )

    # -- routes -------------------------------------------------------------------------

    async def models(self, request: Request) -> Response:
        self.authorize(request)
        model = {
            "id": self.name,
            "object": "model",
            "created": self.started,
            "owned_by": "agentroute",
        }
        return JSONResponse({"object": "list", "data": [model]})

    async def metrics(self, request: Request) -> Response:
        """Prometheus counters, every worker's summed (behind the same token as the API)."""
        self.authorize(request)
        return Response(metrics_text(), media_type=CONTENT_TYPE)

    async def chat(self, request: Request) -> Response:
        self.authorize(request)
        body = parse_request(await request.body())
        self.check_model(body.model)
        conversation = Conversation.of(body)
        thread = request.headers.get(THREAD_HEADER) or None
        said = (body.metadata or {}).get("thread_id")
        if thread and said and thread != said:
            raise ApiError(
                400,
                f"{THREAD_HEADER} ({thread!r}) and metadata.thread_id ({said!r}) differ",
                param="metadata.thread_id",
            )
        thread = _checked_thread(thread or said)
        request_id = "chatcmpl-" + uuid.uuid4().hex[:24]
        if body.stream:
            return self._stream(conversation, thread, request_id)
        outcome = await self._shielded(lambda on: self._complete(conversation, thread, on), None)
        return JSONResponse(
            completion(outcome, request_id=request_id, model=self.name),
            headers={THREAD_HEADER: outcome.thread},
        )

    async def thread(self, request: Request) -> Response:
        self.authorize(request)
        assert self.agent is not None
        thread = _checked_thread(request.path_params["thread"])
        assert thread is not None
        snap = await self.agent.athread(thread)
        if not snap.exists:
            raise ApiError(404, f"no thread {thread!r}", code="thread_not_found")
        return JSONResponse(
            {
                "thread": thread,
                "history": [{"request": r, "answer": a} for r, a in snap.history],
                "pending_approval": snap.pending is not None,
                "unfinished": snap.unfinished,
                "next": list(snap.next),
            }
        )

    async def approval(self, request: Request) -> Response:
        """``{"approve": true|false}`` answers the thread's pending call; the reply is the
        chat completion of the turn that goes on."""
        self.authorize(request)
        thread = _checked_thread(request.path_params["thread"])
        assert thread is not None
        try:
            raw = await request.json()
        except ValueError:
            raise ApiError(400, "the request body is not JSON") from None
        approve = raw.get("approve") if isinstance(raw, dict) else None
        if not isinstance(approve, bool):
            raise ApiError(400, "approve: must be true or false", param="approve")
        conversation = Conversation(system="", exchanges=[], request="yes" if approve else "no")

        async def answer(on: Any) -> Outcome:
            return await self._complete(conversation, thread, on, approval=True)

        outcome = await self._shielded(answer, None)
        request_id = "chatcmpl-" + uuid.uuid4().hex[:24]
        return JSONResponse(completion(outcome, request_id=request_id, model=self.name))

    # -- turns --------------------------------------------------------------------------

    async def _complete(
        self, conversation: Conversation, thread: str | None, on: Any, *, approval: bool = False
    ) -> Outcome:
        assert self.conversations is not None and self.agent is not None
        try:  # on the agent's loop: one hand-over each way, not one per thread read and turn
            return await self.agent._loop.arun(
                self.conversations.complete(conversation, thread, on, approval=approval)
            )
        except ThreadBusyError as exc:
            raise ApiError(409, str(exc), code="thread_busy") from None

    async def _shielded(self, run: Callable[[Any], Awaitable[Outcome]], on_update: Any) -> Outcome:
        """The turn runs to its end even if the client goes away (its thread then holds it,
        and a retry gets it back instead of running it again)."""
        task = asyncio.ensure_future(run(on_update))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return await asyncio.shield(task)

    def _stream(self, conversation: Conversation, thread: str | None, request_id: str) -> Response:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

        def on_update(node: str, update: dict[str, Any]) -> None:  # on the agent's loop
            said = progress(node, update)
            if said is not None:
                loop.call_soon_threadsafe(queue.put_nowait, ("progress", said))

        task = asyncio.ensure_future(self._complete(conversation, thread, on_update))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        task.add_done_callback(lambda _: queue.put_nowait(("done", None)))
        created = int(time.time())
        name = self.name

        def frame(delta: dict[str, Any], finish: str | None = None, extra: Any = None) -> bytes:
            return sse(
                chunk(
                    request_id=request_id,
                    model=name,
                    created=created,
                    delta=delta,
                    finish_reason=finish,
                    extra=extra,
                )
            )

        async def events() -> AsyncIterator[bytes]:
            yield frame({"role": "assistant", "content": ""})
            while True:
                try:
                    kind, value = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if kind == "progress":
                    yield frame({}, extra=value)
                    continue
                break
            try:
                outcome = task.result()
            except ApiError as exc:
                yield sse(exc.body())
                return
            except Exception as exc:
                log.exception("api.turn_failed")
                yield sse(
                    error_body(f"the turn failed: {type(exc).__name__}: {exc}", type="server_error")
                )
                return
            for line in answer_text(outcome).splitlines(keepends=True):
                yield frame({"content": line})
            yield frame({}, "stop", metadata(outcome))
            yield sse("[DONE]")

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


async def _relax_sqlite_sync(agent: Agent) -> None:
    """Threads in SQLite: commit without an fsync each (WAL, ``synchronous=NORMAL``).

    A turn commits a checkpoint after every node, ~20 commits; with an fsync each (~10 ms on
    this machine's disk) several workers queue on SQLite's one writer and a 50-session load
    waits on the disk, not the agent. In WAL mode ``NORMAL`` loses nothing when a process
    dies (``kill -9`` included: the commit is in the OS's cache); only a power loss or an OS
    crash can roll back the last commits. Postgres (``[persistence] threads``) is untouched.
    """
    conn = getattr(agent, "_conn", None)
    if not isinstance(conn, SqliteThreads):
        return
    await agent._loop.arun(conn.execute("PRAGMA synchronous=NORMAL"))
    log.info("api.sqlite_sync", synchronous="NORMAL", journal="WAL")


def _checked_thread(thread: str | None) -> str | None:
    if thread is None:
        return None
    if not (0 < len(thread) <= 128) or not all(c.isalnum() or c in "._:-" for c in thread):
        raise ApiError(
            400,
            f"thread id {thread[:40]!r}: 1-128 letters, digits and . _ : - only",
            param="thread",
        )
    return thread


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kind = "not_found" if exc.status_code == 404 else None
    return JSONResponse(
        error_body(f"{request.method} {request.url.path}: {exc.detail}", code=kind),
        status_code=exc.status_code,
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("api.request_failed", path=request.url.path, error=repr(exc))
    return JSONResponse(
        error_body(f"internal error: {type(exc).__name__}: {exc}", type="server_error"),
        status_code=500,
    )


def create_app(settings: ApiSettings | None = None, *, agent: Agent | None = None) -> Starlette:
    """The app for ``settings`` (``agent``: serve this one instead of the configured one; the
    app starts and closes it)."""
    api = _Api(settings or ApiSettings(), agent)
    routes = [
        Route("/v1/models", api.models, methods=["GET"]),
        Route("/v1/chat/completions", api.chat, methods=["POST"]),
        Route("/v1/agentroute/threads/{thread}", api.thread, methods=["GET"]),
        Route("/v1/agentroute/threads/{thread}/approval", api.approval, methods=["POST"]),
        Route("/metrics", api.metrics, methods=["GET"]),
    ]
    enable_metrics()  # this worker counts its turns from now on
    return Starlette(
        routes=routes,
        lifespan=api.lifespan,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )


def app_from_environment() -> Starlette:
    """The app of a uvicorn worker: its settings from the environment (``ApiSettings``).

    A worker is our process, as the CLI is: start-up runs without automatic collections and
    the agent's start freezes what it built (``agentroute._runtime``). Otherwise each full
    collection under load walked the ~270k objects of the stack, ~175 ms holding the GIL,
    stalling every session of the worker."""
    from agentroute._runtime import pause_collection

    pause_collection()
    return create_app(ApiSettings.from_environment())
