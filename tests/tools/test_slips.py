"""The calc and units servers read slips in their own words (`agentroute_tools._fuzzy`): the
first two letters swapped, a misspelt filler word, a power said as a noun; real words and
other operations are left as they are."""

import pytest
from agentroute_tools._calc import CalcError, calculate
from agentroute_tools._fuzzy import nearest
from agentroute_tools._units import UnitsError, convert


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("qsuare root of 81", "9"),  # the first two letters swapped
        ("how mcuh is 18 percent of 50", "9"),  # a misspelt filler word
        ("half of 250 pleasee", "125"),
        ("cube of 4", "64"),  # a power said as a noun
        ("the square of 12", "144"),
        ("cueb of 3", "27"),
        ("approx 22/7", "22/7"),
        ("waht is 12.5% of 80", "10"),  # as near "wat" as "what": the swap is the slip
    ],
)
def test_calc_reads_slips(query: str, value: str) -> None:
    assert calculate(query).text.split(" = ")[-1].startswith(value)


def test_calc_square_root_is_not_a_square() -> None:
    assert calculate("square root of 144").text.endswith("= 12")
    assert calculate("the square of 12 plus 1").text.endswith("= 145")


def test_units_read_a_unit_with_its_first_letters_swapped() -> None:
    assert "8.04672" in convert("5 imles to km").text


def test_units_read_a_misspelt_word_of_a_longer_unit_name() -> None:
    assert convert("20 degres celsius in fahrenheit").text == "20 °C = 68 °F"
    with pytest.raises(UnitsError):  # an ordinary word is no unit, however near one
        convert("10 there in km")


def test_a_swap_is_not_read_across_other_letters() -> None:
    assert nearest("uonces", ["ounces"]) == "ounces"
    assert nearest("nuoces", ["ounces"]) is None  # not a swap of the first two letters
    with pytest.raises(CalcError):
        calculate("cube 4 of")
