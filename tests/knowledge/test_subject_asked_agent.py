"""A knowledge answer is about what was asked (issue 13 item 4, issue 15 item 4), through the
real Agent graph over real chromadb bases on disk and a general expert: a base that names a
program only in passing ("such as "htop"") does not answer what the program does, a
handbook without a marketing section does not answer who leads marketing (its HR and
Finance leads are no answer), and the handbook's HR lead is the first claim of "Who is the
HR lead?", not the Finance or Engineering lead that reads as close; the Finance lead, not
what Finance does, is the first claim of "Who is the Finance lead?" (the section names
Finance for each of its statements)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase
from agentroute.models import ChatModelExpert
from agentroute.testing import FunctionChatModel
from agentroute.types import TargetDescriptor, TargetKind

REPLY = "GENERAL-EXPERT-REPLY"
HANDBOOK = """# Roles

## Engineering

Lead: Priya Nair

## HR

Lead: Anna Schmidt

## Finance

Lead: Marco Rossi

Finance approves budgets, pays supplier invoices and reimburses travel expenses.
"""
BACKUP = """# snapkeep

## snapkeep restore

The restore command copies a chosen snapshot back into a directory. While a large restore
runs you can watch its memory use in a process viewer (such as "htop" or "top").
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    root = tmp_path_factory.mktemp("subject")
    embedder = default_embedder()
    bases = []
    for name, text, description in [
        ("team", HANDBOOK, "The company's team handbook: departments and their leads."),
        ("backup", BACKUP, "Manual of the snapkeep backup tool."),
    ]:
        file = root / f"{name}.md"
        file.write_text(text)
        kb = ChromaKnowledgeBase(name, root / name, embedder, description=description)
        kb.ingest([file])
        bases.append(kb)
    general = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: REPLY),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: explanations of everyday topics, "
            "advice, computers and programs, drafting emails and messages.",
            domains=["general"],
            examples=["Explain what inflation is", "What does a web browser do?"],
        ),
    )
    with Agent(
        targets=[*bases, general],
        embedder=embedder,
        threads=Path(root) / "threads.sqlite",
        warm_spares=False,
    ) as a:
        yield a


@pytest.mark.parametrize(
    "question", ["what does the htop command do?", "What is htop?", "Who is the marketing lead?"]
)
def test_a_passage_naming_it_in_passing_or_a_sibling_is_no_answer(
    agent: Agent, question: str
) -> None:
    result = agent.run(question)
    assert not [s for s in result.steps if s.ok and s.target in ("team", "backup")], result.answer


@pytest.mark.parametrize(
    ("question", "lead"), [("Who is the HR lead?", "Anna"), ("Who is the Finance lead?", "Marco")]
)
def test_the_section_naming_the_entity_gives_the_first_claim(
    agent: Agent, question: str, lead: str
) -> None:
    result = agent.run(question)
    assert [s.target for s in result.steps] == ["team"], result.unmatched
    step = result.steps[0]
    assert step.ok, step.error
    assert lead in step.data["claims"][0]["text"], step.data["claims"]


def test_what_the_base_is_about_is_still_answered(agent: Agent) -> None:
    result = agent.run("What does the snapkeep restore command do?")
    assert [s.target for s in result.steps] == ["backup"], result.unmatched
    assert "snapshot" in result.steps[0].data["claims"][0]["text"]
