"""Exact arithmetic from natural language, without ``eval``.

The text is rewritten into an arithmetic expression ("17 times 23" → ``17 * 23``), parsed with
``ast`` and evaluated over ``Fraction`` with only numeric literals, + - * / // % ** and a few
named functions allowed; exponent and result sizes are bounded so no input can hang us.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from agentroute_tools._dates import date_span
from agentroute_tools._decimal_commas import decimal_points
from agentroute_tools._fuzzy import WORDS, correct_words
from agentroute_tools._word_problems import word_problem

__all__ = ["CalcError", "CalcResult", "calculate", "format_number", "is_prime", "to_expression"]

MAX_EXPONENT = 10_000
MAX_RESULT_BITS = 4_000
MAX_FACTORIAL = 300
MAX_ROOT = 64


class CalcError(ValueError):
    """The text is not arithmetic we can do; the message says what went wrong."""


@dataclass(frozen=True)
class CalcResult:
    expression: str
    value: Fraction
    approximate: bool
    verdict: str | None = None
    """A yes/no answer in words ("97 is prime"), when the question asked for one."""

    @property
    def text(self) -> str:
        if self.verdict is not None:
            return self.verdict
        sign = "≈" if self.approximate else "="
        return f"{self.expression} {sign} {format_number(self.value, self.approximate)}"


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000,
}  # fmt: skip
# "3 hundred", "1.5 million", "3.5k": a numeral times its scale word
_SCALED = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(dozen|hundred|thousand|million|billion|k)\b")
_NUMBER_WORD = "|".join([*_UNITS, *_SCALES])
_SCALE_AND = "|".join(rf"(?<={w})\s+and\s+" for w in _SCALES)
# "three hundred and fifty" is one number, "twenty and thirty" two ("add twenty and thirty")
_NUMBER_RUN = re.compile(rf"\b(?:{_NUMBER_WORD})(?:(?:\s+|-|{_SCALE_AND})(?:{_NUMBER_WORD}))*\b")
_ANY_CASE_RUN = re.compile(_NUMBER_RUN.pattern, re.IGNORECASE)

_LEADING = re.compile(
    r"^(?:(?:please|hey|ok|so|can you|can u|could you|could u|would you|tell me|give me|i need|i want|"
    r"what is|what's|whats|what are|how much is|how much are|calculate|compute|evaluate|"
    r"work out|solve|find|determine|the value of|the result of|the answer to|value of|result of|"
    r"quickly|just|now|"
    r"the|exactly)\s+)+"
)
_TRAILING = re.compile(
    r"(?:\s*(?:\?|\.|!|=|equals?|please|exactly|for me|(?:as|in)\s+(?:an?\s+)?decimals?"
    r"(?:\s+number)?|(?:as|in)\s+(?:a\s+)?(?:fraction|number)))+\s*$"
)
_VOCABULARY = frozenset(WORDS["calc_words"])
_FILLER = frozenset(WORDS["calc_filler"])
# "1 and 1/2", "2 3/4": a whole number and a proper fraction are one mixed number.
_MIXED = re.compile(r"(?<![\w./])(?<!add\s)(\d+)\s+(?:and\s+)?(\d+)\s*/\s*(\d+)(?![\w./])")

_NUM = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"
_ATOM = rf"(?:{_NUM}|\([^()]*\)|(?:sqrt|cbrt|factorial|abs|round)\([^()]*\))"
_PCT = r"\s*(?:%|percent|per\s*cent)"
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
_ORDINAL_WORD = re.compile(
    rf"\b({'|'.join(_ORDINALS)})(?=\s+(?:power|root)\b)|(?<=\bto\sthe\s)({'|'.join(_ORDINALS)})\b"
)
"""An ordinal said in words where it counts: "the fifth root", "2 to the tenth"."""

# (pattern, replacement) applied in order; prefix forms first, then infix words.
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        # primality: "is 97 prime", "is 91 a prime number?", "check whether 7 is prime"
        (r"^is\s+(.+?)\s+(?:a\s+)?prime(?:\s+number)?(?:\s+or\s+not)?$", r"is_prime(\1)"),
        (
            r"^(?:check\s+|tell\s+me\s+)?(?:if|whether)\s+(.+?)\s+is\s+(?:a\s+)?prime"
            r"(?:\s+number)?(?:\s+or\s+not)?$",
            r"is_prime(\1)",
        ),
        (r"^(?:the\s+)?primality\s+(?:of|test\s+(?:of|for))\s+(.+)$", r"is_prime(\1)"),
        # "prime check 1009", "primality test 97", "97 prime or not", "97, is it prime"
        (r"^(?:prime|primality)\s+(?:check|test)\s+(?:of\s+|for\s+|on\s+)?(.+)$", r"is_prime(\1)"),
        (
            r"^(.+?),?\s+(?:(?:is\s+it\s+)?(?:a\s+)?prime(?:\s+number)?\s+or\s+not|is\s+it\s+(?:a\s+)?prime)$",
            r"is_prime(\1)",
        ),
        # percentages: "what percent is 30 of 120", "30 is what percentage of 120"
        (
            r"^what\s+(?:percent(?:age)?|%)\s+(?:is|are)\s+(.+?)\s+(?:of|out\s+of)\s+(.+)$",
            r"(\1) / (\2) * 100",
        ),
        (
            r"^what\s+(?:percent(?:age)?|%)\s+of\s+(.+?)\s+(?:is|are)\s+(.+)$",
            r"(\2) / (\1) * 100",
        ),
        (
            r"^(.+?)\s+(?:is|are)\s+what\s+(?:percent(?:age)?|%)\s+of\s+(.+)$",
            r"(\1) / (\2) * 100",
        ),
        (
            r"^(.+?)\s+(?:out\s+of|of)\s+(.+?)\s+(?:as|in)\s+(?:a\s+)?(?:percent(?:age)?|%)$",
            r"(\1) / (\2) * 100",
        ),
        (r"^(.+?)\s+as\s+a\s+percent(?:age)?\s+of\s+(.+)$", r"(\1) / (\2) * 100"),
        (
            r"^(?:the\s+)?percent(?:age)?\s+(?:change|increase|decrease|difference)\s+"
            r"from\s+(.+?)\s+to\s+(.+)$",
            r"((\2) - (\1)) / (\1) * 100",
        ),
        (
            rf"^(?:increase|raise|grow)\s+(.+?)\s+by\s+(.+?){_PCT}$",
            r"(\1) * (100 + (\2)) / 100",
        ),
        (
            rf"^(?:decrease|reduce|lower|cut|discount)\s+(.+?)\s+by\s+(.+?){_PCT}$",
            r"(\1) * (100 - (\2)) / 100",
        ),
        (
            rf"^(.+?)\s+(?:increased|raised|plus|\+)\s+(?:by\s+)?(.+?){_PCT}$",
            r"(\1) * (100 + (\2)) / 100",
        ),
        (
            rf"^(.+?)\s+(?:decreased|reduced|minus|less|-)\s+(?:by\s+)?(.+?){_PCT}$",
            r"(\1) * (100 - (\2)) / 100",
        ),
        (rf"^(.+?){_PCT}\s+off\s+(?:of\s+)?(.+)$", r"(\2) * (100 - (\1)) / 100"),
        # integer operations: greatest common divisor and least common multiple
        (
            r"\b(?:the\s+)?(?:gcd|gcf|hcf|greatest\s+common\s+(?:divisor|factor)|"
            r"highest\s+common\s+factor)\s+(?:of\s+)?(.+)",
            r"gcd(\1)",
        ),
        (
            r"\b(?:the\s+)?(?:lcm|(?:least|lowest|smallest)\s+common\s+multiple)\s+"
            r"(?:of\s+)?(.+)",
            r"lcm(\1)",
        ),
        # an n-th root: "the 4th root of 81", "fifth root of 32"
        (rf"\b(?:the\s+)?(\d+)(?:st|nd|rd|th)\s+root\s+of\s+({_ATOM})", r"(\2) ^ (1 / \1)"),
        # "the square of 12", "cube of 4": a power said as a noun
        (rf"\b(?:the\s+)?square\s+of\s+({_ATOM})", r"(\1) ^ 2"),
        (rf"\b(?:the\s+)?cube\s+of\s+({_ATOM})", r"(\1) ^ 3"),
        (r"^(?:cut|split|divide)\s+(.+?)\s+in(?:to)?\s+(?:half|two)$", r"(\1) / 2"),
        (r"\bdivide\s+(.+?)\s+by\s+(.+)", r"(\1) / (\2)"),
        (r"^times\s+(.+?)\s+by\s+(.+)", r"(\1) * (\2)"),
        (r"\bmultipl(?:y|ied)\s+(.+?)\s+(?:by|and|with)\s+(.+)", r"(\1) * (\2)"),
        # "sum of 1 to 100", "add up all the numbers from 1 to 10": every whole number of
        # the range, added as the series it is
        (
            r"\b(?:(?:the\s+)?(?:sum|total)\s+of|(?:add|sum)(?:\s+up)?(?=\s+(?:all\s+)?"
            r"(?:the\s+)?(?:(?:whole|natural|positive)\s+)?(?:numbers|integers)\b))\s+"
            r"(?:all\s+)?(?:the\s+)?(?:(?:whole|natural|positive)\s+)?(?:(?:numbers|integers)\s+)?"
            r"(?:from\s+)?(\d+)\s+(?:to|through|thru|until|till|up\s+to|-)\s+(\d+)\b",
            r"((\1) + (\2)) * ((\2) - (\1) + 1) / 2",
        ),
        (r"\b(?:add(?:\s+up)?|(?:the\s+)?(?:sum|total)\s+of)\s+(.+?,.+)", r"sum(\1)"),
        (r"\badd\s+(.+?)\s+to\s+(.+)", r"(\2) + (\1)"),
        (r"\badd\s+(.+?)\s+and\s+(.+)", r"(\1) + (\2)"),
        (rf"\bsubtract\s+(.+?){_PCT}\s+from\s+(.+)", r"(\2) * (100 - (\1)) / 100"),
        (rf"\badd\s+(.+?){_PCT}\s+to\s+(.+)", r"(\2) * (100 + (\1)) / 100"),
        (r"\bsubtract\s+(.+?)\s+from\s+(.+)", r"(\2) - (\1)"),
        # "7 taken away from 50", "15 subtracted from 92": the subtraction said backwards
        (r"^(.+?)\s+(?:taken\s+(?:away\s+)?from|subtracted\s+from)\s+(.+)$", r"(\2) - (\1)"),
        # "12 times itself", "8 multiplied by itself": the number squared
        (rf"({_ATOM})\s+(?:times|multiplied\s+by)\s+itself\b", r"(\1) ^ 2"),
        # "take away 43 from 343", "take 8 off 48": a subtraction said with "take"
        (r"\btake\s+away\s+(.+?)\s+from\s+(.+)", r"(\2) - (\1)"),
        (r"\btake\s+(.+?)\s+(?:off(?:\s+of)?|away\s+from|from)\s+(.+)", r"(\2) - (\1)"),
        (r"\braise\s+(.+?)\s+to\s+the\s+power\s+(?:of\s+)?(.+)", r"(\1) ^ (\2)"),
        # "divide the sum of 18 and 30 by 4": inside the brackets the divide rule made, the
        # sum ends where they close
        (r"\b(?:the\s+)?sum\s+of\s+(.+?)\s+and\s+([^()]+?)(?=\)|$)", r"((\1) + (\2))"),
        (r"\b(?:the\s+)?product\s+of\s+(.+?)\s+and\s+([^()]+?)(?=\)|$)", r"((\1) * (\2))"),
        (
            r"\b(?:the\s+)?difference\s+(?:between|of)\s+(.+?)\s+and\s+([^()]+?)(?=\)|$)",
            r"((\1) - (\2))",
        ),
        # "between 45 and 60, what's the difference": the difference asked after its numbers
        (
            r"^between\s+(.+?)\s+and\s+(.+?)[\s,]+(?:whats\s+|what\s+is\s+)?(?:the\s+)?"
            r"difference$",
            r"abs((\1) - (\2))",
        ),
        # "how many years between 1990 and 2024", "how many days from 3 to 17": the span
        (
            r"^how\s+many\s+(?:years|days)\s+(?:are\s+there\s+|is\s+it\s+|"
            r"passed\s+|have\s+passed\s+)?(?:between|from)\s+(.+?)\s+(?:and|to|until|till)\s+(.+)$",
            r"abs((\2) - (\1))",
        ),
        # "how many decades between 1990 and 2020": the span in tens
        (
            r"^how\s+many\s+decades\s+(?:are\s+there\s+|have\s+passed\s+)?"
            r"(?:between|from)\s+(.+?)\s+(?:and|to|until|till)\s+(.+)$",
            r"abs((\2) - (\1)) / 10",
        ),
        # "how many numbers are there between 1 and 10": those strictly between
        (
            r"^how\s+many\s+(?:whole\s+)?(?:numbers|integers)\s+(?:are\s+there\s+)?"
            r"between\s+(.+?)\s+and\s+(.+)$",
            r"abs((\2) - (\1)) - 1",
        ),
        (r"\b(?:the\s+)?quotient\s+of\s+(.+?)\s+(?:and|by)\s+(.+)", r"(\1) / (\2)"),
        (
            r"\b(?:the\s+)?remainder\s+(?:of|when)\s+(.+?)\s+(?:is\s+)?divided\s+by\s+(.+)",
            r"(\1) % (\2)",
        ),
        (r"\b(?:the\s+)?(?:average|avg|mean)\s+of\s+(.+)", r"mean(\1)"),
        # "square 4", "the square of 42", "cube 3": a power, not the roots below
        (r"^(?:the\s+)?square\s+(?:of\s+)?(?!root\b)(.+)", r"(\1) ^ 2"),
        (r"^(?:the\s+)?cube\s+(?:of\s+)?(?!root\b)(.+)", r"(\1) ^ 3"),
    ]
]
_FUNCTION_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"\b(?:the\s+)?(?:square\s+root|sqrt)(?:\s+of)?\s+", "sqrt "),
        (r"\b(?:the\s+)?cube\s+root(?:\s+of)?\s+", "cbrt "),
        (r"\b(?:the\s+)?factorial\s+of\s+", "factorial "),
        (r"\b(?:the\s+)?absolute\s+value\s+of\s+", "abs "),
        (r"\bhalf\s+of\s+|\bhalve\s+|\bhalf\s+(?:an?\s+)?(?=\d)", "0.5 * "),
        (r"\b(?:twice|double)\s+", "2 * "),
        (r"\btriple\s+", "3 * "),
        (r"\bnegative\s+", "-"),
        # "round 6.61", "round off 49.7": to the nearest whole number
        (r"\bround(?:\s+(?:off|up|down))?\s+(?:of\s+)?", "round "),
    ]
]
_INFIX = [
    (r"\s*(?:%|percent|per\s+cent)\s+(?:of|(?:[a-z]+\s+)?(?:on|for)\s+)", " / 100 * "),
    (r"\s*(?:%|percent|per\s+cent)(?!\s*[\d(])", " / 100"),
    (r"\bsquared\b", " ** 2"),
    (r"\bcubed\b", " ** 3"),
    # "35.27 doubled", "49.7 rounded": an operation said after its number
    (r"\bdoubled\b", " * 2"),
    (r"\btripled\b", " * 3"),
    (r"\bhalved\b|\b(?:divided|split|cut)\s+in(?:to)?\s+(?:half|two)\b", " / 2"),
    (r"\bto\s+the\s+(\d+)(?:st|nd|rd|th)?(?:\s+power)?(?![\w.])", r" ** \1"),
    (r"\b(?:raised\s+)?to\s+the\s+power\s+(?:of\s+)?", " ** "),
    (r"\braised\s+to\s+", " ** "),
    # "double 47 and add 6", "halve 90 then subtract 5": the next operation on the result
    (r"\b(?:and|then|and\s+then)\s+(?:add|plus)\b", " + "),
    (r"\b(?:and|then|and\s+then)\s+(?:subtract|take\s+away)\b", " - "),
    (r"\bplus\b|\badded\s+to\b|\band\b", " + "),
    (r"\bminus\b|\bless\b", " - "),
    (r"\btimes\b|\bmultiplied\s+by\b|\bmultiply\s+by\b|\bx\b|×|·", " * "),
    (r"\bdivided\s+by\b|\bover\b|÷", " / "),
    (r"\bmod(?:ulo)?\b", " % "),
    (r"\^", " ** "),
    (r"−|–", "-"),
]
_INFIX_RE = [(re.compile(p), r) for p, r in _INFIX]
_FUNC_ARG = re.compile(rf"\b(sqrt|cbrt|factorial|abs|round)\s+({_ATOM})")
_ROUNDED = re.compile(rf"({_ATOM})\s+rounded(?:\s+(?:off|up|down))?\b")
"""A number rounded after it is said ("49.7 rounded"): ``round(49.7)``."""
_NEAREST = re.compile(
    r"\s*(?:,\s*)?(?:to|off\s+to)\s+the\s+nearest\s+(?:whole\s+number|integer|number|unit|one)\b"
)
"""What rounding rounds to when it says so: the nearest whole number is what it does anyway."""
_POSTFIX_FACTORIAL = re.compile(rf"({_ATOM})\s*(?:!(?!=)|\bfactorial\b)")
_STEPS = {"tenth": "0.1", "hundredth": "0.01", "thousandth": "0.001"}
_ROUND_TO = re.compile(
    r"^(?:round(?:\s+off)?\s+(?P<a>.+?)|(?P<b>.+?)\s+rounded(?:\s+off)?)\s*,?\s+(?:to|off\s+to)\s+"
    rf"(?:the\s+nearest\s+(?P<step>\d+(?:\.\d+)?|{'|'.join(_STEPS)})"
    r"|(?P<places>\d+)\s+(?:decimal\s+places?|decimals|dp|d\.p\.|places?))$"
)
"""Rounding to decimal places or to the nearest ten, hundred, tenth ("round 1234 to the
nearest hundred", "3.14159 rounded to 2 decimal places"): the number scaled, rounded to a
whole number, scaled back (``round`` itself rounds to the nearest whole number)."""


def _rounded_to(m: re.Match[str]) -> str:
    expr = m.group("a") or m.group("b")
    if m.group("places") is not None:
        scale = 10 ** min(int(m.group("places")), 30)
        return f"round(({expr}) * {scale}) / {scale}"
    step = _STEPS.get(m.group("step"), m.group("step"))
    return f"round(({expr}) / {step}) * {step}"


_ALLOWED_WORDS = {
    "sqrt", "cbrt", "factorial", "abs", "round", "mean", "sum", "gcd", "lcm", "is_prime", "e",
    "pi",
}  # fmt: skip
_OPEN_WORD = r"(?!(?:sqrt|cbrt|factorial|abs|round|mean|sum|gcd|lcm|is_prime|e|pi)\b)[a-z_]+"
_EDGE_WORDS = re.compile(
    rf"^(?:\s*(?:{_OPEN_WORD}|,))+\s+(?=[\d(.\-a-z])|(?<=[\d)])(?:\s*(?:{_OPEN_WORD}|,))+\s*$"
)
"""Words no rule read before the arithmetic or after it ("whats 17 times 23 lol", "15% of 240
for me, it's for a tip", "hey can u tell me whats 9 squared"): a remark around the
question, dropped. Words between numbers still stop the reading ("5 apples minus 3 pears")."""


def spell_digits(text: str) -> str:
    """``text`` with numbers written in words as digits ("twenty kilograms" → "20
    kilograms", "three and a half hours" → "3 and a half hours"): what the units server reads
    when a request gives no digit."""
    return _ANY_CASE_RUN.sub(lambda m: _words_to_number(m.group(0).lower()), text)


def _words_to_numbers(run: str) -> str:
    """A run of number words as digits; "and" between two numbers of the same scale parts
    them ("three hundred and two hundred" is 300 and 200, "three hundred and two" 302)."""
    pieces = re.split(r"(\s+and\s+)", run)
    groups, joins = [pieces[0]], []
    for join, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if _top_scale(groups[-1]) == _top_scale(piece) >= 100:
            groups.append(piece)
            joins.append(join)
        else:
            groups[-1] += join + piece
    out = _words_to_number(groups[0])
    for join, group in zip(joins, groups[1:], strict=True):
        out += join + _words_to_number(group)
    return out


def _top_scale(run: str) -> int:
    return max((_SCALES[w] for w in run.split() if w in _SCALES and w != "dozen"), default=1)


def _words_to_number(run: str) -> str:
    total, current = 0, 0
    for word in re.split(r"\s+|-", run):
        if word in ("", "and"):
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in ("hundred", "dozen"):
            current = max(current, 1) * _SCALES[word]
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return str(total + current)


def _scaled(m: re.Match[str]) -> str:
    scale = 1_000 if m.group(2) == "k" else _SCALES[m.group(2)]
    return str(Fraction(m.group(1)) * scale)


def _mixed(m: re.Match[str]) -> str:
    whole, num, den = m.group(1), int(m.group(2)), int(m.group(3))
    if not 0 < num < den:
        return m.group(0)
    return f"({whole} + {num}/{den})"


# "add up the amounts in 1200, 450 and 300", "average the values 1, 2, 3": the words naming
# what is added up go; what is left is "the sum of 1200, 450 and 300".
_AGGREGATE = re.compile(
    r"\b(add(?:\s+up)?|sum(?:\s+up)?|total|average|mean)\s+(?:up\s+)?(?:all\s+)?"
    rf"(?:the|these|those|its|their|my)\s+[a-z]+(?:\s+[a-z]+)?(?:\s+(?:in|of|from))?\s+(?={_NUM})"
)


_DENOMINATORS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4}
_PART_OF = re.compile(
    r"\b(a|an|one|\d+)\s+("
    + "|".join([*_DENOMINATORS, *(f"{w}s?" for w in _ORDINALS if w != "second")])
    + r")\s+of\s+"
)
"""A part of a quantity: "a third of 120", "3 quarters of 80", "2 fifths of 50"."""


_FRACTION_OF = re.compile(r"(?<![\w./])(\d+)\s*/\s*(\d+)\s+of\s+(?=[\d(]|the\s|a\s)")
_DECIMAL_OF = re.compile(r"(?<![\w./])(\d*\.\d+)\s+of\s+(?=[\d(])")
"""A share said as a decimal ("0.5 of 300", ".25 of 80"): that much of it."""


def _part_of(m: re.Match[str]) -> str:
    count = 1 if m.group(1) in ("a", "an", "one") else int(m.group(1))
    word = m.group(2)
    denominator = _DENOMINATORS.get(word) or _ORDINALS[word.removesuffix("s")]
    return f"({count} / {denominator}) * "


def _normalise(text: str) -> str:
    """Lower case, numbers in digits, no thousands separators."""
    s = " " + decimal_points(text.strip().lower()).replace("π", " pi ") + " "
    s = re.sub(r"(?<=[a-z])['’](?=[a-z])", "", s)  # what's → whats
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    s = _ORDINAL_WORD.sub(lambda m: f"{_ORDINALS[m.group(1) or m.group(2)]}th", s)
    s = _SCALED.sub(_scaled, s)
    return _NUMBER_RUN.sub(lambda m: _words_to_numbers(m.group(0)), s)


def to_expression(text: str, remarks: bool = False) -> str:
    """Rewrite natural-language arithmetic into a Python-syntax expression string; with
    ``remarks``, words no rule reads before or after the arithmetic are dropped."""
    s = _normalise(text)
    s = re.sub(r"(?<=\d)\s*x\s*(?=\d)", " * ", s)  # "12x8", "45 x2"
    s = re.sub(r"(?<=\d)\s*(?=pi\b)", " * ", s)  # "2π", "2 pi": a multiple of pi
    s = re.sub(r"(?<=\d)\s*(?:pct|prct|perc)\b\.?", " percent", s)  # "15 pct of 300"
    s = _FRACTION_OF.sub(r"(\1 / \2) * ", s)  # "1/4 of 200": a part of it
    s = _DECIMAL_OF.sub(r"\1 * ", s)
    s = _AGGREGATE.sub(
        lambda m: "the average of " if m.group(1) in {"average", "mean"} else "the sum of ", s
    )
    s = _POSTFIX_FACTORIAL.sub(r"factorial(\1)", s)
    s = _MIXED.sub(_mixed, s)
    s = _TRAILING.sub("", s.strip())
    s = _LEADING.sub("", s)
    s = _ROUND_TO.sub(_rounded_to, s)
    # "take 5000 and reduce it by 15%": the operation on the number taken first
    s = re.sub(r"^(?:take|start\s+with)\s+(.+?),?\s+and\s+([a-z]+)\s+(?:it|that)\s+", r"\2 \1 ", s)
    # "take 15% of 300", "start with 6 * 6": the number taken is the whole of it
    # ("take 8 off 48", "take 5 from 12": a subtraction, read below)
    s = re.sub(r"^(?:take|start(?:ing)?\s+with)\s+(?=[\d(])(?!\S+\s+(?:off|from|away)\b)", "", s)
    s = s.replace("**", " ^ ")
    for pattern, repl in _REWRITES:
        s = pattern.sub(repl, s, count=1)
    s = re.sub(
        r"(mean|sum|gcd|lcm)\((.*)\)",
        lambda m: (
            f"{m.group(1)}("
            + re.sub(r",?\s+and\s+|(?<=\d)\s+(?=\d)", ", ", m.group(2))  # "gcd 48 180"
            + ")"
        ),
        s,
    )
    s = _PART_OF.sub(_part_of, s)
    for pattern, repl in _FUNCTION_WORDS:
        s = pattern.sub(repl, s)
    for pattern, repl in _INFIX_RE:
        s = pattern.sub(repl, s)
    s = _NEAREST.sub("", s)
    s = _FUNC_ARG.sub(r"\1(\2)", s)
    s = _ROUNDED.sub(r"round(\1)", s)
    s = _POSTFIX_FACTORIAL.sub(r"factorial(\1)", s)
    # the words of a question wrapped around the arithmetic ("can you tell me what ... is")
    s = re.sub(r"[a-z_]+", lambda m: "" if m.group(0) in _FILLER else m.group(0), s)
    s = re.sub(r"\s+", " ", s)
    if remarks and re.search(r"\d", s):  # a remark around numbers; words alone stay unread
        core = _EDGE_WORDS.sub("", s)
        # an operation, not a number with its noun ("what is 5 kilograms" asks nothing)
        s = core if re.search(r"[-+*/%^(]", core) else s
    s = s.strip(" ,")
    odd = re.search(r"[^0-9a-z_.,+\-*/%() ^]", s)
    if odd:
        raise CalcError(
            f"could not read {text!r} as arithmetic (unexpected character {odd.group(0)!r}). "
            "Try e.g. '17 * 23', '(3 + 4) * 5', '2 to the power of 10'."
        )
    leftovers = [w for w in re.findall(r"[a-z_]+", s) if w not in _ALLOWED_WORDS]
    if leftovers or not re.search(r"\d", s):
        raise CalcError(
            f"could not read {text!r} as arithmetic"
            + (f" (did not understand: {', '.join(dict.fromkeys(leftovers))})" if leftovers else "")
            + ". Try e.g. '17 * 23', '2 to the power of 10', '12.5% of 80', 'square root of 144'."
        )
    return s


@dataclass
class _Value:
    value: Fraction
    approximate: bool = False


def _check_size(value: Fraction) -> Fraction:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_RESULT_BITS:
        raise CalcError("the result is too large to compute exactly")
    return value


def _root(x: _Value, n: int) -> _Value:
    v = x.value
    if v < 0 and n % 2 == 0:
        name = "square root" if n == 2 else f"{n}th root"
        raise CalcError(f"the {name} of a negative number is not a real number")
    sign = -1 if v < 0 else 1
    num, den = abs(v.numerator), v.denominator
    rn, rd = _int_root(num, n), _int_root(den, n)
    if rn is not None and rd is not None:
        return _Value(sign * Fraction(rn, rd), x.approximate)
    with localcontext() as ctx:
        ctx.prec = 40
        d = Decimal(num) / Decimal(den)
        root = d.sqrt() if n == 2 else Decimal(math.exp(math.log(float(d)) / n)) if d else d
        if n != 2:  # refine the float guess with Newton steps at 40 digits
            for _ in range(8):
                root = root - (root**n - d) / (n * root ** (n - 1))
        return _Value(sign * Fraction(root), True)


def _int_root(value: int, n: int) -> int | None:
    if n == 2:
        r = math.isqrt(value)
        return r if r * r == value else None
    if value.bit_length() >= 1000:
        return None
    guess = round(value ** (1 / n))
    for c in (guess - 1, guess, guess + 1):
        if c >= 0 and c**n == value:
            return c
    return None


def _power(base: _Value, exp: _Value) -> _Value:
    e = exp.value
    if e.denominator == 1:
        n = e.numerator
        if abs(n) > MAX_EXPONENT:
            raise CalcError(f"exponents above {MAX_EXPONENT} are not supported")
        if base.value == 0 and n < 0:
            raise CalcError("zero cannot be raised to a negative power")
        bits = max(base.value.numerator.bit_length(), base.value.denominator.bit_length())
        if bits * abs(n) > MAX_RESULT_BITS * 2:
            raise CalcError("the result is too large to compute exactly")
        return _Value(_check_size(base.value**n), base.approximate or exp.approximate)
    if e.numerator == 1 and e.denominator <= MAX_ROOT:
        return _root(base, e.denominator)
    if base.value < 0:
        raise CalcError("a negative number cannot be raised to a fractional power")
    return _Value(Fraction(float(base.value) ** float(e)), True)


def _factorial(x: _Value) -> _Value:
    if x.value.denominator != 1 or x.value < 0:
        raise CalcError("factorial needs a non-negative whole number")
    if x.value > MAX_FACTORIAL:
        raise CalcError(f"factorials above {MAX_FACTORIAL}! are not supported")
    return _Value(Fraction(math.factorial(int(x.value))), x.approximate)


def _whole(x: _Value, what: str) -> int:
    if x.value.denominator != 1 or x.approximate:
        raise CalcError(f"{what} needs whole numbers")
    return x.value.numerator


_WITNESSES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71)
_DETERMINISTIC_BELOW = 3_317_044_064_679_887_385_961_981
"""Miller-Rabin with the first 13 primes as witnesses is exact below this bound."""


def is_prime(n: int) -> bool:
    """Miller-Rabin: exact below ``_DETERMINISTIC_BELOW``, beyond it 20 witnesses."""
    if n < 2:
        return False
    for p in _WITNESSES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in _WITNESSES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _smallest_factor(n: int, limit: int = 100_000) -> int | None:
    if n % 2 == 0:
        return 2
    f = 3
    while f <= limit and f * f <= n:
        if n % f == 0:
            return f
        f += 2
    return None


def _primality(n: int) -> str:
    if n < 2:
        return f"{n} is not prime (primes are whole numbers from 2 up)"
    if is_prime(n):
        probable = " (probable prime: tested with 20 Miller-Rabin witnesses)"
        return f"{n} is prime" + (probable if n >= _DETERMINISTIC_BELOW else "")
    factor = _smallest_factor(n)
    return f"{n} is not prime" + (f": {n} = {factor} × {n // factor}" if factor else "")


def _eval(node: ast.AST, src: str) -> _Value:
    if isinstance(node, ast.Expression):
        return _eval(node.body, src)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        literal = ast.get_source_segment(src, node) or repr(node.value)
        return _Value(_check_size(Fraction(literal)))
    if isinstance(node, ast.Name) and node.id == "pi":
        return _Value(Fraction(math.pi), approximate=True)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        operand = _eval(node.operand, src)
        sign = -1 if isinstance(node.op, ast.USub) else 1
        return _Value(sign * operand.value, operand.approximate)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, src), _eval(node.right, src)
        approx = left.approximate or right.approximate
        if isinstance(node.op, ast.Pow):
            return _power(left, right)
        if isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod) and right.value == 0:
            raise CalcError("division by zero")
        ops = {
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b,
            ast.Div: lambda a, b: a / b,
            ast.FloorDiv: lambda a, b: Fraction(a // b),
            ast.Mod: lambda a, b: a % b,
        }
        op = ops.get(type(node.op))
        if op is None:
            raise CalcError(f"the operator {type(node.op).__name__} is not supported")
        return _Value(_check_size(op(left.value, right.value)), approx)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        args = [_eval(a, src) for a in node.args]
        name = node.func.id
        if name == "sum" and args:
            return _Value(
                _check_size(sum((a.value for a in args), Fraction(0))),
                any(a.approximate for a in args),
            )
        if name == "mean" and args:
            total = sum((a.value for a in args), Fraction(0))
            return _Value(total / len(args), any(a.approximate for a in args))
        if name in ("gcd", "lcm") and len(args) >= 2:
            ints = [_whole(a, name) for a in args]
            return _Value(_check_size(Fraction(getattr(math, name)(*ints))))
        if name == "is_prime" and len(args) == 1:
            return _Value(Fraction(int(is_prime(_whole(args[0], "a primality test")))))
        if len(args) != 1:
            raise CalcError(f"{name}() takes exactly one number")
        if name == "sqrt":
            return _root(args[0], 2)
        if name == "cbrt":
            return _root(args[0], 3)
        if name == "factorial":
            return _factorial(args[0])
        if name == "abs":
            return _Value(abs(args[0].value), args[0].approximate)
        if name == "round":  # half away from zero, as people round
            x = args[0].value
            whole = math.floor(abs(x) + Fraction(1, 2))
            return _Value(Fraction(whole if x >= 0 else -whole))
    if isinstance(node, ast.Tuple):
        raise CalcError("a list of numbers is not a calculation (use 'average of ...' for a mean)")
    raise CalcError(
        f"could not read {src!r} as arithmetic: only numbers, + - * / % ** and "
        "sqrt/cbrt/factorial/abs/round/mean/gcd/lcm/is_prime are supported"
    )


def calculate(text: str) -> CalcResult:
    """Evaluate natural-language arithmetic exactly; raise ``CalcError`` with a helpful message.

    Text that does not read as arithmetic is read once more with its misspelt operator words
    corrected ("17 tims 23"), then as a word problem (``_word_problems``: "split a 84 dollar
    bill 3 ways plus 15% tip"), then as its last part alone, after the facts stated before it
    ("If the price is 80 and there's a discount, what's 12.5% of 80?"), then without the words
    around the arithmetic that no rule reads ("15% of 240 for me, it's for a tip"); the first
    reading's error is the one reported. Days between two dates or until one ("how many days
    until Christmas") are counted on the calendar (``_dates``).
    """
    span = date_span(text)
    if span is not None:
        return CalcResult(
            f"days from {span.start.isoformat()} to {span.end.isoformat()}",
            Fraction(abs(span.days)),
            False,
            span.text,
        )
    try:
        return _calculate(text)
    except CalcError:
        fixed = correct_words(text, _VOCABULARY | _FILLER)
        if fixed != text:
            try:
                return _calculate(fixed)
            except CalcError:
                pass
        for read in dict.fromkeys((text, fixed)):  # "split a 84 dollar bill 3 ways + 15% tip"
            expr = word_problem(_normalise(read).strip())
            if expr is not None:
                try:
                    return _evaluate(expr, read)
                except CalcError:
                    pass
        tail = _QUESTION_TAIL.search(text)
        if tail is not None and tail.group(1) != text:
            try:
                return _calculate(tail.group(1))
            except CalcError:
                pass
        try:  # last: a remark around the question ("whats 17 times 23 lol")
            return _calculate(fixed, remarks=True)
        except CalcError:
            pass
        raise


# The question after a stated preamble: "..., what's 12.5% of 80?"
_QUESTION_TAIL = re.compile(r"[,;:]\s+([^,;:]*\d[^,;:]*)$")


def _calculate(text: str, remarks: bool = False) -> CalcResult:
    return _evaluate(to_expression(text, remarks), text)


def _evaluate(expr: str, text: str) -> CalcResult:
    try:
        tree = ast.parse(expr.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise CalcError(
            f"could not read {text!r} as arithmetic (got {expr!r}). "
            "Try e.g. '17 * 23', '(3 + 4) * 5', '2 to the power of 10'."
        ) from None
    value = _eval(tree, expr.replace("^", "**"))
    body = tree.body
    verdict = None
    if (
        isinstance(body, ast.Call)
        and isinstance(body.func, ast.Name)
        and body.func.id == "is_prime"
    ):
        verdict = _primality(_whole(_eval(body.args[0], expr.replace("^", "**")), "primality"))
    return CalcResult(ast.unparse(tree), value.value, value.approximate, verdict)


def format_number(value: Fraction, approximate: bool = False, digits: int = 12) -> str:
    """Integers as-is, terminating fractions as exact decimals, others as ``p/q ≈ decimal``."""
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1 and not approximate:
        with localcontext() as ctx:
            ctx.prec = 1000
            exact = Decimal(value.numerator) / Decimal(value.denominator)
        text = format(exact, "f")
        if len(text.replace("-", "").replace(".", "").lstrip("0")) <= 30:
            return text
    with localcontext() as ctx:
        ctx.prec = digits
        approx = +(Decimal(value.numerator) / Decimal(value.denominator))
    text = format(approx.normalize(), "f") if abs(approx) < Decimal(10) ** digits else str(approx)
    if approximate or value.denominator > 10**6:
        return text
    return f"{value.numerator}/{value.denominator} ≈ {text}"
