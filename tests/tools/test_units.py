"""The units tool's parser: phrasings, US/UK spellings, plurals, offsets, exactness."""

from fractions import Fraction

import pytest
from agentroute_tools._units import UnitsError, convert, find_unit


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("how many kilometres are 5 miles", "5 mi = 8.04672 km"),
        ("how many kilometers are 5 miles", "5 mi = 8.04672 km"),
        ("what is 5 miles in km", "5 mi = 8.04672 km"),
        ("convert 5 mi to kilometres", "5 mi = 8.04672 km"),
        ("5 mi = ? km", "5 mi = 8.04672 km"),
        ("5 miles is how many km", "5 mi = 8.04672 km"),
        ("how many feet in a mile", "1 mi = 5280 ft"),
        ("how many inches in a foot", "1 ft = 12 in"),
        ("12 in to cm", "12 in = 30.48 cm"),
        ("6 feet 2 inches in cm", "6 ft 2 in = 187.96 cm"),
        ("1,000 metres to miles", "1000 m ≈ 0.6213711922 mi"),
        ("1/2 mile in yards", "1/2 mi = 880 yd"),
        # mass
        ("how many ounces in a pound", "1 lb = 16 oz"),
        ("2.5 kg to lbs", "2.5 kg ≈ 5.511556555 lb"),
        ("10 stone in kilograms", "10 st = 63.5029318 kg"),
        ("how many grams is 3 ounces", "3 oz = 85.048569375 g"),
        ("1 tonne in kg", "1 t = 1000 kg"),
        # volume, US vs UK
        ("1 US gallon to litres", "1 gal = 3.785411784 L"),
        ("1 gallon to liters", "1 gal = 3.785411784 L"),
        ("1 imperial gallon in liters", "1 imp gal = 4.54609 L"),
        ("3 UK pints to ml", "3 imp pt = 1704.78375 mL"),
        ("2 cups in fl oz", "2 cup = 16 fl oz"),
        ("3 tablespoons in teaspoons", "3 tbsp = 9 tsp"),
        # temperature with offsets
        ("convert 100 °F to °C", "100 °F ≈ 37.77777778 °C"),
        ("100 fahrenheit in celsius", "100 °F ≈ 37.77777778 °C"),
        ("what is 20 degrees celsius in fahrenheit", "20 °C = 68 °F"),
        ("-40 C to F", "-40 °C = -40 °F"),
        ("0 K in celsius", "0 K = -273.15 °C"),
        ("212 degrees F in kelvin", "212 °F = 373.15 K"),
        # time
        ("2 hours in minutes", "2 h = 120 min"),
        ("90 minutes to hours", "90 min = 1.5 h"),
        ("how many seconds in a day", "1 d = 86400 s"),
        ("1 hour and 30 minutes in minutes", "1 h 30 min = 90 min"),
        ("1 week in seconds", "1 wk = 604800 s"),
        # speed
        ("60 mph in km/h", "60 mph = 96.56064 km/h"),
        ("100 km/h to mph", "100 km/h ≈ 62.13711922 mph"),
        ("30 knots to m/s", "30 kn ≈ 15.43333333 m/s"),
        # data sizes (case matters: MB bytes, Mb bits)
        ("1 GiB to MB", "1 GiB = 1073.741824 MB"),
        ("500 MB in GB", "500 MB = 0.5 GB"),
        ("100 Mb to MB", "100 Mbit = 12.5 MB"),
        ("8 bits in bytes", "8 bit = 1 B"),
        ("2 gigabytes in megabytes", "2 GB = 2000 MB"),
        # area
        ("1 acre in square metres", "1 acre = 4046.8564224 m²"),
        ("1 hectare to acres", "1 ha ≈ 2.471053815 acre"),
        ("1000 sq ft to m2", "1000 ft² = 92.90304 m²"),
    ],
)
def test_phrasings(query, text):
    assert convert(query).text == text


def test_results_are_exact_fractions():
    assert convert("5 miles in km").result == Fraction("8.04672")
    assert convert("100 F to C").result == Fraction(340, 9)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("5 kg to km", "cannot convert kg (mass) to km (length)"),
        ("hello", "no quantity found"),
        ("5 parsecs to km", "unknown unit 'parsecs'"),
        ("convert 3 to km", "no unit follows the quantity 3"),
        ("5 miles", "no target unit"),
        ("-500 C to K", "below absolute zero"),
    ],
)
def test_errors_are_helpful(query, message):
    with pytest.raises(UnitsError) as info:
        convert(query)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("alias", "symbol"),
    [
        ("metres", "m"), ("meters", "m"), ("litre", "L"), ("liters", "L"), ("feet", "ft"),
        ("inches", "in"), ("lbs", "lb"), ("MB", "MB"), ("Mb", "Mbit"), ("mb", "MB"),
        ("KiB", "KiB"), ("degrees celsius", "°C"), ("sq ft", "ft²"), ("km/h", "km/h"),
    ],
)  # fmt: skip
def test_aliases(alias, symbol):
    unit = find_unit(alias)
    assert unit is not None and unit.symbol == symbol


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # durations, compound and glued
        ("how many seconds are in 3 hours", "3 h = 10800 s"),
        ("convert 90 minutes to hours", "90 min = 1.5 h"),
        ("2h 30m in minutes", "2 h 30 min = 150 min"),
        ("2h30m in minutes", "2 h 30 min = 150 min"),
        ("1h 30m 15s in seconds", "1 h 30 min 15 s = 5415 s"),
        ("how many minutes in a day", "1 d = 1440 min"),
        # speeds and accelerations
        ("60mph in km/h", "60 mph = 96.56064 km/h"),
        ("9.8 m/s^2 in ft/s^2", "9.8 m/s² ≈ 32.15223097 ft/s²"),
        ("9.8 m/s² to ft/s²", "9.8 m/s² ≈ 32.15223097 ft/s²"),
        ("1 g-force in m/s^2", "1 gₙ = 9.80665 m/s²"),
        # energy, power, pressure
        ("5 kWh in joules", "5 kWh = 18000000 J"),
        ("1 kcal in joules", "1 kcal = 4184 J"),
        ("100 hp in kW", "100 hp ≈ 74.56998716 kW"),
        ("1 atm in kPa", "1 atm = 101.325 kPa"),
        ("30 psi in bar", "30 psi ≈ 2.068427188 bar"),
        # data sizes written without a space
        ("500MB in GB", "500 MB = 0.5 GB"),
    ],
)
def test_more_phrasings(query, text):
    assert convert(query).text == text


def test_m_is_minutes_only_beside_hours():
    assert convert("30m in feet").text == "30 m ≈ 98.42519685 ft"
    with pytest.raises(UnitsError, match="unknown unit 'mi3'"):
        convert("5 mi3 in km")  # a digit glued after a unit is not read as a smaller unit
    with pytest.raises(UnitsError, match="cannot convert"):
        convert("5 kWh in kg")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # two quantities stated: the one asked about is the one not yet in the asked unit
        (
            "Tom lifts 40 kg and Ann lifts 100 lb; how many kg does Ann lift?",
            "100 lb = 45.359237 kg",
        ),
        ("She swam 2 miles and I swam 3 km, how many miles did I swim?", "3 km ≈ 1.864113577 mi"),
        ("how many feet in 3 miles", "3 mi = 15840 ft"),  # "how many" names the target
    ],
)
def test_the_quantity_asked_about_is_the_one_to_convert(query, text):
    assert convert(query).text == text


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("How many minutes are in 2 and a half hours?", "2.5 h = 150 min"),
        ("1 and a quarter miles in km", "1.25 mi = 2.01168 km"),
        # "mils" is one slip from "mins" and from "miles": the target unit names the dimension
        ("convrt 5 mils to km", "5 mi = 8.04672 km"),
        ("how many secnds in 3 mins", "3 min = 180 s"),
    ],
)
def test_fractions_in_words_and_slips_read_by_the_other_unit(query, text):
    assert convert(query).text == text


def test_a_slip_with_no_unit_of_its_dimension_is_still_an_error():
    with pytest.raises(UnitsError):
        convert("5 mils to kelvin")
