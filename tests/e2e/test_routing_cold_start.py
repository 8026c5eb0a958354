"""A cold start through the real Agent: a specialist among generalists is routed to its task
after a handful of outcomes there, not held at its overall level until hundreds arrive."""

from __future__ import annotations

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.routing import Outcome, default_router
from agentroute.testing import FunctionChatModel, OneStepPlanner

CODE = [
    "Write a Python function that reverses a linked list",
    "Write a Python function that merges two sorted lists",
    "Write a Python function that parses an ISO date string",
    "Write a Python function that counts words in a file",
    "Write a Python function that flattens a nested list",
    "Write a Python function that checks for balanced brackets",
]
HISTORY = [
    "Who was the first emperor of the Roman Empire",
    "Who was the king of France during the French Revolution",
    "Who was the leader of the Mongol Empire at its founding",
    "Who was the pharaoh who built the Great Pyramid of Giza",
    "Who was the first president of the Weimar Republic",
    "Who was the queen of England when the Armada sailed",
]
GENERALISTS = [f"general{i}" for i in range(8)]


def expert(name: str) -> ChatModelExpert:
    return ChatModelExpert(
        FunctionChatModel(function=lambda messages, name=name: f"answer from {name}"),
        TargetDescriptor(
            name=name, kind=TargetKind.EXPERT, price_in_per_m=1.0, price_out_per_m=1.0
        ),
    )


def test_a_specialist_is_routed_to_its_task_after_a_few_outcomes() -> None:
    """Eight generalists right on 4 of 6 questions of each task, a coder right on every code
    question and no history question: six outcomes per (task, model) must be enough to route
    the next code question to the coder and the next history question away from it. Pooled
    over eight flat models the tasks look alike (the between-task variance reads as noise),
    so without a cap on how much the overall level counts the coder stays at its 50% level."""
    experts = [expert(n) for n in [*GENERALISTS, "coder"]]
    router = default_router(descriptors=[e.descriptor for e in experts])
    for task, queries in (("code", CODE), ("history", HISTORY)):
        for i, query in enumerate(queries):
            for g, name in enumerate(GENERALISTS):
                right = (i + g) % 3 != 0  # 4 of 6 right, on different questions
                router.learn(
                    Outcome(query=query, model=name, quality=float(right), cost_usd=1e-5, task=task)
                )
            coder_right = float(task == "code")
            router.learn(
                Outcome(query=query, model="coder", quality=coder_right, cost_usd=1e-5, task=task)
            )
    with Agent(
        targets=experts, planner=OneStepPlanner(), model_router=router, max_rounds=1
    ) as agent:
        code = agent.run("Write a Python function that removes duplicates from a list")
        history = agent.run("Who was the last tsar of the Russian Empire")
    assert code.steps[0].target == "coder", code.steps[0].route
    assert "answer from coder" in code.answer
    assert history.steps[0].target != "coder", history.steps[0].route
