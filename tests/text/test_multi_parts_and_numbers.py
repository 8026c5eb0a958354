"""Parts people run together and numbers they say in words (session 16): where one part ends
and the next begins, and where a word joins two numbers of one calculation instead."""

import pytest

from agentroute.text import carries_unit, digits_for_words, split_clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers said in words, operated on, read as digits: each operation whole
        ("twenty times thirty and forty divided by eight", ["20 times 30", "40 divided by 8"]),
        ("nine times nine, eight times eight", ["9 times 9", "8 times 8"]),
        (
            "what is a hundred minus seventy-three and who discovered radium",
            ["what is a hundred minus seventy-three", "who discovered radium"],
        ),
        # a list of numbers said in words is what the sum works on, not a greeting
        ("sum of one, two and three", ["sum of one, two and three"]),
        # numbers that only count the parts stay words ("Two quick ones.")
        (
            "Two quick ones. A 250 dollar item with 7.5% tax? And 1.5 days in hours?",
            ["A 250 dollar item with 7.5% tax?", "1.5 days in hours?"],
        ),
        ("fourty five times twelve", ["fourty five times twelve"]),
        # an operation named without its article opens a part as "the X of" does
        ("gcd of 84 and 126 & lcm of 4 and 6", ["gcd of 84 and 126", "lcm of 4 and 6"]),
        ("sum of 1, 2 and 3", ["sum of 1, 2 and 3"]),
        # words before a colon that only point at a list of whole calculations are no frame
        (
            "Need these for a worksheet: 88 + 12, 90 - 45, and 6 * 7.",
            ["88 + 12", "90 - 45", "6 * 7"],
        ),
        # "plus" between two calculations is arithmetic; before another ask it joins parts
        ("what is 3 squared plus 4 squared", ["what is 3 squared plus 4 squared"]),
        (
            "what's 25 times 4 plus the capital of egypt",
            ["what's 25 times 4", "the capital of egypt"],
        ),
        # the same frame twice, joined by "plus"
        ("git log plus git branches", ["git log", "git branches"]),
        # "and" written short before a part that opens anew
        (
            "whats 7 x 6 n whats the capital of portugal",
            ["whats 7 x 6", "whats the capital of portugal"],
        ),
        ("what is n factorial", ["what is n factorial"]),
        # a bare fragment after "also": a number, or a thing asked of a named one after a number
        (
            "what time is it in UTC now also 14:00 UTC in Tokyo",
            ["what time is it in UTC now", "14:00 UTC in Tokyo"],
        ),
        (
            "10 km in miles also 2^10 also capital of kenya",
            ["10 km in miles", "2^10", "capital of kenya"],
        ),
        ("which countries also border austria", ["which countries also border austria"]),
        # list marks in parentheses, and a counted list announced before a spaced dash
        (
            "Please: (a) 13 * 17 (b) 2 to the 8th (c) capital of Kenya",
            ["13 * 17", "2 to the 8th", "capital of Kenya"],
        ),
        (
            "i need 3 things - 17 times 3, the capital of mexico, and the time in mexico city",
            ["17 times 3", "the capital of mexico", "the time in mexico city"],
        ),
    ],
)
def test_parts_and_numbers(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("whats 2 thousand times 3", "whats 2000 times 3"),
        ("40 percent of 2 hundred", "40 percent of 200"),
        ("1.5 million plus 2", "1500000 plus 2"),
        ("two thousand minus three hundred and fifty", "2000 minus 350"),
    ],
)
def test_a_numeral_with_its_scale_word_is_one_number(text: str, expected: str) -> None:
    assert digits_for_words(text) == expected


@pytest.mark.parametrize(
    "text", ["how many inches in 2 and a half feet", "how many minutes in two and a half hours"]
)
def test_a_whole_and_a_part_of_one_goes_on_to_its_unit(text: str) -> None:
    assert carries_unit(text)


def test_a_part_of_one_is_no_unit_of_bare_numbers() -> None:
    assert not carries_unit("2 and a half times 4")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("capital of Kenya an the time in UTC", ["capital of Kenya", "the time in UTC"]),
        (
            "capital of Portugal ans who invented radio",
            ["capital of Portugal", "who invented radio"],
        ),
        ("give me an estimate of 40 times 3", ["give me an estimate of 40 times 3"]),
        ("write an echo of hello", ["write an echo of hello"]),
    ],
)
def test_an_slipped_for_and_before_a_part(text: str, expected: list[str]) -> None:
    """'an' or 'ans' before a word an article never stands before joins two parts; an article
    before a vowel stays one."""
    assert split_clauses(text) == expected


@pytest.mark.parametrize("text", ["three quarters of 200", "one fifth of 45", "two thirds of 9"])
def test_a_fraction_of_a_number_carries_no_unit(text: str) -> None:
    assert not carries_unit(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "convert 4 km to miles and 12 to feet",
            ["convert 4 km to miles", "convert 12 km to feet"],
        ),
        (
            "what's 20 kg in pounds and the same in ounces",
            ["what's 20 kg in pounds", "what's 20 kg in ounces"],
        ),
        (
            "what is 2 to the power of 10 and 3 to the power of 4",
            ["what is 2 to the power of 10", "what is 3 to the power of 4"],
        ),
    ],
)
def test_a_second_quantity_takes_the_first_ones_unit(text: str, expected: list[str]) -> None:
    """A number written without its unit, or "the same", after a quantity with one is a
    quantity of that unit; bare numbers carry none."""
    assert split_clauses(text) == expected
