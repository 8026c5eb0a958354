"""The calculator on days between calendar dates, rounding to places or to the nearest ten or
hundred, and primality asked loosely (issue 13, item 7). Written for this test; each expected
value is worked out by hand on a calendar."""

from datetime import date
from fractions import Fraction

import pytest
from agentroute_tools._calc import calculate
from agentroute_tools._dates import date_span

TODAY = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("how many days between 1 March 2026 and 15 April 2026", 45),
        ("number of days from 10 jan 2025 to 3 feb 2025", 24),
        ("how many days between March 3 and June 10, 2026", 99),
        ("days from 2024-02-01 to 2024-03-01", 29),  # a leap year
        ("how many days until christmas", 17),
        ("how many days are left till new year?", 24),
        ("days until 8 december", 0),
        ("how many days until halloween", 327),  # this year's is past: next year's
        ("how many days since 1 January", 341),
        ("how many days from today to 25 december", 17),
    ],
)
def test_days_between_dates_are_counted_on_the_calendar(text: str, days: int) -> None:
    span = date_span(text, today=TODAY)
    assert span is not None and abs(span.days) == days


@pytest.mark.parametrize(
    "text", ["how many days from 3 to 17", "how many days in 3 weeks", "what day is it", "17 * 23"]
)
def test_numbers_that_are_no_dates_are_no_span(text: str) -> None:
    assert date_span(text, today=TODAY) is None


def test_the_calculator_answers_a_span_in_days() -> None:
    result = calculate("how many days between 2 jan 2026 and 1 mar 2026")
    assert result.value == 58 and result.text.startswith("58 days")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("round 1234 to the nearest hundred", 1200),
        ("round 47 to the nearest ten", 50),
        ("round 3.14159 to two decimal places", Fraction("3.14")),
        ("what is 2.71828 rounded to 3 decimal places", Fraction("2.718")),
        ("round 0.456 to the nearest tenth", Fraction("0.5")),
        ("round 10/3 to 2 dp", Fraction("3.33")),
        ("round 17.6 to the nearest whole number please", 18),
    ],
)
def test_rounding_to_places_and_to_the_nearest_ten(text: str, value: Fraction | int) -> None:
    assert calculate(text).value == value


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("can u tell me if 221 is prime", "221 is not prime"),
        ("prime check 1009", "1009 is prime"),
        ("primality test for 91", "91 is not prime"),
        ("97 prime or not", "97 is prime"),
    ],
)
def test_primality_asked_loosely(text: str, verdict: str) -> None:
    assert calculate(text).text.startswith(verdict)
