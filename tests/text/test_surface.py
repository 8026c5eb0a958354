"""A request's manners, capitals and small-word slips are read away before it is split; its
quotations and file names are the user's values and stay as written."""

from __future__ import annotations

import pytest

from agentroute.text import plain_request


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("WHAT IS 17 * 23?", "what is 17 * 23?"),
        ("ECHO 'Hello World' PLEASE", "echo 'Hello World'"),
        ("quick q: what's the capital of Peru?", "what's the capital of Peru?"),
        ("hey, could you tell me the time in Tokyo? thanks!", "the time in Tokyo?"),
        ("Hi! Japan currency. Thanks in advance.", "Japan currency."),
        ("I was wondering, what about Hungary", "what about Hungary"),
        ("files in docs pls", "files in docs"),
        ("Then multiply tht by 2", "Then multiply that by 2"),
        ("convert teh result to feet", "convert the result to feet"),
        ("and what time is it tehre", "and what time is it there"),
        ("halve the previus one", "halve the previous one"),
        ("Is it night in Auckland right now??", "Is it night in Auckland right now?"),
        ("hey, quick q: how far is Paris", "how far is Paris"),
    ],
)
def test_what_says_nothing_of_the_request_is_read_away(written: str, plain: str) -> None:
    assert plain_request(written) == plain


@pytest.mark.parametrize(
    "written",
    [
        "thanks",  # nothing left once the thanks go: kept as written
        "Read NOTES.TXT",  # a file name in capitals is no shout
        "What is the capital of France?",
        "Can you swim?",  # a bare "can you" is part of what is asked
        "Translate 'tht' into French",  # a quotation is the user's own text
        "Please help: I have to convert 100 F",  # a lead-in of its own follows: read whole
        "quick question before my flight, what time is it",  # not set off: runs on
    ],
)
def test_a_plain_request_stays_as_written(written: str) -> None:
    assert plain_request(written) == written
