"""Names no vocabulary knows (agentroute.text.UnknownNames), against MiniLM's real vocabulary:
made-up countries, people, units and things are unknown; real names the vocabulary lacks
(countries, time-zone places), typos, inflections, words run together and prefixed units are
known; a request to compose something asks about no name."""

from __future__ import annotations

import pytest

from agentroute.embeddings import default_embedder
from agentroute.text import UnknownNames


@pytest.fixture(scope="module")
def names() -> UnknownNames:
    return UnknownNames(default_embedder().words(), frozenset({"agentroute"}))


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("what's the capital of Zembria", "Zembria"),
        ("which currency is used in Quarvania", "Quarvania"),
        ("who is Baron Feltzmoor", "Baron Feltzmoor"),
        ("who invented the zorbatron", "zorbatron"),
        ("convert 5 blorps to metres", "blorps"),
        ("how many grindles are in a mile", "grindles"),
        ("what time is it in Vrelnik", "Vrelnik"),
        ("which sea does the river Plovna flow into", "Plovna"),
        ("what's the atomic number of glimmerium", "glimmerium"),
    ],
)
def test_a_made_up_name_is_unknown(names: UnknownNames, clause: str, name: str) -> None:
    assert names.unknown(clause) == name


@pytest.mark.parametrize(
    "clause",
    [
        "What's the capital of Tuvalu?",  # a country the vocabulary lacks (world_names.txt)
        "what time is it in Ulaanbaatar",  # a time-zone place
        "How tall is the Burj Khalifa?",  # one word of the name is known
        "whos the inventer of dynamite",  # a typo of a known word
        "how do I make my sourdough rise more",  # two words run together
        "tell me a fun fact about octopuses",  # an inflected word
        "2 gigabytes in megabytes",  # a prefixed unit
        "Our team of 6 sold 1,320 raffle tickets. How many per person on average?",
        "write a Dockerfile that installs agentroute",  # composing: the user's own names
        "what does agentroute chat do",  # a word of the targets' own texts
    ],
)
def test_a_real_name_a_typo_or_a_composition_is_known(names: UnknownNames, clause: str) -> None:
    assert names.unknown(clause) is None


def test_words_known_elsewhere_make_a_name_known(names: UnknownNames) -> None:
    """A base's passages may hold a name the vocabulary lacks ("heredity")."""
    clause = "what's the capital of Zembria"
    assert names.unknown(clause, also=lambda w: w == "zembria") is None
    assert names.unknown(clause, also=lambda w: False) == "Zembria"


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("what is the capital of Stonemarsh", "Stonemarsh"),
        ("how many people live in Port Ashgrove", "Port Ashgrove"),
        ("How far is the planet Greenfire from the sun?", "Greenfire"),
        ("when was the Treaty of Oakhollow signed", "Oakhollow"),
    ],
)
def test_a_place_named_by_known_words_run_together_is_unknown(
    names: UnknownNames, clause: str, name: str
) -> None:
    """Made-up names are built of real words ("stone marsh"); each word is known, the name
    is none of the vocabulary's own."""
    assert names.unknown(clause) == name


@pytest.mark.parametrize(
    "clause",
    [
        "Who wrote David Copperfield?",  # a surname run together keeps its given name
        "what is the population of Salt Lake City",  # real words, each its own
        "which sea is near Blackpool",  # a compound the vocabulary has whole
        "when was the Treaty of Versailles signed",
    ],
)
def test_real_names_of_known_words_stay_known(names: UnknownNames, clause: str) -> None:
    assert names.unknown(clause) is None


def test_a_base_that_holds_the_run_together_name_knows_it(names: UnknownNames) -> None:
    clause = "what is the capital of Stonemarsh"
    assert names.unknown(clause, also=lambda w: w == "stonemarsh") is None


@pytest.mark.parametrize(
    "clause",
    [
        "how do I use the ripgrep command",  # its program is ``rg``: not on PATH as "ripgrep"
        "what is the npm package lodash used for",  # no Python distribution
        "what does the tldr command do",
        "what options does the fzf command take",
    ],
)
def test_software_debian_packages_is_real_where_this_machine_lacks_it(
    names: UnknownNames, clause: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which programs exist is a fact of the world, not of this machine: with nothing on PATH,
    software Debian packages is still no made-up name."""
    monkeypatch.setattr("shutil.which", lambda _name: None)
    assert names.made_up_software(clause) is None


def test_software_no_one_packages_is_made_up(names: UnknownNames) -> None:
    assert names.made_up_software("what options does the flarnish command take") == "flarnish"


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("what is a quokka", None),  # rare and real: the English word list has it
        ("who signed the Treaty of Tordesillas", None),
        ("who is Professor Alaric Fenwright", "Professor Alaric Fenwright"),  # a real given name
        ("convert 12 quibbles to kilograms", "quibbles"),  # an English word, but no unit
        ("what does a plimbrook eat", "plimbrook"),  # no word, not even a rare one
        ("how many players are on a grumbleton team", "grumbleton"),
        ("what's a segfault and why do I keep getting one", None),  # short: maybe jargon
        ("what does a pangoline eat", None),  # one slip from a word of the list
    ],
)
def test_the_english_list_knows_rare_words_not_made_up_names(
    names: UnknownNames, clause: str, name: str | None
) -> None:
    assert names.unknown(clause) == name


def test_the_english_list_is_read_only_when_a_word_is_in_no_smaller_vocabulary() -> None:
    """A clause of known words leaves the 150,000-word list unread: a one-shot run pays
    nothing for it."""
    import subprocess
    import sys

    code = (
        "from agentroute.text import _lexicon as lex, _unknown as u\n"
        "names = u.UnknownNames(frozenset({'capital', 'river'}), frozenset())\n"
        'assert names.unknown("what\'s the capital of France") is None\n'
        "print(lex.english_words.cache_info().currsize, end=' ')\n"
        "names.unknown('what is a quokka')\n"
        "print(lex.english_words.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "1"], out.stdout
