"""Smoke tests against a real OpenAI-compatible server (llama-cpp-python + Gemma 3 270M).

They pin down what the LLM planner can rely on from a weak local model behind the OpenAI API:
plain chat works; asking for structured output gives a parsed object, None or one of a known
set of errors (never hangs, never kills the server); and llama-cpp-python's grammar-constrained
`response_format={"type": "json_object", "schema": ...}` yields schema-valid JSON whenever the
schema bounds its own size (maxItems/maxLength), so even a 270M model can return a valid (if
dumb) plan. Unbounded schemas let the model loop (e.g. a string of digits) until max_tokens.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import httpx
import jsonschema
import openai
import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentroute.types import Plan

pytestmark = pytest.mark.slow

# What a structured-output attempt may raise on a weak model or a partial OpenAI server (this
# one answers an unsupported request field with a 500). A connection error or a hang is a real
# failure, and so is a server that stops answering afterwards.
STRUCTURED_OUTPUT_ERRORS: tuple[type[BaseException], ...] = (
    OutputParserException,
    ValidationError,
    json.JSONDecodeError,
    openai.APIStatusError,
    openai.LengthFinishReasonError,
    openai.ContentFilterFinishReasonError,
)

StructuredMethod = Literal["function_calling", "json_mode", "json_schema"]

PLANNER_SYSTEM = (
    "You are a planner. Split the user's request into steps and pick a target for each. "
    "Targets: time.get_current_time (tool), docs (knowledge base), coder (expert model). "
    "Answer with JSON only."
)
PLANNER_REQUEST = "What time is it in Tokyo, and how do I reverse a list in Python?"


class RouteChoice(BaseModel):
    """A minimal routed step: the target must be one of the listed names."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["time.get_current_time", "docs", "coder"]
    query: str = Field(min_length=1, max_length=60)


class RoutedPlan(BaseModel):
    """Bounded in size, so its grammar always ends within MAX_BOUNDED_PLAN_TOKENS."""

    model_config = ConfigDict(extra="forbid")

    steps: list[RouteChoice] = Field(min_length=1, max_length=3)


# At most ~3 * (60 + 45) + 15 characters, and a token is at least one character.
MAX_BOUNDED_PLAN_TOKENS = 400


def chat_model(server: Any, max_tokens: int = 256) -> ChatOpenAI:
    model = server.chat_model(max_tokens=max_tokens)
    assert isinstance(model, ChatOpenAI)
    return model


def planner_messages() -> list[SystemMessage | HumanMessage]:
    return [SystemMessage(PLANNER_SYSTEM), HumanMessage(PLANNER_REQUEST)]


def test_models_endpoint_lists_the_alias(openai_server: Any) -> None:
    response = httpx.get(f"{openai_server.base_url}/models", timeout=10)
    response.raise_for_status()
    assert openai_server.model in [model["id"] for model in response.json()["data"]]


def test_chat_completion_returns_text(openai_server: Any) -> None:
    message = chat_model(openai_server, max_tokens=32).invoke(
        "Reply with one short sentence: what is the capital of France?"
    )
    assert isinstance(message.content, str)
    assert message.content.strip()
    assert message.usage_metadata is not None
    assert 0 < message.usage_metadata["output_tokens"] <= 32


def test_openai_max_completion_tokens_is_ignored_by_this_server(openai_server: Any) -> None:
    """Why `OpenAIServer.chat_model` sends `max_tokens` in the body: the OpenAI-style field is not
    honoured. If this ever fails, llama-cpp-python learned `max_completion_tokens`."""
    response = httpx.post(
        f"{openai_server.base_url}/chat/completions",
        json={
            "model": openai_server.model,
            "messages": [{"role": "user", "content": "Count from 1 to 100, one per line."}],
            "max_completion_tokens": 4,
            "max_tokens": 24,
            "temperature": 0.0,
        },
        timeout=300,
    )
    response.raise_for_status()
    assert response.json()["usage"]["completion_tokens"] > 4


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_structured_output_parses_or_raises_a_known_error(
    openai_server: Any, method: StructuredMethod, record_property: Any
) -> None:
    """The planner's contract with a weak model: a Plan, None or an error it can catch."""
    structured = chat_model(openai_server, max_tokens=128).with_structured_output(
        Plan, method=method
    )
    try:
        result = structured.invoke(planner_messages())
    except STRUCTURED_OUTPUT_ERRORS as error:
        outcome = f"raised {type(error).__name__}"
    else:
        assert result is None or isinstance(result, Plan)
        outcome = "returned None" if result is None else f"parsed {len(result.steps)} steps"
    record_property("outcome", outcome)
    print(f"with_structured_output(method={method!r}): {outcome}")
    # Whatever the model produced, the server must still serve the next turn.
    assert httpx.get(f"{openai_server.base_url}/models", timeout=10).status_code == 200


def test_openai_json_schema_response_format_is_rejected(openai_server: Any) -> None:
    """llama-cpp-python's server accepts only `text`/`json_object`: OpenAI's `json_schema` is a 500.

    langchain-openai's default `with_structured_output` method sends exactly this, so a planner
    pointed at this server must use `json_object` + `schema` (below) or function calling.
    """
    with pytest.raises(openai.InternalServerError, match="json_object"):
        chat_model(openai_server).with_structured_output(RoutedPlan, method="json_schema").invoke(
            planner_messages()
        )


def test_grammar_constrained_bounded_schema_is_always_valid(openai_server: Any) -> None:
    """`response_format={"type": "json_object", "schema": ...}` compiles the schema to a grammar."""
    schema = RoutedPlan.model_json_schema()
    model = chat_model(openai_server, max_tokens=MAX_BOUNDED_PLAN_TOKENS).bind(
        response_format={"type": "json_object", "schema": schema}
    )
    message = model.invoke(planner_messages())
    assert isinstance(message.content, str)
    assert message.response_metadata.get("finish_reason") == "stop", message.content
    document = json.loads(message.content)
    jsonschema.validate(document, schema)
    plan = RoutedPlan.model_validate(document)
    print(f"grammar-constrained plan: {plan.model_dump_json()}")
