"""Unit conversion from natural language, exact where the definitions are exact.

Every unit is an exact ``Fraction`` factor to its dimension's base unit (plus an offset for
temperatures), so "5 miles in km" gives exactly 8.04672. US customary is the default for
ambiguous names (gallon, pint, ton, cup); say "imperial gallon" or "UK pint" for British ones.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction as F

from agentroute_tools._calc import spell_digits
from agentroute_tools._decimal_commas import decimal_points
from agentroute_tools._fuzzy import correct_words

__all__ = ["ConversionResult", "Unit", "UnitsError", "convert", "find_unit", "parse_conversion"]


class UnitsError(ValueError):
    """The request is not a conversion we can do; the message says why."""


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: str
    factor: F
    """Base units per one of this unit (base = value * factor + offset)."""
    offset: F = F(0)

    def to_base(self, value: F) -> F:
        return value * self.factor + self.offset

    def from_base(self, value: F) -> F:
        return (value - self.offset) / self.factor


_ALIASES: dict[str, Unit] = {}
_CASED: dict[str, Unit] = {}
_IRREGULAR = {"foot": "feet", "century": "centuries", "inch": "inches", "stone": "stone"}


def _plurals(word: str) -> list[str]:
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    if not re.fullmatch(r"[a-z][a-z ]*[a-z]", word) or len(word) < 3:
        return []
    last = word.rsplit(" ", 1)[-1]
    head = word[: len(word) - len(last)]
    if last in _IRREGULAR:
        return [head + _IRREGULAR[last]]
    if last.endswith(("s", "x", "ch", "sh")):
        return [word + "es"]
    return [word + "s"]


def _unit(symbol: str, dimension: str, factor: F | int | str, *aliases: str, offset: F = F(0), cased: tuple[str, ...] = ()) -> Unit:  # fmt: skip
    unit = Unit(symbol, dimension, F(factor), offset)
    for alias in (symbol.lower(), *aliases):
        for form in (alias, *_plurals(alias)):
            _ALIASES.setdefault(form, unit)
            if "metre" in form:
                _ALIASES.setdefault(form.replace("metre", "meter"), unit)
            if "litre" in form:
                _ALIASES.setdefault(form.replace("litre", "liter"), unit)
    for alias in cased:
        _CASED[alias] = unit
    return unit


# length (base: metre)
_unit("m", "length", 1, "metre", "mtr")
_unit("km", "length", 1000, "kilometre", "kms", "klick")
_unit("cm", "length", F(1, 100), "centimetre")
_unit("mm", "length", F(1, 1000), "millimetre")
_unit("dm", "length", F(1, 10), "decimetre")
_unit("µm", "length", F(1, 10**6), "um", "micrometre", "micron", "μm")
_unit("nm", "length", F(1, 10**9), "nanometre")
_unit("in", "length", F("0.0254"), "inch", '"', "″")
_unit("ft", "length", F("0.3048"), "foot", "'", "′")
_unit("yd", "length", F("0.9144"), "yard", "yds")
_unit("mi", "length", F("1609.344"), "mile", "statute mile")
_unit("nmi", "length", 1852, "nautical mile", "nm mile")
_unit("ly", "length", 9460730472580800, "light year", "light-year", "lightyear")
# mass (base: kilogram)
_unit("kg", "mass", 1, "kilogram", "kilogramme", "kilo", "kgs")
_unit("g", "mass", F(1, 1000), "gram", "gramme", "gr", "gm")
_unit("mg", "mass", F(1, 10**6), "milligram", "milligramme")
_unit("µg", "mass", F(1, 10**9), "ug", "mcg", "microgram", "μg")
_unit("t", "mass", 1000, "tonne", "metric ton", "metric tonne")
_unit("lb", "mass", F("0.45359237"), "pound", "lbs", "pound mass")
_unit("oz", "mass", F("0.45359237") / 16, "ounce")
_unit("st", "mass", F("0.45359237") * 14, "stone")
_unit("short ton", "mass", F("0.45359237") * 2000, "ton", "us ton", "short ton")
_unit("long ton", "mass", F("0.45359237") * 2240, "imperial ton", "uk ton", "long ton")
_unit("ct", "mass", F(1, 5000), "carat", "karat")
# volume (base: cubic metre)
_L = F(1, 1000)
_GAL = F("3.785411784") * _L
_IMP_GAL = F("4.54609") * _L
_unit("L", "volume", _L, "l", "litre", "ltr")
_unit("mL", "volume", _L / 1000, "ml", "millilitre", "cc", "cm3", "cm³", "cubic centimetre")
_unit("cL", "volume", _L / 100, "cl", "centilitre")
_unit("dL", "volume", _L / 10, "dl", "decilitre")
_unit("m³", "volume", 1, "m3", "cubic metre", "cu m")
_unit("ft³", "volume", F("0.3048") ** 3, "ft3", "cubic foot", "cu ft", "cubic ft")
_unit("in³", "volume", F("0.0254") ** 3, "in3", "cubic inch", "cu in")
_unit("gal", "volume", _GAL, "gallon", "us gallon", "gals", "us gal")
_unit("imp gal", "volume", _IMP_GAL, "imperial gallon", "uk gallon", "british gallon")
_unit("qt", "volume", _GAL / 4, "quart", "us quart")
_unit("imp qt", "volume", _IMP_GAL / 4, "imperial quart", "uk quart")
_unit("pt", "volume", _GAL / 8, "pint", "us pint")
_unit("imp pt", "volume", _IMP_GAL / 8, "imperial pint", "uk pint", "british pint")
_unit("cup", "volume", _GAL / 16, "us cup", "cups")
_unit("fl oz", "volume", _GAL / 128, "fluid ounce", "us fluid ounce", "floz", "fl. oz")
_unit("imp fl oz", "volume", _IMP_GAL / 160, "imperial fluid ounce", "uk fluid ounce")
_unit("tbsp", "volume", _GAL / 256, "tablespoon", "tbs")
_unit("tsp", "volume", _GAL / 768, "teaspoon")
# temperature (base: kelvin)
_unit("°C", "temperature", 1, "c", "celsius", "centigrade", "degree celsius", "degrees celsius", "deg c", "ºc", "degc", offset=F("273.15"))  # fmt: skip
_unit("°F", "temperature", F(5, 9), "f", "fahrenheit", "degree fahrenheit", "degrees fahrenheit", "deg f", "ºf", "degf", offset=F("273.15") - F(32 * 5, 9))  # fmt: skip
_unit("K", "temperature", 1, "k", "kelvin", "kelvins", "degrees kelvin")
_unit("°R", "temperature", F(5, 9), "rankine", "degrees rankine")
# time (base: second)
_unit("s", "time", 1, "sec", "second", "secs")
_unit("ms", "time", F(1, 1000), "millisecond", "msec")
_unit("µs", "time", F(1, 10**6), "us", "microsecond", "μs")
_unit("ns", "time", F(1, 10**9), "nanosecond")
_unit("min", "time", 60, "minute", "mins")
_unit("h", "time", 3600, "hour", "hr", "hrs")
_unit("d", "time", 86400, "day")
_unit("wk", "time", 7 * 86400, "week", "wks")
_unit("fortnight", "time", 14 * 86400)
_unit("yr", "time", F("365.25") * 86400, "year", "yrs", "julian year")
_unit("mo", "time", F("365.25") * 86400 / 12, "month")
_unit("decade", "time", F("3652.5") * 86400)
_unit("century", "time", F("36525") * 86400)
# speed (base: metre per second)
_unit("m/s", "speed", 1, "metre per second", "metres per second", "mps", "meters/second")
_unit("km/h", "speed", F(1000, 3600), "kph", "kmh", "km/hr", "kmph", "kilometre per hour", "kilometres per hour", "km per hour")  # fmt: skip
_unit("mph", "speed", F("1609.344") / 3600, "mi/h", "mile per hour", "miles per hour", "miles an hour")  # fmt: skip
_unit("kn", "speed", F(1852, 3600), "knot", "kt", "kts")
_unit("ft/s", "speed", F("0.3048"), "fps", "foot per second", "feet per second")
_unit("km/s", "speed", 1000, "kilometre per second", "kilometres per second", "kps")
# acceleration (base: metre per second squared)
_unit("m/s²", "acceleration", 1, "m/s^2", "m/s2", "m/s/s", "m s^-2", "metre per second squared", "metres per second squared", "metre per second per second", "metres per second per second")  # fmt: skip
_unit("cm/s²", "acceleration", F(1, 100), "cm/s^2", "cm/s2", "centimetre per second squared", "centimetres per second squared")  # fmt: skip
_unit("ft/s²", "acceleration", F("0.3048"), "ft/s^2", "ft/s2", "ft/s/s", "foot per second squared", "feet per second squared", "foot per second per second", "feet per second per second")  # fmt: skip
_unit("gₙ", "acceleration", F("9.80665"), "standard gravity", "g-force", "gee", "gees", "g0")
# energy (base: joule)
_unit("J", "energy", 1, "joule")
_unit("kJ", "energy", 1000, "kilojoule")
_unit("MJ", "energy", 10**6, "megajoule")
_unit("GJ", "energy", 10**9, "gigajoule")
_unit("Wh", "energy", 3600, "watt hour", "watt-hour", "watthour")
_unit("kWh", "energy", 3600 * 10**3, "kilowatt hour", "kilowatt-hour", "kw h", "kw·h", "kwhr")
_unit("MWh", "energy", 3600 * 10**6, "megawatt hour", "megawatt-hour")
_unit("GWh", "energy", 3600 * 10**9, "gigawatt hour", "gigawatt-hour")
_unit("cal", "energy", F("4.184"), "calorie", "small calorie", "thermochemical calorie")
_unit("kcal", "energy", F("4184"), "kilocalorie", "kilo calorie", "food calorie", "large calorie")
_unit("BTU", "energy", F("1055.05585262"), "btu", "british thermal unit", "btus")
_unit("eV", "energy", F("1.602176634e-19"), "electronvolt", "electron volt", "electron-volt")
_unit("erg", "energy", F(1, 10**7), "ergs")
_unit("thm", "energy", 105_480_400, "therm", "us therm")
# power (base: watt)
_unit("W", "power", 1, "watt")
_unit("kW", "power", 1000, "kilowatt")
_unit("MW", "power", 10**6, "megawatt")
_unit("GW", "power", 10**9, "gigawatt")
_unit("hp", "power", F("745.69987158227022"), "horsepower", "mechanical horsepower", "bhp")
_unit("PS", "power", F("735.49875"), "metric horsepower", cased=("PS",))
# pressure (base: pascal)
_unit("Pa", "pressure", 1, "pascal")
_unit("hPa", "pressure", 100, "hectopascal")
_unit("kPa", "pressure", 1000, "kilopascal")
_unit("MPa", "pressure", 10**6, "megapascal")
_unit("bar", "pressure", 10**5, "bars")
_unit("mbar", "pressure", 100, "millibar")
_unit("atm", "pressure", 101_325, "atmosphere", "standard atmosphere")
_unit("psi", "pressure", F("0.45359237") * F("9.80665") / F("0.0254") ** 2, "pound per square inch", "pounds per square inch", "lbf/in²", "lbf/in2")  # fmt: skip
_unit("mmHg", "pressure", F("133.322387415"), "millimetre of mercury", "millimetres of mercury")
_unit("Torr", "pressure", F(101_325, 760), "torr")
_unit("inHg", "pressure", F("3386.389"), "inch of mercury", "inches of mercury")
# data (base: bit)
for _sym, _word, _factor in [
    ("kB", "kilobyte", 8 * 10**3), ("MB", "megabyte", 8 * 10**6), ("GB", "gigabyte", 8 * 10**9),
    ("TB", "terabyte", 8 * 10**12), ("PB", "petabyte", 8 * 10**15),
    ("KiB", "kibibyte", 8 * 2**10), ("MiB", "mebibyte", 8 * 2**20), ("GiB", "gibibyte", 8 * 2**30),
    ("TiB", "tebibyte", 8 * 2**40), ("PiB", "pebibyte", 8 * 2**50),
    ("kbit", "kilobit", 10**3), ("Mbit", "megabit", 10**6), ("Gbit", "gigabit", 10**9),
    ("Tbit", "terabit", 10**12),
]:  # fmt: skip
    _cased = (_sym, _sym.replace("bit", "b")) if _sym.endswith("bit") else (_sym,)
    _plain = () if _sym.endswith("bit") else (_sym.lower(),)
    if _sym == "kB":
        _cased = ("kB", "KB")
    _unit(_sym, "data", _factor, _word, *_plain, cased=_cased)
_unit("B", "data", 8, "byte", "octet", cased=("B",))
_unit("bit", "data", 1, "bits", cased=("b",))
# area (base: square metre)
_unit("m²", "area", 1, "m2", "square metre", "sq m", "sqm", "sq metre", "metre squared", "metres squared")  # fmt: skip
_unit("km²", "area", 10**6, "km2", "square kilometre", "sq km", "sq kilometre")
_unit("cm²", "area", F(1, 10**4), "cm2", "square centimetre", "sq cm")
_unit("mm²", "area", F(1, 10**6), "mm2", "square millimetre", "sq mm")
_unit("ha", "area", 10**4, "hectare")
_unit("acre", "area", F("0.3048") ** 2 * 43560, "ac")
_unit("ft²", "area", F("0.3048") ** 2, "ft2", "square foot", "sq ft", "sq foot", "sqft")
_unit("in²", "area", F("0.0254") ** 2, "in2", "square inch", "sq in")
_unit("yd²", "area", F("0.9144") ** 2, "yd2", "square yard", "sq yd")
_unit("mi²", "area", F("1609.344") ** 2, "mi2", "square mile", "sq mi")

# Bare "in" is a preposition far more often than an inch; it is only read as a unit when it
# directly follows the number ("12 in to cm").
_INCH = _ALIASES.pop("in")
_ALIASES.pop("ins", None)

_BOUNDARY_L = r"(?<![A-Za-z_µμ²³/'^])"  # a digit may come first: "2h", "500MB", "60mph"
_BOUNDARY_R = r"(?![A-Za-z²³/]|\d(?![\d.]*[A-Za-z]))"  # a number may follow in "2h30m"
_ALTERNATIVES = sorted(
    [(a, False) for a in _ALIASES] + [(a, True) for a in _CASED], key=lambda x: -len(x[0])
)


_LEFT = re.compile(_BOUNDARY_L)
_RIGHT = re.compile(_BOUNDARY_R)
_QUOTES = frozenset(('"', "'", "″", "′"))
_SPACES = re.compile(r"\s+")


def _folded(text: str) -> str:
    """``text`` lower-cased character by character, so positions still line up."""
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


@functools.cache
def _alias_table() -> tuple[tuple[int, frozenset[str], frozenset[str]], ...]:
    """Every alias by its length, longest first: the exact spellings of the cased ones and
    the folded spellings of the others. A table, not one alternation of 787 aliases:
    compiling that pattern took ~0.1 s of every process that converted anything (issue 14)."""
    lengths = sorted({len(a) for a, _ in _ALTERNATIVES}, reverse=True)
    return tuple(
        (
            n,
            frozenset(a for a, cased in _ALTERNATIVES if cased and len(a) == n),
            frozenset(_folded(a) for a, cased in _ALTERNATIVES if not cased and len(a) == n),
        )
        for n in lengths
    )


def _unit_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every unit named in ``text`` as ``(start, end, words)``, left to right, the longest
    alias at each place: a name begins where no letter runs into it ("2h", "500MB" may) and
    ends where no letter follows ("2h30m" may); the words of a name may be spaced any way."""
    pieces: list[str] = []
    where: list[int] = []  # the place in ``text`` of each character of ``flat``
    at = 0
    for a, b in [*((m.start(), m.end()) for m in _SPACES.finditer(text)), (len(text),) * 2]:
        pieces.append(text[at:a])
        where.extend(range(at, a))
        if b > a:  # a run of spaces reads as one
            pieces.append(" ")
            where.append(a)
        at = b
    flat = "".join(pieces)
    low = _folded(flat)
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(flat):
        hit = 0
        if not flat[i].isspace() and _LEFT.match(flat, i):
            for n, cased, plain in _alias_table():
                word = flat[i : i + n]
                named = len(word) == n and (word in cased or low[i : i + n] in plain)
                if named and (word in _QUOTES or _RIGHT.match(flat, i + n)):
                    hit = n
                    break
        if hit:
            start, end = where[i], where[i + hit - 1] + 1
            found.append((start, end, text[start:end]))
            i += hit
        else:
            i += 1
    return found


_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?(?:\s*/\s*\d+)?)"
    r"(?=\s*[^\d\s]|\s*$)"
)
_COMPOUND = re.compile(
    r"\s*(?:,\s*)?(?:(?:and|plus|\+|and\s+then|added\s+to)\s+)?"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[A-Za-z\"'″′]+)"
)
"""A further quantity of the same dimension: "6 ft 2 in", "1 h and 30 min", "200 ml plus 1.5 l"."""
_BARE_INCHES = re.compile(r"\s*(?:and\s+)?(\d{1,2}(?:\.\d+)?)(?![\d.]|\s*[A-Za-z\"'″′%])")
_A_ONE = re.compile(r"\b(?:a|an|one|per)\s+(?=[a-zµμ°'\"])", re.IGNORECASE)


def find_unit(text: str) -> Unit | None:
    """The unit named exactly by ``text`` (any alias), or ``None``."""
    t = text.strip()
    if t in _CASED:
        return _CASED[t]
    key = re.sub(r"\s+", " ", t.lower())
    return _INCH if key in ("in", "ins") else _ALIASES.get(key)


@dataclass(frozen=True)
class ConversionResult:
    value: F
    source: Unit
    target: Unit
    result: F
    value_text: str

    @property
    def text(self) -> str:
        exact, shown = format_quantity(self.result)
        sign = "=" if exact else "≈"
        return f"{self.value_text} {sign} {shown} {self.target.symbol}"


def format_quantity(value: F, digits: int = 10) -> tuple[bool, str]:
    """``(exact, text)``: exact decimals when short, else ``digits`` significant digits."""
    if value.denominator == 1:
        return True, str(value.numerator)
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    with localcontext() as ctx:
        ctx.prec = 80
        dec = Decimal(value.numerator) / Decimal(value.denominator)
        if den == 1:
            text = format(dec.normalize(), "f")
            if len(text.replace("-", "").replace(".", "").strip("0")) <= 15:
                return True, text
        ctx.prec = digits
        rounded = +dec
    if abs(rounded) >= Decimal(10) ** 15:
        return False, str(rounded)
    return False, format(rounded.normalize(), "f")


def _parse_number(text: str) -> F:
    t = text.replace(",", "").replace("−", "-").replace(" ", "")
    if "/" in t:
        num, den = t.split("/")
        if F(den) == 0:
            raise UnitsError("division by zero in the quantity")
        return F(num) / F(den)
    return F(t)


def parse_conversion(query: str) -> tuple[F, str, Unit, Unit]:
    """``(value, value_text, from_unit, to_unit)`` from a natural-language request."""
    text = re.sub(r"\b(?:minus|negative)\s+(?=\d)", "-", query.strip(), flags=re.IGNORECASE)
    numbers = [m for m in _NUMBER.finditer(text) if re.search(r"\d", m.group("num"))]
    if numbers:
        number = numbers[0]
        value_text = number.group("num").replace(",", "").replace(" ", "").replace("−", "-")
        value, num_end, num_start = _parse_number(number.group("num")), number.end(), number.start()
    else:
        one = _A_ONE.search(text)
        if one is None:
            raise UnitsError(
                f"no quantity found in {query!r}; say e.g. 'how many kilometres are 5 miles' "
                "or 'convert 100 °F to °C'"
            )
        value, value_text, num_end, num_start = F(1), "1", one.end(), one.start()
    mentions = _unit_mentions(text)
    inch = re.match(r"\s*(in|ins)\b", text[num_end:], re.IGNORECASE)
    if inch and not any(s == num_end + inch.start(1) for s, _, _ in mentions):
        mentions.append((num_end + inch.start(1), num_end + inch.end(1), "in"))
        mentions.sort()
    after = [m for m in mentions if m[0] >= num_end]
    if not after:
        raise UnitsError(f"no unit follows the quantity {value_text} in {query!r}")
    source_m = after[0]
    gap = text[num_end : source_m[0]].strip()
    if gap and not re.fullmatch(r"(?:degrees?|deg|°)", gap, re.IGNORECASE):
        word = gap.split()[0]
        if word.lower() in ("to", "in", "into", "as", "=", "is"):
            raise UnitsError(f"no unit follows the quantity {value_text} in {query!r}")
        raise UnitsError(
            f"unknown unit {word!r} in {query!r} (known: length, mass, volume, temperature, "
            "time, speed, acceleration, energy, power, pressure, data size and area units)"
        )
    source = find_unit(source_m[2])
    assert source is not None
    value_text += f" {source.symbol}"
    # A compound quantity of one dimension: "6 ft 2 in", "1 h and 30 min".
    end = source_m[1]
    inches = _BARE_INCHES.match(text, end) if source.symbol == "ft" else None
    if inches is not None:  # "5 foot 4": the bare number after feet is inches
        value += F(inches.group(1)) / 12
        value_text += f" {inches.group(1)} in"
        end = inches.end()
    while (rest := _COMPOUND.match(text, end)) is not None:
        part = find_unit(rest.group("unit"))
        if part is not None and part.symbol == "m" and source.dimension == "time":
            part = find_unit("min")  # "2h 30m": beside hours, an m is minutes
        if part is None or part.dimension != source.dimension:
            break
        amount = _parse_number(rest.group("num"))
        value += source.from_base(part.to_base(amount)) - source.from_base(part.to_base(F(0)))
        value_text += f" {rest.group('num')} {part.symbol}"
        end = rest.end()
    added = _TOGETHER.search(text) is not None
    if added:  # "a 2.5 kg bag and a 1.5 kg bag together", "5 km plus 3 miles": one total
        value, value_text, end = _add_quantities(text, numbers[1:], mentions, source, value,
                                                 value_text, end)  # fmt: skip
    others = [m for m in mentions if m[0] >= end] + [m for m in mentions if m[1] <= num_start]
    # the unit after "in"/"to"/"into"/"how many" is the target, wherever the quantities are
    marked = [
        m for m in others if re.search(r"\b(?:in|to|into|as|how\s+many)\s*$", text[: m[0]], re.I)
    ]
    others = marked[:1] + [m for m in others if m not in marked[:1]]
    if not others:
        raise UnitsError(f"no target unit in {query!r}; say what to convert into, e.g. '... in km'")
    target = find_unit(others[0][2])
    assert target is not None
    if source.symbol == "K" and target.dimension == "length" and re.search(r"\dk\b", text, re.I):
        source = find_unit("km") or source  # "a 10k run in miles": a race's kilometres
        value_text = value_text.replace(" K", " km")
    if source.symbol == target.symbol and not added:
        # "I ran 10 km and she ran 6 miles; how many km did she run?": the quantity asked
        # about is the one not in km yet
        for later in numbers[1:]:
            try:
                found = parse_conversion(text[later.start() :])
            except UnitsError:
                continue
            if found[2].symbol != target.symbol and found[2].dimension == target.dimension:
                return found[0], found[1], found[2], target
    return value, value_text, source, target


_TOGETHER = re.compile(
    r"\b(?:together|combined|in\s+total|altogether|in\s+all|total\s+of|sum\s+of|plus)\b"
    r"|(?<=[^\W\d])\s*\+\s*(?=\d)",
    re.I,
)


def _add_quantities(
    text: str,
    numbers: list[re.Match[str]],
    mentions: list[tuple[int, int, str]],
    source: Unit,
    value: F,
    value_text: str,
    end: int,
) -> tuple[F, str, int]:
    """Every further quantity of the source's dimension added to the first: "2.5 kg and
    1.5 kg together" is 4 kg."""
    for number in numbers:
        if number.start() < end:
            continue
        unit_m = next((m for m in mentions if m[0] >= number.end()), None)
        if unit_m is None or text[number.end() : unit_m[0]].strip():
            continue
        unit = find_unit(unit_m[2])
        if unit is None or unit.dimension != source.dimension:
            continue
        amount = _parse_number(number.group("num"))
        value += source.from_base(unit.to_base(amount)) - source.from_base(unit.to_base(F(0)))
        value_text += f" + {number.group('num')} {unit.symbol}"
        end = unit_m[1]
    return value, value_text, end


def convert(query: str) -> ConversionResult:
    """Convert the quantity in ``query``; raise ``UnitsError`` with a helpful message.

    Numbers in words are read as digits when the request has none ("twenty-five miles"). A
    request that does not read is read once more with misspelt unit names corrected
    against the unit table ("kilomters" → kilometers); the first reading's error is reported.
    """
    query = decimal_points(query)  # "3,5 km"
    if not re.search(r"\d", query):  # "twenty-five miles in km", "three and a half hours"
        query = spell_digits(query)
    query = _ONE_PART.sub(_part, _HALVES.sub(_fraction, _UNIT_AND_PART.sub(_unit_and_part, query)))
    try:
        return _convert(query)
    except UnitsError:
        fixed = correct_words(query, _unit_words(), _word_meaning)
        if fixed == query:
            # "5 mils to km": "mils" is as near "mins" as "miles"; the unit it converts to
            # names the dimension, so only that dimension's names are candidates
            named = {u.dimension for w in re.findall(r"[^\W\d_]+", query) if (u := find_unit(w))}
            names = frozenset(a for a, u in _ALIASES.items() if u.dimension in named)
            fixed = correct_words(query, names, lambda w: _ALIASES[w].symbol) if names else query
        if fixed == query:
            raise
        try:
            return _convert(fixed)
        except UnitsError:
            pass
        raise


@functools.cache
def _unit_words() -> frozenset[str]:
    """The unit table's names and the words of its longer names ("degrees" of "degrees
    celsius"): what a misspelt word of a unit name is read against."""
    return frozenset(_ALIASES) | {w for alias in _ALIASES for w in alias.split()}


def _word_meaning(word: str) -> str:
    """What a name stands for: its unit, or the word itself with a plural ``s`` dropped
    ("degree" and "degrees" are one reading of "degres")."""
    unit = _ALIASES.get(word)
    return unit.symbol if unit is not None else word.removesuffix("s")


_HALVES = re.compile(
    r"(?<![\w.])(\d+)\s+and\s+(?:a|one)\s+(half|quarter|third)\b(?:\s+(?:of\s+)?an?\b)?", re.I
)
"""A whole number and a fraction said in words: "2 and a half hours", "1 and a quarter miles"."""
_PARTS = {"half": F(1, 2), "quarter": F(1, 4), "third": F(1, 3)}
_UNIT_AND_PART = re.compile(
    r"(?<![\w.])(an?|one|\d+)\s+([^\W\d]+)\s+and\s+an?\s+(half|quarter|third)\b", re.I
)
"""A fraction said after the unit: "an hour and a half", "2 miles and a quarter"."""


def _unit_and_part(m: re.Match[str]) -> str:
    if find_unit(m.group(2)) is None:
        return m.group(0)
    whole = 1 if not m.group(1)[0].isdigit() else int(m.group(1))
    return f"{format_quantity(whole + _PARTS[m.group(3).lower()])[1]} {m.group(2)}"


_ONE_PART = re.compile(
    r"(?<![\w.])(?:(?:a|one)\s+)?(half|quarter|third)\s+(?:of\s+)?(?:an?\s+)?(?=[^\W\d])", re.I
)
"""A fraction of one unit said in words: "half a mile", "a quarter of an hour"."""


def _part(m: re.Match[str]) -> str:
    return f"{format_quantity(_PARTS[m.group(1).lower()])[1]} "


def _fraction(m: re.Match[str]) -> str:
    value = int(m.group(1)) + _PARTS[m.group(2).lower()]
    return format_quantity(value)[1]


def _convert(query: str) -> ConversionResult:
    value, value_text, source, target = parse_conversion(query)
    if source.dimension != target.dimension:
        raise UnitsError(
            f"cannot convert {source.symbol} ({source.dimension}) to "
            f"{target.symbol} ({target.dimension})"
        )
    if source.dimension == "temperature" and source.to_base(value) < 0:
        raise UnitsError(f"{value_text} {source.symbol} is below absolute zero")
    result = target.from_base(source.to_base(value))
    return ConversionResult(value, source, target, result, value_text)
