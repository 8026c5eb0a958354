"""What a clause needs (agentroute.text.capability_need): a question about how the world
stands now, an act done to a thing named by its identifier, acts on a computer no target
offers, and possessives that are no quotes."""

from __future__ import annotations

import pytest

from agentroute.text import capability_need


@pytest.mark.parametrize(
    "clause",
    [
        "any earthquakes reported today?",
        "is Gmail down right now",
        "what's on at the cinema tonight",
        "any good deals on laptops this week",
    ],
)
def test_a_question_about_the_world_now_is_live(clause: str) -> None:
    need = capability_need(clause)
    assert need is not None and need.kind == "live"
    assert need.from_question  # a tool that fits may still answer it ("the time right now")


@pytest.mark.parametrize(
    "clause",
    [
        "what should I cook tonight? I have eggs and spinach",  # about the asker: advice
        "how is the kelvin currently defined",  # "currently" also dates knowledge
        "write a poem about today",
    ],
)
def test_a_question_about_the_asker_or_knowledge_is_not(clause: str) -> None:
    assert capability_need(clause) is None


@pytest.mark.parametrize(
    ("clause", "verb"),
    [
        ("delete todo.md", "delete"),
        ("merge feature-login into main", "merge"),
        ("email notes.txt to Bob", "email"),
        ("stash my changes", "stash"),
        ("install numpy for me", "install"),
        ("restart the web server", "restart"),
        ("download the file at https://example.com/report.pdf", "download"),
        ("take a screenshot", "take a screenshot"),
    ],
)
def test_an_act_on_a_named_thing_or_the_computer_is_an_action(clause: str, verb: str) -> None:
    need = capability_need(clause)
    assert need is not None and (need.kind, need.cue) == ("action", verb)


@pytest.mark.parametrize(
    "clause",
    [
        "open todo.md",
        "cat docs/faq.md",
        "print the contents of notes.txt",
        "how do I install numpy",
        "merge sort in python",
        "take 360, divide it by 12",
        "kill a command automatically if it runs longer than 10 seconds",  # what a man page says
        "run a program with a lower scheduling priority",
        "install heaptrack: what package",
    ],
)
def test_reading_a_file_or_asking_how_is_no_action(clause: str) -> None:
    assert capability_need(clause) is None


def test_possessives_are_no_quotes() -> None:
    """"what's my boss's phone number" lost "my boss" between two apostrophes."""
    need = capability_need("what's my boss's phone number")
    assert need is not None and need.kind == "personal"


@pytest.mark.parametrize(
    "clause", ["who will win the election in the US?", "who will win the next election"]
)
def test_what_will_happen_in_the_world_is_live(clause: str) -> None:
    need = capability_need(clause)
    assert need is not None and need.kind == "live"


@pytest.mark.parametrize(
    "clause",
    [
        "what will happen to a star when it runs out of fuel",
        "what will happen if you divide by zero",
        "when will the next eclipse be visible from Europe",
    ],
)
def test_what_always_happens_is_knowledge_not_live(clause: str) -> None:
    assert capability_need(clause) is None
