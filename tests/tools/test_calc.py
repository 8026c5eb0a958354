"""The calc tool's parser and evaluator: many phrasings, exact results, safe failures."""

from fractions import Fraction

import pytest
from agentroute_tools._calc import CalcError, calculate, format_number


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("What is 17 * 23", "17 * 23 = 391"),
        ("what is 17 * 23?", "17 * 23 = 391"),
        ("17 times 23", "17 * 23 = 391"),
        ("17 multiplied by 23", "17 * 23 = 391"),
        ("multiply 17 by 23", "17 * 23 = 391"),
        ("the product of 17 and 23", "17 * 23 = 391"),
        ("17 x 23", "17 * 23 = 391"),
        ("17 × 23", "17 * 23 = 391"),
        ("seventeen times twenty-three", "17 * 23 = 391"),
        ("what is 2 to the power of 10", "2 ** 10 = 1024"),
        ("2 raised to the power of 10", "2 ** 10 = 1024"),
        ("2^10", "2 ** 10 = 1024"),
        ("2 to the 10th power", "2 ** 10 = 1024"),
        ("3 squared", "3 ** 2 = 9"),
        ("3 cubed", "3 ** 3 = 27"),
        ("round 6.613867866", "round(6.613867866) = 7"),
        ("what is 55.9234073 rounded", "round(55.9234073) = 56"),
        ("round 13.6 to the nearest whole number", "round(13.6) = 14"),
        ("round 2.5", "round(2.5) = 3"),
        ("round -2.5", "round(-2.5) = -3"),
        ("What is 35.5 doubled?", "35.5 * 2 = 71"),
        ("12 halved", "12 / 2 = 6"),
        ("12.5% of 80", "12.5 / 100 * 80 = 10"),
        ("what's 20 percent of 150?", "20 / 100 * 150 = 30"),
        ("square root of 144", "sqrt(144) = 12"),
        ("what is the square root of 2", "sqrt(2) ≈ 1.41421356237"),
        ("cube root of 27", "cbrt(27) = 3"),
        ("(3+4)*5", "(3 + 4) * 5 = 35"),
        ("divide 10 by 4", "10 / 4 = 2.5"),
        ("10 divided by 4", "10 / 4 = 2.5"),
        ("10 / 3", "10 / 3 = 10/3 ≈ 3.33333333333"),
        ("0.1 + 0.2", "0.1 + 0.2 = 0.3"),
        ("add 5 and 7", "5 + 7 = 12"),
        ("add 5 to 7", "7 + 5 = 12"),
        ("5 plus 7", "5 + 7 = 12"),
        ("the sum of 4 and 5", "4 + 5 = 9"),
        ("subtract 3 from 10", "10 - 3 = 7"),
        ("10 minus 3", "10 - 3 = 7"),
        ("the difference between 10 and 3", "10 - 3 = 7"),
        ("10 mod 3", "10 % 3 = 1"),
        ("the remainder of 10 divided by 3", "10 % 3 = 1"),
        ("5!", "factorial(5) = 120"),
        ("factorial of 10", "factorial(10) = 3628800"),
        ("what is the average of 2, 4 and 6", "mean(2, 4, 6) = 4"),
        ("half of 9", "0.5 * 9 = 4.5"),
        ("what's 1,234 + 4,321?", "1234 + 4321 = 5555"),
        ("-5 + 3", "-5 + 3 = -2"),
        ("2 ** -2", "2 ** (-2) = 0.25"),
        ("calculate 9 minus 3 times 2", "9 - 3 * 2 = 3"),
        ("one hundred and five plus 3", "105 + 3 = 108"),
        ("2^100", "2 ** 100 = 1267650600228229401496703205376"),
        ("1e3 * 2", "1000.0 * 2 = 2000"),
    ],
)
def test_phrasings(query, text):
    assert calculate(query).text == text


def test_exact_fractions_not_floats():
    result = calculate("1/3 + 1/6")
    assert result.value == Fraction(1, 2) and not result.approximate
    assert calculate("0.1 * 3").value == Fraction(3, 10)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("7 divided by 0", "division by zero"),
        ("hello world", "did not understand: hello, world"),
        ("import os", "did not understand: import, os"),
        ('__import__("os").system("ls")', "could not read"),
        ("(1 + 2", "could not read"),
        ("2 ** 99999999", "exponents above"),
        ("10 ** 5000", "too large"),
        ("factorial of 100000", "factorials above"),
        ("square root of -4", "not a real number"),
        ("what is the capital of France", "could not read"),
        ("", "could not read"),
        ("[1, 2][0]", "could not read"),
    ],
)
def test_errors_are_helpful(query, message):
    with pytest.raises(CalcError) as info:
        calculate(query)
    assert message in str(info.value)


def test_unparseable_suggests_examples():
    with pytest.raises(CalcError, match=r"Try e\.g\."):
        calculate("blah")


@pytest.mark.parametrize(
    ("value", "text"),
    [(Fraction(391), "391"), (Fraction(5, 2), "2.5"), (Fraction(1, 3), "1/3 ≈ 0.333333333333")],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # primality
        ("is 97 prime?", "97 is prime"),
        ("is 91 a prime number?", "91 is not prime: 91 = 7 × 13"),
        ("check whether 7919 is prime", "7919 is prime"),
        ("is 1 prime", "1 is not prime (primes are whole numbers from 2 up)"),
        ("is_prime(2 ** 61 - 1)", "2305843009213693951 is prime"),
        # percentages
        ("what percent is 30 of 120", "30 / 120 * 100 = 25"),
        ("30 is what percentage of 120?", "30 / 120 * 100 = 25"),
        ("what percentage of 120 is 30", "30 / 120 * 100 = 25"),
        ("5 out of 20 as a percentage", "5 / 20 * 100 = 25"),
        ("increase 200 by 15%", "200 * (100 + 15) / 100 = 230"),
        ("decrease 80 by 25 percent", "80 * (100 - 25) / 100 = 60"),
        ("15% off 80", "80 * (100 - 15) / 100 = 68"),
        ("percentage change from 50 to 65", "(65 - 50) / 50 * 100 = 30"),
        # integer operations
        ("gcd of 48 and 36", "gcd(48, 36) = 12"),
        ("the greatest common divisor of 12, 18 and 24", "gcd(12, 18, 24) = 6"),
        ("highest common factor of 8 and 12", "gcd(8, 12) = 4"),
        ("least common multiple of 4 and 6", "lcm(4, 6) = 12"),
        ("lcm(4, 6)", "lcm(4, 6) = 12"),
        ("17 modulo 5", "17 % 5 = 2"),
        # powers and roots in words
        ("the 4th root of 81", "81 ** (1 / 4) = 3"),
        ("fifth root of 32", "32 ** (1 / 5) = 2"),
        ("10 to the third power", "10 ** 3 = 1000"),
        ("factorial of 6", "factorial(6) = 720"),
    ],
)
def test_more_phrasings(query, text):
    assert calculate(query).text == text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("is 2.5 prime", "whole numbers"),
        ("gcd of 2.5 and 5", "whole numbers"),
        ("the 4th root of -16", "4th root of a negative number"),
    ],
)
def test_more_errors(query, message):
    with pytest.raises(CalcError, match=message):
        calculate(query)


def test_is_prime_agrees_with_trial_division():
    from agentroute_tools._calc import is_prime

    def slow(n: int) -> bool:
        return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))

    assert [n for n in range(2000) if is_prime(n)] == [n for n in range(2000) if slow(n)]
    assert not is_prime(3215031751)  # a strong pseudoprime to bases 2, 3, 5 and 7


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # word problems: N things with M each, a rate for a span
        ("If I have 4 crates with 25 bottles each, how many bottles?", "4 * 25 = 100"),
        ("seven shelves holding 30 books apiece", "7 * 30 = 210"),
        ("a car doing 60 km/h for 2 hours: how far?", "60 * 2 = 120"),
        ("she earns 18 dollars an hour for 40 hours", "18 * 40 = 720"),
        # a question after the facts stated before it
        ("The bill is 60 and we're 4 people; what's 60 / 4?", "60 / 4 = 15"),
        # adding up the numbers of a list named by what they are
        ("add up the amounts in 1200, 450 and 300", "sum(1200, 450, 300) = 1950"),
        ("sum the numbers 1, 2, 3", "sum(1, 2, 3) = 6"),
        ("average the values in 2, 4 and 9", "mean(2, 4, 9) = 5"),
        # not word problems: plain arithmetic keeps its reading
        ("add 5 to 7", "7 + 5 = 12"),
        ("3 * 12", "3 * 12 = 36"),
    ],
)
def test_word_problems_and_stated_facts(query, text):
    assert calculate(query).text == text


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("a third of 120", "1 / 3 * 120 = 40"),
        ("two thirds of 90", "2 / 3 * 90 = 60"),
        ("3 quarters of 80", "3 / 4 * 80 = 60"),
        ("a fifth of 50", "1 / 5 * 50 = 10"),
        ("cube root 27", "cbrt(27) = 3"),
        ("15% tip on 80", "15 / 100 * 80 = 12"),
        ("8 percent tax for 250", "8 / 100 * 250 = 20"),
        ("wats 15 pct of 300", "15 / 100 * 300 = 45"),
        ("1/4 of 200", "1 / 4 * 200 = 50"),
        ("1 1/2 + 2", "1 + 1 / 2 + 2 = 3.5"),  # a mixed number is no part "of" anything
    ],
)
def test_parts_roots_and_percentages_as_people_say_them(query, text):
    assert calculate(query).text == text


def test_a_part_needs_its_quantity():
    with pytest.raises(CalcError):
        calculate("a third of the cake")
