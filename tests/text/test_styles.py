"""Writing styles read away before a request is split (``agentroute.text._styles``): speech
fillers and stutters, politeness padding, tag questions and thanks set off on their own,
pictographs, file names said aloud, calques, single values in brackets or quotes. What is
asked, and the user's quoted text, stay."""

from __future__ import annotations

import pytest

from agentroute.text import only_context, plain_request, split_clauses
from agentroute.text._styles import unstyled, unwrapped_values


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("um so what's what's 12 times 12 and then uh add 3", "so what's 12 times 12 and then add 3"),
        ("and then like add 7", "and then add 7"),
        ("Could I trouble you to work out 15 squared, and then, if you don't mind, subtract 25",
         "work out 15 squared, and then, subtract 25"),
        ("Who discovered penicillin, do you know", "Who discovered penicillin"),
        ("the capital of Australia is Sydney, right?", "the capital of Australia is Sydney?"),
        ("Which embedding model? Much appreciated.", "Which embedding model?"),
        ("read todo.md for me, thank you so much.", "read todo.md for me."),
        ("🧮 what's 45 times 12? 🙏", "what's 45 times 12?"),
        ("time in Tokyo ⏰ and time in London", "time in Tokyo, and time in London"),
        ("read me the file notes dot txt", "read me the file notes.txt"),
        ("please to convert 10 kg in pounds", "please convert 10 kg in pounds"),
        ("٣ + ٤", "3 + 4"),  # Arabic-Indic digits: the same numbers, written 0-9
        ("what is ३ times ४", "what is 3 times 4"),  # Devanagari
        ("１２ × ３", "12 × 3"),  # full-width
        ("divide it for 4", "divide it by 4"),
        ("ur git log + the branches", "ur git log and the branches"),
        ("who invented the www btw", "who invented the www"),
    ],
)  # fmt: skip
def test_styles_are_read_away(written: str, plain: str) -> None:
    assert unstyled(written) == plain


@pytest.mark.parametrize(
    "written",
    [
        "how do you say thank you in Japanese",  # thanks inside the ask are what is asked
        "what time is it right now",  # "right" that tags nothing
        "what's it like in Paris",  # "like" that is no hedge
        "2 ** 10 - 24",
        "how many cm is 5'8\"",
        "all .md files",
        "Explain operator yields false False.",  # two spellings, two things
        "ok thanks, that's all",  # only acknowledgement would be left  # an extension after a space is no loose full stop
        "Search for files ending in .csv",
    ],
)
def test_what_is_asked_stays(written: str) -> None:
    assert unstyled(written) == written


def test_quoted_text_stays_as_written() -> None:
    assert plain_request("translate 'thank you, um, right' into French") == (
        "translate 'thank you, um, right' into French"
    )


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Convert (5) miles to (km)", "Convert 5 miles to km"),
        ('What is "12.5%" of "80"?', "What is 12.5% of 80?"),
        ("How many pounds is '2.5 kg'?", "How many pounds is 2.5 kg?"),
        ("sqrt(169) and (12 + 8) * 2", "sqrt(169) and (12 + 8) * 2"),
        ("(3) capital of Peru", "(3) capital of Peru"),  # a list item's mark
        ("Please: (a) 13 * 17 (b) 2 to the 8th", "Please: (a) 13 * 17 (b) 2 to the 8th"),
        ("two things: (1) 144 / 12 and (2) 3 kg in lb", "two things: (1) 144 / 12 and (2) 3 kg in lb"),
        ("echo 'hello there'", "echo 'hello there'"),
        ("what does (?P<name>...) mean", "what does (?P<name>...) mean"),
    ],
)
def test_single_values_come_out_of_brackets_and_quotes(written: str, plain: str) -> None:
    assert unwrapped_values(written) == plain


def test_context_before_the_ask_is_told_only_when_the_ask_needs_nothing_of_it() -> None:
    told = split_clauses(
        "I've been working on the repo all morning and lost track of what I touched. "
        "What's the git status?"
    )
    assert only_context(told[0], told[1:])
    assert not only_context("I live in Paris", ["what time is it in Tokyo?"])  # a name lost
    assert not only_context("I weigh 150 lbs", ["what is that in kg?"])  # referred to
    assert not only_context("I need 25 percent of 640", ["who invented radio?"])  # operates
    assert not only_context(told[0], [])  # nothing asked after it
    assert not only_context("git status please", ["and what's the pH of water?"])  # an ask
    assert not only_context("I need man and whatis on a container", ["what do I install"])
    assert not only_context("I'm planning a trip, what time is it in tokyo", ["and in Lima?"])
