"""The calc and units tools on numbers as people write them: scale words, 'x', halves,
dozens, postfix words, casual spellings."""

import pytest
from agentroute_tools._calc import calculate
from agentroute_tools._units import convert


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("What's a dozen times 7?", "84"),
        ("two dozen plus 1", "25"),
        ("half a dozen times 2", "12"),
        ("What's 3.5k divided by 7?", "500"),
        ("What's 1.5 million divided by 300?", "5000"),
        ("What is 3 hundred plus 4 hundred?", "700"),
        ("45 x2", "90"),
        ("wats 12x8", "96"),
        ("halve 365", "182.5"),
        ("sqrt of 225", "15"),
        ("squre root 625", "25"),
        ("7 factorial", "5040"),
        ("Times 1440 by 7", "10080"),
        ("Take 5,000 and reduce it by 15%", "4250"),
        ("add 36 and 27 together", "63"),
        ("wat is 9 to the powr of 2", "81"),
        # a power asked with the verb or the noun, a number taken or started with
        ("square 12", "144"),
        ("work out the square of 42", "1764"),
        ("cube 3", "27"),
        ("Take 15% of 300", "45"),
        ("Start with 6 * 6", "36"),
        ("could you quickly work out 17 * 23 for me", "391"),
    ],
)
def test_casual_arithmetic(query: str, value: str) -> None:
    assert calculate(query).text.endswith(f"= {value}")


def test_a_word_beside_a_number_is_not_a_scale() -> None:
    with pytest.raises(ValueError):
        calculate("what is 5 kilograms")


def test_minus_in_words_is_a_negative_quantity() -> None:
    assert convert("convert minus 10 Celsius to Fahrenheit").text == "-10 °C = 14 °F"
    assert convert("negative 40 F in C").text == "-40 °F = -40 °C"


@pytest.mark.parametrize(
    ("query", "value"),
    [
        # a remark before or after the arithmetic, words no rule reads (blind13_route)
        ("whats 17 times 23 lol", "391"),
        ("Can you work out 15 percent of 240 for me, it's for a tip", "36"),
        ("hey can u tell me whats nine squared", "81"),
        ("1/8 as a decimal pls", "0.125"),
        # numbers listed after a function's name, its abbreviation
        ("gcd 48 180", "12"),
        ("avg of 10, 20, 30 and 40", "25"),
    ],
)
def test_remarks_around_the_arithmetic(query: str, value: str) -> None:
    assert calculate(query).text.endswith(f"= {value}")


def test_words_between_numbers_or_a_bare_number_stay_unread() -> None:
    with pytest.raises(ValueError):
        calculate("5 apples minus 3 pears")
    with pytest.raises(ValueError, match="hello"):
        calculate("hello world")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # numbers in words, when the request has no digit (blind13_route)
        ("twenty kilograms in pounds", "20 kg ≈ 44.09245244 lb"),
        ("convert three and a half hours into minutes", "3.5 h = 210 min"),
        ("Twenty-five miles in km", "25 mi = 40.2336 km"),
        ("a mile in metres", "1 mi = 1609.344 m"),
    ],
)
def test_units_read_numbers_in_words(query: str, text: str) -> None:
    assert convert(query).text == text


def test_and_joins_number_words_only_after_a_scale() -> None:
    assert calculate("add twenty and thirty").text == "20 + 30 = 50"
    assert calculate("two thousand minus three hundred and fifty").text == "2000 - 350 = 1650"
