"""How a clause that refers back reads while it is routed (agentroute/planning/_semantic.py):
the left operand of an operation reads as a number whatever step gives it, and "there" after
a base's question written in lower case reads as what that question asked about."""

from __future__ import annotations

from agentroute.planning._semantic import _asked_about, _with_stand_ins
from agentroute.text import clauses, resolve_references


def routed(request: str, computed: set[int], named: dict[int, str] | None = None) -> str:
    part = resolve_references(clauses(request))[-1]
    return _with_stand_ins(part, computed, named)


def test_a_left_operand_reads_as_a_number_from_any_step() -> None:
    assert routed("gold atomic number, times 2", computed=set()) == "2 times 2"


def test_a_reference_that_is_no_operand_keeps_its_words_unless_computed() -> None:
    assert routed("What's the capital of Peru? Translate it into French.", set()) == (
        "Translate it into French"
    )
    assert routed("Add 3 and 4, then double it.", computed={0}) == "double 2"


def test_there_reads_as_what_the_base_was_asked_about() -> None:
    assert _asked_about("capital of kenya") == "Kenya"
    assert _asked_about("What is the capital of Japan?") == "Japan"
    assert _asked_about("which river flows through vienna") is None
    assert routed("capital of kenya, time there", set(), {0: "Kenya"}) == "time in Kenya"


def test_a_possessive_keeps_its_noun_around_the_number() -> None:
    assert routed("Compute 6 * 7. Then work out its square.", computed={0}) == (
        "work out the square of 2"
    )


def test_a_reference_where_a_place_goes_reads_as_the_name_asked_about() -> None:
    # "second" of "the second one" would read as a unit of time
    named = {0: "Chile", 1: "Ghana"}
    assert routed("capitals of Chile and Ghana, then the time in the second one", set(), named) == (
        "the time in Ghana"
    )
    # not after a place preposition: the reference keeps its words
    assert routed("capitals of Chile and Ghana, then translate the second one", set(), named) == (
        "translate the second one"
    )


def test_an_expert_is_chosen_by_what_the_clause_asks_without_its_references() -> None:
    from agentroute.planning._semantic import _without_references

    def bare(request: str) -> str:
        return _without_references(resolve_references(clauses(request))[-1])

    assert bare("What does the deny effect do? Write me an example rule using it.") == (
        "Write me an example rule"
    )
    assert bare("Explain how the server starts, and write a Dockerfile that does it.") == (
        "write a Dockerfile"
    )
    assert bare("Read todo.md and translate it into French.") == "translate into French"
