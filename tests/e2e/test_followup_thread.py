"""Follow-ups in a chat thread through the real Agent graph: the embedded default with its
real calc and units MCP servers, the thread kept by the SQLite checkpointer, then by Postgres."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute import Agent, TurnResult

from .conftest import Chat, thread_store_config


def _plan_notes(result: TurnResult) -> str:
    events = [e for e in result.trace if e.node == "plan" and e.kind == "plan"]
    return " ".join(str(e.data.get("reasoning", "")) for e in events)


def test_and_another_number_re_asks_the_last_conversion(thread_agent: Agent) -> None:
    first = thread_agent.run("Convert 60 mph to km/h.", thread="conversion")
    assert "96.56064" in first.answer
    result = thread_agent.run("and 70?", thread="conversion")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "112.65408" in result.answer
    assert result.steps[0].query == "Convert 70 mph to km/h"
    assert "previous turn" in _plan_notes(result)


def test_that_is_the_previous_result(thread_agent: Agent) -> None:
    thread_agent.run("What is 48 * 52?", thread="arithmetic")
    result = thread_agent.run("divide that by 4", thread="arithmetic")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "2496" in result.steps[0].query
    assert "624" in result.answer


def test_another_thread_does_not_see_the_previous_turn(thread_agent: Agent) -> None:
    thread_agent.run("Convert 60 mph to km/h.", thread="one")
    result = thread_agent.run("and 70?", thread="two")
    assert "112.65408" not in result.answer


def test_a_complete_request_in_a_thread_is_planned_alone(thread_agent: Agent) -> None:
    thread_agent.run("Convert 60 mph to km/h.", thread="alone")
    result = thread_agent.run("thanks! what is 17 * 23?", thread="alone")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "391" in result.answer
    assert "previous turn" not in _plan_notes(result)


def test_a_thread_resumed_from_the_store_in_a_new_agent_still_resolves(
    tmp_path: Path, threads: str | Path
) -> None:
    with Agent.default(tmp_path, threads=threads) as agent:
        agent.run("Convert 60 mph to km/h.", thread="resumed")
    with Agent.default(tmp_path, threads=threads) as agent:
        result = agent.run("and 70?", thread="resumed")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "112.65408" in result.answer


def test_chat_shows_the_follow_up_as_it_was_read(
    tmp_path: Path, threads: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread_store_config(tmp_path, threads, monkeypatch)
    chat = Chat(tmp_path, "--thread", "t-follow")
    chat.read_until("agentroute chat")
    chat.send("What is 48 * 52?")
    chat.read_until(", turn ")
    chat.send("divide that by 4")
    shown = chat.read_until(", turn ")
    assert "follow-up of the previous turn" in shown and "'divide 2496 by 4'" in shown
    assert "→ calc.calculate" in shown and "624" in shown
    chat.close()


def test_a_correction_re_asks_with_the_meant_value(thread_agent: Agent) -> None:
    thread_agent.run("Convert 60 mph to km/h.", thread="correction")
    result = thread_agent.run("no, sorry, I meant 70", thread="correction")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "70 mph" in result.steps[0].query
    assert "112.65408" in result.answer


def test_an_operation_alone_works_on_the_last_result(thread_agent: Agent) -> None:
    thread_agent.run("What is 48 * 52?", thread="operand")
    result = thread_agent.run("times 3", thread="operand")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "2496" in result.steps[0].query
    assert "7488" in result.answer


def test_an_amount_more_adds_to_the_last_result(thread_agent: Agent) -> None:
    first = thread_agent.run("What is 7 plus 8?", thread="increment")
    assert "15" in first.answer
    result = thread_agent.run("ok and 5 more", thread="increment")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "15" in result.steps[0].query
    assert "= 20" in result.answer


def test_a_power_after_a_power_replaces_it(thread_agent: Agent) -> None:
    thread_agent.run("What is 12 squared?", thread="power")
    result = thread_agent.run("and cubed?", thread="power")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert result.steps[0].query == "What is 12 cubed?"
    assert "1728" in result.answer


def test_minus_after_a_conversion_is_a_value_below_zero(thread_agent: Agent) -> None:
    thread_agent.run("How much is 40 Celsius in Fahrenheit?", thread="below")
    result = thread_agent.run("and minus 40?", thread="below")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "-40" in result.steps[0].query
    assert "-40 °F" in result.answer


def test_a_follow_up_comes_back_to_the_turn_before_an_aside(
    tmp_path: Path, threads: str | Path
) -> None:
    """Three turns of one thread kept by the store, the third read in a new agent: "and 70 mph?"
    continues the conversion two turns back, not the arithmetic in between."""
    with Agent.default(tmp_path, threads=threads) as agent:
        agent.run("Convert 60 mph to km/h.", thread="aside")
        aside = agent.run("What is 48 * 52?", thread="aside")
        assert "2496" in aside.answer
    with Agent.default(tmp_path, threads=threads) as agent:
        result = agent.run("and 70 mph?", thread="aside")
        assert [s.target for s in result.steps] == ["units.convert"]
        assert result.steps[0].query == "Convert 70 mph to km/h"
        assert "112.65408" in result.answer
        assert "Convert 60 mph to km/h" in _plan_notes(result)
        # the turn after it still has both earlier turns to come back to
        again = agent.run("and 6 times 7?", thread="aside")
        assert [s.target for s in again.steps] == ["calc.calculate"]
        assert "42" in again.answer


def test_the_same_for_a_new_value_re_asks_with_it(thread_agent: Agent) -> None:
    thread_agent.run("Please convert 2 metres into feet for me", thread="redo")
    result = thread_agent.run("could you do the same for 3 metres please?", thread="redo")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "3 metres" in result.steps[0].query
    assert "9.84" in result.answer


def test_a_whole_calculation_stands_alone(thread_agent: Agent) -> None:
    thread_agent.run("what is 3 + 4?", thread="whole")
    result = thread_agent.run("and 3 - 4?", thread="whole")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "-1" in result.answer


def test_an_operation_said_instead_replaces_the_previous_one(thread_agent: Agent) -> None:
    thread_agent.run("What is 45 divided by 9?", thread="instead")
    result = thread_agent.run("ok, and divided by 5 instead?", thread="instead")
    assert result.steps[0].query == "What is 45 divided by 5?"
    assert "= 9" in result.answer


def test_an_interjection_before_a_correction_is_no_part(thread_agent: Agent) -> None:
    thread_agent.run("What is 30% of 90?", thread="hm")
    result = thread_agent.run("hm no, 40% of 90", thread="hm")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "36" in result.answer


def test_an_attribute_asked_next_is_of_the_same_thing(thread_agent: Agent) -> None:
    thread_agent.run("what is the capital of Canada", thread="attribute")
    result = thread_agent.run("what's the currency", thread="attribute")
    assert "Canada" in result.steps[0].query
    assert "Canadian dollar" in result.answer


def test_a_lead_coming_back_to_a_topic_is_no_part(thread_agent: Agent) -> None:
    thread_agent.run("What is 7 times 6?", thread="back")
    thread_agent.run("Convert 3 kg to pounds", thread="back")
    result = thread_agent.run("go back to the multiplication, make it 7 times 9", thread="back")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "63" in result.answer


def test_a_thing_asked_by_a_superlative_is_a_new_question(thread_agent: Agent) -> None:
    """ "the largest planet" is whole: not "the largest planet of light" after "the speed of
    light" (an attribute follow-up takes a relational noun, not a superlative)."""
    thread_agent.run("What is the speed of light?", thread="facts")
    result = thread_agent.run("What is the largest planet?", thread="facts")
    assert "previous turn" not in _plan_notes(result)
    assert [s.query for s in result.steps] == ["What is the largest planet?"]
    assert "Jupiter" in result.answer


def test_chat_reads_a_reversal_and_keeps_a_decline_declined(tmp_path: Path) -> None:
    """A conversation in ``agentroute chat`` (threads in the data directory's SQLite file):
    "the other way round" re-asks the conversion with its units swapped; after a question for
    live data was declined, "and Apple's?" is declined too (no tool reads share prices), and
    a whole request after it is planned by itself."""
    chat = Chat(tmp_path, "--thread", "t-reverse")
    chat.read_until("agentroute chat")
    chat.send("How many metres in a foot?")
    chat.read_until(", turn ")
    chat.send("and the other way round?")
    shown = chat.read_until(", turn ")
    assert "follow-up of the previous turn" in shown and "→ units.convert" in shown
    assert "3.28" in shown
    chat.send("What's Tesla's stock price?")
    chat.read_until(", turn ")
    chat.send("and Apple's?")
    shown = chat.read_until(", turn ")
    assert "No suitable target" in shown and "→ units.convert" not in shown
    chat.send("then work out 17 times 23")
    shown = chat.read_until(", turn ")
    assert "→ calc.calculate" in shown and "391" in shown
    chat.close()
