"""A part that asks the one before again with another value ("..., and the same for 8
miles"), and a follow-up that replaces an operation ("divided by 5 instead")."""

from __future__ import annotations

import pytest

from agentroute.planning._followup import redone
from agentroute.planning._semantic import _unnested
from agentroute.text import clauses


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("Convert 5 miles to km and the same for 8 miles", ["Convert 5 miles to km", "Convert 8 miles to km"]),
        ("what is 20% of 150, and the same percentage of 300?", ["what is 20% of 150", "what is 20% of 300"]),
        ("what time is it in the capital of Peru", ["what is the capital of Peru?", "what time is it there"]),
        ("Convert 5 miles to km and what is 3 * 4", ["Convert 5 miles to km", "what is 3 * 4"]),
    ],
)  # fmt: skip
def test_parts_are_written_out(request_text: str, expected: list[str]) -> None:
    assert [c.text for c in _unnested(clauses(request_text))] == expected


def test_a_part_that_is_no_redo_is_left_alone() -> None:
    assert redone("Convert 5 miles to km", "what is the capital of Peru") is None
    assert redone("How many feet in 3 metres?", "do the same for 7 metres") == (
        "How many feet in 7 metres?"
    )


def test_a_number_taken_first_is_what_it_means() -> None:
    assert [c.text for c in _unnested(clauses("take 360, divide it by 12, then multiply the answer by 5"))] == [
        "divide 360 by 12",
        "multiply the answer by 5",
    ]  # fmt: skip


def test_a_request_frame_cut_off_is_no_part() -> None:
    assert [c.text for c in clauses("and could you also tell me how many metres that is?")] == [
        "tell me how many metres that is?"
    ]
