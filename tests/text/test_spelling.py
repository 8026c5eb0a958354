"""Misspelt routing words corrected to the targets' own words; real words and names kept."""

import pytest

from agentroute.text import Speller
from agentroute.text._spelling import distance

TARGET_TEXTS = [
    "git status: shows the working tree status",
    "git log: shows the commit logs",
    "search files matching a pattern",
    "echo back the message",
    "send an email",
    "read a file",
]
ENGLISH = {"spend", "reed", "please", "what", "did", "the", "for", "me", "show", "back"}
speller = Speller(TARGET_TEXTS, ENGLISH.__contains__)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("git stauts please", "git status please"),
        ("git statsu", "git status"),
        ("serch for csv fiels", "search for csv files"),
        ("ecko 'hi'", "echo 'hi'"),
        ("show the comit logs", "show the commit logs"),
    ],
)
def test_misspelt_words_are_read_as_the_targets_words(text: str, fixed: str) -> None:
    assert speller.correct(text) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "what did I spend",  # a word, though the targets never say it ("send" is one slip)
        "reed the guide",  # a word too
        "Germny and Statsu",  # names keep their spelling
        "read stauts.txt",  # file names too
        "lgo",  # too short to tell
    ],
)
def test_words_and_names_are_kept(text: str) -> None:
    assert speller.correct(text) == text


def test_ties_are_not_guessed() -> None:
    tied = Speller(["bake", "make"], set().__contains__)
    assert tied.correct("xake cake") == "xake cake"
    assert tied.correct("bakee") == "bake"


def test_distance_counts_a_swap_as_one_slip() -> None:
    assert distance("statsu", "status", 2) == 1
    assert distance("serch", "search", 2) == 1
    assert distance("abc", "xyz", 1) == 2  # capped at limit + 1


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("wats up", "what's up"),
        ("hw many km pls", "how many km please"),
        ("which river flows thru Vienna", "which river flows through Vienna"),
        ("the U.S. info", "the U.S. information"),
    ],
)
def test_chat_spellings_are_read_in_full(text: str, full: str) -> None:
    assert speller.correct(text) == full


def test_words_of_the_packages_own_tables_are_known() -> None:
    multiple = Speller(["a multiple of 3"], set().__contains__)
    assert multiple.correct("multiply it by 3") == "multiply it by 3"


def test_a_times_sign_run_into_its_numbers_is_spaced() -> None:
    assert speller.correct("wats 12x8") == "what's 12 x 8"
    assert speller.correct("45 x2") == "45 x 2"
    assert speller.correct("box x") == "box x"


def test_among_equally_close_words_two_letters_swapped_is_likelier() -> None:
    speller = Speller(["get the current time", "list them all", "the item"], lambda w: False)
    assert speller.word("tiem") == "time"  # "them" is one slip too, but not a swap
    tied = Speller(["show many files", "the menu bar"], lambda w: False)
    assert tied.word("meny") is None  # "many" and "menu", neither a swap: no guess


# -- a target's argument read against that target's own words (`Speller.read`) --------------

GRAPH_WORDS = ["France", "Germany", "Vienna", "Austria", "Australia", "capital of", "currency"]
PLACES = ["london", "new york", "los angeles", "tokyo", "berlin", "bern"]
EVERYDAY = frozenset({"the", "of", "what", "is", "time", "in", "chile", "pairs", "multiply"})
graph = Speller(GRAPH_WORDS, EVERYDAY.__contains__, EVERYDAY)
places = Speller(PLACES, EVERYDAY.__contains__, EVERYDAY)


@pytest.mark.parametrize(
    ("speller_", "text", "read", "corrections"),
    [
        (
            graph,
            "captial of Frnace",
            "capital of France",
            {"captial": "capital", "Frnace": "France"},
        ),
        (
            graph,
            "CAPITOL OF GERMNY",
            "CAPITAL OF GERMANY",
            {"CAPITOL": "CAPITAL", "GERMNY": "GERMANY"},
        ),
        (
            graph,
            "currancy of austira",
            "currency of austria",
            {"currancy": "currency", "austira": "austria"},
        ),
        (places, "what time is it in londn", "what time is it in london", {"londn": "london"}),
        (places, "time in new yrok", "time in new york", {"yrok": "york"}),
        (places, "time in los angelos", "time in los angeles", {"angelos": "angeles"}),
        (places, "time in tokoyo", "time in tokyo", {"tokoyo": "tokyo"}),
    ],
)
def test_an_argument_is_read_in_its_targets_words(
    speller_: Speller, text: str, read: str, corrections: dict[str, str]
) -> None:
    assert speller_.read(text) == (read, corrections)


@pytest.mark.parametrize(
    ("speller_", "text"),
    [
        (graph, "capital of Chile"),  # a real name: never read as another ("China")
        (graph, "capital of Austria"),  # the vocabulary's own word, however near another
        (places, "time in pairs"),  # a word, though one slip from "paris"
        (places, "time in berln"),  # as near "berlin" as "bern": not guessed
        (places, "echo 'londn calling'"),  # quoted: the user's own text
        (places, "read londn.txt"),  # a file name
        (places, "time in lndn2"),  # a word with a digit
    ],
)
def test_words_names_quotes_and_ties_are_left_as_written(speller_: Speller, text: str) -> None:
    assert speller_.read(text) == (text, {})


def test_the_first_two_letters_swapped_are_one_slip() -> None:
    ops = Speller(["square root", "cube"], set().__contains__)
    assert ops.read("qsuare root of 81") == ("square root of 81", {"qsuare": "square"})
    # a word that starts right is preferred: no guess across first letters when one fits
    assert Speller(["item", "time"], set().__contains__).word("tiem") == "time"


def test_a_slip_nearer_an_english_word_than_the_vocabulary_stays() -> None:
    # "mulitply" is one slip from English "multiply", two from the vocabulary's "multiple"
    calc = Speller(["least common multiple"], EVERYDAY.__contains__, EVERYDAY)
    assert calc.read("mulitply 12 by 12") == ("mulitply 12 by 12", {})
    # without that English word to rival it, the vocabulary's word is taken
    assert Speller(["least common multiple"], set().__contains__).word("mulitply") == "multiple"
