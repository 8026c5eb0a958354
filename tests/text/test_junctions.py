"""The learned junction model: where it splits what the rules kept whole, where it never
splits, and that its labels and weights come from the benchmark's gold plans (no test split)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from agentroute.text import clauses, split_confident
from agentroute.text._junctions import CONFIDENT, junctions, split_probability

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def read(text: str) -> list[str]:
    return [c.text for c in split_confident(clauses(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "whta is the captial of Egpyt and waht time is it there",
            ["whta is the captial of Egpyt", "waht time is it there"],
        ),
        (
            "poem about cats + python fn to sort a list",
            ["poem about cats", "python fn to sort a list"],
        ),
        (
            "mph to kmh for 55, and knots to kmh for 20",
            ["mph to kmh for 55", "knots to kmh for 20"],
        ),
    ],
)
def test_a_confident_junction_splits_what_the_rules_kept_whole(
    text: str, expected: list[str]
) -> None:
    assert len(clauses(text)) == 1  # the rules alone do not split it
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Add 3, 4 and 5",
        "What is the sum of 17 and 23?",
        "How many days are between 3 March and 5 April?",
        "salt and pepper",
        "What is 2 + 2?",
    ],
)
def test_an_expression_is_never_cut(text: str) -> None:
    assert read(text) == [c.text for c in clauses(text)]


def test_a_quotation_or_an_aside_holds_no_junction() -> None:
    text = "echo 'hello, and then goodbye' (first, then second) please"
    assert junctions(text) == []


def test_a_dotted_name_or_a_code_span_holds_no_junction() -> None:
    """ "resolv.conf" and "`then`" are names, not a sentence's end or a connective."""
    assert junctions("which line of resolv.conf tells the resolver which server to ask") == []
    assert junctions("how does the `then` clause install new rules after a call") == []
    assert [c.text for c in split_confident(clauses("what does str.partition return"))] == [
        "what does str.partition return"
    ]


def test_probabilities_are_probabilities_and_the_threshold_is_strict() -> None:
    found = junctions("what's 12 * 3, then convert 5 km to miles and the capital of Peru")
    assert found
    assert all(0.0 < split_probability(j) < 1.0 for j in found)
    assert 0.5 < CONFIDENT < 1.0
    assert split_confident(clauses("whats 15 precent of 200 and the curency of japan"), 1.0) == (
        clauses("whats 15 precent of 200 and the curency of japan")
    )


def test_labels_come_from_the_gold_plans() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from train_junctions import CUES, labelled, sources, train
    finally:
        sys.path.remove(str(BENCH))
    two = {"request": "What's 14 * 3, then what's 90 / 6?", "split": "dev",
           "steps": [{"keys": ["14", "3"], "depends_on": []}, {"keys": ["90", "6"], "depends_on": []}]}  # fmt: skip
    assert [label for _, label in labelled(two)] == [1]
    one = {
        "request": "Add 3, 4 and 5",
        "split": "dev",
        "steps": [{"keys": ["3"], "depends_on": []}],
    }
    assert [label for _, label in labelled(one)] == [0, 0]
    assert labelled({**one, "decline": True}) == []
    files = sources()
    assert all(r["split"] != "test" for records in files.values() for r in records)
    rows = [row for r in files["chains"] for row in labelled(r)]
    weights, _ = train(rows, steps=50)
    assert weights  # it learns something from one development set
    shipped = json.loads(
        (BENCH.parent / "agentroute" / "text" / "learned" / "junctions.json").read_text()
    )
    assert shipped["cues"] == CUES


def test_the_speller_does_not_take_the_models_misspellings_for_words() -> None:
    from agentroute.text._spelling import _table_words

    shipped = (BENCH.parent / "agentroute" / "text" / "learned" / "junctions.json").read_text()
    assert "captial" in shipped  # a slip from the training requests, in a feature
    assert "captial" not in _table_words()
