"""A distance in years asked of an earlier part's answer, and a time server's answer as the
value a later part converts."""

from __future__ import annotations

from agentroute.text import value_for, year_span


def test_a_year_given_and_a_year_found() -> None:
    assert year_span("how many years before 2000 was {{s1}}") == "abs(2000 - {{s1}})"
    assert year_span("How many years ago was {{s1}}, counting from 2026?") == "abs(2026 - {{s1}})"
    assert year_span("how old is {{s1}} in 2026?") == "abs(2026 - {{s1}})"


def test_two_years_found() -> None:
    assert year_span("how many years apart are {{s1}} and {{s2}}") == "abs({{s2}} - {{s1}})"


def test_no_distance_asked() -> None:
    assert year_span("multiply {{s1}} by 2") is None
    assert year_span("how many years is 3650 days") is None  # no earlier part
    assert year_span("how many years ago was {{s1}}") is None  # from when is not said


def test_a_time_flows_as_its_time_of_day_and_zone() -> None:
    said = "timezone: America/New_York; datetime: 2026-12-07T00:07:42-05:00; is_dst: false"
    assert value_for("convert {{s1}} to Berlin time", 8, said, None, takes_text=False) == (
        "00:07 in America/New_York"
    )
    data = {"timezone": "Asia/Tokyo", "datetime": "2026-12-07T14:07:59+09:00"}
    assert value_for("what is {{s1}} in London time?", 8, "{}", data, takes_text=False) == (
        "14:07 in Asia/Tokyo"
    )
    assert value_for("multiply {{s1}} by 2", 9, "5 mi = 8.04672 km", None, takes_text=False) == (
        "8.04672"
    )
