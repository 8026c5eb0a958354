"""A newly added expert chosen from its descriptor alone, through the real Agent: the router
has outcomes for the other experts only; the newcomer's description places it among them."""

from __future__ import annotations

import numpy as np

from agentroute import Agent, ChatModelExpert
from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import ExpertDescriptor, OutcomeTable, QueryFeaturizer, make_router
from agentroute.testing import FunctionChatModel, OneStepPlanner
from agentroute.types import TargetKind
from tests.routing.conftest import synthetic_table

CODE_Q = "write a python class with 7 methods"
MATH_Q = "what is 12 times 40"
KNOWN = {
    "cheap": ("arithmetic calculator: adds, multiplies, divides numbers", 0.5),
    "coder": ("writes and fixes python code: functions, classes, refactoring", 1.0),
    "big": ("large general model, good at everything", 20.0),
}


def descriptor(name: str, description: str, price: float) -> ExpertDescriptor:
    return ExpertDescriptor(
        name=name,
        kind=TargetKind.EXPERT,
        description=description,
        price_in_per_m=price,
        price_out_per_m=price,
    )


def expert(desc: ExpertDescriptor) -> ChatModelExpert:
    return ChatModelExpert(
        FunctionChatModel(function=lambda messages, name=desc.name: f"answer from {name}"), desc
    )


def siblings(table: OutcomeTable) -> OutcomeTable:
    """Each model and a described sibling that agrees with it on 9 queries in 10: enough
    described models for the router to measure what descriptions are worth."""
    flip = (np.arange(len(table)) % 10 == 3)[:, None]
    twin = np.where(flip, 1.0 - table.quality, table.quality)
    quality = np.stack([table.quality, twin], axis=2).reshape(len(table), -1)
    cost = np.repeat(table.cost, 2, axis=1) * np.tile([1.0, 1.1], len(table.models))
    models = [m for base in table.models for m in (base, f"{base}2")]
    return OutcomeTable(table.queries, table.tasks, models, quality, cost)


def run_with_newcomer(newcomer: ExpertDescriptor, question: str) -> tuple[str | None, str]:
    known = [descriptor(n, d, p) for n, (d, p) in KNOWN.items()]
    known += [descriptor(f"{n}2", d, p * 1.1) for n, (d, p) in KNOWN.items()]
    router = make_router(
        "graph", featurizer=QueryFeaturizer(NgramHashingEmbedder(512)), descriptors=known
    )
    router.fit(siblings(synthetic_table(160)))
    assert newcomer.name not in router.memory.models  # no outcome of the newcomer at all
    experts = [expert(d) for d in known[:3]] + [expert(newcomer)]
    with Agent(
        targets=experts, planner=OneStepPlanner(), model_router=router, max_rounds=1
    ) as agent:
        result = agent.run(question)
    step = result.steps[0]
    assert step.route is not None
    return step.target, result.answer


def test_a_new_expert_described_as_a_coder_gets_the_code_question() -> None:
    coder = descriptor("newcoder-9b", "writes and fixes python code: functions and classes", 0.8)
    target, answer = run_with_newcomer(coder, CODE_Q)
    assert target == "newcoder-9b" and "answer from newcoder-9b" in answer, (target, answer)
    # The same newcomer is not sent the arithmetic question: its description says code.
    target, _ = run_with_newcomer(coder, MATH_Q)
    assert target != "newcoder-9b", target


def test_the_same_newcomer_described_otherwise_does_not_get_it() -> None:
    """Switch the evidence off: described as a calculator (or by its name alone) it does not
    get the code question, so the choice above came from the description."""
    calc = descriptor("newcoder-9b", "arithmetic calculator: adds and multiplies numbers", 0.8)
    target, _ = run_with_newcomer(calc, CODE_Q)
    assert target != "newcoder-9b", target
    bare = ExpertDescriptor(name="newcoder-9b", kind=TargetKind.EXPERT)
    target, _ = run_with_newcomer(bare, CODE_Q)
    assert target != "newcoder-9b", target
