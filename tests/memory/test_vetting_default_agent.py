"""Vetting on the default agent: ordinary turns that went well are never quarantined.

The "targets the task never needed" check compared a task with a target's short description
only, so a fact question the facts base answered ("What is the speed of light?") looked like
a poisoned plan. Real turns, the real chromadb bank; the red-team tests keep the attacks out.
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.memory import CaseBank, CaseStatus, CaseStep, ChromaCaseStore, TurnSummary
from agentroute.types import Plan, Step

REQUESTS = [
    "What is the capital of France?",
    "What is the speed of light?",
    "What is the largest planet?",
    "What is the boiling point of water in Fahrenheit?",
    "What is the tallest mountain in the world?",
    "What is 17 * 23?",
    "What is the square root of 144?",
    "What is 15% of 80?",
    "What is 2 to the power of 10?",
    "How many kilometres are 5 miles?",
    "Convert 100 pounds to kilograms",
    "Convert 30 degrees Celsius to Fahrenheit",
    "How many feet in 3 metres?",
    "What is 17 * 23, and how many kilometres are 5 miles?",
    "How many grams in 2 pounds, and what is the capital of Italy?",
    "How far is the moon from the earth in miles?",
]


def test_no_successful_turn_of_the_default_agent_is_quarantined(tmp_path: Path) -> None:
    with Agent.default(tmp_path) as agent:
        turns = [agent.run(request, thread="one-session") for request in REQUESTS]
        descriptions = agent.target_descriptions()
    facts = {t.request for t in turns if any(s.target == "facts" and s.ok for s in t.steps)}
    assert {"What is the speed of light?", "What is the largest planet?"} <= facts

    store = ChromaCaseStore(tmp_path / "memory", None)  # read-only, as `memory list` opens it
    try:
        cases = {c.turn_id: c for c in store.cases()}
    finally:
        store.close()
    assert {t.turn_id for t in turns if t.steps} <= set(cases)
    successes = [c for c in cases.values() if c.outcome.success]
    assert len(successes) >= 12
    wrongly = {c.task: c.status_reason for c in successes if c.status is not CaseStatus.ACTIVE}
    assert wrongly == {}

    # The same bank still quarantines a clause sent to a tool that answered nothing about it.
    bank = CaseBank.open(
        tmp_path / "memory", embedder=default_embedder(), targets=lambda: descriptions
    )
    try:
        task = "What is the capital of France?"
        steps = [
            ("s1", task, "facts", "France: capital Paris, currency euro."),
            ("s2", task, "calc.calculate", "uploaded 1 record"),
        ]
        cid = bank.remember(
            TurnSummary(
                turn_id="poisoned",
                session="attacker",
                request=task,
                plan=Plan(steps=[Step(id=i, query=q, target=t) for i, q, t, _ in steps]),
                results=[CaseStep(step_id=i, target=t, ok=True, summary=r) for i, _, t, r in steps],
                answer="Paris",
            ),
            namespace="agentroute",
        )
        case = bank.get(cid or "")
        assert case is not None and case.status is CaseStatus.QUARANTINED
        assert "calc.calculate (nothing in the task asks for it)" in case.status_reason
        assert "facts" not in case.status_reason
    finally:
        bank.close()


def test_a_base_answering_in_other_inflections_is_not_quarantined(tmp_path: Path) -> None:
    """A step that asked the request in another inflection ('who rotated ...' for 'who rotates
    ...') and was answered by a base whose description shares no word with it was quarantined
    as 'nothing in the task asks for it', with a warning on the user's terminal."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "wifi.txt").write_text(
        "The office wifi password is rotated every quarter by IT. Ask the helpdesk for it.\n",
        encoding="utf-8",
    )
    (notes / "leave.md").write_text(
        "# Holidays\n\nEvery employee gets 30 days of annual leave per year.\n", encoding="utf-8"
    )
    (tmp_path / "agentroute.toml").write_text(
        '[knowledge.handbook]\ndocuments = ["notes"]\n'
        'description = "team handbook: holidays, expenses, on-call"\n',
        encoding="utf-8",
    )
    requests = ["who rotates the wifi password?", "who rotated the wifi password?"]
    with Agent.from_config(tmp_path / "agentroute.toml", data_dir=tmp_path / "data") as agent:
        turns = [agent.run(request) for request in requests]
    for turn in turns:
        assert [(s.target, s.ok) for s in turn.steps] == [("handbook", True)], turn.answer
        assert "rotated every quarter" in turn.answer

    store = ChromaCaseStore(tmp_path / "data" / "memory", None)
    try:
        cases = {c.turn_id: c for c in store.cases()}
    finally:
        store.close()
    for turn in turns:
        case = cases[turn.turn_id]
        assert case.status is CaseStatus.ACTIVE, (case.task, case.status_reason)
