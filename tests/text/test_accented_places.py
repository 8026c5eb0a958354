"""Places written with their accents find their time zone: the zone names spell them plain.

Measured before (blind set 18): "time in São Paulo" was filled with the server's local zone
(UTC), as no place was read from it; "Zürich", "Bogotá" and "Montréal" the same.
"""

from __future__ import annotations

import pytest

from agentroute.text import fill_arguments

SCHEMA = {
    "type": "object",
    "properties": {"timezone": {"type": "string", "description": "IANA timezone name"}},
    "required": ["timezone"],
}


@pytest.mark.parametrize(
    ("request_text", "zone"),
    [
        ("time in São Paulo", "America/Sao_Paulo"),
        ("what time is it in Zürich", "Europe/Zurich"),
        ("current time in Bogotá please", "America/Bogota"),
        ("time in Sao Paulo", "America/Sao_Paulo"),
    ],
)
def test_an_accented_place_is_its_zone(request_text: str, zone: str) -> None:
    assert fill_arguments(request_text, SCHEMA, tool="get_current_time") == {"timezone": zone}
