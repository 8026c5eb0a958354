"""A scripted expert model behind an OpenAI-compatible endpoint, with a stated latency: what the
load and fault campaigns use instead of a real LLM (whose speed on this machine would measure
llama.cpp, not the server under test).

Each call waits ``--latency`` seconds ± ``--jitter`` (deterministic per prompt), without using
the CPU, then answers with a short text naming the request. Run:
``python benchmarks/_scripted_expert.py --port 8790 --latency 0.4``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import time

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def delay(prompt: str, latency: float, jitter: float) -> float:
    fraction = int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return max(0.0, latency * (1 + jitter * (2 * fraction - 1)))


def make_app(latency: float, jitter: float) -> Starlette:
    async def completions(request: Request) -> JSONResponse:
        body = await request.json()
        prompt = str(body["messages"][-1]["content"])
        await asyncio.sleep(delay(prompt, latency, jitter))
        asked = " ".join(prompt.split())[-80:]
        text = f"Here is a short answer, written for: {asked}"
        return JSONResponse(
            {
                "id": "scripted",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "scripted"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 40, "completion_tokens": 20, "total_tokens": 60},
            }
        )

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.4)
    parser.add_argument("--jitter", type=float, default=0.25)
    args = parser.parse_args()
    uvicorn.run(
        make_app(args.latency, args.jitter), host="127.0.0.1", port=args.port, log_level="warning"
    )
