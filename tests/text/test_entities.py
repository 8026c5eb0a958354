"""The names a request carries, and whether a passage mentions them (the entity check)."""

from __future__ import annotations

import pytest

from agentroute.text import asked_object, mentions, named_entities


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("What is the capital of Liechtenstein?", ["Liechtenstein"]),
        ("Tell me about New Zealand and Burkina Faso.", ["New Zealand", "Burkina Faso"]),
        ("France's capital?", ["France"]),  # a possessive starts a fragment: still a name
        ("What does python3-numpy contain?", ["python3-numpy"]),
        ("How does os.path.join work?", ["os.path.join"]),
        ('What is the "walrus operator"?', ["walrus operator"]),
        ("What is 17 * 23?", []),
        ("Convert 5 km to miles", []),
        # a quantity given with its unit is no name: a passage need not write "GB"
        ("my journal is eating 8 GB of disk", []),
        ("turn a byte count like 1048576 into 1.0M", []),
        ("copy an ISO to a usb stick", ["ISO"]),
        ("capital of frnace", []),  # lower case: not marked as a name, no check made
        ("Who discovered penicillin? Also, who invented the telephone", []),
    ],
)
def test_names_marked_by_the_writing(text: str, names: list[str]) -> None:
    assert named_entities(text) == names


def test_a_sentence_initial_word_is_grammar_not_a_name() -> None:
    assert named_entities("Explain how rainbows form") == []
    assert named_entities("Which is bigger, Jupiter or Saturn?") == ["Jupiter", "Saturn"]


def test_mentions_allows_case_typos_and_a_shared_stem() -> None:
    passage = "Paris is the capital of France. Germany borders it to the east."
    assert mentions(passage, "france")
    assert mentions(passage, "Frnace")  # a typo
    assert mentions(passage, "Germans")  # a plural sharing the stem
    assert not mentions(passage, "Liechtenstein")
    assert not mentions("Bern is the capital of Switzerland.", "Liechtenstein")
    assert mentions("New Zealand's capital is Wellington.", "New Zealand")
    assert not mentions("Zealand is a Danish island.", "New Zealand")


@pytest.mark.parametrize(
    "text",
    [
        "How do I make a thread-safe queue?",
        "What is the second-longest river?",
        "How do I format a float in an f-string?",
        "Generate pseudo-random numbers",
    ],
)
def test_a_lower_case_compound_is_a_word_not_a_name(text: str) -> None:
    assert named_entities(text) == []


def test_a_possessive_ends_the_name() -> None:
    assert named_entities("Is Europe's Danube long?") == ["Europe", "Danube"]
    assert named_entities("What is New Zealand's capital?") == ["New Zealand"]


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("Who invented the bicycle?", "bicycle"),
        ("who built the first telescope", "telescope"),
        ("Who invented the light bulb?", "light bulb"),
        ("Who invented the jet engine?", "jet engine"),  # the steam engine's passage is none
        ("What is photosynthesis?", "photosynthesis"),  # one word asked about
        ("What is a newton?", "newton"),
        ("What is the capital of France?", None),  # longer: its name, if any, is checked
        ("What is this?", None),
        ("Who discovered penicillin?", None),  # no article: the word may be a name
        ("Who was the first emperor?", None),  # "who was": a person, not a thing made
        ("Who improved it?", None),
        ("Who first walked on the moon and when?", None),
    ],
)
def test_what_a_short_question_asks_about(text: str, thing: str | None) -> None:
    assert asked_object(text) == thing
