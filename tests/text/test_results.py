"""What an earlier step's result gives the step that refers to it."""

import pytest

from agentroute.text import PrincipalValue, list_numbers, principal_value, value_for


@pytest.mark.parametrize(
    ("result", "data", "expected"),
    [
        ("3 ft = 91.44 cm [units.convert]", None, PrincipalValue("91.44", "cm")),
        ("2 lb ≈ 0.907184 kg", None, PrincipalValue("0.907184", "kg")),
        ("9 * 9 = 81", None, PrincipalValue("81", "")),
        ("whatever text", {"result": "1,250", "to_unit": "m"}, PrincipalValue("1250", "m")),
        ("whatever", {"value": 2.5}, PrincipalValue("2.5", "")),
        ("The lake is 1,642 m deep.", None, PrincipalValue("1642", "m")),
        ("size: 43\ncreated: today", None, PrincipalValue("43", "")),
        ("No number here", None, None),
    ],
)
def test_principal_value(result: str, data: object, expected: PrincipalValue | None) -> None:
    assert principal_value(result, data) == expected


RESULT = "3 ft = 91.44 cm [units.convert]"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("double {{s1}}", "91.44"),  # arithmetic takes the number
        ("subtract 4 from {{s1}}", "91.44"),
        ("what is {{s1}} in inches", "91.44 cm"),  # a conversion takes the quantity
        ("convert {{s1}} metres to feet", "91.44"),  # the clause names the unit itself
    ],
)
def test_a_tool_gets_the_value_in_the_form_its_clause_needs(query: str, expected: str) -> None:
    at = query.index("}}") + 2
    assert value_for(query, at, RESULT, None, takes_text=False) == expected


def test_a_text_target_gets_the_whole_text() -> None:
    assert value_for("translate {{s1}}", 16, RESULT, None, takes_text=True) == "3 ft = 91.44 cm"


def test_a_result_without_a_number_is_passed_whole() -> None:
    text = "alpha line\nbeta line"
    assert value_for("echo {{s1}}", 11, text, None, takes_text=False) == text


TABLE = "item,amount\nrent,1200\nfood,450\ntravel,300 [filesystem.read_file]"
FILE_INFO = "size: 43\ncreated: Sun Dec 06 2026 04:43:31\nisFile: true"


@pytest.mark.parametrize(
    ("query", "result", "expected"),
    [
        ("add up the amounts in {{s1}}", TABLE, "1200, 450 and 300"),  # a table's numbers
        ("what is the average of the values in {{s1}}", "- 3\n- 4\n- 8", "3, 4 and 8"),
        ("total {{s1}}", "a 1\nb 2", "1 and 2"),
        ("add 10 to {{s1}}", TABLE, "1200"),  # a number of its own: not adding up the rows
        ("add up {{s1}}", FILE_INFO, "43"),  # a row without a number: not a table
        ("add up {{s1}}", "2 + 3 = 5\n4 + 4 = 8", "8"),  # stated results, not a list
        ("double {{s1}}", TABLE, "1200"),  # not an aggregate: the principal value
    ],
)
def test_adding_up_a_result_takes_its_rows_numbers(query: str, result: str, expected: str) -> None:
    at = query.index("}}") + 2
    assert value_for(query, at, result, None, takes_text=False) == expected


def test_list_numbers_reads_one_number_per_row() -> None:
    assert list_numbers("name,qty,price\napple,3,1.5\npear,2,−0.5") == ["1.5", "-0.5"]
    assert list_numbers("only one line 42") == []


@pytest.mark.parametrize("takes_text", [True, False])
def test_a_knowledge_answer_passes_its_entity_not_its_passage(takes_text: bool) -> None:
    passage = "Passages retrieved ...\n  > Cairo —lies_on_river→ Nile (source: bundled:geography)"
    data = {"paths": [], "answer": "Nile"}
    query = "How long is {{s1}}?"
    assert value_for(query, 16, passage, data, takes_text=takes_text) == "Nile"
    # Without an answer in the structured result, a text target still gets the whole text.
    assert value_for(query, 16, passage, {"paths": []}, takes_text=True) == passage
