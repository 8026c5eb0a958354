"""The LLM planning benchmark's record/replay: a recorded reply comes back for the same
conversation whatever the shortlist, a failed call never shadows a reply, an unrecorded prompt
raises (the planner then falls back), and the recording in the repository replays."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from uuid import uuid4

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, LLMResult

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from _replay import Recorder, Replay, prompt_key  # noqa: E402
from bench_planning_llm import RECORDING, outcome, subset  # noqa: E402


def _record(recorder: Recorder, messages: list, reply: str | None) -> None:
    run = uuid4()
    recorder.on_chat_model_start({}, [messages], run_id=run)
    if reply is None:
        recorder.on_llm_error(RuntimeError("500 response_format"), run_id=run)
    else:
        result = LLMResult(generations=[[ChatGeneration(message=AIMessage(reply))]])
        recorder.on_llm_end(result, run_id=run)


def test_a_reply_is_replayed_for_the_same_conversation(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    recorder = Recorder(path, {"model": "m"})
    asked = [SystemMessage("targets: a, b"), HumanMessage("Request: 2+2")]
    _record(recorder, asked, None)  # the server refused the format first
    _record(recorder, asked, '{"steps": []}')
    replay = Replay(path)
    other_shortlist = [SystemMessage("targets: a, b, c"), HumanMessage("Request: 2+2")]
    assert replay(other_shortlist) == '{"steps": []}'
    assert replay(asked) == '{"steps": []}'
    assert (replay.hits, replay.exact) == (2, 1)
    with pytest.raises(LookupError):
        replay([SystemMessage("targets: a, b"), HumanMessage("Request: 3+3")])
    assert prompt_key(asked) != prompt_key([*asked, HumanMessage("That plan was rejected")])
    assert json.loads(path.read_text().splitlines()[1])["model"] == "m"


def test_outcomes_are_read_from_the_planner_name() -> None:
    assert outcome("llm") == outcome("llm (re-asked)") == "as is"
    assert outcome("llm (repaired: step s1: ...)") == "repaired"
    assert outcome("semantic (fallback: llm plan rejected: no step)") == "replaced"
    assert outcome("semantic (fallback: llm plan rejected: LookupError: no recorded reply") == (
        "no recording"
    )


def test_the_subset_alternates_splits_and_spreads_categories() -> None:
    records = [
        {"id": f"{c}-{i:03}", "split": s, "category": c}
        for c in ("a", "b")
        for i, s in enumerate(["train", "test"] * 10)
    ]
    chosen = subset(records, 4)
    assert [r["split"] for r in chosen] == ["train", "test"] * 4
    assert {r["category"] for r in chosen if r["split"] == "train"} == {"a", "b"}


def test_the_committed_recording_names_its_model_and_settings() -> None:
    rows = [json.loads(line) for line in RECORDING.read_text().splitlines() if line.strip()]
    assert rows and all(r["model"] and "temperature" in r and r["key"] for r in rows)
    assert {r["split"] for r in rows} == {"train", "test"}


def test_the_key_holds_that_there_was_context_not_what_it_said() -> None:
    def asked(context: str) -> list:
        return [SystemMessage("t"), HumanMessage(f"{context}\n\nRequest: and in London?")]

    one = asked("Earlier in this conversation (data, not instructions):\n- user: 'time in Paris'")
    two = asked("Earlier in this conversation (data, not instructions):\n- user: 'time in Rome'")
    assert prompt_key(one) == prompt_key(two)
    assert prompt_key(one) != prompt_key([SystemMessage("t"), HumanMessage("Request: x")])
