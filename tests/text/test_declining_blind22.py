"""What blind22_decline found declined too rarely, one reader at a time: a title's stop is no
sentence's end, a name made of plain words is held only by a base that writes it whole, a
member another language's standard type lacks is made-up code, a quoted term is a name, one
of two picked by taste is a verdict, a month ahead is the future and what the asker wears is
their own state. Each has its real look-alike that stays answerable."""

from __future__ import annotations

import pytest

from agentroute.embeddings import default_embedder
from agentroute.text import UnknownNames, capability_need, split_clauses
from agentroute.text._opinions import asks_verdict
from agentroute.text._shapes import shaped_names
from agentroute.text._unknown import missing_attribute


@pytest.fixture(scope="module")
def names() -> UnknownNames:
    return UnknownNames(default_embedder().words(), frozenset({"agentroute"}))


@pytest.mark.parametrize(
    "text",
    ["who is Dr. Halvard Emberline", "what did St. Augustine write", "ask Mr. Smith to call"],
)
def test_a_title_stop_ends_no_sentence(text: str) -> None:
    assert split_clauses(text) == [text]


def test_a_sentence_still_ends_at_a_stop() -> None:
    assert split_clauses("What is 2+2. What is 3+3?") == ["What is 2+2", "What is 3+3?"]


def test_a_plain_word_name_is_held_only_where_written_whole(names: UnknownNames) -> None:
    clause = "who leads the Order of the Quiet River"
    apart = {"order", "quiet", "river"}.__contains__  # a base writing the words apart
    assert names.made_up_title(clause, apart) is None  # judged by words: kept, as before
    made_up = names.made_up_title(clause, apart, lambda name: False)
    assert made_up in {"Order of the Quiet River", "Quiet River"}
    whole = {"Order of the Quiet River", "Quiet River"}.__contains__  # a base writing it keeps it
    assert names.made_up_title(clause, apart, whole) is None


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("whats the Paper Lantern doctrine", "Paper Lantern doctrine"),
        ("Could you explain the Silver Orchard theorem please?", "Silver Orchard theorem"),
        ("who discovered the Falling Leaf nebula", "Falling Leaf nebula"),
        ("who painted the Seven Kettles mural", "Seven Kettles mural"),
    ],
)
def test_more_kinds_and_plain_words_make_titles(
    names: UnknownNames, clause: str, name: str
) -> None:
    assert names.unknown(clause) == name


@pytest.mark.parametrize(
    "clause",
    ["what is the Eagle Nebula", "what is the Golden Gate Bridge", "explain the twin paradox"],
)
def test_real_titles_of_plain_words_stay_known(names: UnknownNames, clause: str) -> None:
    assert names.unknown(clause) is None


def test_an_isle_of_words_run_together_is_made_up(names: UnknownNames) -> None:
    assert names.unknown("what is the population of Copperfield Isle") == "Copperfield Isle"


def test_a_person_named_with_a_word_run_together_is_made_up(names: UnknownNames) -> None:
    assert names.unknown("who is Dr. Halvard Emberline") is not None
    assert names.unknown("what did David Copperfield do") is None


@pytest.mark.parametrize(
    ("clause", "member"),
    [
        ("What does JavaScript's Array.prototype.scramble do?", "Array.prototype.scramble"),
        ("Rust Vec::retain_twice explained", "Vec::retain_twice"),
        ("what does Promise.sleep do in node", "Promise.sleep"),
    ],
)
def test_a_member_another_language_lacks_is_made_up(clause: str, member: str) -> None:
    assert missing_attribute(clause) == member


@pytest.mark.parametrize(
    "clause",
    [
        "what does Array.prototype.flatMap do in javascript",
        "rust Vec::retain example",
        "what does Rust's Option::unwrap_or do",
        "what does Math.floorDiv do",  # Java's Math has it; no language said
        "what does str.strip do",
    ],
)
def test_real_members_are_kept(clause: str) -> None:
    assert missing_attribute(clause) is None


def test_a_quoted_word_is_a_name() -> None:
    found = shaped_names("what does the 'quarantine' effect do in a policy")
    assert [n.text for n in found] == ["quarantine"]
    assert shaped_names("translate 'good morning' into French") == []


def test_one_of_two_picked_by_taste_is_a_verdict() -> None:
    assert asks_verdict("which is nicer, French or Italian") == "nicer"
    assert asks_verdict("which is better, Python or Go for data science") is None
    assert asks_verdict("which is faster, a cheetah or a horse") is None


def test_a_month_ahead_is_the_future() -> None:
    need = capability_need("what will Apple announce next september")
    assert need is not None and need.kind == "live"


def test_what_the_asker_wears_is_their_own() -> None:
    assert capability_need("which shoe size do I wear") is not None
    assert capability_need("what should I wear to a wedding") is None


def test_a_real_method_is_code_not_a_file() -> None:
    from agentroute.text import code_attribute

    assert code_attribute("what does str.strip do") == "str.strip"
    assert code_attribute("what's in notes.txt") is None
    assert code_attribute("what does str.unfurl do") is None
