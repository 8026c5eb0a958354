"""A question about what one knowledge base found goes to that base first when it is fit
for the question too (real descriptors and candidates, no index)."""

from __future__ import annotations

from agentroute.planning._candidate import Candidate
from agentroute.planning._semantic import _same_source_first
from agentroute.types import TargetDescriptor, TargetKind


def target(name: str, kind: TargetKind) -> TargetDescriptor:
    return TargetDescriptor(name=name, kind=kind, description=f"{name} answers questions")


FACTS = target("facts", TargetKind.KNOWLEDGE)
GEOGRAPHY = target("geography", TargetKind.KNOWLEDGE)
CALC = target("calc.calculate", TargetKind.TOOL)
GENERAL = target("general", TargetKind.EXPERT)


def names(candidates: list[Candidate]) -> list[str]:
    return [c.descriptor.name for c in candidates]


def test_the_base_that_found_the_entity_is_asked_first() -> None:
    ranked = [Candidate(FACTS, 0.6), Candidate(GEOGRAPHY, 0.5), Candidate(GENERAL, 0.3)]
    assert names(_same_source_first(ranked, [GEOGRAPHY])) == ["geography", "facts", "general"]


def test_nothing_moves_when_the_source_is_no_base_or_unfit_or_not_one() -> None:
    ranked = [Candidate(FACTS, 0.6), Candidate(GENERAL, 0.3)]
    assert names(_same_source_first(ranked, [GEOGRAPHY])) == ["facts", "general"]  # not fit
    assert names(_same_source_first(ranked, [CALC])) == ["facts", "general"]  # a tool found it
    both = [Candidate(FACTS, 0.6), Candidate(GEOGRAPHY, 0.5)]
    assert names(_same_source_first(both, [GEOGRAPHY, FACTS])) == ["facts", "geography"]
    # a tool that leads for the question ("add 100 to that year") keeps its place
    tool_first = [Candidate(CALC, 0.7), Candidate(GEOGRAPHY, 0.4)]
    assert names(_same_source_first(tool_first, [GEOGRAPHY])) == ["calc.calculate", "geography"]


def test_there_after_a_bases_question_is_routed_as_the_name_it_gave() -> None:
    from agentroute.planning._semantic import _with_stand_ins
    from agentroute.text import clauses, resolve_references

    asked = resolve_references(
        clauses("What's the capital of Chile and what currency is used there?")
    )
    assert _with_stand_ins(asked[1], set(), {0: "Chile"}) == "what currency is used in Chile?"
    # without a name from a knowledge base the words stay; a computed number reads as one
    assert _with_stand_ins(asked[1], set(), {}) == "what currency is used there?"
    doubled = resolve_references(clauses("Compute 3 * 4, then double it"))
    assert _with_stand_ins(doubled[1], {0}, {0: "Chile"}) == "double 2"
