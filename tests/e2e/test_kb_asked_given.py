"""What a question asks of an entity must be given, through the real Agent graph over two
chromadb bases on disk (encyclopedic facts and manual pages): the passage about the entity that
never names the things counted ("how many rings": ``ContentProbe.documents_counted``), that only
ranks it ("its highest mountain" is no height), or whose title alone names what is asked
("Discovery of penicillin" over who made it a medicine), or that gives it of the entity
otherwise qualified (sound in dry air for sound in water) is no answer, and the question is
declined; the passage that gives it answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document

_FACTS = [
    (
        "The Solar System",
        "The Solar System has eight planets orbiting the Sun: Mercury, Venus, Earth, Mars, "
        "Jupiter, Saturn, Uranus and Neptune.",
    ),
    (
        "Japan",
        "Japan is an island country in East Asia. Its capital and largest city is Tokyo. "
        "Mount Fuji is its highest mountain.",
    ),
    (
        "Mount Everest",
        "Mount Everest, in the Himalayas, is the highest mountain above sea level at about "
        "8,849 metres.",
    ),
    (
        "Speed of sound",
        "The speed of sound in dry air at 20 degrees Celsius is about 343 metres per second.",
    ),
    ("Water", "Pure water freezes at 0 degrees Celsius and boils at 100 degrees Celsius."),
    ("The oceans", "The oceans cover about 71 percent of Earth's surface with salt water."),
    (
        "Discovery of penicillin",
        "Howard Florey and Ernst Chain later turned penicillin into a medicine.",
    ),
]
_MANUALS = [
    (
        "wc(1) manual page",
        "wc prints newline, word, and byte counts for each file; -l, --lines prints the "
        "newline counts.",
    ),
    (
        "tail(1) manual page",
        "tail prints the last 10 lines of each file; -f, --follow outputs appended data as "
        "the file grows.",
    ),
]


def _base(
    root: Path, name: str, description: str, rows: list[tuple[str, str]]
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(name, root / name, default_embedder(), description=description)
    kb.add(Document(id=title, title=title, text=text) for title, text in rows)
    return kb


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("kbgiven")
    targets = [
        _base(root, "facts", "Encyclopedic facts: countries, planets, mountains.", _FACTS),
        _base(root, "manuals", "Manual pages of shell commands.", _MANUALS),
    ]
    with Agent(
        name="kbgiven",
        targets=targets,
        embedder=default_embedder(),
        threads=root / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


def test_a_count_of_things_no_passage_names_is_declined(agent: Agent) -> None:
    result = agent.run("how many rings does Saturn have")
    assert not any(s.ok for s in result.steps)


def test_a_count_of_things_the_passage_names_is_answered(agent: Agent) -> None:
    result = agent.run("how many planets does the Solar System have")
    assert [s.target for s in result.steps] == ["facts"]
    assert result.steps[0].ok and "eight" in result.answer


def test_a_superlative_is_no_height(agent: Agent) -> None:
    result = agent.run("how tall is Mount Fuji")
    assert not any(s.ok for s in result.steps)


def test_a_height_in_metres_is_one(agent: Agent) -> None:
    result = agent.run("how tall is Mount Everest")
    assert [s.target for s in result.steps] == ["facts"]
    assert result.steps[0].ok and "8,849" in result.answer


def test_a_title_naming_the_attribute_gives_nothing(agent: Agent) -> None:
    result = agent.run("who discovered penicillin")
    assert not any(s.ok for s in result.steps)


def test_the_statement_giving_it_answers(agent: Agent) -> None:
    result = agent.run("who turned penicillin into a medicine")
    assert [s.target for s in result.steps] == ["facts"]
    assert result.steps[0].ok and "Florey" in result.answer


def test_an_attribute_of_the_entity_otherwise_qualified_is_declined(agent: Agent) -> None:
    result = agent.run("how fast is sound in water")
    assert not any(s.ok for s in result.steps)


def test_the_attribute_of_the_entity_as_qualified_is_answered(agent: Agent) -> None:
    result = agent.run("how fast is sound in air")
    assert [s.target for s in result.steps] == ["facts"]
    assert result.steps[0].ok and "343" in result.answer
