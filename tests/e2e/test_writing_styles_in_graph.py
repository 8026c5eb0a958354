"""Requests written the ways people write, through the real Agent graph with the real calc and
units MCP servers and the bundled facts base (session 18): transcribed speech with fillers, a
stutter and a closing "that's it"; a pictograph the calculator cannot read; politeness padding
in the middle of a request; a bracketed value; context told before the ask; a phrasing carried
over from another language. Each is read away (``agentroute.text.unstyled``,
``only_context``) before the request is split, so the parts and the tools' inputs are the
asks alone."""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent


def test_styles_are_read_away_before_the_parts_are_planned(tmp_path: Path) -> None:
    with Agent.default(tmp_path) as agent:
        spoken = agent.run(
            "um so what's what's 17 plus 26 and then uh what's 30 degrees celsius in "
            "fahrenheit and um that's it"
        )
        emoji = agent.run("🧮 what's 45 times 12? 🙏")
        polite = agent.run(
            "Could I trouble you to work out 15 squared, and then, if you don't mind, "
            "subtract 25 from that?"
        )
        bracketed = agent.run("Convert (5) miles to (km)")
        calque = agent.run("make for me 7 times 8 and then divide it for 4")

    assert [s.target for s in spoken.steps] == ["calc.calculate", "units.convert"], spoken.trace
    assert "43" in spoken.answer and "86" in spoken.answer

    assert [s.target for s in emoji.steps] == ["calc.calculate"], emoji.trace
    assert emoji.steps[0].ok and "540" in emoji.answer

    assert [s.target for s in polite.steps] == ["calc.calculate", "calc.calculate"], polite.trace
    assert all(s.ok for s in polite.steps), polite.trace
    assert "225" in polite.answer and "200" in polite.answer

    assert [s.target for s in bracketed.steps] == ["units.convert"], bracketed.trace
    assert "8.04672" in bracketed.answer

    assert [s.target for s in calque.steps] == ["calc.calculate", "calc.calculate"], calque.trace
    assert "56" in calque.answer and "14" in calque.answer


def test_context_told_before_the_ask_is_not_a_part(tmp_path: Path) -> None:
    with Agent.default(tmp_path) as agent:
        context = agent.run(
            "I've been reading about old inventions all morning and lost track of what I "
            "read. Who invented the telephone?"
        )
        stated = agent.run("I weigh 150 lbs, what is that in kg?")  # a value it needs: kept
    assert [s.target for s in context.steps] == ["facts"], context.trace
    assert context.unmatched == [], context.trace
    assert "Bell" in context.answer
    assert [s.target for s in stated.steps] == ["units.convert"], stated.trace
    assert "68.0388" in stated.answer
