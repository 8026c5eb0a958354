"""Argument filling without an LLM, on the real schemas of the official MCP servers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentroute.text import ArgumentFillError, fill_arguments, validate_arguments

TODAY = dt.date(2026, 11, 25)
UTC_NOTE = "Use 'Etc/UTC' as local timezone if no timezone provided by the user."

# fmt: off
# Schemas as mcp-server-time / mcp-server-git / server-filesystem / server-everything report them.
GET_TIME = {"type": "object", "required": ["timezone"], "properties": {
    "timezone": {"type": "string", "description": f"IANA timezone name (e.g., 'America/New_York'). {UTC_NOTE}"}}}
CONVERT_TIME = {"type": "object", "required": ["source_timezone", "time", "target_timezone"], "properties": {
    "source_timezone": {"type": "string", "description": f"Source IANA timezone name. {UTC_NOTE}"},
    "time": {"type": "string", "description": "Time to convert in 24-hour format (HH:MM)"},
    "target_timezone": {"type": "string", "description": f"Target IANA timezone name. {UTC_NOTE}"}}}
GIT_LOG = {"type": "object", "required": ["repo_path"], "properties": {
    "repo_path": {"type": "string"}, "max_count": {"default": 10, "type": "integer"},
    "start_timestamp": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None,
                        "description": "Start timestamp for filtering commits. Accepts: ISO 8601 format"}}}
GIT_CREATE_BRANCH = {"type": "object", "required": ["repo_path", "branch_name"], "properties": {
    "repo_path": {"type": "string"}, "branch_name": {"type": "string"},
    "base_branch": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}}}
GIT_BRANCH = {"type": "object", "required": ["repo_path", "branch_type"], "properties": {
    "repo_path": {"type": "string", "description": "The path to the Git repository."},
    "branch_type": {"type": "string", "description": "Whether to list local branches ('local'), "
                    "remote branches ('remote') or all branches('all')."}}}
GIT_COMMIT = {"type": "object", "required": ["repo_path", "message"], "properties": {
    "repo_path": {"type": "string"}, "message": {"type": "string"}}}
READ_TEXT = {"type": "object", "required": ["path"], "properties": {
    "path": {"type": "string"},
    "tail": {"type": "number", "description": "If provided, returns only the last N lines of the file"},
    "head": {"type": "number", "description": "If provided, returns only the first N lines of the file"}}}
MOVE = {"type": "object", "required": ["source", "destination"], "properties": {
    "source": {"type": "string"}, "destination": {"type": "string"}}}
READ_MANY = {"type": "object", "required": ["paths"], "properties": {
    "paths": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}
WRITE = {"type": "object", "required": ["path", "content"], "properties": {
    "path": {"type": "string"}, "content": {"type": "string"}}}
ECHO = {"type": "object", "required": ["message"], "properties": {
    "message": {"type": "string", "description": "Message to echo"}}}
ANNOTATED = {"type": "object", "required": ["messageType"], "properties": {
    "messageType": {"type": "string", "enum": ["error", "success", "debug"]},
    "includeImage": {"type": "boolean", "default": False}}}
STRUCTURED = {"type": "object", "required": ["location"], "properties": {
    "location": {"type": "string", "enum": ["New York", "Chicago", "Los Angeles"]}}}
SUM = {"type": "object", "required": ["a", "b"], "properties": {
    "a": {"type": "number", "description": "First number"}, "b": {"type": "number", "description": "Second number"}}}
LINKS = {"type": "object", "properties": {"count": {"type": "number", "default": 3, "minimum": 1, "maximum": 10}}}
# Typical third-party shapes.
WEATHER = {"type": "object", "required": ["city"], "properties": {
    "city": {"type": "string"}, "units": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    "date": {"type": "string", "format": "date"}}}
EVENT = {"type": "object", "required": ["title", "start"], "properties": {
    "title": {"type": "string"}, "start": {"type": "string", "format": "date-time"},
    "duration_minutes": {"type": "integer"}}}
SEARCH = {"type": "object", "required": ["query"], "properties": {
    "query": {"type": "string"}, "max_results": {"type": "integer"}}}
FETCH = {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}, "raw": {"type": "boolean"}}}
EMPTY: dict[str, Any] = {"type": "object", "properties": {}}
# fmt: on

CASES = [
    (GET_TIME, "What time is it in Tokyo?", {"timezone": "Asia/Tokyo"}),
    (GET_TIME, "current time in new york please", {"timezone": "America/New_York"}),
    (GET_TIME, "What's the time in Japan?", {"timezone": "Asia/Tokyo"}),
    (GET_TIME, "time in Europe/Berlin", {"timezone": "Europe/Berlin"}),
    (GET_TIME, "what time is it in Mumbai", {"timezone": "Asia/Kolkata"}),
    (GET_TIME, "what time is it", {"timezone": "Etc/UTC"}),  # the schema's own stated default
    (CONVERT_TIME, "Convert 5 pm New York time to Tokyo",
     {"source_timezone": "America/New_York", "time": "17:00", "target_timezone": "Asia/Tokyo"}),
    (CONVERT_TIME, "What time is it in Tokyo when it's 5pm in New York?",
     {"source_timezone": "America/New_York", "time": "17:00", "target_timezone": "Asia/Tokyo"}),
    (CONVERT_TIME, "convert 09:30 from London to Sydney",
     {"source_timezone": "Europe/London", "time": "09:30", "target_timezone": "Australia/Sydney"}),
    (CONVERT_TIME, "noon in Paris, what is that in Los Angeles?",
     {"source_timezone": "Europe/Paris", "time": "12:00", "target_timezone": "America/Los_Angeles"}),
    (GIT_LOG, "git log of /tmp/repo, last 3 commits", {"repo_path": "/tmp/repo", "max_count": 3}),
    (GIT_LOG, "show commits in /tmp/r since 2026-11-01", {"repo_path": "/tmp/r", "start_timestamp": "2026-11-01T00:00:00"}),
    (GIT_LOG, "commits in ./proj since yesterday", {"repo_path": "./proj", "start_timestamp": "2026-11-24T00:00:00"}),
    (GIT_CREATE_BRANCH, "create a branch called feature-x in /tmp/repo",
     {"repo_path": "/tmp/repo", "branch_name": "feature-x"}),
    (GIT_BRANCH, "list all branches of /tmp/repo", {"repo_path": "/tmp/repo", "branch_type": "all"}),
    (GIT_COMMIT, "commit /srv/app with message 'fix the login bug'",
     {"repo_path": "/srv/app", "message": "fix the login bug"}),
    (READ_TEXT, "read the file /tmp/d/notes.txt", {"path": "/tmp/d/notes.txt"}),
    (READ_TEXT, "show the first 5 lines of ./src/main.py", {"path": "./src/main.py", "head": 5}),
    (READ_TEXT, "the last 20 lines of /var/log/app.log.", {"path": "/var/log/app.log", "tail": 20}),
    (READ_TEXT, "read the file 'my notes.md'", {"path": "my notes.md"}),
    (READ_TEXT, "open README.md", {"path": "README.md"}),
    (MOVE, "move /tmp/a.txt to /tmp/b.txt", {"source": "/tmp/a.txt", "destination": "/tmp/b.txt"}),
    (READ_MANY, "read /tmp/a.txt and /tmp/b.txt", {"paths": ["/tmp/a.txt", "/tmp/b.txt"]}),
    (WRITE, "write 'hello world' to /tmp/x/a.txt", {"path": "/tmp/x/a.txt", "content": "hello world"}),
    (ECHO, "echo 'hi there'", {"message": "hi there"}),
    (ANNOTATED, "show me a debug message with an image", {"messageType": "debug", "includeImage": True}),
    (ANNOTATED, "an ERROR message, without image", {"messageType": "error", "includeImage": False}),
    (ANNOTATED, "a success message", {"messageType": "success"}),
    (STRUCTURED, "structured weather for los angeles", {"location": "Los Angeles"}),
    (STRUCTURED, "weather in chicago", {"location": "Chicago"}),
    (SUM, "What is 3 plus 4.5?", {"a": 3, "b": 4.5}),
    (SUM, "add five and seven", {"a": 5, "b": 7}),
    (SUM, "sum of -2 and 10", {"a": -2, "b": 10}),
    (SUM, "Add the two numbers 19 and 23", {"a": 19, "b": 23}),
    (LINKS, "give me 4 resource links", {"count": 4}),
    (LINKS, "some resource links", {}),
    (LINKS, "give me 40 resource links", {}),  # out of range: an optional value is dropped
    (WEATHER, "weather in Paris tomorrow in fahrenheit", {"city": "Paris", "units": "fahrenheit", "date": "2026-11-26"}),
    (WEATHER, "Will it rain in San Francisco on Nov 30?", {"city": "San Francisco", "date": "2026-11-30"}),
    (WEATHER, "forecast for Springfield on 3 December 2026 in Celsius",
     {"city": "Springfield", "units": "celsius", "date": "2026-12-03"}),
    (EVENT, "schedule 'team sync' tomorrow at 5 pm for 30 minutes",
     {"title": "team sync", "start": "2026-11-26T17:00:00", "duration_minutes": 30}),
    (EVENT, "title: standup start: 2026-12-01T09:15", {"title": "standup", "start": "2026-12-01T09:15"}),
    (SEARCH, "search for llama recipes, 5 results", {"query": "search for llama recipes, 5 results", "max_results": 5}),
    (SEARCH, "query: 'rust async' max_results=3", {"query": "rust async", "max_results": 3}),
    (FETCH, "fetch https://example.com/page?x=1.", {"url": "https://example.com/page?x=1"}),
    (FETCH, "fetch https://example.com raw: yes", {"url": "https://example.com", "raw": True}),
    (EMPTY, "list the allowed directories", {}),
]  # fmt: skip


@pytest.mark.parametrize(("schema", "query", "expected"), CASES)
def test_fill(schema: dict[str, Any], query: str, expected: dict[str, Any]) -> None:
    args = fill_arguments(query, schema, today=TODAY)
    assert args == expected
    assert validate_arguments(args, schema) == []


def test_tool_name_is_dropped_from_free_text() -> None:
    assert fill_arguments("Echo hello world", ECHO, tool="echo") == {"message": "hello world"}
    assert fill_arguments("Echo hello world", ECHO) == {"message": "Echo hello world"}


def test_relative_days_follow_today() -> None:
    assert fill_arguments("weather in Oslo today", WEATHER)["date"] == dt.date.today().isoformat()


@pytest.mark.parametrize(
    ("schema", "query", "field"),
    [
        (READ_TEXT, "read my notes please", "path"),
        (SUM, "add 3 to something", "b"),
        (ANNOTATED, "show me a message", "messageType"),
        (CONVERT_TIME, "convert Tokyo to London", "time"),
        (GIT_CREATE_BRANCH, "create a branch in /tmp/repo", "branch_name"),
        (FETCH, "fetch the homepage", "url"),
        (SEARCH | {"properties": {"query": {"type": "string"}, "filter": {"type": "object"}},
                   "required": ["query", "filter"]}, "find cats", "filter"),
    ],
)  # fmt: skip
def test_missing_required_field_raises(schema: dict[str, Any], query: str, field: str) -> None:
    with pytest.raises(ArgumentFillError) as info:
        fill_arguments(query, schema, today=TODAY)
    assert info.value.field == field
    assert field in str(info.value)


def test_validate_arguments_reports_every_problem_clearly() -> None:
    problems = validate_arguments({"a": "three", "c": 1}, SUM | {"additionalProperties": False})
    assert any(p.startswith("a: 'three' is not of type 'number'") for p in problems), problems
    assert any("'b' is a required property" in p for p in problems), problems
    assert any("Additional properties" in p and "'c'" in p for p in problems), problems
    assert validate_arguments({"count": 11}, LINKS) == [
        "count: 11 is greater than the maximum of 10"
    ]
    assert validate_arguments({"a": 1, "b": 2}, SUM) == []


def test_validate_arguments_fails_closed_on_a_broken_schema() -> None:
    problems = validate_arguments({}, {"type": "object", "properties": {"a": {"type": "nonsense"}}})
    assert len(problems) == 1 and problems[0].startswith("<schema>:")


SCHEMAS = [GET_TIME, CONVERT_TIME, GIT_LOG, GIT_CREATE_BRANCH, GIT_BRANCH, GIT_COMMIT, READ_TEXT,
           MOVE, READ_MANY, WRITE, ECHO, ANNOTATED, STRUCTURED, SUM, LINKS, WEATHER, EVENT,
           SEARCH, FETCH, EMPTY]  # fmt: skip
_VOCABULARY = (
    "what time is it in Tokyo convert 5 pm to London read the file /tmp/a.txt ./b.md "
    "'quoted text' add 3 and 4.5 five last 2 lines of commits since 2026-11-01 tomorrow "
    "with an image without error debug chicago https://example.com/x branch called f-1 "
    "query: max_results=9 raw: yes fahrenheit Nov 30 noon 12:30 -7 \" ' ` : = / ."
)
WORDS = st.sampled_from(_VOCABULARY.split(" "))


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=14),
    index=st.integers(0, len(SCHEMAS) - 1),
)
def test_fill_either_validates_or_says_which_field(words: list[str], index: int) -> None:
    schema = SCHEMAS[index]
    try:
        args = fill_arguments(" ".join(words), schema, today=TODAY)
    except ArgumentFillError as exc:
        assert exc.field in (schema.get("properties") or {}) or exc.field == "<root>"
        return
    assert validate_arguments(args, schema) == []
