"""Word problems: the arithmetic an everyday question with several numbers asks for.

"split a 84 dollar bill 3 ways plus 15% tip", "I drive 55 mph for 3 hours, how far", "a 1450
a month rent over a year", "if 5 apples cost 3.50 how much do 8 cost": the numbers come with
money, percentages that add or take away, counts of people sharing and rates given per a
unit. ``calculate`` reads plain arithmetic first; a text it cannot read is read here as one of
these shapes, and the expression it answers with shows how it was read
("84 * (100 + 15) / 100 / 3"). The words are data (``word_problems.json``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from typing import Any

from agentroute_tools._alternation import alternation

__all__ = ["word_problem"]

_DATA: dict[str, Any] = json.loads(
    resources.files("agentroute_tools").joinpath("word_problems.json").read_text("utf-8")
)
_NUM = r"\d+(?:\.\d+)?"
_PCT_SIGN = r"\s*(?:%|percent\b|per\s*cent\b|pct\b)"


_UNIT_OF = {alias: unit for unit, aliases in _DATA["units"].items() for alias in aliases}
_UNIT_WORD = alternation(list(_UNIT_OF))
_SCALES: dict[str, tuple[str, Fraction]] = {
    u: (base, Fraction(str(f))) for u, (base, f) in _DATA["scales"].items()
}
_WHOLE = {(small, big): Fraction(n) for small, (big, n) in _DATA["whole_periods"].items()}
_RATE_WORDS: dict[str, tuple[str, str]] = {k: (a, b) for k, (a, b) in _DATA["rate_words"].items()}

_CURRENCY = re.compile(rf"(?<=\d)\s*(?:{alternation(_DATA['currency_words'])})\b")
_SIGNS = re.compile("|".join(re.escape(s) for s in _DATA["currency_signs"]))
_PERCENT = re.compile(rf"(?<![\w.])({_NUM}){_PCT_SIGN}")
_NUMBER = re.compile(rf"(?<![\w.])({_NUM})(?![\d.]*\s*(?:%|percent\b|per\s*cent\b|pct\b))")
_ADDS = re.compile(rf"\b(?:{alternation(_DATA['percent_adds'])})\b")
_SUBTRACTS = re.compile(rf"\b(?:{alternation(_DATA['percent_subtracts'])})\b")
_AMOUNT_NOUN = alternation(_DATA["percent_amount_nouns"])
_AMOUNT_OF = re.compile(
    rf"(?:({_NUM}){_PCT_SIGN}(?:\s+(?:{_AMOUNT_NOUN}))?|\b(?:{_AMOUNT_NOUN})\s+(?:of\s+)?({_NUM}){_PCT_SIGN})"
    rf"\s+(?:on|of|for)\s+(?:(?:a|an|the|my|our)\s+)?({_NUM})"
)
"""The amount a percentage is of ("an 18% tip on a 62 dinner", "tip 20% on 47.50")."""
_LEFT = re.compile(rf"\b(?:{alternation(_DATA['left_words'])})\b")
_COUNT = re.compile(
    rf"(?<![\w.])(\d+)\s+(?:{alternation(_DATA['count_nouns'])})\b"
    r"|\b(?:team|group|family|class|party|split|share|between|among)\s+(?:of\s+)?(?:it\s+)?(\d+)\b"
)
_SHARE = re.compile(rf"\b(?:{alternation(_DATA['share_cues'])})\b")
_EACH = re.compile(
    rf"(?<![\w.])({_NUM})\s+(?:[a-z]+\s+){{1,2}}?(?:with|of|containing|holding|having|at|costing|costs?|"
    rf"cut\s+in(?:to)?|that\s+(?:has|have|holds?|contains?))\s+({_NUM})\s*(?:[a-z]+\s+)?"
    rf"(?:{alternation(_DATA['item_words'])}|per\s+[a-z]+|in\s+each)\b"
    rf"|(?<![\w.])({_NUM})\s+[a-z]+(?:\s+[a-z]+)?\s+at\s+({_NUM})(?!\s*(?:{_UNIT_WORD}|%)\b)"
)
"""A count and what each holds or costs ("3 pizzas at 12.99 each", "3 boxes with 12 eggs
each", "3 coffees at 4.20")."""
_RATE = re.compile(
    rf"(?<![\w.])({_NUM})\s*(?:({alternation(list(_RATE_WORDS))})\b|(?:({_UNIT_WORD})\s+)?"
    rf"(?:of\s+[a-z]+\s+)?(?:a|an|per|every|each|/)\s*({_UNIT_WORD})\b)"
)
"""A rate: "55 mph", "250 a week", "2 litres an hour", "3 cups of flour per loaf"."""
_QUANTITY = re.compile(rf"(?<![\w.])({_NUM})\s*[- ]?({_UNIT_WORD})\b")
_ONE = re.compile(
    rf"\b(?:a|an|one|per|each|every)\s+(?:whole\s+|full\s+|entire\s+)?({_UNIT_WORD})\b"
    rf"|\b({_UNIT_WORD})ly\b"
)
_HOW = re.compile(r"\bhow\s+(?:much|many|far|long)\b|\bwhats?\b|\bwhat\s+(?:is|do|does|will)\b")
_EXTRA = re.compile(rf"\b(?:plus|and\s+add|add|\+)\s+(?:(?:a|an|another)\s+)?({_NUM})")
_PROPORTION = re.compile(
    rf"({_NUM})\s+[a-z\s]*?\b(?:costs?|is|are|needs?|takes?|uses?|weighs?|makes?|for|=)\s+"
    rf"[a-z\s]*?({_NUM})[a-z\s,]*?\bhow\s+(?:much|many|long)\b[a-z\s]*?({_NUM})"
)
"""Three numbers in proportion: "if 5 apples cost 3.50 how much do 8 cost"."""
_OUT_OF = re.compile(rf"({_NUM})\s+out\s+of\s+({_NUM})")
_CHANGE = re.compile(rf"\bfrom\s+({_NUM})\s+to\s+({_NUM})")
_YEARS = re.compile(rf"({_NUM})\s+(?:years?|yrs?)\b")
_AFTER = re.compile(rf"\bafter\s+({_NUM}|a|one)\s+(?:years?|months?)\b")


@dataclass(frozen=True)
class _Rate:
    value: str
    top: str | None
    per: str
    span: tuple[int, int]


def _unit(word: str) -> str:
    return _UNIT_OF.get(word, _UNIT_OF.get(word.rstrip("s"), word))


def _factor(have: str, want: str) -> Fraction | None:
    """How many ``want`` one ``have`` is; ``None``: not the same kind of quantity."""
    if have == want:
        return Fraction(1)
    for (small, big), n in _WHOLE.items():  # "a year" of monthly rent is 12 months
        if (have, want) == (big, small):
            return n
        if (have, want) == (small, big):
            return 1 / n
    a, b = _SCALES.get(have), _SCALES.get(want)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


def _fmt(value: Fraction) -> str:
    return (
        str(value.numerator)
        if value.denominator == 1
        else f"({value.numerator} / {value.denominator})"
    )


def _times(factor: Fraction) -> str:
    return "" if factor == 1 else f" * {_fmt(factor)}"


def _percent_role(s: str, m: re.Match[str]) -> str:
    """Whether a percentage adds to the amount ("15% tip", "with 7.5% tax") or takes from it
    ("35% off", "minus 22%", "loses 15%")."""
    before = " ".join(s[: m.start()].split()[-2:])
    after = " ".join(s[m.end() :].split()[:2])
    # an operator word before it ("minus 22% tax") says more than the noun after it
    for window in (before.split()[-1:], after.split()[:1], after.split(), before.split()):
        text = " ".join(window)
        if _SUBTRACTS.search(text) and not _ADDS.search(text):
            return "-"
        if _ADDS.search(text):
            return "+"
    return "-" if _LEFT.search(s) else "+"


def _out_of(s: str) -> str | None:
    m = _OUT_OF.search(s)
    if m and re.search(r"\bpercent(?:age)?\b|%", s) and not _PERCENT.search(s):
        return f"{m.group(1)} / {m.group(2)} * 100"
    return None


def _change(s: str) -> str | None:
    m = _CHANGE.search(s)
    if m and re.search(r"\bpercent(?:age)?\b|%", s) and not _PERCENT.search(s):
        return f"({m.group(2)} - {m.group(1)}) / {m.group(1)} * 100"
    return None


def _amount_of(s: str) -> str | None:
    m = _AMOUNT_OF.search(s)
    if m is None or len(_PERCENT.findall(s)) != 1 or len(_NUMBER.findall(s)) != 1:
        return None
    return f"{m.group(3)} * {m.group(1) or m.group(2)} / 100"


def _interest(s: str) -> str | None:
    pct = _PERCENT.findall(s)
    years = _YEARS.search(s)
    if "interest" not in s or len(pct) != 1 or years is None:
        return None
    others = [n for n in _NUMBER.findall(s) if n != years.group(1)]
    if len(others) != 1:
        return None
    if "compound" in s:
        return f"{others[0]} * ((100 + {pct[0]}) / 100) ^ {years.group(1)} - {others[0]}"
    return f"{others[0]} * {pct[0]} / 100 * {years.group(1)}"


def _rates(s: str) -> list[_Rate]:
    out = []
    for m in _RATE.finditer(s):
        top: str | None
        if m.group(2):
            top, per = _RATE_WORDS[m.group(2)]
        else:
            top = _unit(m.group(3)) if m.group(3) else None
            per = _unit(m.group(4))
        if top is not None and top == per:
            continue
        out.append(_Rate(m.group(1), top, per, m.span()))
    return out


def _rate(s: str) -> str | None:
    """A rate times a quantity in its unit ("55 mph for 3 hours"), or a quantity over a rate
    in the rate's own unit ("300 km at 80 km/h": how long)."""
    rates = _rates(s)
    if not rates:
        return None
    rate = rates[0]
    used = [r.span for r in rates]

    def free(span: tuple[int, int]) -> bool:
        return not any(a <= span[0] < b or a < span[1] <= b for a, b in used)

    explicit = [(m.group(1), _unit(m.group(2)), m) for m in _QUANTITY.finditer(s) if free(m.span())]
    implicit = [
        ("1", _unit(m.group(1) or m.group(2)), m) for m in _ONE.finditer(s) if free(m.span())
    ]
    value, per = rate.value, rate.per
    if len(rates) > 2 or (len(rates) == 2 and rates[1].top != rate.per):
        return None  # rates that do not chain: no one reading
    if len(rates) == 2:  # "22.50 an hour, 38 hours a week": 22.50 * 38 a week
        value, per = f"{rate.value} * {rates[1].value}", rates[1].per
    expr = None
    for amount, unit, m in [*explicit, *implicit]:
        into = _factor(unit, per)
        if into is not None:
            expr = f"{value}{'' if amount == '1' else f' * {amount}'}{_times(into)}"
        elif rate.top is not None and value == rate.value:
            top = _factor(unit, rate.top)
            if top is None:
                continue
            expr = f"{amount}{_times(top)} / {rate.value}"
        else:
            continue
        used.append(m.span())
        break
    if expr is None:
        return None
    extras = [e.group(1) for e in _EXTRA.finditer(s) if free(e.span(1))]
    return " + ".join([expr, *extras])


def _per_unit(s: str) -> str | None:
    """A price over a quantity, asked per its unit ("2.5 kg for 4, the price per kilo")."""
    asked = re.search(rf"\bper\s+({_UNIT_WORD})\b", s)
    quantities = list(_QUANTITY.finditer(s))
    if asked is None or len(quantities) != 1 or _PERCENT.search(s):
        return None
    q = quantities[0]
    factor = _factor(_unit(q.group(2)), _unit(asked.group(1)))
    others = [m.group(1) for m in _NUMBER.finditer(s) if not q.start() <= m.start() < q.end()]
    if factor is None or len(others) != 1:
        return None
    return f"{others[0]} / ({q.group(1)}{_times(factor)})"


def _proportion(s: str) -> str | None:
    m = _PROPORTION.search(s)
    if m is None or len(_NUMBER.findall(s)) != 3 or _PERCENT.search(s):
        return None
    return f"{m.group(2)} / {m.group(1)} * {m.group(3)}"


def _count(s: str) -> tuple[str, tuple[int, int]] | None:
    m = _COUNT.search(s)
    if m is None:
        return None
    group = 1 if m.group(1) else 2
    return m.group(group), m.span(group)


def _shared(s: str) -> str | None:
    """An amount (a count of things times what each holds or costs, plus what is added and
    the percentages that add or take away) shared by a count of people, or not shared."""
    each = _EACH.search(s)
    count = _count(s) if _SHARE.search(s) or re.search(r"\bways\b", s) else None
    taken = [count[1]] if count else []
    terms: list[str] = []
    if each is not None:
        a, b = (each.group(1), each.group(2)) if each.group(1) else (each.group(3), each.group(4))
        terms.append(f"{a} * {b}")
        taken.append(each.span())
    percents = list(_PERCENT.finditer(s))
    taken += [p.span() for p in percents]
    after = _AFTER.search(s)  # "worth after one year": the span, not an amount
    if after is not None:
        taken.append(after.span())

    def free(m: re.Match[str]) -> bool:
        return not any(a <= m.start() < b for a, b in taken)

    plain = [m for m in _NUMBER.finditer(s) if free(m)]
    if not terms:
        if not plain:
            return None
        terms.append(plain.pop(0).group(1))
    for m in plain:  # "plus a 5 delivery fee": an amount added
        before = s[: m.start()].split()[-3:]
        if any(w in ("plus", "add", "and", "+", "with") for w in before):
            terms.append(m.group(1))
        elif any(w in ("minus", "less", "-") for w in before):
            terms.append(f"-{m.group(1)}")
        else:
            return None
    if not percents and count is None:
        return None if each is None else " + ".join(terms)
    base = " + ".join(terms)
    expr = f"({base})" if len(terms) > 1 else base
    roles = [(p.group(1), _percent_role(s, p)) for p in percents]
    if _LEFT.search(s) and len(roles) > 1 and all(r == "-" for _, r in roles):
        expr = f"{expr} * (100 - {' - '.join(v for v, _ in roles)}) / 100"  # shares of it
    else:
        years = after.group(1) if after and after.group(1)[0].isdigit() else "1"
        for value, role in roles:
            power = f" ^ {years}" if years != "1" else ""
            expr = f"{expr} * ((100 {role} {value}) / 100){power}"
    if count is not None:
        expr = f"{expr} / {count[0]}"
    return expr


_BY = re.compile(rf"({_NUM})\s*(?:{_UNIT_WORD})?\s+(?:by|x|times)\s+({_NUM})\s*(?:{_UNIT_WORD})?\b")


def _area(s: str) -> str | None:
    """An area or a volume from its sides ("a room that's 4.5 m by 3.2 m")."""
    m = _BY.search(s)
    if m is None or not re.search(r"\b(?:area|square|sq|big|size|floor|surface)\b", s):
        return None
    return f"{m.group(1)} * {m.group(2)}"


def _fits(s: str) -> str | None:
    """How many of a span fit in another ("how many 45 minute episodes in 6 hours")."""
    found = list(_QUANTITY.finditer(s))
    if len(found) != 2 or not re.search(r"\bhow\s+many\s+$", s[: found[0].start()]):
        return None
    (a, ua), (b, ub) = ((m.group(1), _unit(m.group(2))) for m in found)
    if re.match(r"\s*(?:in|into|is|are|to)\b", s[found[0].end() :]):
        return None  # "how many minutes in 3 hours": a conversion
    factor = _factor(ub, ua)
    if factor is None or ua == ub:
        return None
    return f"{b}{_times(factor)} // {a}"


_TOTAL = re.compile(rf"\b(?:{alternation(_DATA['total_words'])})\b")


def _total(s: str) -> str | None:
    """Amounts stated and their total asked ("the hotel was 1240 and the flights were 385,
    what's the total")."""
    numbers = _NUMBER.findall(s)
    if not _TOTAL.search(s) or _PERCENT.search(s) or _RATE.search(s) or len(numbers) < 2:
        return None
    return " + ".join(numbers)


_HOLDING = alternation(_DATA["holding_words"])
_ONE_OF = r"(?:a|an|one|each|every|per)"
_ASKED_COUNT = re.compile(r"\bhow\s+many\s+([a-z]+)")
_PRICE = re.compile(
    rf"\b{_ONE_OF}\s+([a-z]+)\s+(?:{alternation(_DATA['price_words'])})\s+({_NUM})(?![\d.]*\s*%)"
)


def _noun(word: str) -> str:
    """A noun's singular by its plural's commonest endings ("boxes", "packs", "eggs")."""
    for plural, singular in (("ies", "y"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if word.endswith(plural) and len(word) > len(plural) + 1:
            return word[: -len(plural)] + singular
    return word


def _count_of(s: str, noun: str, skip: tuple[int, int]) -> str | None:
    """The one number outside ``skip`` that counts ``noun`` ("in 52 weeks", "I buy 6 tickets")."""
    found = [
        m.group(1)
        for m in re.finditer(rf"(?<![\w.])({_NUM})\s+([a-z]+)", s)
        if not skip[0] <= m.start() < skip[1] and _noun(m.group(2)) == noun
    ]
    return found[0] if len(found) == 1 else None


def _groups(s: str) -> str | None:
    """Containers times what each holds, when the things held are asked ("3 boxes of 12 eggs,
    how many eggs", "a pack has 24 cans. how many cans are in 5 packs", "7 days in a week, how
    many days in 52 weeks"), or one's price times how many are bought ("a ticket costs 45 and
    I buy 6 tickets")."""
    if len(_NUMBER.findall(s)) != 2 or _PERCENT.search(s):
        return None
    asked = _ASKED_COUNT.search(s)
    whole = re.fullmatch(
        rf"\s*(?:whats|what\s+is|how\s+much\s+is)?\s*({_NUM})\s+([a-z]+)\s+of\s+({_NUM})\s+([a-z]+)[\s?.]*",
        s,
    )
    if whole is not None and not {_unit(whole.group(2)), _unit(whole.group(4))} & set(
        _DATA["units"]
    ):
        return f"{whole.group(1)} * {whole.group(3)}"  # "what's 3 boxes of 12 eggs"
    if asked is not None:
        thing = _noun(asked.group(1))
        for m in re.finditer(
            rf"(?<![\w.])({_NUM})\s+([a-z]+)\s+(?:{_HOLDING})\s+({_NUM})\s+([a-z]+)", s
        ):
            if _noun(m.group(4)) == thing and _noun(m.group(2)) != thing:
                return f"{m.group(1)} * {m.group(3)}"
        each = re.search(
            rf"\b{_ONE_OF}\s+([a-z]+)\s+(?:{_HOLDING})\s+({_NUM})\s+([a-z]+)"
            rf"|(?<![\w.])({_NUM})\s+([a-z]+)\s+(?:{_HOLDING})\s+{_ONE_OF}\s+([a-z]+)",
            s,
        )
        if each is not None:
            holder, held, thing_held = (
                (each.group(1), each.group(2), each.group(3))
                if each.group(1)
                else (each.group(6), each.group(4), each.group(5))
            )
            count = _count_of(s, _noun(holder), each.span())
            if _noun(thing_held) == thing and count is not None:
                return f"{held} * {count}"
    price = _PRICE.search(s)
    if price is not None and re.search(r"\bhow\s+much\b|\btotal\b", s):
        count = _count_of(s, _noun(price.group(1)), price.span())
        if count is not None:
            return f"{price.group(2)} * {count}"
    return None


_TAKING = re.compile(rf"\b(?:{alternation(_DATA['taking_words'])})\b")
_GETTING = re.compile(rf"\b(?:{alternation(_DATA['getting_words'])})\b")


def _remaining(s: str) -> str | None:
    """An amount stated first, what is taken from it and added to it, when what is left is
    asked ("i had 500 and spent 135, how much is left")."""
    numbers = list(_NUMBER.finditer(s))
    if not _LEFT.search(s) or _PERCENT.search(s) or len(numbers) < 2:
        return None
    terms = [numbers[0].group(1)]
    for before, m in itertools.pairwise(numbers):
        between = s[before.end() : m.start()]
        if _TAKING.search(between):
            terms.append(f"- {m.group(1)}")
        elif _GETTING.search(between):
            terms.append(f"+ {m.group(1)}")
        else:
            return None
    return " ".join(terms) if any(t.startswith("-") for t in terms) else None


_PARTS = re.compile(
    rf"(?<![\w.])(\d+|a|an|one)\s+({alternation(list(_DATA['fraction_words']))})\b(?!\s+of\s+\d)"
)


def _part_of(s: str) -> str | None:
    """A fraction of a count stated, when how many is asked ("a class of 30 students, 2 thirds
    passed, how many passed")."""
    part = _PARTS.search(s)
    numbers = [
        m for m in _NUMBER.finditer(s) if not part or not part.start() <= m.start() < part.end()
    ]
    if part is None or len(numbers) != 1 or not _ASKED_COUNT.search(s):
        return None
    top = "1" if part.group(1) in ("a", "an", "one") else part.group(1)
    return f"{numbers[0].group(1)} * {top} / {_DATA['fraction_words'][part.group(2)]}"


_SHAPES: list[Callable[[str], str | None]] = [
    _area,
    _fits,
    _out_of,
    _change,
    _amount_of,
    _interest,
    _proportion,
    _rate,
    _per_unit,
    _shared,
    _groups,
    _remaining,
    _part_of,
    _total,
]


def word_problem(text: str) -> str | None:
    """The expression a word problem asks for, or ``None`` when it reads as none of the
    shapes. ``text`` is lower case with numbers in digits (``_calc`` reads them so)."""
    s = _SIGNS.sub("", _CURRENCY.sub("", text))
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    s = re.sub(r"\s+", " ", s)
    if len(_NUMBER.findall(s)) + len(_PERCENT.findall(s)) < 2:
        return _rate(s)  # "35 a month, per year": a rate over a span it names
    for shape in _SHAPES:
        expr = shape(s)
        if expr is not None:
            return expr
    return None
